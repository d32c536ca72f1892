"""Reminders (CERT-1, CERT-2): on assignment, 7 days and 1 day before the due date, on
the day, weekly while overdue, and after 14 days overdue an escalation to the
supervisor and HR. Each step is sent once per person, even when the dispatching
task runs twice at the same time, on a real Celery worker, with a frozen clock."""

import datetime as dt
import threading
import time
import zoneinfo
from collections import Counter

import pytest
import time_machine
from celery.signals import task_failure, task_success
from django.conf import settings
from django.core import mail
from django.utils import timezone

from certifications.models import Campaign, Obligation, ReminderSent
from certifications.services.reminders import reminder_send, reminders_dispatch
from certifications.tasks import dispatch_reminders
from core import outbox
from core.models import OutboxItem
from policy.deadlines import reminder_schedule
from tests.certifications.helpers import annual_campaign, new_hire_obligation, sign
from tests.mail import delivered

AVERY = "aalvarez@innovo.example"
TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _plan(obligation, weeks_overdue=3):
    """{day: [steps]} of the policy's plan, until `weeks_overdue` weeks after the due date."""
    until = obligation.due_date + dt.timedelta(days=7 * weeks_overdue)
    days: dict[dt.date, list[str]] = {}
    for day, step in reminder_schedule(assigned_on=obligation.assigned_on, due=obligation.due_date, until=until):
        days.setdefault(day, []).append(step)
    return days


def _at(day, hour=10):
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def _mails_to(address):
    return [m for m in delivered() if address in m.to]


def _escalations_about(name):
    return [m for m in delivered() if m.subject.startswith("Escalation") and name in m.subject]


def _sent_steps(obligation):
    return Counter(ReminderSent.objects.filter(obligation=obligation).values_list("step", flat=True))


def _expected_mails(plan):
    """One mail to the person per step, except the escalation, which goes to others."""
    steps = [step for day_steps in plan.values() for step in day_steps]
    return len([s for s in steps if s != "escalation"]), steps


# --- the plan, step by step (tasks run inline) -------------------------------------


@pytest.mark.django_db
def test_each_step_of_the_plan_is_sent_exactly_once(employee):
    obligation = new_hire_obligation()
    plan = _plan(obligation)
    assert [s for steps in plan.values() for s in steps] == [
        "assigned",
        "due_minus_7",
        "due_minus_1",
        "due_day",
        "overdue_week_1",
        "overdue_week_2",
        "escalation",
        "overdue_week_3",
    ]
    seen: list[str] = []
    day = obligation.assigned_on
    while day <= max(plan):
        with time_machine.travel(_at(day), tick=False):
            reminders_dispatch()
            reminders_dispatch()  # beat fired twice: nothing more is sent
        seen += plan.get(day, [])
        assert _sent_steps(obligation) == Counter(seen), day
        day += dt.timedelta(days=1)
    to_avery, steps = _expected_mails(plan)
    assert len(_mails_to(AVERY)) == to_avery
    assert len(_escalations_about("Avery Alvarez")) == 1


@pytest.mark.django_db
def test_reminder_mails_have_text_and_html_and_link_to_the_signing_page(employee):
    obligation = new_hire_obligation()
    with time_machine.travel(_at(obligation.assigned_on), tick=False):
        reminders_dispatch()
    (message,) = _mails_to(AVERY)
    assert message.subject == f"Please sign the Confirmation Certificate by {obligation.due_date:%B %-d, %Y}"
    link = f"{settings.SITE_URL}/certifications/{obligation.pk}/"
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html


@pytest.mark.django_db
def test_escalation_goes_to_the_supervisor_and_hr_not_the_person(employee):
    obligation = new_hire_obligation()
    day = obligation.due_date + dt.timedelta(days=14)
    with time_machine.travel(_at(day), tick=False):
        reminders_dispatch()
    (escalation,) = _escalations_about("Avery Alvarez")
    supervisor = obligation.person.supervisor
    assert set(escalation.to) == {supervisor.email, "jgrant@innovo.example"}
    assert "14 days overdue" in escalation.subject
    assert ReminderSent.objects.get(obligation=obligation, step="escalation").recipients


