"""Legal holds and retention (REC-1); deadlines sent exactly once (REP-4); a report
saved while mail or the broker is down (REP-1)."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, DeadlineNotice, Tombstone
from cases.notify import dispatch_case_deadlines
from cases.services import LegalHoldError, case_transition, hold_create, hold_release, purge_expired
from core import outbox
from core.models import OutboxItem
from tests.broker import drop_connections
from tests.cases.factories import person, report
from tests.mail import delivered
from tests.pow import pow_ok


def close(case, actor):
    for status in ("acknowledged", "triage"):
        case_transition(case_id=case.pk, actor=actor, to_status=status)
    case_transition(case_id=case.pk, actor=actor, to_status="closed", closure_reason="no_investigation_warranted")


@pytest.mark.django_db
def test_rec1_purge_skips_held_cases_and_leaves_tombstones(compliance_officer):
    expired, _ = report(by=person("jbrooks").user, title="Old expired case")
    held, _ = report(by=person("jbrooks").user, title="Old held case")
    fresh, _ = report(by=person("jbrooks").user, title="Recently closed")
    for case in (expired, held, fresh):
        close(case, compliance_officer)
    long_ago = timezone.now() - timedelta(days=8 * 365)
    Case.objects.filter(pk__in=[expired.pk, held.pk]).update(closed_at=long_ago)
    hold = hold_create(actor=compliance_officer, matter="Subpoena 2026-17", reason="DOJ inquiry", cases=[held])

    assert purge_expired() == 1
    assert not Case.objects.filter(pk=expired.pk).exists()
    assert Case.objects.filter(pk__in=[held.pk, fresh.pk]).count() == 2
    tomb = Tombstone.objects.get()
    assert tomb.reference == expired.reference and "retention" in tomb.rule and tomb.purged_at

    with pytest.raises(LegalHoldError), transaction.atomic():
        Case.objects.get(pk=held.pk).delete()  # no path deletes a held case, the admin's included

    hold_release(actor=compliance_officer, hold=hold, reason="Matter settled")
    assert purge_expired() == 1
    assert not Case.objects.filter(pk=held.pk).exists()
    assert Tombstone.objects.count() == 2


@pytest.mark.django_db
def test_rec1_a_held_person_holds_all_their_cases(compliance_officer):
    case, _ = report(by=person("jbrooks").user, subjects=[person("aalvarez")])
    close(case, compliance_officer)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - timedelta(days=9 * 365))
    hold_create(actor=compliance_officer, matter="EEOC inquiry", reason="Charge filed", people=[person("aalvarez")])
    assert purge_expired() == 0


@pytest.mark.django_db
def test_holds_page_places_and_releases(client, compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    client.force_login(compliance_officer)
    response = client.post(reverse("holds"), {"matter": "", "references": "R-2099-000001"})
    page = response.content.decode()
    assert "This field is required." in page and "R-2099-000001" in page
    client.post(reverse("holds"), {"matter": "DOJ subpoena", "reason": "Records of 2025", "references": case.reference})
    hold = case.legal_holds.get()
    assert hold.matter == "DOJ subpoena"
    client.post(reverse("hold_release", args=[hold.pk]), {"reason": "Closed by DOJ"})
    hold.refresh_from_db()
    assert hold.released_at and hold.release_reason == "Closed by DOJ"


@pytest.mark.django_db
def test_deadline_steps_are_sent_once_each(compliance_officer):
    case, _ = report(by=person("jbrooks").user)
    mail.outbox.clear()
    start = timezone.now()
    with time_machine.travel(start + timedelta(days=6), tick=False):
        dispatch_case_deadlines()
        dispatch_case_deadlines()
    assert set(DeadlineNotice.objects.filter(case=case).values_list("step", flat=True)) == {
        "new",
        "acknowledge:reminder",
    }
    with time_machine.travel(start + timedelta(days=8), tick=False):
        dispatch_case_deadlines()
    steps = set(DeadlineNotice.objects.filter(case=case).values_list("step", flat=True))
    assert "acknowledge:escalation" in steps
    escalation = [m for m in delivered() if "overdue" in m.subject and "acknowledge" in m.subject]
    assert len(escalation) == 1 and escalation[0].to == ["swhalen@innovo.example"]
    case_transition(case_id=case.pk, actor=compliance_officer, to_status="acknowledged")
    with time_machine.travel(start + timedelta(days=20), tick=False):
        dispatch_case_deadlines()
    assert DeadlineNotice.objects.filter(case=case, step="investigate:escalation").exists()
    assert DeadlineNotice.objects.filter(case=case, step__startswith="acknowledge").count() == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_deadlines_exactly_once_with_a_real_worker_on_redis_even_when_dispatched_twice(
    redis_required, demo, celery_worker
):
    from cases.tasks import dispatch_deadlines

    cases = [report(by=person("jbrooks").user, title=f"Case {n}")[0] for n in range(5)]
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(days=8), tick=True):
        first, second = dispatch_deadlines.delay(), dispatch_deadlines.delay()
        expected = {"new", "acknowledge:reminder", "acknowledge:escalation"}

        def done():
            rows = DeadlineNotice.objects.filter(case__in=cases).values_list("case_id", "step")
            return len(rows) == len(cases) * len(expected)

        deadline = time.monotonic() + 30
        while not done() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # let the second dispatcher finish too
    rows = list(DeadlineNotice.objects.filter(case__in=cases).values_list("case_id", "step"))
    assert len(rows) == len(set(rows)) == len(cases) * len(expected)
    subjects = [m.subject for m in delivered()]
    assert len(subjects) == len(set(subjects))  # no e-mail twice
    assert len([s for s in subjects if "acknowledge receipt" in s]) == len(cases) * 2
    assert first.id != second.id


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_send_each_step_once(postgres_required, demo):
    """The same race without Celery: two threads dispatch at the same moment."""
    cases = [report(by=person("jbrooks").user, title=f"Race {n}")[0] for n in range(5)]
    mail.outbox.clear()
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            dispatch_case_deadlines(now=timezone.now() + timedelta(days=8))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = list(DeadlineNotice.objects.filter(case__in=cases).values_list("case_id", "step"))
    assert len(rows) == len(set(rows)) == 15  # new, acknowledge reminder and escalation
    assert len(delivered()) == 10


@pytest.mark.django_db
def test_report_is_saved_when_mail_is_down_and_notified_when_it_is_back(
    client, demo, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("report_new"),
            {"category": "other", "title": "Mail is down", "description": "Still saved.", **pow_ok()},
        )
    assert response.status_code == 200 and "receipt-key" in response.content.decode()
    case = Case.objects.get(title="Mail is down")
    # The notice was written with the report; the mail server refused it, so it waits.
    item = OutboxItem.objects.get(dedupe_key=f"case:{case.pk}:new")
    assert item.status == "pending" and item.attempts == 1 and "refused" in item.last_error.lower()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        outbox.dispatch()
    assert [m for m in mail.outbox if case.reference in m.subject]
    assert OutboxItem.objects.get(pk=item.pk).status == "done"


@pytest.mark.django_db
def test_report_is_saved_when_the_broker_is_down(client, demo, settings, django_capture_on_commit_callbacks):
    from innovo_compliance.celery import app

    saved = {key: app.conf[key] for key in ("task_always_eager", "broker_url", "broker_transport_options")}
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    app.conf.broker_transport_options = {"max_retries": 0}
    drop_connections(app)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("report_new"),
                {"category": "other", "title": "Broker down", "description": "Still saved.", **pow_ok()},
            )
    finally:
        app.conf.update(saved)
        drop_connections(app)  # forget connections to the dead broker
    assert response.status_code == 200
    assert Case.objects.filter(title="Broker down").exists()


def _three_deadlines_q(now):
    """The overdue rule as written before `Case.overdue_at` (REP-4's three clocks)."""
    from django.db.models import Q

    from policy.workflow import OPEN_STATUSES

    return (
        Q(status="received", acknowledge_due__lt=now)
        | Q(status__in=["received", "acknowledged", "triage"], kind="report", investigate_due__lt=now)
        | Q(status__in=[s.value for s in OPEN_STATUSES], feedback_due__lt=now)
    )


def test_overdue_at_is_the_three_deadlines_in_every_status_and_kind(compliance_officer):
    """Issue 12: the generated column (LEAST on PostgreSQL, MIN of COALESCEs on
    SQLite) picks exactly the cases the three clauses pick, for every kind and status,
    at moments before, between and after the deadlines, and follows an update."""
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import Case
    from cases.selectors import overdue_q
    from policy.routing import FilingKind
    from policy.workflow import Status

    base = timezone.now()
    made = []
    for kind in [k.value for k in FilingKind]:
        for status in [s.value for s in Status]:
            for shift in (-40, -10, 0, 10):
                made.append(
                    Case(
                        reference=f"T-{len(made):06d}",
                        kind=kind,
                        status=status,
                        title="Deadline table",
                        filed_on=base.date(),
                        decider="compliance_officer",
                        acknowledge_due=base + timedelta(days=shift + 7),
                        investigate_due=base + timedelta(days=shift + 14) if shift != 0 else None,
                        feedback_due=base + timedelta(days=shift + 90) if shift != 10 else None,
                    )
                )
    Case.objects.bulk_create(made)
    for days in (-1, 5, 10, 20, 60, 200):
        now = base + timedelta(days=days)
        generated = set(Case.objects.filter(overdue_q(now)).values_list("pk", flat=True))
        written = set(Case.objects.filter(_three_deadlines_q(now)).values_list("pk", flat=True))
        assert generated == written, days
    some = Case.objects.filter(status="received").first()
    Case.objects.filter(pk=some.pk).update(status="closed")
    assert Case.objects.get(pk=some.pk).overdue_at is None  # no longer open: never overdue
