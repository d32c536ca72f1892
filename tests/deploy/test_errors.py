"""Server errors reach the operators (ADMINS mail, Sentry) without personal data:
no query string, body, cookies, headers, client address, user or local variables."""

import logging

import pytest
from django.core import mail

from innovo_compliance import errors, views

pytestmark = pytest.mark.django_db

SENSITIVE = ["Shane Whalen", "sessionid-value", "203.0.113.9", "SecretBrowser/1.0", "my-local-secret"]


@pytest.fixture
def failing_help_page(monkeypatch):
    def boom(*args, **kwargs):
        # A local variable the report must not show (built at run time: the source
        # lines around the error are part of a report, and that is fine).
        my_local = "-".join(["my", "local", "secret"])  # noqa: F841
        raise RuntimeError("the roster is unavailable")

    monkeypatch.setattr(views, "designee_on", boom)


def _request(client):
    client.raise_request_exception = False
    client.cookies["sessionid"] = "sessionid-value"
    return client.get("/help/?q=Shane+Whalen", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="SecretBrowser/1.0")


def test_admins_mail_names_the_error_but_no_personal_data(client, settings, failing_help_page):
    settings.ADMINS = ["ops@example.com"]
    settings.DEBUG = False
    logging.getLogger("django.request")  # Django's default logging mails ADMINS on 500
    response = _request(client)
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    text = message.subject + message.body + "".join(str(a[0]) for a in getattr(message, "alternatives", []))
    assert "RuntimeError" in text and "the roster is unavailable" in text and "/help/" in text
    for value in SENSITIVE:
        assert value not in text, value


@pytest.fixture
def sentry_events():
    import sentry_sdk
    from sentry_sdk.transport import Transport

    captured = []

    class CapturingTransport(Transport):
        def capture_envelope(self, envelope):
            for item in envelope.items:
                if item.type == "event":
                    captured.append(item.payload.json)

    errors.init_sentry(dsn="https://public@sentry.example.invalid/1", environment="test", transport=CapturingTransport)
    yield captured
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: off for the rest of the session


def test_sentry_event_keeps_the_exception_and_drops_personal_data(client, failing_help_page, sentry_events):
    import sentry_sdk

    assert _request(client).status_code == 500
    sentry_sdk.flush()
    assert len(sentry_events) == 1
    event = sentry_events[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert set(event.get("request", {})) <= {"method", "url"}
    assert "?" not in event.get("request", {}).get("url", "")
    assert "user" not in event
    text = str(event)
    for value in SENSITIVE:
        assert value not in text, value


def test_scrub_event_removes_request_details_user_and_frame_variables():
    event = {
        "request": {
            "method": "POST",
            "url": "https://c.example.com/report/?name=Jane",
            "query_string": "name=Jane",
            "data": {"description": "Jane Doe falsified invoices"},
            "cookies": {"sessionid": "x"},
            "headers": {"User-Agent": "y", "X-Forwarded-For": "203.0.113.9"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "user": {"ip_address": "203.0.113.9", "username": "jdoe"},
        "breadcrumbs": {"values": [{"category": "query", "data": {"params": ["Jane"]}}]},
        "exception": {"values": [{"stacktrace": {"frames": [{"function": "f", "vars": {"text": "Jane"}}]}}]},
    }
    scrubbed = errors.scrub_event(event)
    assert scrubbed["request"] == {"method": "POST", "url": "https://c.example.com/report/"}
    assert "user" not in scrubbed and "Jane" not in str(scrubbed) and "203.0.113.9" not in str(scrubbed)
