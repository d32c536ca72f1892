"""The promises, as a stateful property test (issue 9's acceptance).

Random sequences of service calls by random demo personas (reports naming random
people with name variants, filings of every kind, links, merges, assignment,
people added and cleared, every transition, decisions, Board records, holds,
releases, purges), and after every step:

(a) nobody sees a case in which they are a subject or related party, likely or
    confirmed: not in their visible cases, queue, counts, search, register,
    linked cases, timelines, nor as a recipient of its e-mails;
(b) every filing approved or denied has exactly one decision since it was last
    submitted, by someone allowed to decide it on that date;
(c) held cases, their events and their files survive every step;
(d) cached counts equal the rows for every persona (queue, home, inbox);
(e) every state change has its event, and every case's event chain verifies.
"""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from approvals.models import Decision
from approvals.selectors import SUBMITTED_ACTIONS, _inbox_counts, inbox_counts
from approvals.services import (
    DecisionInput,
    filing_answer,
    filing_decide,
    filing_file,
    filing_request_info,
    filing_withdraw,
)
from cases import counts
from cases.home import queues as home_queues
from cases.models import Attachment, Case, CaseEvent, CaseParty, LegalHold
from cases.routing import about_ids
from cases.selectors import QueueParams, filtered, links_for, overdue_q, status_counts, timeline_for
from cases.services import (
    CaseError,
    ReportInput,
    Upload,
    case_assign,
    case_merge,
    case_transition,
    case_withdraw,
    hold_create,
    hold_release,
    link_add,
    party_add,
    party_clear,
    party_confirm,
    purge_expired,
    report_submit,
)
from core.chain import verify_chain
from core.models import OutboxItem
from innovo_compliance.permissions import can, visible
from people.models import Person
from policy.routing import Category, FilingKind
from policy.workflow import OPEN_STATUSES, Status, TransitionError
from tests.approvals.factories import conflict_facts, gift_facts

PERSONAS = ["swhalen", "jgrant", "areyes", "mellis", "rchen", "aalvarez", "jbrooks", "dwhitfield", "mcrossman"]
NAMES = {
    "swhalen": ("Shane", "Whalen"),
    "jgrant": ("Jennifer", "Grant"),
    "areyes": ("Alexandra", "Reyes"),
    "mellis": ("Morgan", "Ellis"),
    "rchen": ("Riley", "Chen"),
    "aalvarez": ("Avery", "Alvarez"),
    "jbrooks": ("Jordan", "Brooks"),
    "dwhitfield": ("Dana", "Whitfield"),
    "mcrossman": ("Marc", "Crossman"),
}
VARIANTS = [
    "{first} {last}",
    "{f}. {last}",
    "{last}, {first}",
    "{first}  {last}",
    "{first} {last} (COO)",
    "Mr. {last}",
    "{last}",
    "{LAST}, {FIRST}",
]
EXPECTED = (CaseError, PermissionDenied, TransitionError)
STATUSES = [s.value for s in Status]
DECIDED = (Status.APPROVED, Status.APPROVED_WITH_CONDITIONS, Status.DENIED)
KEY = re.compile(r"^(?:case|filing):(\d+):")


def typed(username: str, variant: int) -> str:
    first, last = NAMES[username]
    return VARIANTS[variant % len(VARIANTS)].format(
        first=first, last=last, f=first[0], FIRST=first.upper(), LAST=last.upper()
    )


def attempt(call):
    try:
        return call()
    except EXPECTED:
        return None


