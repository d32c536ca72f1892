"""Governance pages (BOARD-1, BOARD-2, RPT-1): forms keep what was typed and say
what is wrong; list pages cost a fixed number of queries; the liaison's writes
through the pages."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance.models import GovernanceCase, RelatedPartyTransaction
from governance.services import board_check, rpt_approval_record, rpt_create
from tests.governance.helpers import end_seat, new_director, user

pytestmark = pytest.mark.django_db


def _items(n: int):
    for index in range(n):
        item = rpt_create(
            actor=user("mellis"),
            kind="purchase",
            counterparty_name=f"Related {index}",
            relationship="family_member",
            start_date=date(2024, 1, 1) + timedelta(days=index),
            amount=Decimal(1000 + index),
            description="Supplies bought from a director's brother.",
        )
        rpt_approval_record(
            actor=user("mellis"),
            transaction_id=item.pk,
            body="audit",
            day=date(2024, 2, 1),
            outcome="approved",
            minutes_reference=f"AC {index}",
        )


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_rpt1_register_costs_the_same_queries_for_1_and_12_transactions(client, demo):
    client.force_login(user("areyes"))
    _items(1)
    _queries(client, "/governance/related-party/")  # warm the per-process caches
    few = _queries(client, "/governance/related-party/")
    _items(11)
    _queries(client, "/governance/related-party/")
    many = _queries(client, "/governance/related-party/")
    assert few == many
    assert many <= 12


def test_board1_board_page_costs_the_same_queries_with_more_history_and_cases(client, demo):
    """BOARD-1: the history (chart and table) and the cases list are read in a fixed
    number of queries, however many roster changes and cases there are."""
    client.force_login(user("mellis"))
    board_check(on=date(2006, 1, 31))
    _queries(client, "/governance/?since=all")
    few = _queries(client, "/governance/?since=all")
    for year in range(2010, 2016):
        person = new_director(f"Director {year}", date(year, 1, 1))
        end_seat(person.name, date(year, 12, 31))
    board_check(on=date(2006, 6, 1))  # cured
    end_seat("Priya Raman", date(2019, 12, 31))
    board_check(on=date(2020, 1, 1))  # and broken again
    assert GovernanceCase.objects.count() == 4
    _queries(client, "/governance/?since=all")  # the writes forgot the cached roles and banner
    many = _queries(client, "/governance/?since=all")
    assert few == many
    assert many <= 16


def test_board1_history_page_draws_the_chart_and_lists_the_cases(client, demo):
    board_check(on=date(2006, 1, 31))
    client.force_login(user("areyes"))
    page = client.get("/governance/").content.decode()
    assert 'viewBox="0 0 760 242"' in page and 'viewBox="0 0 360 242"' in page  # desktop and phone drawings
    assert 'data-breach="BOARD-1"' in page and 'data-breach="BOARD-2"' in page
    assert "From Jan 31, 2006: 3 of 6 directors independent" in page
    assert page.count("data-case=") == 2
    assert "Enter the meeting" not in page  # read-only for the audit committee


def test_board1_letter_form_keeps_the_typed_date_and_says_what_is_wrong(client, demo):
    board_check(on=date(2006, 1, 31))
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    client.force_login(user("mellis"))
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client.post(f"/governance/cases/{case.pk}/letter/", {"received_on": future})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{future}"' in page
    assert "This date cannot be in the future." in page
    response = client.post(f"/governance/cases/{case.pk}/letter/", {"received_on": "2006-02-02"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.disclosure_due == date(2006, 2, 8)
    page = client.get(f"/governance/cases/{case.pk}/").content.decode()
    assert "February 8, 2006" in page and "January 31, 2007" in page


def test_board1_meeting_form_keeps_the_typed_note_on_a_duplicate(client, demo):
    client.force_login(user("swhalen"))
    assert client.post("/governance/meetings/", {"day": "2027-05-20", "note": "First"}).status_code == 302
    response = client.post("/governance/meetings/", {"day": "2027-05-20", "note": "Typed again"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Typed again"' in page and "already entered" in page


def test_rpt1_new_transaction_form_keeps_every_answer_on_error(client, demo):
    client.force_login(user("swhalen"))
    answers = {
        "kind": "lease",
        "counterparty_name": "Harbor Warehouse LLC",
        "relationship": "large_holder",
        "amount": "125000.50",
        "currency": "U$",
        "start_date": "2025-04-01",
        "end_date": "2025-03-01",
        "description": "A warehouse lease from a 7 % holder.",
    }
    response = client.post("/governance/related-party/new/", answers)
    assert response.status_code == 400
    page = response.content.decode()
    for value in ("Harbor Warehouse LLC", "125000.50", "U$", "2025-04-01", "2025-03-01", "A warehouse lease"):
        assert value in page
    assert "three-letter currency code" in page
    assert "The end cannot be before the date of the transaction." in page
    assert RelatedPartyTransaction.objects.count() == 0
    response = client.post("/governance/related-party/new/", {**answers, "currency": "usd", "end_date": ""})
    item = RelatedPartyTransaction.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/governance/related-party/{item.pk}/"
    assert (item.currency, item.amount, item.created_by) == ("USD", Decimal("125000.50"), user("swhalen"))


def test_rpt1_the_liaison_records_a_ratification_on_the_page(client, demo):
    _items(0)
    item = rpt_create(
        actor=user("mellis"),
        kind="convertible_note",
        counterparty_name="Insider holders",
        relationship="director",
        start_date=date(2004, 6, 8),
        description="The 2004 note.",
    )
    client.force_login(user("mellis"))
    response = client.post(
        f"/governance/related-party/{item.pk}/approve/",
        {"body": "board", "day": "2004-06-10", "outcome": "ratified", "minutes_reference": ""},
    )
    assert response.status_code == 400
    assert 'value="2004-06-10"' in response.content.decode()
    response = client.post(
        f"/governance/related-party/{item.pk}/approve/",
        {"body": "board", "day": "2004-06-10", "outcome": "ratified", "minutes_reference": "Board 2004-06"},
    )
    assert response.status_code == 302
    page = client.get(f"/governance/related-party/{item.pk}/").content.decode()
    assert "Ratified afterwards by the board of directors on June 10, 2004, minutes Board 2004-06" in page
