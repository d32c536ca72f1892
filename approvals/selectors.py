"""Reads for approvals: the verdict before anything is saved, the gift count,
"my filings", the approver's inbox and its counts, and what is due.

Every list here is one query (or a fixed few), whatever the number of filings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, Max, Q, Value
from django.utils import timezone

from approvals.models import WaiverDisclosure
from approvals.rules import FILING_KIND_VALUES, assess, routing_flags, routing_rule_ids
from cases.models import WAITING_ACTIONS, Case, CaseParty
from cases.routing import route_case
from cases.services.parties import Party, about, resolve
from innovo_compliance.permissions import visible
from innovo_compliance.permissions.approvals import deciding_q, inbox_base_q
from innovo_compliance.permissions.common import person
from people.matching import picked_person
from people.models import Person
from people.selectors import cached_roles_on
from policy.deadlines import add_months
from policy.gifts import Direction, gifts_sharing_a_year
from policy.outcomes import Outcome
from policy.roles import Roles
from policy.routing import Decider, FilingKind, route_filing
from policy.workflow import Status

DECISION_WITHIN_DAYS = 14
"""Our reading of "approval before": a filing waiting longer than this for a
decision is shown as overdue in the approver's inbox."""

REVIEW_REMIND_DAYS = 30
"""A renewal reminder goes out this many days before an approval's review date."""

SUBMITTED_ACTIONS = WAITING_ACTIONS
CONFIRMED_ACTIONS = ("recorded", "decided", "reconfirmed")
APPROVED_STATUSES = (Status.APPROVED, Status.APPROVED_WITH_CONDITIONS)
STANDING_STATUSES = (Status.RECORDED, *APPROVED_STATUSES)


@dataclass(frozen=True)
class Assessment:
    """The Code's verdict on a filing, and who decides it, on a given day."""

    outcome: Outcome
    decider: Decider
    base_decider: Decider
    roles: Roles
    routing_rule_ids: list[str] = field(default_factory=list)
    prior_gifts: int = 0

    @property
    def escalated(self) -> bool:
        """Nobody decides their own filing: the would-be decider filed it."""
        return self.decider != self.base_decider

    @property
    def rule_ids(self) -> list[str]:
        return list(dict.fromkeys([*self.outcome.rule_ids, *self.routing_rule_ids]))


def prior_gift_count(*, filer: Person, counterparty: str, event_date: date, exclude_pk: int | None = None) -> int:
    """GIFT-3, GIFT-4: other gifts received by this filer from the same counterparty
    (case-insensitive) in the busiest 12-month window around this one's date
    (policy.gifts.gifts_sharing_a_year): a gift logged late, dated before gifts
    already logged, counts them too. Drafts and withdrawn filings do not count."""
    name = (counterparty or "").strip()
    if not name or event_date is None:
        return 0
    nearby = Case.objects.filter(
        kind=FilingKind.GIFT,
        filer=filer,
        counterparty__iexact=name,
        event_date__gt=add_months(event_date, -12),
        event_date__lt=add_months(event_date, 12),
        facts__direction=Direction.RECEIVED.value,
    ).exclude(status__in=[Status.DRAFT, Status.WITHDRAWN])
    if exclude_pk:
        nearby = nearby.exclude(pk=exclude_pk)
    return gifts_sharing_a_year(event_date, nearby.values_list("event_date", flat=True))


NAME_FIELDS = ("related_person", "counterparty")
"""Answers that may name a person on the roster (a relative, an insider holding a note)."""


def filing_people(*, kind: str, facts: dict, filer: Person | None) -> list[Party]:
    """The people a filing is about: a related person picked from the roster
    (confirmed), or the names typed in its answers and found in its description
    (likely). They never decide it, nor see it (COI-1, COI-7)."""
    picked = []
    person = picked_person(str(facts.get("related_person") or ""))
    if person is not None:
        picked.append(Party(person=person, role=CaseParty.RELATED))
    typed = "\n".join(str(facts.get(name) or "") for name in NAME_FIELDS if not (picked and name == "related_person"))
    return resolve(
        picked=picked,
        typed={CaseParty.RELATED: typed},
        prose=[str(facts.get("description") or "")],
        prose_role=CaseParty.RELATED,
        skip={filer.pk} if filer else set(),
        keep_unmatched=False,
    )