class Promises(RuleBasedStateMachine):
    cases = Bundle("cases")
    filings = Bundle("filings")
    holds = Bundle("holds")

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint_create()
        cache.clear()
        users = get_user_model().objects.filter(username__in=PERSONAS).select_related("person")
        self.users = {u.username: u for u in users}
        self.person = {name: u.person for name, u in self.users.items()}
        self.email = {p.pk: p.email for p in Person.objects.all()}
        self.named: dict[int, set[int]] = {}  # case id -> people the test named as subjects
        self.decision_ok: list[bool] = []
        self.held: dict[int, tuple[set, set, set]] = {}  # hold id -> case, event and attachment ids
        self.files: set[str] = set()
        self.outbox_seen = OutboxItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    # --- rules --------------------------------------------------------------------
    @rule(
        target=cases,
        reporter=st.sampled_from([*PERSONAS, None]),
        category=st.sampled_from([Category.FAIR_DEALING, Category.ACCOUNTING, Category.HARASSMENT, Category.OTHER]),
        named=st.sampled_from(PERSONAS),
        variant=st.integers(0, 20),
        where=st.sampled_from(["people", "description", "witness"]),
        with_file=st.booleans(),
    )
    def report(self, reporter, category, named, variant, where, with_file):
        name = typed(named, variant)
        if where == "description" and variant % len(VARIANTS) in (6,):
            name = f"{NAMES[named][0]} {NAMES[named][1]}"  # a surname alone names nobody in prose
        data = ReportInput(
            kind=FilingKind.REPORT,
            category=category,
            title="A concern",
            description=f"I saw {name} at the dock." if where == "description" else "Something happened.",
            people_about=name if where == "people" else "",
            witnesses=name if where == "witness" else "",
            files=[Upload("note.txt", "text/plain", b"evidence")] if with_file else [],
        )
        user = self.users[reporter] if reporter else None
        case, _ = report_submit(data=data, reporter=user, anonymous=user is None)
        subject = self.person[named].pk
        if where != "witness" and (user is None or user.person.pk != subject):
            assert subject in about_ids(case), f"{name!r} did not name {named}"
            self.named[case.pk] = {subject}
        self.files |= set(Attachment.objects.filter(case=case).values_list("file", flat=True))
        return case.pk

    @rule(
        target=filings,
        filer=st.sampled_from(PERSONAS),
        kind=st.sampled_from(["gift", "cash", "board_seat", "relative", "waiver", "rpt", "outside"]),
        related=st.sampled_from(PERSONAS),
        variant=st.integers(0, 20),
    )
    def file(self, filer, kind, related, variant):
        facts = {
            "gift": ("gift", gift_facts(value="300.00")),
            "cash": ("gift", gift_facts(cash_or_equivalent=True)),
            "board_seat": ("conflict", conflict_facts("board_seat")),
            "relative": (
                "conflict",
                conflict_facts("relative_in_reporting_line", relation="sister", related_person=typed(related, variant)),
            ),
            "waiver": ("waiver", {"provision": "Outside board service"}),
            "rpt": ("conflict", conflict_facts("related_party_transaction")),
            "outside": ("conflict", conflict_facts("outside_employment")),
        }[kind]
        case = attempt(lambda: filing_file(actor=self.users[filer], kind=facts[0], facts=facts[1]))
        if case is None:
            return None
        if kind == "relative" and related != filer:
            self.named[case.pk] = {self.person[related].pk}
        return case.pk

    @rule(
        case=st.one_of(cases, filings),
        actor=st.sampled_from(PERSONAS),
        to=st.sampled_from(STATUSES),
        reason=st.sampled_from(["", "no_investigation_warranted", "answered", "duplicate"]),
        finding=st.sampled_from(["", "substantiated"]),
        note=st.sampled_from(["", "Why: new facts."]),
        confirm=st.booleans(),
    )
    def transition(self, case, actor, to, reason, finding, note, confirm):
        before = Case.objects.filter(pk=case).values_list("status", "kind").first()
        attempt(
            lambda: case_transition(
                case_id=case,
                actor=self.users[actor],
                to_status=to,
                closure_reason=reason,
                finding=finding,
                note=note,
                close_with_open_tasks=confirm,
            )
        )
        after = Case.objects.filter(pk=case).values_list("status", flat=True).first()
        if before and before[1] not in ("report", "question"):
            assert after == before[0], "the generic transition moved a filing"

    @rule(case=cases, actor=st.sampled_from(PERSONAS), assignee=st.sampled_from([*PERSONAS, None]))
    def assign(self, case, actor, assignee):
        attempt(lambda: case_assign(case_id=case, actor=self.users[actor], assignee=self.person.get(assignee)))

    @rule(case=st.one_of(cases, filings), actor=st.sampled_from(PERSONAS))
    def withdraw(self, case, actor):
        before = Case.objects.filter(pk=case).values_list("status", "kind", "filer__user__username").first()
        attempt(lambda: case_withdraw(case_id=case, actor=self.users[actor], reason="no longer needed"))
        if before and before[1] not in ("report", "question"):
            assert Case.objects.filter(pk=case).values_list("status", flat=True).first() == before[0]
        attempt(lambda: filing_withdraw(case_id=case, actor=self.users[actor], reason="mine to take back"))
        after = Case.objects.filter(pk=case).values_list("status", flat=True).first()
        if before and after != before[0] and before[1] not in ("report", "question"):
            assert before[2] == actor, "somebody else withdrew a filing"

    @rule(
        case=filings,
        actor=st.sampled_from(PERSONAS),
        decision=st.sampled_from(["approved", "approved_with_conditions", "denied"]),
    )
    def decide(self, case, actor, decision):
        row = Case.objects.filter(pk=case).first()
        if row is None:
            return
        allowed = can(self.users[actor], "filing.decide", row)
        data = DecisionInput(
            decision=decision,
            conditions="Share it with the team." if decision == "approved_with_conditions" else "",
            reason="Against the Code." if decision == "denied" else "",
            meeting_date=date.today(),
            resolution_reference="BR-1",
        )
        if attempt(lambda: filing_decide(case_id=case, actor=self.users[actor], data=data)) is not None:
            self.decision_ok.append(allowed)

    @rule(case=filings, actor=st.sampled_from(PERSONAS))
    def ask_and_answer(self, case, actor):
        attempt(lambda: filing_request_info(case_id=case, actor=self.users[actor], question="Who else was there?"))
        row = Case.objects.filter(pk=case).select_related("filer__user").first()
        if row is not None and row.filer and row.filer.user:
            attempt(lambda: filing_answer(case_id=case, actor=row.filer.user, body="Nobody else."))

    @rule(a=cases, b=st.one_of(cases, filings), actor=st.sampled_from(PERSONAS), merge=st.booleans())
    def link_or_merge(self, a, b, actor, merge):
        other = Case.objects.filter(pk=b).first()
        if other is None or a == b:
            return
        if merge:
            attempt(lambda: case_merge(case_id=a, actor=self.users[actor], into=other, reason="duplicate"))
        else:
            attempt(lambda: link_add(case_id=a, actor=self.users[actor], other=other))

    @rule(
        case=st.one_of(cases, filings),
        actor=st.sampled_from(PERSONAS),
        who=st.sampled_from(PERSONAS),
        role=st.sampled_from([CaseParty.SUBJECT, CaseParty.WITNESS, CaseParty.RELATED]),
    )
    def add_person(self, case, actor, who, role):
        added = attempt(lambda: party_add(case_id=case, actor=self.users[actor], person=self.person[who], role=role))
        if added and role != CaseParty.WITNESS:
            self.named.setdefault(case, set()).add(self.person[who].pk)

    @rule(case=st.one_of(cases, filings), actor=st.sampled_from(PERSONAS), clear=st.booleans(), pick=st.integers(0, 5))
    def review_person(self, case, actor, clear, pick):
        parties = list(CaseParty.objects.filter(case_id=case).exclude(status=CaseParty.CLEARED).order_by("pk"))
        if not parties:
            return
        party = parties[pick % len(parties)]
        if clear:
            if attempt(lambda: party_clear(party_id=party.pk, actor=self.users[actor], reason="not this person")):
                self.named.get(case, set()).discard(party.person_id)
        else:
            attempt(lambda: party_confirm(party_id=party.pk, actor=self.users[actor]))

    @rule(
        target=holds,
        actor=st.sampled_from(["swhalen", "swhalen", "jgrant"]),
        case=st.one_of(cases, filings),
        who=st.sampled_from([None, *PERSONAS]),
    )
    def hold(self, actor, case, who):
        target = Case.objects.filter(pk=case).first()
        if target is None:
            return None
        people = [self.person[who]] if who else []
        held = attempt(
            lambda: hold_create(actor=self.users[actor], matter="Subpoena", reason="DOJ", cases=[target], people=people)
        )
        if held is None:
            return None
        from cases.services.holds import held_q

        ids = set(Case.objects.filter(held_q()).values_list("pk", flat=True))
        self.held[held.pk] = (
            ids,
            set(CaseEvent.objects.filter(case_id__in=ids).values_list("pk", flat=True)),
            set(Attachment.objects.filter(case_id__in=ids).values_list("file", flat=True)),
        )
        return held.pk

    @rule(hold=holds, actor=st.sampled_from(["swhalen", "jgrant"]))
    def release(self, hold, actor):
        row = LegalHold.objects.filter(pk=hold).first() if hold else None
        if row is not None and attempt(lambda: hold_release(actor=self.users[actor], hold=row, reason="Settled")):
            self.held.pop(hold, None)

    @rule()
    def purge(self):
        with django_settings_retention():
            purge_expired(now=timezone.now() + timedelta(days=1))

    # --- invariants ---------------------------------------------------------------
    def f_every_closed_case_has_a_finding_or_a_reason(self):
        """REP-4 (issue 10): no path closes a report or question without a finding or a reason."""
        closed = Case.objects.filter(kind__in=("report", "question"), status="closed")
        assert not closed.filter(finding="", closure_reason="").exists()

    @invariant()
    def promises(self):
        """(a) to (e) after every step; the rows every check needs are read once."""
        status = dict(Case.objects.values_list("pk", "status"))
        about: dict[int, set[int]] = {}
        parties = CaseParty.objects.filter(
            role__in=CaseParty.EXCLUDING_ROLES, status__in=CaseParty.EXCLUDING_STATUSES, person__isnull=False
        )
        for case_id, person_id in parties.values_list("case_id", "person_id"):
            about.setdefault(person_id, set()).add(case_id)
        for case_id, people in self.named.items():
            for person_id in people:
                about.setdefault(person_id, set()).add(case_id)
        filed = {}
        for case_id, filer_id in Case.objects.exclude(filer=None).values_list("pk", "filer_id"):
            filed.setdefault(filer_id, set()).add(case_id)
        now = timezone.now()
        assert counts.drift() == {}, "(d) the kept count rows differ from a full count"
        # (d) per persona: the kept rows are checked above after every step; each
        # persona's sums over them (three queries with a costly plan) one persona a
        # step in turn, so every persona is checked about every ninth step
        # (tests/cases/test_kept_counts.py checks them all after every service).
        self.checks = getattr(self, "checks", 0) + 1
        counted = PERSONAS[self.checks % len(PERSONAS)]
        for username, user in self.users.items():
            me = self.person[username]
            seen = set(visible(user, Case).values_list("pk", flat=True))
            self.a_sees_nothing_about_them(username, user, seen, about.get(me.pk, set()) - filed.get(me.pk, set()))
            if username == counted:
                self.d_counts_are_exact(user, seen, status, now)
        self.a_no_email_reaches_a_person_the_case_is_about()
        self.b_every_decided_filing_has_one_decision_by_an_allowed_decider()
        self.c_held_cases_events_and_files_survive()
        self.e_every_state_change_has_its_event_and_the_chain_verifies()
        self.f_every_closed_case_has_a_finding_or_a_reason()

    def a_sees_nothing_about_them(self, username, user, seen: set, about: set):
        assert not (seen & about), ("(a) sees a case about them", username, seen & about)
        if can(user, "queue.view"):
            # The queue, its search, the register and the counts all start from filtered().
            found = set(filtered(user, QueueParams(q=NAMES[username][1])).values_list("pk", flat=True))
            assert not (found & about), ("(a) search finds a case about them", username)
        linked = Case.objects.filter(pk__in=seen, links__isnull=False).distinct()[:3]
        for case in linked:
            assert all(other.pk in seen for _, other in links_for(user, case)), ("(a) linked case", username)
            events = timeline_for(user, case, internal=True)
            assert all(e.related is None or e.related.pk in seen for e in events), ("(a) timeline", username)

    def d_counts_are_exact(self, user, seen: set, status: dict, now):
        if can(user, "queue.view"):
            truth = {}
            for case_id in seen:
                truth[status[case_id]] = truth.get(status[case_id], 0) + 1
            assert status_counts(user, QueueParams()) == truth, ("(d) queue counts", user.username)
            request = type("Request", (), {"user": user})()
            for panel in home_queues(request):
                open_count = int(panel["items"][0]["label"].split()[0])
                truth_open = sum(1 for c in seen if Status(status[c]) in OPEN_STATUSES)
                assert open_count == truth_open, ("(d) home count", user.username)
        if can(user, "approvals.inbox"):
            assert inbox_counts(user) == _inbox_counts(user, now=now), ("(d) inbox counts", user.username)

    def a_no_email_reaches_a_person_the_case_is_about(self):
        for item in OutboxItem.objects.filter(pk__gt=self.outbox_seen, kind="email"):
            found = KEY.match(item.dedupe_key or "")
            case = Case.objects.filter(pk=int(found.group(1))).first() if found else None
            if case is not None:
                about = about_ids(case) | self.named.get(case.pk, set())
                leaked = {self.email[p] for p in about} & set(item.recipients.split("\n"))
                assert not leaked, ("(a) e-mail to a person the case is about", item.dedupe_key)
            self.outbox_seen = max(self.outbox_seen, item.pk)

    def b_every_decided_filing_has_one_decision_by_an_allowed_decider(self):
        assert all(self.decision_ok), "(b) a decision by someone not allowed to decide"
        for case in Case.objects.filter(status__in=[s.value for s in DECIDED]):
            since = case.events.filter(action__in=SUBMITTED_ACTIONS).order_by("-seq").values_list("at", flat=True)
            decisions = Decision.objects.filter(case=case)
            if since:
                decisions = decisions.filter(decided_at__gte=since[0])
            assert decisions.count() == 1, ("(b) decisions", case.reference)
            assert decisions.get().decision == case.status, ("(b) decision and status", case.reference)

    def c_held_cases_events_and_files_survive(self):
        for case_ids, event_ids, files in self.held.values():
            assert Case.objects.filter(pk__in=case_ids).count() == len(case_ids), "(c) a held case is gone"
            assert CaseEvent.objects.filter(pk__in=event_ids).count() == len(event_ids), "(c) a held event is gone"
            assert all(default_storage.exists(name) for name in files), "(c) a held file is gone"

    def e_every_state_change_has_its_event_and_the_chain_verifies(self):
        last = Subquery(
            CaseEvent.objects.filter(case=OuterRef("pk")).exclude(to_status="").order_by("-seq").values("to_status")[:1]
        )
        wrong = list(Case.objects.annotate(last=last).exclude(last=F("status")).values_list("reference", flat=True))
        assert wrong == [], ("(e) a status without its event", wrong)
        # The inbox's kept clock (issue 12): when the filing was last put in front of
        # its decider is the time of its last submitted, answered or renewal event.
        waited = Subquery(
            CaseEvent.objects.filter(case=OuterRef("pk"), action__in=SUBMITTED_ACTIONS)
            .order_by("-seq")
            .values("at")[:1]
        )
        off = Case.objects.annotate(waited=waited).exclude(waiting_since=F("waited"))
        off = off.exclude(waiting_since=None, waited=None).values_list("reference", flat=True)
        assert list(off) == [], ("(e) waiting since differs from the timeline", list(off))
        # The overdue clock the counts read (issue 12) is the three deadlines' rule.
        from tests.cases.test_holds_and_deadlines import _three_deadlines_q

        now = timezone.now()
        late = set(Case.objects.filter(overdue_q(now)).values_list("pk", flat=True))
        assert late == set(Case.objects.filter(_three_deadlines_q(now)).values_list("pk", flat=True)), "(e) overdue"
        _, breaks = verify_chain(CaseEvent)
        assert breaks == [], ("(e) the chain", [str(b) for b in breaks])


class django_settings_retention:
    """Every closed case expires at once, so the purge has work at every step."""

    def __enter__(self):
        self.saved = django_settings.INNOVO
        django_settings.INNOVO = {
            **self.saved,
            "RETENTION_DAYS": dict.fromkeys(["report", "question", "conflict", "gift", "preapproval", "waiver"], 0),
        }

    def __exit__(self, *exc):
        django_settings.INNOVO = self.saved


@pytest.mark.services
@pytest.mark.django_db
def test_the_promises_hold_under_random_sequences_of_service_calls(postgres_required, demo):
    run_state_machine_as_test(
        Promises,
        settings=settings(
            max_examples=int(os.environ.get("INVARIANT_EXAMPLES", "200")),  # CI: 200
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
