"""Issue 12 item 4: the cached roles going cold (every 10 minutes and after any roster
change) costs one query, not four: the queue, the case page and My filings stay within
12 queries for the personas with the busiest pages.

The home page is not there yet: it gathers every app's panels and needs 9 to 15
queries cold (the officer's is the largest); the counts kept in summary rows that
issue 12 asks for are what brings it under 12. Its test below pins today's numbers so
that nothing adds to them meanwhile."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cases.factories import person, report

pytestmark = pytest.mark.django_db

BUDGET = 12
GOVERNANCE_BANNER = {"swhalen": 1, "mellis": 1}
"""Issue 13: the compliance officer's and the liaison's pages carry the board-governance
banner, which reads its one cached query when the cache is cold (docs/governance.md)."""


def _count(client, url) -> int:
    cache.clear()  # cold: no cached roles, counts or versions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("username", ["swhalen", "jgrant", "rchen", "areyes", "mellis", "jbrooks", "dwhitfield"])
def test_home_queue_and_case_page_stay_within_budget_when_roles_are_cold(client, demo, username):
    case, _ = report(by=person("jbrooks").user, category="harassment" if username == "jgrant" else "fair_dealing")
    client.force_login(person(username).user)
    pages = {"approvals": reverse("approvals:mine")}
    if username in ("swhalen", "jgrant"):
        pages |= {"queue": reverse("queue"), "case": reverse("case_detail", args=[case.pk])}
    counts = {name: _count(client, url) for name, url in pages.items()}
    assert all(n <= BUDGET + GOVERNANCE_BANNER.get(username, 0) for n in counts.values()), counts


HOME_TODAY = 15  # the officer's home, cold (HR 14, the liaison 14); see the docstring


@pytest.mark.parametrize("username", ["swhalen", "jgrant", "rchen", "areyes", "mellis", "jbrooks", "dwhitfield"])
def test_home_adds_no_query_while_its_counts_wait_for_summary_rows(client, demo, username):
    report(by=person("jbrooks").user)
    client.force_login(person(username).user)
    assert _count(client, reverse("home")) <= HOME_TODAY + GOVERNANCE_BANNER.get(username, 0)