def assess_filing(
    *,
    kind: str,
    facts: dict,
    filer: Person,
    day: date,
    exclude_pk: int | None = None,
    subjects: set[int] | None = None,
) -> Assessment:
    """The verdict and the routing for `facts` filed by `filer` on `day` (ROLE-1:
    the roles held that day decide), one level up when the would-be decider is a
    person the filing is about (`subjects`: its related people, likely or not).
    Raises ValueError/TypeError on facts the policy refuses (the forms catch those first)."""
    kind = FilingKind(kind)
    roles = cached_roles_on(filer, day)
    if subjects is None:
        subjects = about(filing_people(kind=kind, facts=facts, filer=filer))
    prior = 0
    if kind == FilingKind.GIFT and facts.get("direction") == Direction.RECEIVED:
        event_date = date.fromisoformat(facts["event_date"]) if facts.get("event_date") else day
        prior = prior_gift_count(
            filer=filer, counterparty=facts.get("counterparty", ""), event_date=event_date, exclude_pk=exclude_pk
        )
    outcome = assess(
        kind, facts, roles=roles, prior_gifts=prior, occasional_limit=settings.INNOVO["GIFT_OCCASIONAL_LIMIT"]
    )
    flags = routing_flags(kind, facts, outcome)
    decider = route_case(kind, filer=filer, day=day, subjects=subjects, **flags)
    base = route_filing(kind, filer=roles, **flags)
    return Assessment(
        outcome=outcome.with_approver(decider),
        decider=decider,
        base_decider=base,
        roles=roles,
        routing_rule_ids=routing_rule_ids(kind, roles=roles, decider=decider, flags=flags),
        prior_gifts=prior,
    )


def visible_filings(user):
    """Every filing this user may see (filer, decider or by role)."""
    return visible(user, Case).filter(kind__in=FILING_KIND_VALUES)


def my_filings(user, *, status: str = ""):
    """The user's own filings, newest first, drafts included."""
    me = person(user)
    if me is None:
        return Case.objects.none()
    qs = Case.objects.filter(kind__in=FILING_KIND_VALUES, filer=me)
    if status == "open":
        qs = qs.filter(status__in=[Status.DRAFT, Status.SUBMITTED, Status.INFO_REQUESTED])
    elif status:
        qs = qs.filter(status=status)
    return qs.annotate(last_event_at=Max("events__at")).order_by("-created_at", "-id")


def late_q(now) -> Q:
    """Waiting for a decision longer than allowed (`Case.waiting_since`, kept by the
    timeline: read through the partial index case_submitted_waiting)."""
    return Q(status=Status.SUBMITTED, waiting_since__lt=now - timedelta(days=DECISION_WITHIN_DAYS))


def inbox(user, *, kind: str = "", status: str = "waiting", overdue: bool = False, now=None):
    """The filings this user decides, filtered. `status`: "waiting" (submitted),
    "info_requested", "decided", "all" or a status value."""
    now = now or timezone.now()
    qs = Case.objects.filter(deciding_q(user))
    if kind:
        qs = qs.filter(kind=kind)
    if status == "waiting":
        qs = qs.filter(status=Status.SUBMITTED)
    elif status == "decided":
        qs = qs.filter(status__in=[*APPROVED_STATUSES, Status.DENIED])
    elif status and status != "all":
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status=Status.SUBMITTED, waiting_since__lt=now - timedelta(days=DECISION_WITHIN_DAYS))
    return qs.select_related("filer").order_by(F("waiting_since").asc(nulls_last=True), "id")


def inbox_counts(user, *, now=None, alone: bool = False) -> dict[str, int]:
    """Counts for the inbox's filter tabs: per status from the kept counts
    (cases.counts: exact after every write, whatever the number of filings);
    "overdue" moves with the clock, so it is counted, over waiting filings only.
    `alone`: the page shows no other clock-bound count (the inbox itself), so the
    queue's overdue count is not computed with it."""
    from cases.counts import deadline_counts, exception_rows, kept_by_status, viewer_sums

    if now is not None:  # another moment than this one: count it
        return _inbox_counts(user, now=now)
    me = person(user)
    if me is None:
        return {"waiting": 0, "info_requested": 0, "decided": 0, "all": 0, "overdue": 0}
    base = inbox_base_q(user)
    rows = exception_rows(user, me)
    per = kept_by_status(base=base, rows_of="deciding", exceptions=rows, rows=viewer_sums(user, me)["deciding"])
    return {
        "waiting": per.get(Status.SUBMITTED.value, 0),
        "info_requested": per.get(Status.INFO_REQUESTED.value, 0),
        "decided": sum(per.get(getattr(s, "value", s), 0) for s in [*APPROVED_STATUSES, Status.DENIED]),
        "all": sum(per.values()),
        "overdue": deadline_counts(user, ("late",) if alone else ("overdue", "late"))["late"],
    }


