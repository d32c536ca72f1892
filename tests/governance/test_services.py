"""Services of board governance and the related-party register (BOARD-1, BOARD-2,
RPT-1): who may do what, the events they leave, e-mail sent once, filings that
land in the register, and the banner read right after each write."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from approvals.services import filing_file
from core.models import OutboxItem
from governance import tasks
from governance.models import GovernanceCase, RelatedPartyApproval, RelatedPartyTransaction
from governance.services import (
    GovernanceError,
    annual_meeting_add,
    board_check,
    letter_record,
    rpt_approval_record,
    rpt_create,
    rpt_review_reminders,
)
from tests.approvals.factories import conflict_facts
from tests.governance.helpers import end_seat, new_director, user, yesterday
from tests.mail import delivered

pytestmark = pytest.mark.django_db


def breach_today():
    """Priya Raman leaves the Board yesterday: 3 of 6 independent, an audit committee of 2."""
    end_seat("Priya Raman", yesterday() - timedelta(days=1))
    return board_check()


def test_board1_daily_task_is_idempotent_and_opens_one_case_per_rule(demo):
    """BOARD-1, BOARD-2: the beat's safety net, run twice, opens one case per rule."""
    end_seat("Priya Raman", yesterday() - timedelta(days=1))
    first = tasks.board_check_daily.apply().get()
    second = tasks.board_check_daily.apply().get()
    assert len(first["opened"]) == 2 and second["opened"] == []
    assert GovernanceCase.objects.filter(status="open").count() == 2
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    assert case.event_date == yesterday()
    assert case.cure_deadline == date(case.event_date.year + 1, case.event_date.month, case.event_date.day)


def test_board1_liaison_records_the_letter_and_the_disclosure_is_due_in_four_business_days(demo, settings):
    breach_today()
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    received = timezone.localdate() - timedelta(days=1)
    letter_record(case_id=case.pk, actor=user("mellis"), received_on=received)
    case.refresh_from_db()
    expected = received
    for _ in range(4):
        expected += timedelta(days=1)
        while expected.weekday() >= 5:
            expected += timedelta(days=1)
    assert case.letter_received_on == received and case.disclosure_due == expected
    assert case.events.filter(action="letter", actor=user("mellis")).exists()


def test_board1_a_configured_holiday_moves_the_disclosure_deadline(demo, settings):
    breach_today()
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    received = timezone.localdate() - timedelta(days=1)
    letter_record(case_id=case.pk, actor=user("swhalen"), received_on=received)
    plain = GovernanceCase.objects.get(pk=case.pk).disclosure_due
    settings.INNOVO = {**settings.INNOVO, "HOLIDAYS": [plain]}
    letter_record(case_id=case.pk, actor=user("swhalen"), received_on=received)
    later = GovernanceCase.objects.get(pk=case.pk).disclosure_due
    assert later > plain and later.weekday() < 5


def test_board1_audit_committee_member_cannot_record_the_letter_and_a_future_date_is_refused(demo):
    breach_today()
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    with pytest.raises(PermissionDenied):
        letter_record(case_id=case.pk, actor=user("areyes"), received_on=timezone.localdate())
    with pytest.raises(GovernanceError):
        letter_record(case_id=case.pk, actor=user("mellis"), received_on=timezone.localdate() + timedelta(days=1))


def test_board1_an_earlier_annual_meeting_moves_the_cure_deadline_with_an_event(demo):
    breach_today()
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    meeting = timezone.localdate() + timedelta(days=60)
    annual_meeting_add(actor=user("mellis"), day=meeting)
    case.refresh_from_db()
    assert case.cure_deadline == meeting
    assert case.events.filter(action="deadline").count() == 1
    with pytest.raises(GovernanceError):
        annual_meeting_add(actor=user("mellis"), day=meeting)
    with pytest.raises(PermissionDenied):
        annual_meeting_add(actor=user("jgrant"), day=meeting + timedelta(days=1))


def test_board1_the_cure_closes_the_case_by_itself(demo, django_capture_on_commit_callbacks):
    breach_today()
    with django_capture_on_commit_callbacks(execute=True):
        new_director("Nadia Ferrante", yesterday())
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    assert case.status == "cured" and case.cured_on == yesterday()
    assert "Nadia Ferrante joining the Board (independent)" in case.events.get(action="cured").note


# --- the banner ----------------------------------------------------------------------


def test_board1_banner_read_after_write_for_the_liaison_and_the_compliance_officer(
    demo, client, django_capture_on_commit_callbacks
):
    """BOARD-1: the banner appears on the next page after the case opens, shows the
    disclosure date right after the letter is recorded, and goes once cured: the
    cache is forgotten on every write, never read stale."""
    client.force_login(user("mellis"))
    assert b"data-governance-banner" not in client.get("/").content  # cached: nothing open
    breach_today()
    page = client.get("/approvals/").content.decode()
    assert "data-governance-banner" in page and "No independent majority (BOARD-1)" in page
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    letter_record(case_id=case.pk, actor=user("mellis"), received_on=timezone.localdate())
    case.refresh_from_db()
    assert f"disclose by {case.disclosure_due:%b} {case.disclosure_due.day}" in client.get("/").content.decode()
    client.force_login(user("swhalen"))
    assert "data-governance-banner" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        new_director("Nadia Ferrante", yesterday())
        person = new_director("Omar Lindqvist", yesterday())
        from people.models import Committee, CommitteeMembership

        CommitteeMembership.objects.create(
            committee=Committee.objects.get(slug="audit"), person=person, start_date=yesterday()
        )
    assert "data-governance-banner" not in client.get("/").content.decode()