@pytest.mark.django_db
def test_a_step_already_recorded_by_another_run_is_not_sent_again(employee):
    """What a concurrent duplicate meets: the unique (obligation, step) row."""
    obligation = new_hire_obligation()
    today = obligation.assigned_on
    assert reminder_send(obligation=obligation, step="assigned", today=today) is True
    assert reminder_send(obligation=obligation, step="assigned", today=today) is False
    assert len(_mails_to(AVERY)) == 1


@pytest.mark.django_db
def test_a_mail_server_that_refuses_delays_the_reminder_and_loses_nothing(employee, settings, refusing_smtp):
    """The reminder is recorded and queued once; while the mail server refuses, the
    outbox keeps it and retries; once the server is back it is sent, once."""
    obligation = new_hire_obligation()
    with time_machine.travel(_at(obligation.assigned_on), tick=False):
        settings.MAILERS = refusing_smtp
        assert reminders_dispatch() >= 1
        outbox.dispatch()
        item = OutboxItem.objects.get(dedupe_key=f"cert-reminder:{obligation.pk}:assigned")
        assert item.status == "pending" and item.attempts == 1 and item.last_error
        assert mail.outbox == []
        assert reminders_dispatch() == 0  # recorded once: not queued again
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(timezone.now() + outbox.backoff(1), tick=False):
        outbox.dispatch()
        outbox.dispatch()
    assert _sent_steps(obligation) == Counter(["assigned"])
    assert len(_mails_to(AVERY)) == 1


@pytest.mark.django_db
def test_signed_and_closed_obligations_get_no_reminders(hr_director):
    obligation = new_hire_obligation()
    sign(obligation)
    campaign = annual_campaign()
    from certifications.services.campaigns import campaign_close

    campaign_close(campaign_id=campaign.pk, actor=hr_director)
    with time_machine.travel(_at(obligation.due_date + dt.timedelta(days=30)), tick=False):
        reminders_dispatch()
    assert not ReminderSent.objects.filter(obligation__campaign=campaign).exists()
    assert not ReminderSent.objects.filter(obligation=obligation).exists()
    assert ReminderSent.objects.filter(obligation__person__user__username="jbrooks").exists()  # still pending


@pytest.mark.django_db
def test_the_campaign_reminder_plan_switches_steps_off(hr_director):
    campaign = annual_campaign()
    Campaign.objects.filter(pk=campaign.pk).update(reminder_plan=["assigned", "escalation"])
    obligation = campaign.obligations.get(person__user__username="gkim")
    day = obligation.assigned_on
    while day <= obligation.due_date + dt.timedelta(days=21):
        with time_machine.travel(_at(day), tick=False):
            reminders_dispatch()
        day += dt.timedelta(days=1)
    assert _sent_steps(obligation) == Counter(["assigned", "escalation"])


# --- with a real worker -------------------------------------------------------------