def _inbox_counts(user, *, now) -> dict[str, int]:
    """The same counts by a full count over the filings (the tests' reference)."""
    late = now - timedelta(days=DECISION_WITHIN_DAYS)
    mine = Case.objects.filter(deciding_q(user))
    submitted = Q(status=Status.SUBMITTED)
    counts = mine.aggregate(
        waiting=Count("pk", filter=submitted),
        info_requested=Count("pk", filter=Q(status=Status.INFO_REQUESTED)),
        decided=Count("pk", filter=Q(status__in=[*APPROVED_STATUSES, Status.DENIED])),
        all=Count("pk"),
    )
    counts["overdue"] = mine.filter(submitted, waiting_since__lt=late).count()
    return counts


def is_overdue(case, *, now=None) -> bool:
    since = getattr(case, "waiting_since", None)
    now = now or timezone.now()
    return case.status == Status.SUBMITTED and since is not None and since < now - timedelta(days=DECISION_WITHIN_DAYS)


def disclosures_due():
    """WAIVE-2: waivers granted to directors and executive officers not yet disclosed."""
    return WaiverDisclosure.objects.filter(disclosed_on__isnull=True).select_related("case", "case__filer")


def standing_disclosures_due(*, now=None, filer: Person | None = None):
    """The yearly prompt: conflicts that stand (recorded or approved) and were last
    recorded, decided or re-confirmed more than a year ago (COI-1)."""
    now = now or timezone.now()
    qs = Case.objects.filter(kind=FilingKind.CONFLICT, status__in=STANDING_STATUSES)
    if filer is not None:
        qs = qs.filter(filer=filer)
    qs = qs.annotate(last_confirmed=Max("events__at", filter=Q(events__action__in=CONFIRMED_ACTIONS)))
    return qs.filter(last_confirmed__lte=add_months(now, -12)).select_related("filer").order_by("pk")


def reconfirm_due_on(case, *, now=None) -> date:
    """The latest anniversary of the last confirmation, up to now: the yearly
    prompt's date (a prompt left unanswered comes back the next year)."""
    now = now or timezone.now()
    years = 1
    while add_months(case.last_confirmed, 12 * (years + 1)) <= now:
        years += 1
    return timezone.localdate(add_months(case.last_confirmed, 12 * years))


def reviews_due(*, today: date, filer: Person | None = None):
    """Approvals whose review date is within reach: they must be renewed."""
    qs = Case.objects.filter(
        kind__in=FILING_KIND_VALUES,
        status__in=APPROVED_STATUSES,
        review_date__isnull=False,
        review_date__lte=today + timedelta(days=REVIEW_REMIND_DAYS),
    )
    if filer is not None:
        qs = qs.filter(filer=filer)
    return qs.select_related("filer").order_by("review_date", "pk")


def own_renewals_and_reconfirmations(filer: Person, *, today: date, now=None) -> tuple[list, list]:
    """`reviews_due` and `standing_disclosures_due` for one filer, in one query (a
    UNION ALL of the two; the home page shows both)."""
    confirmed = Max("events__at", filter=Q(events__action__in=CONFIRMED_ACTIONS))
    reviews = reviews_due(today=today, filer=filer).select_related(None).order_by()
    reviews = reviews.annotate(last_confirmed=confirmed, panel=Value("review"))
    standing = standing_disclosures_due(now=now, filer=filer).select_related(None).order_by()
    standing = standing.annotate(panel=Value("standing"))
    rows = list(reviews.union(standing, all=True))
    due = sorted((c for c in rows if c.panel == "review"), key=lambda c: (c.review_date, c.pk))
    return due, sorted((c for c in rows if c.panel == "standing"), key=lambda c: c.pk)


def timeline(case, *, internal: bool):
    """The case's events; the filer sees only those not marked internal."""
    events = case.events.all()
    return events if internal else events.filter(internal=False)
