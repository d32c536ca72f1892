"""In Chromium with no login: an anonymous report with an attachment, the receipt
key, a question from the compliance officer, the reporter's answer; then neither
the client's address nor its user agent is found in any table, in the cache
(abuse counters, proof-of-work markers) or in the logs. The browser solves the
proof of work at the production difficulty, under the app's CSP; without
JavaScript the report goes through its own lane."""

import logging
import pickle
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.cache import cache
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


def every_cached_text():
    """Every key and value in the cache (Redis in CI; local memory or files otherwise)."""
    backend = django_settings.CACHES["default"]["BACKEND"]
    if backend.endswith("RedisCache"):
        client = cache._cache.get_client()
        for key in client.scan_iter():
            yield "cache key", key.decode(errors="replace")
            kind = client.type(key).decode()
            values = {
                "string": lambda k: [client.get(k)],
                "list": lambda k: client.lrange(k, 0, -1),
                "set": lambda k: list(client.smembers(k)),
                "zset": lambda k: client.zrange(k, 0, -1),
                "hash": lambda k: list(client.hgetall(k).values()),
            }.get(kind, lambda k: [])(key)
            for value in values:
                yield "cache value", _readable(value)
    elif backend.endswith("LocMemCache"):
        for key, value in cache._cache.items():
            yield "cache key", key
            yield "cache value", _readable(value)
    else:
        for path in Path(django_settings.CACHES["default"]["LOCATION"]).rglob("*"):
            if path.is_file():
                yield "cache file", _readable(path.read_bytes())


def _readable(raw: bytes) -> str:
    try:
        return repr(pickle.loads(raw))  # noqa: S301 (our own cache, in a test)
    except Exception:
        return raw.decode("utf-8", errors="replace")


@pytest.fixture
def production_pow(settings):
    settings.INNOVO = {**settings.INNOVO, "PROOF_OF_WORK_MAX": 2_000_000}


def test_anonymous_report_key_question_answer_and_no_trace(
    _chromium, live_server, demo, screenshot_dir, caplog, capfd, production_pow, settings
):
    caplog.set_level(logging.DEBUG)
    # E-mails in the outbox carry the site's address: make it a name, so that any
    # "127.0.0.1" the scan finds below can only be the reporter's connection.
    settings.SITE_URL = "https://compliance.innovo.example"
    reporter = _chromium.new_context(base_url=live_server.url, user_agent=USER_AGENT)
    page = reporter.new_page()
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(live_server.url) else None)
    console_errors = []
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)

    page.goto("/report/")
    assert page.get_by_label("Report anonymously").is_checked()
    page.locator("#id_category").select_option("fair_dealing")
    page.get_by_label("In a few words, what is it about?").fill("Envelopes at the loading dock")
    page.get_by_label("What happened?").fill("A fictional carrier hands envelopes to a buyer every Friday.")
    page.get_by_label("When and where did it happen?").fill("Loading dock, Fridays")
    page.locator("#id_files").set_input_files(
        files=[{"name": "photo-notes.txt", "mimeType": "text/plain", "buffer": b"Friday 4pm, blue van."}]
    )
    page.screenshot(path=screenshot_dir / "anonymous-report-form.png", full_page=True)
    # The proof of work (at the production difficulty) finishes in this browser, under the CSP.
    page.wait_for_selector("[data-pow-solved=true]", state="attached", timeout=60_000)
    box = page.locator("[data-pow]")
    solve_ms = max(1, int(box.get_attribute("data-pow-ms")))
    tried = int(page.locator("input[name=pow_solution]").input_value()) + 1
    worst_s = int(box.get_attribute("data-pow-max")) / (tried / solve_ms) / 1000
    with capfd.disabled():
        print(f"\nproof of work: Chromium tried {tried} numbers in {solve_ms} ms; the worst case takes {worst_s:.1f} s")
    assert worst_s < 10
    assert page.get_by_text("Anti-abuse check done").is_visible()
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
    page.get_by_role("button", name="Open my report").click()  # waits for the proof of work, then sends
    page.get_by_text("Which day of the week exactly?").wait_for(timeout=60_000)
    page.get_by_label("Your answer").fill("Every Friday around 4 pm.")
    page.get_by_role("button", name="Send").click()
    assert page.get_by_text("Every Friday around 4 pm.").is_visible()
    page.screenshot(path=screenshot_dir / "anonymous-follow-up.png", full_page=True)

    co.reload()
    assert co.get_by_text("Every Friday around 4 pm.").is_visible()
    co.screenshot(path=screenshot_dir / "case-page.png", full_page=True)
    assert foreign == []
    assert console_errors == []  # no CSP violation: the proof of work needs no worker, blob: or wasm
    reporter.close()
    officer.close()

    # Nothing about the anonymous reporter's connection is kept or logged.
    stored = [*every_stored_text(), *every_cached_text()]
    assert any(where.startswith("cache") for where, _ in stored)  # the scan did see the cache
    found = [(where, value[:200]) for where, value in stored if USER_AGENT in value or CLIENT_ADDRESS in value]
    assert found == []
    logged = caplog.text + "".join(capfd.readouterr())
    assert USER_AGENT not in logged and CLIENT_ADDRESS not in logged


def test_without_javascript_an_anonymous_report_goes_through_its_own_lane(
    _chromium, live_server, demo, screenshot_dir, settings
):
    settings.INNOVO = {**settings.INNOVO, "NO_JS_ANONYMOUS_PER_MINUTE": 1}
    context = _chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()

    def send(title):
        page.goto("/report/")
        page.locator("#id_category").select_option("fair_dealing")
        page.get_by_label("In a few words, what is it about?").fill(title)
        page.get_by_label("What happened?").fill("A fictional supplier's invoices arrive in pairs.")
        page.get_by_role("button", name="Send the report").click()

    page.goto("/report/")
    assert "JavaScript is off" in page.locator("main").inner_text()  # the <noscript> text is shown
    page.screenshot(path=screenshot_dir / "anonymous-report-no-js.png", full_page=True)
    send("Invoices split below the limit")
    assert len(page.locator("#receipt-key").inner_text().strip()) == 29
    # The lane is full for this minute: the reporter is told what to do, and keeps the text.
    send("A second report in the same minute")
    main = page.locator("main").inner_text()
    assert "Turn on JavaScript" in main and settings.INNOVO["HOTLINE"] in main
    assert page.get_by_label("In a few words, what is it about?").input_value() == "A second report in the same minute"
    page.screenshot(path=screenshot_dir / "anonymous-report-no-js-lane-full.png", full_page=True)
    assert Case.objects.count() == 1
    context.close()
