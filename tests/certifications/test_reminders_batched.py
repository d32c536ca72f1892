"""Batched reminders (issue 12; CERT-1, CERT-2): steps are claimed in batches, one
transaction each (`FOR UPDATE SKIP LOCKED`, `INSERT … ON CONFLICT DO NOTHING
RETURNING`), their e-mails go through the outbox, and the outbox sends in batches.
Two dispatchers running at once on PostgreSQL send every step exactly once; a
batch that fails half-way keeps nothing and the retry sends it."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from certifications.models import Campaign, Obligation, ReminderSent
from certifications.services.campaigns import campaign_create
from certifications.services.reminders import ReminderDeliveryError, reminders_dispatch
from core import outbox
from core.models import OutboxItem
from policy.deadlines import due_reminder_steps

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]

PEOPLE = 300


def _campaign_with_three_steps_due(people: int) -> tuple[Campaign, list[int]]:
    """An open campaign whose `people` pending obligations each have three steps due
    today (assigned ten days ago, due tomorrow), as the benchmark sets it up."""
    call_command("generate_scale_data", people=people + 60, cases=0, events=0, certifications=0, gifts=0, seed=12)
    today = timezone.localdate()
    Obligation.objects.filter(status="pending").update(status="cancelled")
    Campaign.objects.filter(status="open").update(status="closed")
    campaign = campaign_create(
        actor=None,
        kind="annual",
        audience="everyone",
        year=today.year,
        due_date=today + timedelta(days=1),
        today=today - timedelta(days=10),
        title="Batched reminders",
    )
    pending = list(
        campaign.obligations.filter(status="pending", person__email__gt="").order_by("id").values_list("id", flat=True)
    )
    assert len(pending) >= people
    campaign.obligations.exclude(id__in=pending[:people]).update(status="cancelled")
    steps = due_reminder_steps(assigned_on=today - timedelta(days=10), due=today + timedelta(days=1), today=today)
    assert steps == ["assigned", "due_minus_7", "due_minus_1"]
    return campaign, pending[:people]


def _together(function, count: int = 2) -> list:
    """Run `function` in `count` threads started at the same moment, each with its
    own database connection; its results (or the exception it raised)."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:  # noqa: BLE001 - handed to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


def test_two_dispatchers_at_once_send_every_step_exactly_once(settings, refusing_smtp):
    """CERT-1, CERT-2: two reminder runs, then two outbox dispatchers, each pair at the
    same moment on PostgreSQL: 3 steps x 300 people recorded once, each run counting
    only its own, and exactly one message per step. The mail server refuses during
    the reminder runs (the kick each run ends with sends nothing), so that the two
    outbox dispatchers have every message to share."""
    campaign, obligations = _campaign_with_three_steps_due(PEOPLE)
    settings.MAILERS = refusing_smtp
    runs = _together(lambda: reminders_dispatch(batch_size=40))
    assert all(isinstance(run, int) for run in runs), runs
    assert sum(runs) == PEOPLE * 3
    rows = ReminderSent.objects.filter(obligation__campaign=campaign)
    assert rows.count() == PEOPLE * 3
    assert set(rows.values_list("obligation_id", flat=True)) == set(obligations)
    items = OutboxItem.objects.filter(dedupe_key__startswith="cert-reminder:")
    assert items.count() == PEOPLE * 3

    assert mail.outbox == []

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(timezone.now() + outbox.backoff(1), tick=True):
        sent = _together(outbox.dispatch)
        assert all(isinstance(count, int) for count in sent), sent
        assert sum(sent) == PEOPLE * 3 and min(sent) > 0, sent  # both took batches
        messages = Counter((tuple(message.to), message.subject) for message in mail.outbox)
        assert len(mail.outbox) == PEOPLE * 3 and max(messages.values()) == 1
        assert not items.exclude(status="done").exists()
        assert reminders_dispatch() == 0 and outbox.dispatch() == 0  # the next beat: nothing more


def test_a_batch_that_fails_half_way_keeps_nothing_and_the_retry_sends_it():
    """CERT-1: the database refuses the outbox rows of one batch after its steps were
    recorded (a trigger, the real database failing): that batch rolls back whole (no
    step without its e-mail), the other batches are kept, the run raises so that
    the task retries, and the retry sends the rest, each step once."""
    campaign, obligations = _campaign_with_three_steps_due(120)
    victim = Obligation.objects.select_related("person").get(pk=obligations[50])
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION refuse_victim() RETURNS trigger AS $$
            BEGIN
              IF NEW.recipients = %s THEN RAISE EXCEPTION 'disk full (test)'; END IF;
              RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER refuse_victim BEFORE INSERT ON core_outboxitem
              FOR EACH ROW EXECUTE FUNCTION refuse_victim();
            """,
            [victim.person.email],
        )
    try:
        with pytest.raises(ReminderDeliveryError, match="1 batch"):
            reminders_dispatch(batch_size=40)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER refuse_victim ON core_outboxitem; DROP FUNCTION refuse_victim();")

    failed_batch = obligations[40:80]
    rows = ReminderSent.objects.filter(obligation__campaign=campaign)
    assert not rows.filter(obligation_id__in=failed_batch).exists()
    assert not OutboxItem.objects.filter(
        dedupe_key__in=[f"cert-reminder:{pk}:assigned" for pk in failed_batch]
    ).exists()
    assert rows.count() == (120 - 40) * 3  # the batches before and after were kept

    assert reminders_dispatch(batch_size=40) == 40 * 3  # the task's retry
    assert rows.count() == 120 * 3
    outbox.dispatch()  # what the runs' kicks have not sent yet (in tests they run inline)
    messages = Counter((tuple(message.to), message.subject) for message in mail.outbox)
    assert len(mail.outbox) == 120 * 3 and max(messages.values()) == 1


def test_the_benchmarks_reminder_setup_leaves_only_its_own_mail_to_send(demo):
    """Issue 12's full run counted 122 "duplicates" that were other work's mail still
    queued in the copied database (the page runs' reports notify the officer): the
    set-up sets that mail aside, so the dispatch sends only the campaign's reminders."""
    import argparse

    from bench import jobs
    from core.models import OutboxItem

    OutboxItem.objects.create(kind="email", name="cases/new_case", recipients="x@innovo.example", subject="Left over")
    result = jobs.reminders_setup(argparse.Namespace(people=3, title="Benchmark reminders (test)"))
    assert result["people"] == 3 and not OutboxItem.objects.filter(status="pending").exists()
    assert OutboxItem.objects.get(subject="Left over").status == "failed"
