"""Shared fixtures: the demo roster as a cast of named users, a real Celery worker,
and a Chromium browser.

Services: with DATABASE_URL the suite runs on PostgreSQL; with REDIS_URL the
`celery_worker` fixture runs a real worker on Redis (otherwise on an in-process
memory broker). REQUIRE_SERVICES=1 turns any skipped service or browser test
into a failure, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from datetime import date

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    broker = settings.CELERY_BROKER_URL
    chromium = CHROMIUM if os.path.exists(CHROMIUM) else "not installed (browser tests skip)"
    return [
        f"innovo: database {db['ENGINE'].rsplit('.', 1)[-1]} ({db.get('HOST') or db['NAME']}), "
        f"celery broker for worker tests {broker.split('@')[-1]}, chromium {chromium}, "
        f"REQUIRE_SERVICES={'1' if REQUIRE_SERVICES else '0'}"
    ]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (
        REQUIRE_SERVICES
        and report.skipped
        and (item.get_closest_marker("services") or item.get_closest_marker("browser"))
    ):
        report.outcome = "failed"
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"REQUIRE_SERVICES=1 but this test was skipped: {reason}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and cached look-ups never leak from one test to the next."""
    from django.core.cache import cache

    cache.clear()


# --- The cast ------------------------------------------------------------------
# Built by the demo seed, so tests and the demo share one roster.


@pytest.fixture
def demo(db):
    from people.demo import seed_demo

    return seed_demo(today=date.today())


def _user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def compliance_officer(demo):
    return _user("swhalen")


@pytest.fixture
def hr_director(demo):
    return _user("jgrant")


@pytest.fixture
def employee(demo):
    """An ordinary employee (a fictional account manager, a new hire)."""
    return _user("aalvarez")


@pytest.fixture
def other_employee(demo):
    return _user("jbrooks")


@pytest.fixture
def investigator(demo):
    return _user("rchen")


@pytest.fixture
def vp(demo):
    return _user("dwhitfield")


@pytest.fixture
def executive(demo):
    return _user("mcrossman")


@pytest.fixture
def board_liaison(demo):
    return _user("mellis")


@pytest.fixture
def audit_member(demo):
    return _user("areyes")


@pytest.fixture
def admin_user(demo):
    return _user("admin")


# --- Celery ----------------------------------------------------------------------


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker in this process: on Redis when REDIS_URL is set, else on
    an in-memory broker. Tasks are sent through the broker, not run inline."""
    from celery.contrib.testing.worker import start_worker

    from innovo_compliance.celery import app

    app.conf.task_always_eager = False
    app.conf.broker_url = settings.CELERY_BROKER_URL
    try:
        with start_worker(app, pool="threads", concurrency=2, perform_ping_check=False, loglevel="WARNING") as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def redis_required():
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set: no Redis to run a worker on")


@pytest.fixture
def postgres_required():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("DATABASE_URL is not a PostgreSQL URL")


# --- Mail ------------------------------------------------------------------------


@pytest.fixture
def refusing_smtp():
    """MAILERS for a mail server that refuses connections (a port nobody listens on)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
        }
    }


# --- Browser -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def _playwright():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"No Chromium at {CHROMIUM}: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    # Module scope: the sync API keeps an event loop running in this thread while
    # it is open, which code calling asyncio.run() (pyHanko) must not meet.
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def _chromium(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def page(_chromium, live_server):
    """A fresh browser context. `page.foreign_requests` lists every request that went
    to another host than the app's own (it must stay empty: no CDN)."""
    context = _chromium.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.foreign_requests = []
    origin = live_server.url

    def record(request):
        if not request.url.startswith((origin, "data:", "blob:", "about:")):
            page.foreign_requests.append(request.url)

    page.on("request", record)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir():
    path = settings.BASE_DIR / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


def login(page, username, password=None):
    from people.demo import DEMO_PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def logout(page):
    """Log out as a user does: "Log out" sits in the user menu (the person's name)."""
    page.locator("[data-user-menu]").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")  # the public speak-up page
    page.get_by_role("link", name="Log in").first.wait_for()
