"""Demo certifications, called at the end of `people.demo.seed_demo`. Idempotent.

This year's annual certification for officers VP and above (CERT-2), open from
the seed day and due 30 days later, and the new hires' confirmation
certificates (CERT-1: the demo roster has two people hired in the last weeks).
Nothing is signed: signing is what the demo shows.
"""

from __future__ import annotations

from datetime import date, timedelta


def seed_certifications(*, today: date) -> None:
    from certifications.models import Audience, Campaign, Kind
    from certifications.services.campaigns import campaign_create
    from certifications.services.obligations import obligations_sync

    annual = Campaign.objects.filter(kind=Kind.ANNUAL, audience=Audience.VP_AND_ABOVE, year=today.year)
    if not annual.exists():
        campaign_create(
            actor=None,
            kind=Kind.ANNUAL,
            audience=Audience.VP_AND_ABOVE,
            year=today.year,
            due_date=today + timedelta(days=30),
            today=today,
        )
    obligations_sync(today=today)


DEMO_SIGNERS = (
    ("mellis", ""),
    ("ohaddad", ""),
    ("dwhitfield", ""),
    (
        "gkim",
        "I have not yet disclosed my 3% holding in Loomworks Textiles, which became a supplier this year; "
        "I filed the disclosure this month and it is waiting for the compliance officer.",
    ),
)
"""Who signs this year's annual certification in the demo (fictional officers), and
the one exception: a VP who answers that not every conflict was disclosed (CERT-2)."""


def seed_signatures(*, today: date) -> None:
    """About half of the annual campaign signed, one with an exception. Signing
    goes through the services (open the Code, then sign); the PDFs are issued by
    the worker from the outbox. Idempotent: a signed obligation is skipped."""
    from django.contrib.auth import get_user_model

    from certifications.models import Audience, Kind, Obligation
    from certifications.services.certify import certification_sign
    from certifications.services.obligations import obligation_code_opened

    User = get_user_model()
    for username, exception in DEMO_SIGNERS:
        obligation = (
            Obligation.objects.filter(
                campaign__kind=Kind.ANNUAL,
                campaign__audience=Audience.VP_AND_ABOVE,
                campaign__year=today.year,
                person__user__username=username,
            )
            .select_related("person")
            .first()
        )
        if obligation is None or not obligation.is_pending:
            continue
        actor = User.objects.get(username=username)
        obligation_code_opened(obligation_id=obligation.pk, actor=actor)
        answers = {"complied": True, "no_unreported_violation": True, "conflicts_disclosed": not exception}
        certification_sign(
            obligation_id=obligation.pk,
            actor=actor,
            typed_name=obligation.person.name,
            answers=answers,
            exception=exception,
        )
