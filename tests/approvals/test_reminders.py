"""approvals.tasks.dispatch_reminders (beat, every 6 hours): review dates of approvals
that must be renewed, waiver disclosures (WAIVE-2) and the yearly prompt to re-confirm
standing disclosures (COI-1). Each e-mail once per (case, step), however often it runs."""

import time
from datetime import date, timedelta

import pytest
from django.core import mail

from approvals.models import ApprovalNotice
from approvals.services import disclosure_mark, filing_reconfirm, filing_renew
from approvals.tasks import dispatch_reminders
from tests.approvals.factories import decide, filing, person, travel
from tests.mail import delivered

pytestmark = pytest.mark.django_db


def sent_to(address):
    return [m for m in delivered() if address in m.to]


def test_review_date_reminder_before_and_on_the_day_app1(employee, compliance_officer):
    case = filing(employee, "conflict", subkind="board_seat")
    review = date.today() + timedelta(days=60)
    decide(case, compliance_officer, review_date=review)
    assert dispatch_reminders() == 0  # two months ahead: nothing yet
    with travel(review - timedelta(days=25)):
        assert dispatch_reminders() == 1
        assert dispatch_reminders() == 0  # twice: once
    reminder = sent_to("aalvarez@innovo.example")[-1]
    assert "review date coming up" in reminder.subject and "renewed by" in reminder.body
    with travel(review):
        assert dispatch_reminders() == 1
    due = delivered()[-1]
    assert "due for review" in due.subject and set(due.to) == {"aalvarez@innovo.example", "swhalen@innovo.example"}
    with travel(review):
        filing_renew(case_id=case.pk, actor=employee)
        assert dispatch_reminders() == 0  # renewed: no more reminders


def test_waiver_disclosure_due_then_overdue_goes_to_the_compliance_officer_waive2(
    board_liaison, compliance_officer, django_capture_on_commit_callbacks
):
    jfurrow = person("jfurrow").user
    case = filing(jfurrow, "waiver")
    with django_capture_on_commit_callbacks(execute=True):
        decide(case, board_liaison, meeting_date=date.today(), resolution_reference="BR-1")
    due_notice = [m for m in delivered() if "waiver disclosure due" in m.subject]
    assert len(due_notice) == 1
    assert set(due_notice[0].to) == {"swhalen@innovo.example", "mellis@innovo.example"}
    assert dispatch_reminders() == 0  # already sent on the decision
    disclosure = case.waiver_disclosure
    with travel(disclosure.due_on + timedelta(days=1)):
        assert dispatch_reminders() == 1
        assert dispatch_reminders() == 0
    overdue = delivered()[-1]
    assert "overdue" in overdue.subject and "jfurrow@innovo.example" not in overdue.to
    disclosure_mark(disclosure_id=disclosure.pk, actor=compliance_officer, reference="8-K", disclosed_on=date.today())
    with travel(disclosure.due_on + timedelta(days=10)):
        assert dispatch_reminders() == 0


def test_yearly_prompt_to_reconfirm_a_standing_disclosure_coi1(employee, compliance_officer):
    recorded = filing(employee, "conflict", subkind="financial_interest", stock_percent="0.5")
    assert recorded.status == "recorded"
    approved = filing(employee, "conflict", subkind="board_seat")
    decide(approved, compliance_officer)
    with travel(date.today() + timedelta(days=300)):
        assert dispatch_reminders() == 0
    delivered()  # the decision's own mail
    mail.outbox.clear()
    later = date.today() + timedelta(days=370)
    with travel(later):
        assert dispatch_reminders() == 2
        assert dispatch_reminders() == 0
        assert all("re-confirm" in m.subject for m in delivered())
        filing_reconfirm(case_id=approved.pk, actor=employee)
    with travel(later + timedelta(days=300)):
        assert dispatch_reminders() == 0
    with travel(later + timedelta(days=370)):
        assert dispatch_reminders() == 2  # a new year: both again (the re-confirmed one a year after it)
    steps = set(ApprovalNotice.objects.filter(case=approved).values_list("step", flat=True))
    assert len([s for s in steps if s.startswith("reconfirm:")]) == 2


def test_gifts_and_withdrawn_filings_get_no_yearly_prompt(employee, compliance_officer):
    decide(filing(employee, "gift", value="300"), compliance_officer)
    with travel(date.today() + timedelta(days=400)):
        assert dispatch_reminders() == 0


def test_the_beat_task_runs_the_dispatch(employee, compliance_officer):
    case = filing(employee, "conflict", subkind="board_seat")
    decide(case, compliance_officer, review_date=date.today() + timedelta(days=5))
    assert dispatch_reminders.delay().get() == 1


@pytest.mark.services
def test_a_real_worker_sends_the_submit_mail(redis_required, celery_worker, demo):
    """The filing's notice goes into the outbox with it; the commit kicks a real
    worker on Redis, which sends it."""
    filing(person("aalvarez").user, "gift", value="300")
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not mail.outbox:
        time.sleep(0.05)
    assert mail.outbox and mail.outbox[0].to == ["swhalen@innovo.example"]


def test_the_beat_schedule_names_a_registered_task():
    from innovo_compliance.celery import app

    entry = app.conf.beat_schedule["approval-reminders"]
    assert entry["task"] == dispatch_reminders.name == "approvals.tasks.dispatch_reminders"
