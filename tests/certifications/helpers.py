"""Build certification states through the services, as the app does."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from certifications.models import Audience, Campaign, Kind, Obligation
from certifications.services.campaigns import campaign_create
from certifications.services.certify import certification_sign
from certifications.services.obligations import obligation_code_opened
from people.demo import DEMO_PASSWORD
from people.models import Person


def user(username):
    return get_user_model().objects.get(username=username)


def person(username) -> Person:
    return Person.objects.get(user__username=username)


def new_hire_obligation(username="aalvarez") -> Obligation:
    return Obligation.objects.select_related("campaign", "person").get(
        person__user__username=username, campaign__audience=Audience.NEW_HIRES
    )


def annual_campaign() -> Campaign:
    return Campaign.objects.get(kind=Kind.ANNUAL, audience=Audience.VP_AND_ABOVE, status="open")


def annual_obligation(username) -> Obligation:
    return Obligation.objects.select_related("campaign", "person").get(
        person__user__username=username, campaign=annual_campaign()
    )


def open_campaign(hr, *, kind=Kind.ANNUAL, audience=Audience.EVERYONE, year=2031, due_in=30, today=None):
    today = today or date.today()
    return campaign_create(
        actor=hr, kind=kind, audience=audience, year=year, due_date=today + timedelta(days=due_in), today=today
    )


def sign(obligation: Obligation, *, answers=None, exception="", typed_name=None):
    """Open the Code and sign, as the obligation's person."""
    signer = obligation.person.user
    obligation_code_opened(obligation_id=obligation.pk, actor=signer)
    if answers is None and obligation.campaign.kind == Kind.ANNUAL:
        answers = {"complied": True, "no_unreported_violation": True, "conflicts_disclosed": True}
    return certification_sign(
        obligation_id=obligation.pk,
        actor=signer,
        typed_name=typed_name or obligation.person.name,
        answers=answers,
        exception=exception,
        ip_address="203.0.113.7",
        user_agent="pytest",
    )


PASSWORD = DEMO_PASSWORD


def bulk_people(count: int, *, start: int = 0, departments=("Sales", "Operations", "Design", "Finance")):
    """`count` roster entries without logins, spread over departments (for sizes)."""
    today = date.today()
    return Person.objects.bulk_create(
        Person(
            employee_id=f"B{start + n:06d}",
            name=f"Bulk Person {start + n}",
            email=f"bulk{start + n}@innovo.example",
            department=departments[n % len(departments)],
            hire_date=today - timedelta(days=400),
        )
        for n in range(count)
    )


def bulk_obligations(campaign: Campaign, people, *, signed_every: int = 3, overdue_every: int = 4):
    """Obligations in several states, with certification rows for the signed ones."""
    from django.utils import timezone

    from certifications.models import Certification

    today = date.today()
    obligations = Obligation.objects.bulk_create(
        Obligation(
            campaign=campaign,
            person=p,
            code_version=campaign.code_version,
            assigned_on=today - timedelta(days=20),
            due_date=today - timedelta(days=2) if n % overdue_every == 0 else today + timedelta(days=10),
            status=Obligation.Status.SIGNED if n % signed_every == 0 else Obligation.Status.PENDING,
        )
        for n, p in enumerate(people)
    )
    Certification.objects.bulk_create(
        Certification(
            obligation=o,
            certificate_number=f"TC-{o.pk:08d}",
            signed_at=timezone.now(),
            code_version=campaign.code_version,
            code_sha256=campaign.code_version.sha256,
            person_name=o.person.name,
            typed_name=o.person.name,
        )
        for o in obligations
        if o.status == Obligation.Status.SIGNED
    )
    return obligations