@pytest.mark.parametrize("username", ["areyes", "jgrant", "aalvarez", "dwhitfield"])
def test_board1_banner_is_only_for_the_liaison_and_the_compliance_officer(demo, client, username):
    breach_today()
    client.force_login(user(username))
    assert "data-governance-banner" not in client.get("/").content.decode()


def test_board1_banner_costs_one_query_cold_and_none_warm(demo, client, django_assert_num_queries):
    from governance.selectors import banner_forget, open_cases_for_banner

    breach_today()
    banner_forget()
    with django_assert_num_queries(1):
        assert len(open_cases_for_banner()) == 2
    with django_assert_num_queries(0):
        assert len(open_cases_for_banner()) == 2


# --- the related-party register (RPT-1) ----------------------------------------------


def _note(actor="mellis", **kw):
    values = {
        "kind": RelatedPartyTransaction.CONVERTIBLE_NOTE,
        "counterparty_name": "A director's family trust",
        "relationship": "family_member",
        "start_date": date(2025, 3, 1),
        "amount": Decimal("250000"),
        "description": "A convertible note at 7.5 %.",
    }
    values.update(kw)
    return rpt_create(actor=user(actor), **values)


def test_rpt1_the_liaison_records_the_boards_approval(demo):
    item = _note()
    approval = rpt_approval_record(
        actor=user("mellis"),
        transaction_id=item.pk,
        body="audit",
        day=date(2025, 3, 10),
        outcome="ratified",
        minutes_reference="AC minutes 2025-03",
    )
    item.refresh_from_db()
    assert approval.recorded_by == user("mellis")
    assert item.last_reviewed_on == date(2025, 3, 10)
    assert list(item.events.values_list("action", flat=True)) == ["entered", "ratified"]
    assert "Ratified afterwards by the audit committee on March 10, 2025 (minutes AC minutes 2025-03)" in (
        item.events.last().note
    )


def test_rpt1_a_rejection_is_recorded_but_does_not_count_as_approval(demo):
    item = _note()
    rpt_approval_record(
        actor=user("mellis"),
        transaction_id=item.pk,
        body="board",
        day=date(2025, 3, 10),
        outcome="rejected",
        minutes_reference="Board 2025-03",
    )
    item.refresh_from_db()
    assert item.last_reviewed_on is None and item.approvals.count() == 1


@pytest.mark.parametrize("username", ["swhalen", "areyes", "jgrant"])
def test_rpt1_only_the_liaison_records_decisions(demo, username):
    item = _note()
    with pytest.raises(PermissionDenied):
        rpt_approval_record(
            actor=user(username),
            transaction_id=item.pk,
            body="board",
            day=date(2025, 3, 10),
            outcome="approved",
            minutes_reference="x",
        )
    assert RelatedPartyApproval.objects.count() == 0


def test_rpt1_audit_member_cannot_enter_a_transaction(demo):
    with pytest.raises(PermissionDenied):
        _note(actor="areyes")


def test_rpt1_yearly_review_reminder_is_sent_once(demo):
    """RPT-1: a year after its approval the liaison and the compliance officer are
    reminded once, however often the beat runs."""
    item = _note()
    day = timezone.localdate() - timedelta(days=400)
    rpt_approval_record(
        actor=user("mellis"),
        transaction_id=item.pk,
        body="board",
        day=day,
        outcome="approved",
        minutes_reference="Board minutes",
    )
    assert rpt_review_reminders(today=day + timedelta(days=364)) == 0  # the day before
    assert tasks.rpt_review_reminders.apply().get() == 1
    assert tasks.rpt_review_reminders.apply().get() == 0
    assert rpt_review_reminders() == 0
    assert OutboxItem.objects.filter(dedupe_key__startswith=f"rpt-review:{item.pk}:").count() == 1
    mails = [m for m in delivered() if item.reference in m.subject]
    assert len(mails) == 1
    assert sorted(mails[0].to) == ["mellis@innovo.example", "swhalen@innovo.example"]
    assert item.events.filter(action="review-reminder").count() == 1
    # A new approval starts a new year: the next reminder is for the next date.
    rpt_approval_record(
        actor=user("mellis"),
        transaction_id=item.pk,
        body="board",
        day=timezone.localdate(),
        outcome="approved",
        minutes_reference="Board minutes, review",
    )
    assert rpt_review_reminders() == 0


def test_rpt1_a_related_party_conflict_filing_lands_in_the_register(demo, django_capture_on_commit_callbacks):
    """RPT-1: a convertible note disclosed as a conflict filing is entered in the
    register once it is submitted, once (the filing's later saves add nothing)."""
    okafor = user("tokafor")
    with django_capture_on_commit_callbacks(execute=True):
        case = filing_file(
            actor=okafor,
            kind="conflict",
            facts=conflict_facts("related_party_transaction", counterparty="Okafor Capital Partners"),
        )
    item = RelatedPartyTransaction.objects.get(source_case=case)
    assert item.kind == RelatedPartyTransaction.CONVERTIBLE_NOTE
    assert item.counterparty_name == "Okafor Capital Partners"
    assert item.relationship == "director"
    assert item.amount == Decimal("250000")
    assert item.events.get(action="entered").note == f"Entered in the register from conflict filing {case.reference}."
    with django_capture_on_commit_callbacks(execute=True):
        case.save()
    assert RelatedPartyTransaction.objects.filter(source_case=case).count() == 1


def test_rpt1_an_ordinary_conflict_filing_does_not_land_in_the_register(demo, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        filing_file(actor=user("dwhitfield"), kind="conflict", facts=conflict_facts("financial_interest"))
    assert RelatedPartyTransaction.objects.count() == 0
