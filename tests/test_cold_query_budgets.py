"""Issue 12: no page goes past 12 SQL queries, with a cold cache: no cached roles,
counts, versions, banner or anything else the app keeps (what a page pays every 10
minutes, after any roster change, after Redis restarts), except the visitor's
session, which outlives all of them (two weeks, read through the cache).

Every page a persona's menu offers (innovo_compliance.navigation: the same list the
menu is built from, so a page added to the menu is measured here without anyone
listing it), plus the pages reached from lists: a case page, a filing page, the
queue's table fragment (what a filter change loads) and a page past the middle of
the queue."""

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from innovo_compliance.navigation import menu
from tests.approvals.factories import filing, gift_facts
from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db

BUDGET = 12
PERSONAS = ["swhalen", "jgrant", "rchen", "areyes", "mellis", "jbrooks", "aalvarez", "dwhitfield", "mcrossman"]
NOT_OURS = {"admin:index"}  # Django's admin: staff only, not a page of the product


def _count(client, url, **headers) -> tuple[int, int]:
    cache.clear()  # cold
    SessionStore(client.session.session_key).load()  # cached_db: the session back in the cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response.status_code, len(queries)


def _menu_urls(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    request.person = getattr(user, "person", None)
    return [item.url for item in menu(request).items() if item.url != reverse("admin:index")]


@pytest.mark.parametrize("username", PERSONAS)
def test_every_page_stays_within_12_queries_with_a_cold_cache(client, demo, username):
    case, _ = report(by=person("jbrooks").user, category="harassment" if username == "jgrant" else "fair_dealing")
    for n in range(60):  # enough for a second page of the queue
        report(by=person("aalvarez").user, title=f"Report {n}")
    gift = filing(person("aalvarez").user, "gift", **gift_facts(value="300.00"))
    user = person(username).user
    client.force_login(user)
    urls = {url: {} for url in _menu_urls(user)}
    urls[reverse("case_detail", args=[case.pk])] = {}
    urls[reverse("approvals:filing", args=[gift.pk])] = {}
    urls[reverse("queue") + "?kind=report"] = {"HX-Request": "true"}
    urls[reverse("queue") + "?page=2"] = {}
    measured = {}
    for url, headers in urls.items():
        status, queries = _count(client, url, **headers)
        if status == 200:  # a page this persona may not open answers 404/403 at once
            measured[url] = queries
    assert reverse("home") in measured and len(measured) >= 5, measured
    over = {url: n for url, n in measured.items() if n > BUDGET}
    assert not over, f"{username}: {over}"
