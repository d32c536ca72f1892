"""Outages lose no notice (issue 9, finding 7), with a real worker on Redis.

First the broker is unreachable: every page that starts a notice or a job still
answers (no 500) and the records are saved. Then the broker is back and the mail
server refuses: background jobs run, e-mails wait. Then the mail server is back:
every e-mail of every kind is delivered exactly once."""

from __future__ import annotations

import email
import socket
import time
from datetime import date, timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from approvals.services import filing_file
from cases.models import Case
from certifications import signing
from certifications.models import Certification, ExportJob, Obligation
from core.models import OutboxItem
from core.tasks import dispatch_outbox
from people.demo import DEMO_PASSWORD
from tests.approvals.factories import conflict_facts
from tests.broker import drop_connections
from tests.cases.factories import person
from tests.pow import pow_ok

KINDS = {
    "cases/new_case",
    "cases/update",
    "approvals/submitted",
    "approvals/info_requested",
    "approvals/decided",
    "approvals/reminder",
    "cases/deadline",
}


class Refusing:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return "451 4.3.0 Mail server busy: try again later"


class Collecting:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        subject = " ".join(str(message["Subject"]).split())  # unfold a long header
        self.messages.append((subject, tuple(sorted(envelope.rcpt_tos))))
        return "250 OK"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _smtp(handler) -> tuple[Controller, dict]:
    port = _port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    return controller, mailers


def _wait(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def _client(username: str) -> Client:
    client = Client()
    client.force_login(person(username).user)
    return client


def _everything_that_owes_a_notice(statuses: list[int]) -> None:
    """Pages and services that each start at least one notice or job."""

    def post(client, url, data=None):
        response = client.post(url, data or {})
        statuses.append(response.status_code)
        return response

    officer, brooks, avery = _client("swhalen"), _client("jbrooks"), _client("aalvarez")
    anonymous = {"category": "other", "title": "Anonymous", "description": "Envelopes.", **pow_ok()}
    post(Client(), reverse("report_new"), anonymous)
    post(brooks, reverse("report_new"), {"category": "fair_dealing", "title": "Named", "description": "Kickbacks."})
    named = Case.objects.get(title="Named")
    post(officer, reverse("case_action", args=[named.pk, "assign"]), {"assignee": person("rchen").pk})
    post(officer, reverse("case_action", args=[named.pk, "transition"]), {"to_status": "acknowledged"})
    post(officer, reverse("case_action", args=[named.pk, "message"]), {"body": "Which warehouse?"})
    post(brooks, reverse("case_action", args=[named.pk, "message"]), {"body": "The north one."})
    post(avery, reverse("report_new"), {"category": "harassment", "title": "Harassment", "description": "Words."})
    harassment = Case.objects.get(title="Harassment")
    post(officer, reverse("case_action", args=[harassment.pk, "party-add"]), {"person": "(E0005)", "role": "subject"})
    gift = filing_file(actor=person("aalvarez").user, kind="gift", facts=_gift())
    post(officer, reverse("approvals:request_info", args=[gift.pk]), {"question": "Who gave it?"})
    post(avery, reverse("approvals:answer", args=[gift.pk]), {"answer": "Acme's sales director."})
    post(officer, reverse("approvals:decide", args=[gift.pk]), {"decision": "approved"})
    waiver = filing_file(actor=person("mcrossman").user, kind="waiver", facts={"provision": "Outside boards"})
    liaison = _client("mellis")
    post(
        liaison,
        reverse("approvals:decide", args=[waiver.pk]),
        {"decision": "approved", "meeting_date": date.today().isoformat(), "resolution_reference": "BR-1"},
    )
    obligation = Obligation.objects.get(person=person("aalvarez"), status="pending", campaign__audience="new_hires")
    avery.get(reverse("cert_read", args=[obligation.pk]))
    post(avery, reverse("cert_sign", args=[obligation.pk]), {"typed_name": "Avery Alvarez", "password": DEMO_PASSWORD})
    post(_client("jgrant"), reverse("cert_campaign_export", args=[obligation.campaign_id]))
    # The beat's deadline run, a week later: reminders and escalations.
    from cases.notify import dispatch_case_deadlines

    dispatch_case_deadlines(now=timezone.now() + timedelta(days=8))


def _gift() -> dict:
    return {
        "gift_kind": "gift",
        "direction": "received",
        "counterparty": "Acme Supplies",
        "business_relationship": "supplier",
        "event_date": (date.today() - timedelta(days=1)).isoformat(),
        "value": "300.00",
        "currency": "USD",
        "occasion": "holiday",
    }


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_broker_then_mail_outage_loses_nothing_and_sends_each_notice_once(
    redis_required, postgres_required, demo, settings, tmp_path
):
    from innovo_compliance.celery import app

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    signing.generate_demo_keypair(key, cert)
    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": key, "SIGNING_CERT": cert}
    assert conflict_facts  # the shared factories load with the demo roster

    # 1. The broker is unreachable.
    saved = {name: app.conf[name] for name in ("task_always_eager", "broker_url", "broker_transport_options")}
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/13"
    app.conf.broker_transport_options = {"max_retries": 0}
    drop_connections(app)
    statuses: list[int] = []
    try:
        _everything_that_owes_a_notice(statuses)
    finally:
        app.conf.update(saved)
        app.conf.task_always_eager = False
        app.conf.broker_url = settings.CELERY_BROKER_URL
        drop_connections(app)
    assert statuses and all(code < 500 for code in statuses), statuses
    assert not OutboxItem.objects.filter(status="done").exists()  # nothing could be sent
    names = set(OutboxItem.objects.filter(kind="email").values_list("name", flat=True))
    assert names >= KINDS, KINDS - names
    jobs = OutboxItem.objects.filter(kind="job")
    assert {j.name.rsplit(".", 1)[-1] for j in jobs} >= {"certificate_issue_pdf", "export_build"}

    refusing, refusing_mailers = _smtp(Refusing())
    collecting_handler = Collecting()
    collecting, collecting_mailers = _smtp(collecting_handler)
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING"):
            # 2. The broker is back; the mail server refuses. Jobs run, e-mails wait.
            settings.MAILERS = refusing_mailers
            dispatch_outbox.delay()
            emails = OutboxItem.objects.filter(kind="email")
            assert _wait(lambda: not jobs.exclude(status="done").exists()), list(
                jobs.values("name", "status", "last_error")
            )
            tried = _wait(lambda: not emails.filter(attempts=0).exists())
            assert tried, list(emails.values_list("name", "status", "attempts", "run_after", "last_error"))
            assert not emails.filter(status="done").exists() and collecting_handler.messages == []
            assert Certification.objects.exclude(pdf="").exists()
            assert ExportJob.objects.get().status == ExportJob.Status.DONE
            # 3. The mail server is back; beat's sweep runs once the backoff is over.
            settings.MAILERS = collecting_mailers
            with time_machine.travel(timezone.now() + timedelta(hours=1), tick=True):
                dispatch_outbox.delay()
                dispatch_outbox.delay()  # the sweep and a kick at the same time
                assert _wait(lambda: not emails.exclude(status="done").exists()), list(
                    emails.exclude(status="done").values("name", "status", "last_error")
                )
                time.sleep(1.0)  # a second dispatcher finishing would show as a duplicate
    finally:
        refusing.stop()
        collecting.stop()
        app.conf.task_always_eager = True
    expected = sorted((" ".join(i.subject.split()), tuple(sorted(i.recipients.split("\n")))) for i in emails)
    assert sorted(collecting_handler.messages) == expected  # every notice once, none twice
    assert len(expected) >= len(KINDS)
