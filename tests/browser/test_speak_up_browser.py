"""In Chromium with no login: an anonymous report with an attachment, the receipt
key, a question from the compliance officer, the reporter's answer; then neither
the client's address nor its user agent is found in any table or in the logs."""

import logging

import pytest
from django.apps import apps
from django.db import models

from cases.models import Case
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USER_AGENT = "InnovoProbe/9.9 (anonymous-reporter-test)"
CLIENT_ADDRESS = "127.0.0.1"


def every_stored_text():
    """Every text-like value in every table of the app."""
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField, models.JSONField, models.GenericIPAddressField))
        ]
        if not fields:
            continue
        for row in model._default_manager.values_list(*fields):
            for value in row:
                if value:
                    yield model.__name__, str(value)


def test_anonymous_report_key_question_answer_and_no_trace(
    _chromium, live_server, demo, screenshot_dir, caplog, capfd, settings
):
    caplog.set_level(logging.DEBUG)
    # E-mails in the outbox carry the site's address: make it a name, so that any
    # "127.0.0.1" the scan finds below can only be the reporter's connection.
    settings.SITE_URL = "https://compliance.innovo.example"
    reporter = _chromium.new_context(base_url=live_server.url, user_agent=USER_AGENT)
    page = reporter.new_page()
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None)

    page.goto("/report/")
    assert page.get_by_label("Report anonymously").is_checked()
    page.locator("#id_category").select_option("fair_dealing")
    page.get_by_label("In a few words, what is it about?").fill("Envelopes at the loading dock")
    page.get_by_label("What happened?").fill("A fictional carrier hands envelopes to a buyer every Friday.")
    page.get_by_label("When and where did it happen?").fill("Loading dock, Fridays")
    page.locator("#id_files").set_input_files(
        files=[{"name": "photo-notes.txt", "mimeType": "text/plain", "buffer": b"Friday 4pm, blue van."}]
    )
    page.get_by_role("button", name="Send the report").click()
    key = page.locator("#receipt-key").inner_text().strip()
    assert len(key) == 29
    page.screenshot(path=screenshot_dir / "anonymous-receipt.png", full_page=True)
    case = Case.objects.get()
    assert case.anonymous and case.attachments.count() == 1
    assert not any(c["name"] == "sessionid" for c in reporter.cookies())

    officer = _chromium.new_context(base_url=live_server.url)
    co = officer.new_page()
    login(co, "swhalen")
    co.goto("/cases/")
    co.screenshot(path=screenshot_dir / "queue.png", full_page=True)
    co.get_by_role("link", name=case.reference).click()
    co.get_by_label("Message or question to the reporter (they will see it)").fill("Which day of the week exactly?")
    co.get_by_role("button", name="Send", exact=True).click()
    assert co.get_by_text("Which day of the week exactly?").is_visible()

    page.goto("/report/follow-up/")
    page.get_by_label("Receipt key").fill(key)
    page.get_by_role("button", name="Open my report").click()
    assert page.get_by_text("Which day of the week exactly?").is_visible()
    page.get_by_label("Your answer").fill("Every Friday around 4 pm.")
    page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Every Friday around 4 pm.").is_visible()
    page.screenshot(path=screenshot_dir / "anonymous-follow-up.png", full_page=True)

    co.reload()
    assert co.get_by_text("Every Friday around 4 pm.").is_visible()
    co.screenshot(path=screenshot_dir / "case-page.png", full_page=True)
    assert foreign == []
    reporter.close()
    officer.close()

    # Nothing about the anonymous reporter's connection is kept or logged.
    found = [(table, value) for table, value in every_stored_text() if USER_AGENT in value or CLIENT_ADDRESS in value]
    assert found == []
    logged = caplog.text + "".join(capfd.readouterr())
    assert USER_AGENT not in logged and CLIENT_ADDRESS not in logged