class Finished:
    """Counts dispatch_reminders runs the worker finished (successfully or not)."""

    def __init__(self):
        self.ok = 0
        self.failed = []
        self.lock = threading.Lock()

    def success(self, sender=None, **kwargs):
        if sender.name == dispatch_reminders.name:
            with self.lock:
                self.ok += 1

    def failure(self, sender=None, exception=None, **kwargs):
        if sender.name == dispatch_reminders.name:
            with self.lock:
                self.failed.append(repr(exception))

    def wait_for(self, count, timeout=60.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ok >= count or self.failed:
                break
            time.sleep(0.05)
        assert not self.failed, self.failed
        assert self.ok >= count, f"only {self.ok} of {count} runs finished"


@pytest.fixture
def finished():
    counter = Finished()
    task_success.connect(counter.success, weak=False)
    task_failure.connect(counter.failure, weak=False)
    yield counter
    task_success.disconnect(counter.success)
    task_failure.disconnect(counter.failure)


def _wait_until_the_outbox_is_empty(timeout=30.0):
    """The worker's outbox dispatcher may hold a batch (its rows locked, skipped by
    the test's own dispatch) when the reminder runs finish: wait until it is sent."""
    deadline = time.monotonic() + timeout
    while OutboxItem.objects.exclude(status=OutboxItem.Status.DONE).exists() and time.monotonic() < deadline:
        outbox.dispatch(now=timezone.now() + dt.timedelta(days=3650))
        time.sleep(0.1)


def _run_plan_twice_at_once_on_the_worker(finished):
    obligation = Obligation.objects.get(
        person__user__username="aalvarez", status=Obligation.Status.PENDING, campaign__audience="new_hires"
    )
    plan = _plan(obligation)
    runs = 0
    seen: list[str] = []
    for day, steps in sorted(plan.items()):
        with time_machine.travel(_at(day), tick=True):
            dispatch_reminders.delay()  # beat fires twice at the same time...
            dispatch_reminders.delay()  # ...and two worker threads take one each
            runs += 2
            finished.wait_for(runs)
        seen += steps
        assert _sent_steps(obligation) == Counter(seen), day
    to_avery, _ = _expected_mails(plan)
    _wait_until_the_outbox_is_empty()
    assert len(_mails_to(AVERY)) == to_avery
    assert len(_escalations_about("Avery Alvarez")) == 1
    subjects = Counter(m.subject.split(":")[0] for m in _mails_to(AVERY))
    assert subjects["Overdue"] == 3 and subjects["Reminder"] == 2, subjects


def test_a_real_worker_sends_each_step_once_when_dispatch_runs_twice_at_once(celery_worker, finished, demo):
    """On whatever broker the suite has (in-memory without REDIS_URL)."""
    _run_plan_twice_at_once_on_the_worker(finished)


@pytest.mark.services
def test_a_real_worker_on_redis_sends_each_step_once_when_dispatch_runs_twice_at_once(
    redis_required, postgres_required, celery_worker, finished, demo
):
    """The CI variant: Redis broker, PostgreSQL (row locks and the unique index)."""
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    _run_plan_twice_at_once_on_the_worker(finished)


def test_the_beat_schedule_runs_the_dispatch_task():
    from innovo_compliance.celery import app

    entry = app.conf.beat_schedule["certification-reminders"]
    assert entry["task"] == dispatch_reminders.name == "certifications.tasks.dispatch_reminders"
    assert dispatch_reminders.name in app.tasks


@pytest.mark.parametrize("step", ["assigned", "due_minus_1", "overdue_week_2", "escalation"])
def test_the_mail_merge_renders_exactly_what_the_templates_render(step):
    """CERT-1, CERT-2: the batched reminders render each campaign step once and fill
    in each person; for every person (names to escape, CJK, with and without a
    department) the message equals the one rendered from the templates in full."""
    from types import SimpleNamespace

    from certifications.services.reminders import ESCALATION, MailMerge, _context
    from innovo_compliance.mail import render_templated

    code = SimpleNamespace(number=3, pk=1)
    campaign = SimpleNamespace(
        pk=5, kind="annual", title="Annual 2026", get_kind_display=lambda: "Annual Certification"
    )
    today = dt.date(2026, 12, 2)
    due = today + dt.timedelta(days=-14 if step == ESCALATION else 1)
    merge = MailMerge(today)
    name = f"certifications/{ESCALATION if step == ESCALATION else 'reminder'}"
    people = ["Avery Alvarez", "Tom & Jerry <Ltd>", '"Quoted" O\'Neil', "王小明", "Zoë Ünal"]
    for number, (person_name, department) in enumerate([(p, d) for p in people for d in ("Sales & Ops", "")]):
        person = SimpleNamespace(name=person_name, department=department, email="x@innovo.example")
        obligation = SimpleNamespace(
            pk=100 + number,
            person=person,
            campaign=campaign,
            campaign_id=campaign.pk,
            code_version=code,
            code_version_id=code.pk,
            due_date=due,
        )
        context = _context(obligation, step, today)
        assert merge.render(name, context) == render_templated(name, context), (person_name, department)
    assert len(merge.forms) == 2 and all(merge.forms.values())  # with and without a department, both merged
