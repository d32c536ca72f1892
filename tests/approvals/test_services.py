"""Services: every transition of the filing table (allowed and refused), events,
permission failures, the gift count, e-mail queued on commit, nothing half-saved.
Run them on PostgreSQL too (DATABASE_URL)."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from approvals.models import ApprovalNotice, Decision
from approvals.services import (
    disclosure_mark,
    filing_answer,
    filing_create,
    filing_reconfirm,
    filing_renew,
    filing_request_info,
    filing_submit,
    filing_update,
    filing_withdraw,
)
from cases.models import Case, CaseEvent, CaseMessage
from cases.services.common import CaseError, CaseNotFound
from core import outbox
from core.models import OutboxItem
from policy.workflow import TRANSITIONS, Status, TransitionError
from tests.approvals.factories import decide, draft, filing, gift_facts, person, travel
from tests.mail import delivered

pytestmark = pytest.mark.django_db

# Refused: forbidden for those who see the filing, "not found" for those who do not.
REFUSED = (PermissionDenied, CaseNotFound)
S = Status
FILING_STATUSES = list(TRANSITIONS["filing"])


def build(status: Status, employee, officer, *, allowed: bool = False) -> Case:
    """A gift of `employee` in `status`, built through the services."""
    if status == S.DRAFT:
        return draft(employee, "gift", value="100" if allowed else "300")
    if status == S.RECORDED:
        return filing(employee, "gift", value="100")
    if status == S.WITHDRAWN:
        case = draft(employee, "gift", value="300")
        return filing_withdraw(case_id=case.pk, actor=employee)
    case = filing(employee, "gift", value="300")
    if status == S.INFO_REQUESTED:
        filing_request_info(case_id=case.pk, actor=officer, question="Who gave it?")
    elif status == S.APPROVED:
        decide(case, officer, "approved", review_date=date.today() + timedelta(days=300))
    elif status == S.APPROVED_WITH_CONDITIONS:
        decide(case, officer, "approved_with_conditions", conditions="Share it with the team")
    elif status == S.DENIED:
        decide(case, officer, "denied", reason="Return it")
    case.refresh_from_db()
    assert case.status == status
    return case


def move(case: Case, dst: Status, employee, officer):
    """The service that moves a filing to `dst` (the natural one for its status)."""
    if dst == S.RECORDED:
        return filing_submit(case_id=case.pk, actor=employee)
    if dst == S.SUBMITTED:
        if case.status == S.INFO_REQUESTED:
            return filing_answer(case_id=case.pk, actor=employee, body="From Acme, for the holidays.")
        if case.status in (S.APPROVED, S.APPROVED_WITH_CONDITIONS):
            return filing_renew(case_id=case.pk, actor=employee)
        return filing_submit(case_id=case.pk, actor=employee)
    if dst == S.WITHDRAWN:
        return filing_withdraw(case_id=case.pk, actor=employee)
    if dst == S.INFO_REQUESTED:
        return filing_request_info(case_id=case.pk, actor=officer, question="Who gave it?")
    decision = {S.APPROVED: "approved", S.APPROVED_WITH_CONDITIONS: "approved_with_conditions", S.DENIED: "denied"}
    return decide(case, officer, decision[dst], conditions="Share it", reason="Because")


PAIRS = [(src, dst) for src in FILING_STATUSES for dst in FILING_STATUSES if dst != S.DRAFT]


@pytest.mark.parametrize(("src", "dst"), PAIRS, ids=[f"{s}->{d}" for s, d in PAIRS])
def test_every_filing_transition_is_allowed_or_refused_by_the_table_app1(src, dst, employee, compliance_officer):
    """Nothing moves back to draft (no service does it); every other pair is tried."""
    case = build(src, employee, compliance_officer, allowed=src == S.DRAFT and dst == S.RECORDED)
    events = CaseEvent.objects.filter(case=case).count()
    allowed = dst in TRANSITIONS["filing"][src]
    if allowed:
        move(case, dst, employee, compliance_officer)
        case.refresh_from_db()
        assert case.status == dst
        event = CaseEvent.objects.filter(case=case).exclude(to_status="").last()
        assert (event.from_status, event.to_status) == (src, dst)
        assert event.actor is not None and event.actor_label
    else:
        with pytest.raises((TransitionError, CaseError, PermissionDenied)):
            move(case, dst, employee, compliance_officer)
        case.refresh_from_db()
        assert case.status == src
        assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.parametrize(
    ("status", "service", "message"),
    [
        (S.DENIED, "withdraw", "A gift or entertainment log that is denied cannot move to withdrawn."),
        (S.RECORDED, "withdraw", "that is recorded cannot move to withdrawn"),
        (S.APPROVED, "decide", "that is approved cannot move to approved"),
        (S.WITHDRAWN, "request_info", "that is withdrawn cannot move to information requested"),
        (S.SUBMITTED, "submit", "Only a draft can be submitted; this one is submitted."),
        (S.INFO_REQUESTED, "submit", "Only a draft can be submitted"),
        (S.INFO_REQUESTED, "renew", "Only an approval can be renewed; this one is information requested."),
        (S.SUBMITTED, "answer", "Nobody asked for more information"),
    ],
)
def test_refused_transitions_say_why(status, service, message, employee, compliance_officer):
    case = build(status, employee, compliance_officer, allowed=status == S.RECORDED)
    calls = {
        "withdraw": lambda: filing_withdraw(case_id=case.pk, actor=employee),
        "decide": lambda: decide(case, compliance_officer, "approved"),
        "request_info": lambda: filing_request_info(case_id=case.pk, actor=compliance_officer, question="?"),
        "submit": lambda: filing_submit(case_id=case.pk, actor=employee),
        "renew": lambda: filing_renew(case_id=case.pk, actor=employee),
        "answer": lambda: filing_answer(case_id=case.pk, actor=employee, body="Hello"),
    }
    with pytest.raises((TransitionError, CaseError)) as error:
        calls[service]()
    assert message in str(error.value)


def test_draft_to_recorded_needs_an_allowed_verdict_app1(employee):
    case = draft(employee, "gift", value="249.99")
    assert case.verdict == "allowed"
    filing_submit(case_id=case.pk, actor=employee)
    case.refresh_from_db()
    assert case.status == S.RECORDED and case.closed_at is not None
    event = CaseEvent.objects.get(case=case, action="recorded")
    assert event.rule_ids == ["GIFT-3"] and not event.internal


def test_draft_stores_the_outcome_and_the_decider_before_submitting(employee):
    case = draft(employee, "gift", value="300")
    assert case.status == S.DRAFT and case.reference.startswith("G-")
    assert case.verdict == "needs_approval" and case.decider == "compliance_officer"
    assert case.outcome["findings"][0]["rule_id"] == "GIFT-3"
    assert case.outcome["approver"] == "compliance_officer"
    assert case.counterparty == "Acme Supplies" and str(case.value) == "300.00" and case.currency == "USD"
    assert CaseEvent.objects.get(case=case).action == "drafted"


def test_editing_a_draft_works_the_verdict_out_again(employee):
    case = draft(employee, "gift", value="300")
    filing_update(case_id=case.pk, actor=employee, facts=gift_facts(value="20"))
    case.refresh_from_db()
    assert case.verdict == "allowed" and case.facts["value"] == "20"
    filing_submit(case_id=case.pk, actor=employee)
    with pytest.raises(CaseError, match="Only a draft can be edited"):
        filing_update(case_id=case.pk, actor=employee, facts=gift_facts(value="5"))


def test_prohibited_filing_is_still_submitted_and_can_only_be_denied_gift2(employee, compliance_officer):
    case = filing(employee, "gift", value="50", cash_or_equivalent=True)
    assert case.status == S.SUBMITTED and case.verdict == "prohibited"
    with pytest.raises(CaseError, match=r"prohibits this \(GIFT-2\)"):
        decide(case, compliance_officer, "approved")
    decision = decide(case, compliance_officer, "denied", reason="Return the gift card.")
    assert decision.rule_ids[:1] == ["GIFT-2"] and "APP-1" in decision.rule_ids


def test_decision_is_documented_app1(employee, compliance_officer, django_capture_on_commit_callbacks):
    case = filing(employee, "gift", value="300")
    review = date.today() + timedelta(days=200)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide(
            case, compliance_officer, "approved_with_conditions", conditions="Share it", review_date=review
        )
    assert decision.decided_by == compliance_officer and decision.decided_by_label == "Shane Whalen"
    assert decision.decider_role == "compliance_officer" and decision.conditions == "Share it"
    assert decision.rule_ids == ["GIFT-3", "APP-1"] and decision.review_date == review
    case.refresh_from_db()
    assert case.status == S.APPROVED_WITH_CONDITIONS and case.review_date == review
    event = CaseEvent.objects.get(case=case, action="decided")
    assert "Conditions: Share it" in event.note and event.actor == compliance_officer
    assert [m.to for m in delivered()][-1] == ["aalvarez@innovo.example"]
    assert "approved with conditions" in delivered()[-1].subject
    assert "Share it" in delivered()[-1].body and delivered()[-1].alternatives


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approved_with_conditions"}, "needs the conditions"),
        ({"decision": "denied"}, "Say why"),
        ({"decision": "approved", "review_date": date.today()}, "after today"),
        ({"decision": "maybe"}, "Choose approve"),
    ],
)
def test_incomplete_decisions_are_refused(data, message, employee, compliance_officer):
    case = filing(employee, "gift", value="300")
    with pytest.raises(CaseError, match=message):
        decide(case, compliance_officer, **data)
    assert not Decision.objects.exists()
    case.refresh_from_db()
    assert case.status == S.SUBMITTED


def test_board_decision_records_meeting_resolution_and_recusal_coi7(executive, board_liaison, audit_member):
    case = filing(executive, "conflict")
    assert case.decider == "board"
    with pytest.raises(CaseError, match="meeting date and resolution"):
        decide(case, board_liaison, "approved")
    with pytest.raises(CaseError, match="cannot be in the future"):
        decide(case, board_liaison, meeting_date=date.today() + timedelta(days=1), resolution_reference="R-1")
    decision = decide(
        case, board_liaison, "approved", meeting_date=date.today(), resolution_reference="BR-2026-11", recused=[]
    )
    assert decision.decider_role == "board" and decision.decided_by == board_liaison
    assert decision.resolution_reference == "BR-2026-11" and decision.meeting_date == date.today()
    assert [p.name for p in decision.recused.all()] == ["Marc Crossman"]  # the filer sits on the Board
    assert "COI-7" in decision.rule_ids
    assert "Recused: Marc Crossman" in CaseEvent.objects.get(case=case, action="decided").note


def test_waiver_disclosure_due_in_four_business_days_with_holidays_waive2(settings, board_liaison):
    """Granted on Tuesday, November 25, 2025; Thanksgiving and the Friday after are holidays."""
    settings.INNOVO = {**settings.INNOVO, "HOLIDAYS": frozenset({date(2025, 11, 27), date(2025, 11, 28)})}
    with travel(date(2025, 11, 20)):
        case = filing(person("jfurrow").user, "waiver", period_start="2025-12-01", period_end="2026-01-31")
    decide(case, board_liaison, meeting_date=date(2025, 11, 25), resolution_reference="BR-7")
    disclosure = case.waiver_disclosure
    assert disclosure.due_on == date(2025, 12, 3)
    assert CaseEvent.objects.get(case=case, action="disclosure-due").rule_ids == ["WAIVE-2"]


def test_marking_a_waiver_disclosed_waive2(board_liaison, compliance_officer, executive, employee):
    case = filing(person("jfurrow").user, "waiver")
    decide(case, board_liaison, meeting_date=date.today(), resolution_reference="BR-8")
    disclosure = case.waiver_disclosure
    for outsider in (employee, person("jfurrow").user):
        with pytest.raises(REFUSED):
            disclosure_mark(disclosure_id=disclosure.pk, actor=outsider, reference="8-K", disclosed_on=date.today())
    with pytest.raises(CaseError, match="future"):
        disclosure_mark(
            disclosure_id=disclosure.pk,
            actor=compliance_officer,
            reference="8-K",
            disclosed_on=date.today() + timedelta(days=1),
        )
    disclosure_mark(
        disclosure_id=disclosure.pk, actor=compliance_officer, reference="Form 8-K 0001-26", disclosed_on=date.today()
    )
    disclosure.refresh_from_db()
    assert disclosure.is_disclosed and disclosure.marked_by == compliance_officer
    with pytest.raises(CaseError, match="Already marked"):
        disclosure_mark(disclosure_id=disclosure.pk, actor=compliance_officer, reference="x", disclosed_on=date.today())
    assert CaseEvent.objects.filter(case=case, action="waiver-disclosed").count() == 1


def test_information_request_and_answer_share_one_thread(
    employee, compliance_officer, django_capture_on_commit_callbacks
):
    case = filing(employee, "gift", value="300")
    with django_capture_on_commit_callbacks(execute=True):
        filing_request_info(case_id=case.pk, actor=compliance_officer, question="Who gave it?")
    assert delivered()[-1].to == ["aalvarez@innovo.example"] and "Who gave it?" in delivered()[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        filing_answer(case_id=case.pk, actor=employee, body="Acme's sales director.")
    assert delivered()[-1].to == ["swhalen@innovo.example"] and "answered" in delivered()[-1].subject
    thread = list(CaseMessage.objects.filter(case=case).values_list("from_reporter", "body"))
    assert thread == [(False, "Who gave it?"), (True, "Acme's sales director.")]
    case.refresh_from_db()
    assert case.status == S.SUBMITTED


def test_submit_queues_mail_to_the_approver_only_after_commit(employee, django_capture_on_commit_callbacks):
    """The notice is written with the filing (one outbox row, in its transaction);
    the commit kicks the dispatcher, which sends it once however often it runs."""
    case = draft(employee, "gift", value="300")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        filing_submit(case_id=case.pk, actor=employee)
    kicks = [c for c in callbacks if c is outbox.kick]
    assert len(kicks) == 1 and mail.outbox == []
    assert OutboxItem.objects.filter(dedupe_key=f"filing:{case.pk}:submitted", status="pending").exists()
    kicks[0]()
    assert mail.outbox[0].to == ["swhalen@innovo.example"] and "needs your decision" in mail.outbox[0].subject
    kicks[0]()  # a dispatcher that runs twice sends once
    assert len(mail.outbox) == 1 and ApprovalNotice.objects.filter(case=case).count() == 1


def test_recorded_gift_sends_no_mail(employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        filing(employee, "gift", value="40")
    assert outbox.kick not in callbacks and delivered() == [] and not OutboxItem.objects.exists()


def test_board_filings_mail_the_board_liaison(executive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing(executive, "conflict")
    assert delivered()[0].to == ["mellis@innovo.example"]


# --- the gift count (GIFT-3 "occasional") ----------------------------------------------


def test_third_gift_from_the_same_counterparty_in_12_months_is_flagged_gift3(employee, other_employee):
    filing(employee, "gift", value="40", counterparty="Acme Supplies")
    filing(employee, "gift", value="40", counterparty="ACME SUPPLIES ")  # case and spaces do not matter
    filing(other_employee, "gift", value="40", counterparty="Acme Supplies")  # someone else's
    draft(employee, "gift", value="40", counterparty="Acme Supplies")  # a draft does not count
    third = filing(employee, "gift", value="40", counterparty="acme supplies")
    assert third.verdict == "needs_approval" and third.status == S.SUBMITTED
    assert "gift number 3" in third.outcome["findings"][0]["reason"]


def test_gifts_older_than_12_months_or_withdrawn_do_not_count_gift3(employee):
    old = (date.today() - timedelta(days=400)).isoformat()
    filing(employee, "gift", value="40", event_date=old)
    withdrawn = filing(employee, "gift", value="300")
    filing_withdraw(case_id=withdrawn.pk, actor=employee)
    assert filing(employee, "gift", value="40").verdict == "allowed"
    assert filing(employee, "gift", value="40").verdict == "allowed"  # the 2nd within a year
    assert filing(employee, "gift", value="40").verdict == "needs_approval"  # the 3rd within a year
    assert filing(employee, "gift", value="40", counterparty="Other Co").verdict == "allowed"


def test_occasional_limit_comes_from_settings_gift3(settings, employee):
    settings.INNOVO = {**settings.INNOVO, "GIFT_OCCASIONAL_LIMIT": 3}
    for _ in range(3):
        assert filing(employee, "gift", value="40").verdict == "allowed"
    assert filing(employee, "gift", value="40").verdict == "needs_approval"


# --- nothing half-saved, permissions ----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "facts"),
    [
        ("gift", gift_facts(value="-5")),
        ("conflict", {"subkind": "financial_interest", "stock_percent": "120", "counterparty": "Acme"}),
        ("conflict", {"subkind": "loan", "principal": "-1"}),
        ("waiver", {"provision": "", "reason": "x"}),
    ],
)
def test_refused_answers_leave_nothing_behind(kind, facts, employee):
    with pytest.raises(CaseError, match="cannot be assessed"):
        filing_create(actor=employee, kind=kind, facts=facts)
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_other_people_cannot_touch_my_filing(employee, other_employee, compliance_officer):
    case = draft(employee, "gift", value="300")
    for call in (
        lambda: filing_submit(case_id=case.pk, actor=other_employee),
        lambda: filing_withdraw(case_id=case.pk, actor=other_employee),
        lambda: filing_update(case_id=case.pk, actor=other_employee, facts=gift_facts()),
        lambda: filing_submit(case_id=case.pk, actor=compliance_officer),
    ):
        with pytest.raises(REFUSED):
            call()


@pytest.mark.parametrize(
    ("filer", "kind", "facts", "decider", "refused"),
    [
        ("aalvarez", "gift", {"value": "300"}, "swhalen", ["mellis", "areyes", "dwhitfield", "aalvarez"]),
        ("mcrossman", "conflict", {}, "mellis", ["swhalen", "areyes", "mcrossman"]),
        ("aalvarez", "conflict", {"subkind": "outside_employment"}, "dwhitfield", ["ohaddad", "mellis", "aalvarez"]),
        ("aalvarez", "conflict", {"subkind": "outside_employment"}, "swhalen", []),
        ("swhalen", "gift", {"value": "300"}, "mellis", ["swhalen"]),
    ],
    ids=["co-gift", "board-conflict", "supervisor", "co-for-supervisor", "co-own-gift"],
)
def test_only_the_routed_decider_decides_and_never_the_filer(filer, kind, facts, decider, refused, demo):
    case = filing(person(filer).user, kind, **facts)
    for username in refused:
        with pytest.raises(REFUSED):
            decide(case, person(username).user, "approved", meeting_date=date.today(), resolution_reference="R")
        with pytest.raises(REFUSED):
            filing_request_info(case_id=case.pk, actor=person(username).user, question="?")
    decide(case, person(decider).user, "approved", meeting_date=date.today(), resolution_reference="R")


# --- renewal and the yearly re-confirmation ----------------------------------------------


def test_renewal_goes_back_to_a_decider_with_a_fresh_verdict(
    employee, compliance_officer, django_capture_on_commit_callbacks
):
    case = filing(employee, "conflict", subkind="board_seat")
    decide(case, compliance_officer, "approved", review_date=date.today() + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        filing_renew(case_id=case.pk, actor=employee)
    case.refresh_from_db()
    assert case.status == S.SUBMITTED and case.filed_on == date.today()
    event = CaseEvent.objects.get(case=case, action="renewal")
    assert "APP-1" in event.rule_ids and "COI-9" in event.rule_ids
    assert "renewal" in delivered()[-1].subject


def test_reconfirming_a_standing_disclosure_coi1(employee, compliance_officer):
    case = filing(employee, "conflict", subkind="board_seat")
    with pytest.raises(CaseError, match="standing"):
        filing_reconfirm(case_id=case.pk, actor=employee)  # not decided yet
    decide(case, compliance_officer)
    filing_reconfirm(case_id=case.pk, actor=employee)
    assert CaseEvent.objects.get(case=case, action="reconfirmed").rule_ids == ["COI-1"]
    gift = filing(employee, "gift", value="10")
    with pytest.raises(CaseError):
        filing_reconfirm(case_id=gift.pk, actor=employee)
