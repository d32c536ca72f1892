"""Who owes which certificate: new hires (CERT-1), officers promoted while an annual
campaign is open (CERT-2, ROLE-1), and leavers, whose pending obligations end.

`obligations_sync` is the one entry point. The roster calls it (through the
`roster_changed` signal and a task) with the people who changed; the reminder
beat calls it for everyone, which picks up what a signal cannot see coming: a
hire or a promotion dated in the future whose day has arrived. It is safe to
run any number of times: an obligation exists at most once per person and
campaign (a unique constraint), and only missing ones are created.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from certifications import rules
from certifications.models import Audience, Campaign, CodeVersion, Kind, Obligation
from certifications.services.events import CertificationError, record
from people.models import DirectorSeat, Person, Rank
from people.selectors import people_with_rank_on

log = logging.getLogger(__name__)

OFFICER_RANKS = [Rank.VP, Rank.EXECUTIVE]


def new_hire_days() -> int:
    return settings.INNOVO["NEW_HIRE_CERTIFICATION_DAYS"]


def employed_on(day: date) -> Q:
    return Q(hire_date__lte=day) & (Q(leaving_date__isnull=True) | Q(leaving_date__gte=day))


def roster_on(day: date):
    """Everyone the Code applies to on `day`: employees and directors (CERT-3)."""
    seats = DirectorSeat.objects.on(day).values("person_id")
    return Person.objects.filter(employed_on(day) | Q(id__in=seats))


def audience_on(audience: str, day: date):
    if audience == Audience.VP_AND_ABOVE:
        return people_with_rank_on(OFFICER_RANKS, day)
    if audience == Audience.EVERYONE:
        return roster_on(day)
    raise ValueError(f"Audience {audience!r} is assigned person by person, not all at once.")


def new_hire_campaign(*, year: int, code_version: CodeVersion) -> Campaign:
    """This year's open campaign for new hires' confirmation certificates, created
    on first use. Two workers creating it at once meet the unique constraint."""
    lookup = {"kind": Kind.CONFIRMATION, "audience": Audience.NEW_HIRES, "year": year, "status": Campaign.Status.OPEN}
    campaign = Campaign.objects.filter(**lookup).first()
    if campaign is not None:
        return campaign
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                **lookup,
                title=f"New-hire confirmation certificates {year}",
                code_version=code_version,
                opens_on=date(year, 1, 1),
                due_date=None,
            )
            record(
                "campaign-opened",
                campaign=campaign,
                rule="CERT-1",
                detail=f"Opened for new hires of {year}: each signs within {new_hire_days()} days of joining.",
            )
    except IntegrityError:
        campaign = Campaign.objects.get(**lookup)
    return campaign


def obligation_assign(
    *, campaign: Campaign, person: Person, due_date: date, today: date, code_version=None, actor=None, rule: str
) -> Obligation | None:
    """Give `person` an obligation in `campaign`, unless they already have one."""
    try:
        with transaction.atomic():
            obligation = Obligation.objects.create(
                campaign=campaign,
                person=person,
                code_version=code_version or campaign.code_version,
                assigned_on=today,
                due_date=due_date,
            )
            record("assigned", actor=actor, obligation=obligation, rule=rule, detail=f"Due {due_date:%B %-d, %Y}.")
    except IntegrityError:
        return None
    return obligation


def obligations_sync(*, person_ids: list[int] | None = None, today: date | None = None) -> list[Obligation]:
    """Create the obligations the roster calls for and end those of leavers.

    With `person_ids`, only those people are looked at (the roster signal);
    without, everyone (the beat). Returns the obligations created.
    """
    today = today or timezone.localdate()
    people = Person.objects.all() if person_ids is None else Person.objects.filter(id__in=list(person_ids))
    created: list[Obligation] = []
    created += _new_hires(people, today)
    created += _promoted_officers(people, today)
    _end_leavers(people, today)
    return created


def _new_hires(people, today: date) -> list[Obligation]:
    """CERT-1: a new employee signs the confirmation certificate within N days of hire."""
    code = CodeVersion.current()
    if code is None:
        return []
    days = new_hire_days()
    already = Obligation.objects.filter(
        person=OuterRef("pk"), campaign__audience=Audience.NEW_HIRES, assigned_on__gte=OuterRef("hire_date")
    )
    hires = (
        people.filter(employed_on(today), hire_date__gte=today - timedelta(days=days))
        .exclude(Exists(already))
        .order_by("id")
    )
    created = []
    for person in hires:
        if not rules.is_new_hire(hire_date=person.hire_date, today=today, days=days):
            continue
        campaign = new_hire_campaign(year=today.year, code_version=code)
        obligation = obligation_assign(
            campaign=campaign,
            person=person,
            due_date=rules.new_hire_due_date(hire_date=person.hire_date, days=days),
            today=today,
            code_version=code,
            rule="CERT-1",
        )
        if obligation:
            created.append(obligation)
    return created


def _promoted_officers(people, today: date) -> list[Obligation]:
    """CERT-2 and ROLE-1: whoever holds a VP-and-above or executive position while an
    annual campaign for that audience is open joins it."""
    created = []
    campaigns = Campaign.objects.filter(
        status=Campaign.Status.OPEN, audience=Audience.VP_AND_ABOVE, opens_on__lte=today
    ).select_related("code_version")
    for campaign in campaigns:
        officers = (
            people_with_rank_on(OFFICER_RANKS, today)
            .filter(id__in=people.values("id"))
            .exclude(obligations__campaign=campaign)
            .order_by("id")
        )
        for person in officers:
            obligation = obligation_assign(
                campaign=campaign,
                person=person,
                due_date=rules.late_joiner_due_date(campaign_due=campaign.due_date, today=today, days=new_hire_days()),
                today=today,
                rule="ROLE-1",
            )
            if obligation:
                created.append(obligation)
    return created


def _end_leavers(people, today: date) -> None:
    """Someone who has left owes nothing more: their pending obligations are cancelled."""
    leaving = Obligation.objects.filter(
        status=Obligation.Status.PENDING, person__in=people.filter(leaving_date__lt=today)
    ).values_list("id", flat=True)
    for obligation_id in list(leaving):
        with transaction.atomic():
            obligation = (
                Obligation.objects.select_for_update(of=("self",)).select_related("person").get(pk=obligation_id)
            )
            if not obligation.is_pending:
                continue
            obligation.status = Obligation.Status.CANCELLED
            obligation.save(update_fields=["status"])
            record(
                "cancelled",
                obligation=obligation,
                detail=f"{obligation.person} left the company (last day {obligation.person.leaving_date}).",
            )


def obligation_code_opened(*, obligation_id: int, actor) -> Obligation:
    """Record, once, that the person opened the Code for this obligation: signing
    needs it (the certificate says they read the Code)."""
    with transaction.atomic():
        obligation = (
            Obligation.objects.select_for_update(of=("self",))
            .select_related("person", "code_version")
            .get(pk=obligation_id)
        )
        if obligation.person.user_id != getattr(actor, "pk", None):
            raise CertificationError("Only the person who signs can record that they opened the Code.")
        if obligation.code_opened_at is None and obligation.is_pending:
            obligation.code_opened_at = timezone.now()
            obligation.save(update_fields=["code_opened_at"])
            record(
                "code-opened",
                actor=actor,
                obligation=obligation,
                detail=f"Code version {obligation.code_version.number}",
            )
    return obligation
