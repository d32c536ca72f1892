"""The transactional outbox (issue 9, finding 7): a notice is a row written with
the change it reports, sent after the commit, retried with backoff, never twice."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.utils import timezone

from core import outbox
from core.models import OutboxItem

pytestmark = pytest.mark.django_db

CALLS = []


def flaky_job(*, n: int, fail: bool = False):
    """A job for the tests: records its call, fails when told to."""
    CALLS.append(n)
    if fail:
        raise RuntimeError("not today")


def _mail(key="k1"):
    return outbox.email("cases/update", {"case": None, "headline": "Hello"}, ["a@innovo.example"], key=key)


def test_a_notice_is_written_with_its_transaction_and_lost_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        _mail()
        raise RuntimeError("the change failed")
    assert not OutboxItem.objects.exists()
    _mail()
    assert OutboxItem.objects.get().status == "pending"


def test_the_same_key_is_queued_once():
    assert _mail("same") is not None
    assert _mail("same") is None
    assert OutboxItem.objects.count() == 1


def test_a_notice_is_sent_once_however_often_the_dispatcher_runs():
    _mail()
    assert outbox.dispatch() == 1
    assert outbox.dispatch() == 0
    item = OutboxItem.objects.get()
    assert len(mail.outbox) == 1 and item.status == "done" and item.done_at and item.attempts == 1


def test_only_one_dispatcher_claims_an_item():
    item = _mail()
    assert outbox.claim(item.pk, lease=outbox.EMAIL_LEASE) is True
    assert outbox.claim(item.pk, lease=outbox.EMAIL_LEASE) is False


def test_a_refusing_mail_server_means_backoff_then_success(settings, refusing_smtp):
    item = _mail()
    settings.MAILERS = refusing_smtp
    outbox.dispatch()
    item.refresh_from_db()
    assert item.status == "pending" and item.attempts == 1 and "Connection" in item.last_error
    assert item.run_after > timezone.now() + timedelta(seconds=20)
    assert outbox.dispatch() == 0  # not due yet: backoff
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(item.run_after + timedelta(seconds=1)):
        assert outbox.dispatch() == 1
    item.refresh_from_db()
    assert item.status == "done" and len(mail.outbox) == 1


def test_after_the_last_attempt_an_item_fails_and_the_admins_retry_queues_it(settings, refusing_smtp):
    item = _mail()
    OutboxItem.objects.filter(pk=item.pk).update(attempts=outbox.MAX_ATTEMPTS - 1)
    settings.MAILERS = refusing_smtp
    outbox.dispatch()
    item.refresh_from_db()
    assert item.status == "failed"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert outbox.retry([item.pk]) == 1
    assert outbox.dispatch() == 1 and len(mail.outbox) == 1


def test_an_expired_lease_is_taken_over():
    item = _mail()
    assert outbox.claim(item.pk, lease=timedelta(seconds=30))  # a dispatcher that then died
    assert outbox.dispatch() == 0
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert outbox.dispatch() == 1
    assert OutboxItem.objects.get().status == "done"


def test_a_job_runs_after_the_commit_and_is_retried_when_it_fails():
    CALLS.clear()
    outbox.job("tests.core.test_outbox.flaky_job", key="job-1", n=1, fail=True)
    outbox.dispatch()
    item = OutboxItem.objects.get()
    assert CALLS == [1] and item.status == "pending" and "not today" in item.last_error
    OutboxItem.objects.filter(pk=item.pk).update(payload={"n": 2})
    with time_machine.travel(item.run_after + timedelta(seconds=1)):
        outbox.dispatch()
    assert CALLS == [1, 2] and OutboxItem.objects.get().status == "done"


def test_the_beat_sweeps_the_outbox_every_minute():
    from innovo_compliance.celery import app

    entry = app.conf.beat_schedule["outbox-dispatch"]
    assert entry["task"] == "core.tasks.dispatch_outbox" and entry["schedule"] == timedelta(minutes=1)
