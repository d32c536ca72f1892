"""Issue 12: when a filing was last put in front of its decider is kept on the case
(`Case.waiting_since`, written by the timeline), so the inbox orders, pages and counts
late filings from an index. Checked here: the column equals the last submitted,
answered or renewal event after every service that moves a filing; the migration's
fill gives the same from the timeline; the inbox's keyset pages (Next, Previous, ties,
empty timestamps) show every filing once, in order, at the same query count."""

from __future__ import annotations

import importlib
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import views
from approvals.selectors import SUBMITTED_ACTIONS, inbox
from approvals.services import filing_answer, filing_renew, filing_request_info
from cases.models import Case
from core import keyset
from tests.approvals.factories import decide, draft, filing, travel

pytestmark = pytest.mark.django_db


def last_submitted_at(case: Case):
    return case.events.filter(action__in=SUBMITTED_ACTIONS).order_by("-seq").values_list("at", flat=True).first()


def test_waiting_since_follows_submit_answer_and_renewal(employee, compliance_officer):
    case = draft(employee, "gift", value="300")
    assert case.waiting_since is None
    with travel(date.today() - timedelta(days=40)):
        case = filing(employee, "gift", value="300")
    case.refresh_from_db()
    first = case.waiting_since
    assert first is not None and first == last_submitted_at(case)

    filing_request_info(case_id=case.pk, actor=compliance_officer, question="Who gave it?")
    case.refresh_from_db()
    assert case.waiting_since == first  # asking does not restart the clock; answering does
    filing_answer(case_id=case.pk, actor=employee, body="A supplier.")
    case.refresh_from_db()
    assert case.waiting_since > first and case.waiting_since == last_submitted_at(case)

    decide(case, compliance_officer, "approved", review_date=date.today() + timedelta(days=300))
    answered = case.waiting_since
    filing_renew(case_id=case.pk, actor=employee)
    case.refresh_from_db()
    assert case.waiting_since > answered and case.waiting_since == last_submitted_at(case)


def test_a_filing_recorded_outright_never_waits(employee):
    case = filing(employee, "gift", value="100")  # GIFT-1: within the limit, recorded
    case.refresh_from_db()
    assert case.status == "recorded" and case.waiting_since is None


def test_the_migration_fills_the_column_from_the_timeline(employee, compliance_officer):
    """The fill of cases/migrations/0009 on filings made through the services, then
    emptied: every filing gets its last submitted event's time back."""
    waiting = filing(employee, "gift", value="300")
    asked = filing(employee, "waiver")
    filing_request_info(case_id=asked.pk, actor=compliance_officer, question="Why?")
    filing_answer(case_id=asked.pk, actor=employee, body="Because.")
    recorded = filing(employee, "gift", value="100")
    kept = dict(Case.objects.values_list("pk", "waiting_since"))
    fill = importlib.import_module("cases.migrations.0009_waiting_since").FILL
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_case SET waiting_since = NULL")
        cursor.execute(fill)
    assert dict(Case.objects.values_list("pk", "waiting_since")) == kept
    assert kept[recorded.pk] is None and kept[waiting.pk] == last_submitted_at(waiting)
    assert kept[asked.pk] == last_submitted_at(asked)


# --- keyset pages ----------------------------------------------------------------------


def refs(response) -> list[str]:
    return re.findall(r'class="ref" href="/approvals/\d+/">([^<]+)<', response.content.decode())


def cursor_link(response, rel: str) -> str | None:
    found = re.search(rf'href="\?([^"]*)" rel="{rel}"', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


@pytest.fixture
def many(employee, compliance_officer, monkeypatch):
    """Nine filings for the compliance officer, three sharing one waiting time, one
    decided with no waiting time at all (a filing from before the column), pages of 2."""
    monkeypatch.setattr(views, "INBOX_PAGE_SIZE", 2)
    cases = [filing(employee, "gift", value="300", counterparty=f"Vendor {n}") for n in range(8)]
    same = cases[0].waiting_since
    Case.objects.filter(pk__in=[c.pk for c in cases[3:6]]).update(waiting_since=same)
    old = filing(employee, "gift", value="300", counterparty="Vendor old")
    decide(old, compliance_officer, "denied", reason="Return it")
    Case.objects.filter(pk=old.pk).update(waiting_since=None)
    return cases + [old]


@pytest.mark.parametrize("status", ["waiting", "all"])
def test_next_and_previous_walk_every_filing_once_in_order(client, compliance_officer, many, status):
    expected = [
        c.reference
        for c in inbox(compliance_officer, status=status)  # the selector's order: the reference
    ]
    assert len(expected) == (8 if status == "waiting" else 9)
    client.force_login(compliance_officer)
    path = reverse("approvals:inbox") + f"?status={status}"
    response = client.get(path)
    pages = [refs(response)]
    assert cursor_link(response, "prev") is None
    while (link := cursor_link(response, "next")) is not None:
        response = client.get(reverse("approvals:inbox") + "?" + link)
        pages.append(refs(response))
    assert [ref for page in pages for ref in page] == expected
    assert all(len(page) == 2 for page in pages[:-1])

    backwards = [refs(response)]
    while (link := cursor_link(response, "prev")) is not None:
        response = client.get(reverse("approvals:inbox") + "?" + link)
        backwards.append(refs(response))
    assert backwards[::-1] == pages


def test_a_deep_page_costs_what_the_first_costs(client, compliance_officer, many):
    client.force_login(compliance_officer)
    path = reverse("approvals:inbox") + "?status=all"
    client.get(path)
    with CaptureQueriesContext(connection) as first:
        response = client.get(path)
    for _ in range(3):
        response = client.get(reverse("approvals:inbox") + "?" + cursor_link(response, "next"))
    with CaptureQueriesContext(connection) as deep:
        assert client.get(reverse("approvals:inbox") + "?" + cursor_link(response, "next")).status_code == 200
    assert len(deep.captured_queries) == len(first.captured_queries)
    assert not any("OFFSET" in q["sql"] for q in deep.captured_queries)


@pytest.mark.parametrize("raw", ["", "x", "1.", ".1", "-.x", "99999999999999999999.1", "1.2.3", "-1.5"])
def test_a_cursor_that_is_not_one_shows_the_first_page(client, compliance_officer, many, raw):
    client.force_login(compliance_officer)
    first = refs(client.get(reverse("approvals:inbox")))
    for name in ("after", "before"):
        response = client.get(reverse("approvals:inbox"), {name: raw})
        assert response.status_code == 200 and refs(response) == first, (name, raw)


def test_cursors_read_back_what_they_wrote():
    from datetime import UTC, datetime

    when = datetime(2026, 12, 2, 19, 30, 1, 123456, tzinfo=UTC)
    assert keyset.parse(keyset.cursor(when, 42)) == (when, 42)
    assert keyset.parse(keyset.cursor(None, 7)) == (None, 7)
