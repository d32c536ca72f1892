"""Views: login, 404 for what the user may not see, 403 for what they see but may
not do, 405 for GET on a write, the effect in the database for what is allowed,
forms that show back what was typed, and query counts pinned on the lists."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.services import filing_request_info
from cases.models import Case, CaseEvent
from tests.approvals.factories import decide, draft, filing, form_data, gift_facts, person, travel

pytestmark = pytest.mark.django_db

WRITES = ["submit", "withdraw", "decide", "request_info", "answer", "renew", "reconfirm"]


def url(name, case=None, *args):
    return reverse(f"approvals:{name}", args=[case.pk] if case is not None else list(args))


def page(response) -> str:
    """The page's HTML, with references unwrapped from the span that keeps them on one
    line (cases.templatetags.case_tags), so sentences read as they show."""
    return re.sub(r'<span class="ref">([^<]*)</span>', r"\1", response.content.decode())


# --- who gets in -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["mine", "new", "inbox", "disclosures"])
def test_anonymous_is_sent_to_login(client, demo, name):
    response = client.get(url(name))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_anonymous_cannot_open_a_filing(client, employee):
    case = filing(employee, "gift", value="300")
    assert client.get(url("filing", case))["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", WRITES)
def test_get_on_a_write_is_refused_with_405(client, employee, name):
    case = filing(employee, "gift", value="300")
    client.force_login(employee)
    assert client.get(url(name, case)).status_code == 405


def test_get_on_marking_a_disclosure_is_refused_with_405(client, compliance_officer):
    client.force_login(compliance_officer)
    assert client.get(reverse("approvals:disclosure_mark", args=[1])).status_code == 405


@pytest.mark.parametrize("name", ["filing", "edit", *WRITES])
def test_other_employee_cannot_see_my_filing_404(client, employee, other_employee, name):
    case = filing(employee, "gift", value="300")
    client.force_login(other_employee)
    response = client.get(url(name, case)) if name in ("filing", "edit") else client.post(url(name, case))
    assert response.status_code == 404


def test_compliance_officer_cannot_see_a_draft_404(client, employee, compliance_officer):
    case = draft(employee, "gift", value="300")
    client.force_login(compliance_officer)
    assert client.get(url("filing", case)).status_code == 404


def test_report_is_not_a_filing_page_404(client, employee, compliance_officer):
    from tests.cases.factories import report

    case, _ = report(by=employee)
    client.force_login(compliance_officer)
    assert client.get(url("filing", case)).status_code == 404


def test_compliance_officer_sees_a_board_filing_but_may_not_decide_it_403(client, executive, compliance_officer):
    case = filing(executive, "conflict")
    client.force_login(compliance_officer)
    assert client.get(url("filing", case)).status_code == 200
    assert client.post(url("decide", case), {"decision": "approved"}).status_code == 403
    assert client.post(url("request_info", case), {"question": "?"}).status_code == 403


def test_filer_sees_their_filing_but_may_not_decide_it_403(client, employee):
    case = filing(employee, "gift", value="300")
    client.force_login(employee)
    body = page(client.get(url("filing", case)))
    assert "Record decision" not in body
    assert client.post(url("decide", case), {"decision": "approved"}).status_code == 403


def test_board_liaison_may_not_submit_or_withdraw_someone_elses_filing_403(client, executive, board_liaison):
    case = filing(executive, "conflict")
    client.force_login(board_liaison)
    assert client.post(url("withdraw", case)).status_code == 403
    assert client.post(url("answer", case), {"answer": "x"}).status_code == 403


@pytest.mark.parametrize("username", ["aalvarez", "rchen", "jbrooks"])
def test_people_without_approvals_have_no_inbox_403(client, demo, username):
    client.force_login(person(username).user)
    assert client.get(url("inbox")).status_code == 403


@pytest.mark.parametrize("username", ["aalvarez", "dwhitfield", "areyes"])
def test_only_the_compliance_officer_and_liaison_list_disclosures_403(client, demo, username):
    client.force_login(person(username).user)
    assert client.get(url("disclosures")).status_code == 403


def test_supervisor_has_an_inbox_with_their_reports_outside_work(client, employee, vp):
    case = filing(employee, "conflict", subkind="outside_employment")
    client.force_login(vp)
    assert case.reference in page(client.get(url("inbox")))
    assert client.get(url("filing", case)).status_code == 200


# --- the guided forms --------------------------------------------------------------


def test_check_answer_shows_the_verdict_and_saves_nothing(client, employee):
    client.force_login(employee)
    data = {**form_data("gift", gift_facts(value="300")), "action": "check"}
    response = client.post(url("new_filing", None, "gift"), data)
    body = page(response)
    assert response.status_code == 200 and "Needs approval (GIFT-3)" in body
    assert "Compliance officer" in body and 'value="Acme Supplies"' in body
    assert Case.objects.count() == 0


def test_htmx_check_returns_only_the_form_region(client, employee):
    client.force_login(employee)
    data = form_data("gift", gift_facts(value="20", cash_or_equivalent=True))
    response = client.post(url("new_filing", None, "gift"), data, headers={"HX-Request": "true"})
    body = page(response)
    assert "<html" not in body and 'id="filing-form-region"' in body
    assert "Prohibited (GIFT-2)" in body and "who must know" in body
    assert Case.objects.count() == 0


def test_save_and_review_then_submit(client, employee, django_capture_on_commit_callbacks):
    client.force_login(employee)
    response = client.post(
        url("new_filing", None, "gift"), {**form_data("gift", gift_facts(value="300")), "action": "save"}
    )
    case = Case.objects.get()
    assert response["Location"] == url("filing", case) and case.status == "draft"
    body = page(client.get(url("filing", case)))
    assert "Review before you submit" in body and "Needs approval (GIFT-3)" in body
    assert "Submit to the compliance officer" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("submit", case), follow=True)
    case.refresh_from_db()
    assert case.status == "submitted" and "Sent." in page(response)


def test_allowed_draft_offers_to_record_it(client, employee):
    case = draft(employee, "gift", value="20")
    client.force_login(employee)
    assert "Record it" in page(client.get(url("filing", case)))
    client.post(url("submit", case))
    case.refresh_from_db()
    assert case.status == "recorded"


def test_editing_a_draft(client, employee):
    case = draft(employee, "gift", value="300")
    client.force_login(employee)
    assert 'value="300"' in page(client.get(url("edit", case)))
    data = {**form_data("gift", gift_facts(value="30")), "action": "save"}
    assert client.post(url("edit", case), data).status_code == 302
    case.refresh_from_db()
    assert case.verdict == "allowed"
    assert CaseEvent.objects.filter(case=case, action="edited").exists()


def test_updating_a_standing_disclosure_starts_from_its_answers(client, employee, compliance_officer):
    case = filing(employee, "conflict", subkind="board_seat", counterparty="Food Bank")
    decide(case, compliance_officer)
    client.force_login(employee)
    body = page(client.get(url("filing", case)))
    assert "Re-confirm: still true" not in body and "Update it" in body  # not a year old yet
    assert 'value="Food Bank"' in page(client.get(url("new_filing", None, "conflict") + f"?from={case.pk}"))
    with travel(date.today() + timedelta(days=370)):
        client.force_login(employee)  # the session has expired meanwhile
        body = page(client.get(url("filing", case)))
        assert "more than a year since this disclosure was last confirmed" in body
        assert f"Re-confirm or update your disclosure {case.reference}" in page(client.get(reverse("home")))
        client.post(url("reconfirm", case))
        assert "Re-confirm: still true" not in page(client.get(url("filing", case)))
    assert CaseEvent.objects.filter(case=case, action="reconfirmed").exists()


FAR = (date.today() + timedelta(days=800)).isoformat()
# Two days ahead, not one: the table is built when the module is imported, and a run that
# crosses midnight would otherwise see "tomorrow" become today.
TOMORROW = (date.today() + timedelta(days=2)).isoformat()

# (kind, facts, field, message, typed value that must be shown back)
BAD_INPUT = [
    ("gift", gift_facts(value="-5"), "value", "An amount cannot be negative.", 'value="-5"'),
    ("gift", gift_facts(event_date=TOMORROW), "event_date", "cannot be in the future", f'value="{TOMORROW}"'),
    ("gift", gift_facts(currency="EUR"), "value_in_usd", "Give the value in US dollars", 'value="Acme Supplies"'),
    (
        "conflict",
        {"subkind": "financial_interest", "counterparty": "Acme", "counterparty_relationship": "supplier",
         "holder": "self", "stock_percent": "150"},
        "stock_percent",
        "cannot be more than 100%",
        'value="150"',
    ),
    (
        "conflict",
        {"subkind": "financial_interest", "counterparty": "Acme", "counterparty_relationship": "supplier",
         "holder": "self", "stock_percent": "0.5", "percent_of_total_assets": "101"},
        "percent_of_total_assets",
        "cannot be more than 100%",
        'value="101"',
    ),
    (
        "conflict",
        {"subkind": "loan", "principal": "-100"},
        "principal",
        "An amount cannot be negative.",
        'value="-100"',
    ),
    (
        "conflict",
        {"subkind": "outside_employment", "counterparty": "Night Bakery", "starts_on": FAR},
        "starts_on",
        "more than two years ahead",
        f'value="{FAR}"',
    ),
    (
        "conflict",
        {"subkind": "financial_interest", "counterparty": "Acme Holdings"},
        "counterparty_relationship",
        "Needed for financial interest in another business.",
        'value="Acme Holdings"',
    ),
    (
        "preapproval",
        {"subkind": "trade_association", "counterparty": "AAFA", "starts_on": FAR, "description": "Join"},
        "starts_on",
        "more than two years ahead",
        'value="AAFA"',
    ),
    (
        "preapproval",
        {"subkind": "government_official", "counterparty": "Customs office", "starts_on": TOMORROW, "value": "-1",
         "description": "Lunch"},
        "value",
        "An amount cannot be negative.",
        'value="Customs office"',
    ),
    (
        "waiver",
        {"provision_anchor": "outside-employment", "reason": "Teaching", "period_start": date.today().isoformat(),
         "period_end": FAR},
        "period_end",
        "more than two years ahead",
        "Teaching</textarea>",
    ),
    (
        "waiver",
        {"provision_anchor": "outside-employment", "reason": "Teaching", "period_start": TOMORROW,
         "period_end": date.today().isoformat()},
        "period_end",
        "cannot end before it starts",
        "Teaching</textarea>",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "facts", "field", "message", "echo"),
    BAD_INPUT,
    ids=[f"{row[0]}-{row[2]}-{i}" for i, row in enumerate(BAD_INPUT)],
)
@pytest.mark.parametrize("action", ["check", "save"])
def test_bad_input_is_refused_with_a_message_and_shown_back(
    client, employee, kind, facts, field, message, echo, action
):
    client.force_login(employee)
    response = client.post(url("new_filing", None, kind), {**form_data(kind, facts), "action": action})
    body = page(response)
    assert response.status_code == 200
    assert message in body and echo in body
    assert f'id="error_1_id_{field}"' in body  # crispy's field error, next to the field
    assert "Nothing was saved" in body
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_unknown_kind_is_404(client, employee):
    client.force_login(employee)
    assert client.get(url("new_filing", None, "report")).status_code == 404


# --- deciding through the pages -------------------------------------------------------


def test_compliance_officer_approves_with_a_condition(
    client, employee, compliance_officer, django_capture_on_commit_callbacks
):
    case = filing(employee, "gift", value="300")
    client.force_login(compliance_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("decide", case), {"decision": "approved_with_conditions", "conditions": "Share it with the team"}
        )
    assert response.status_code == 302
    client.force_login(employee)
    body = page(client.get(url("filing", case)))
    assert "Approved with conditions" in body and "Share it with the team" in body and "Shane Whalen" in body


def test_decision_form_shows_back_what_was_typed(client, employee, compliance_officer):
    case = filing(employee, "gift", value="300")
    client.force_login(compliance_officer)
    response = client.post(url("decide", case), {"decision": "approved_with_conditions", "reason": "Looks fine"})
    body = page(response)
    assert response.status_code == 200 and "Write the conditions of the approval." in body
    assert "Looks fine</textarea>" in body
    assert re.search(r'value="approved_with_conditions"[^>]*checked', body)
    case.refresh_from_db()
    assert case.status == "submitted"


def test_board_liaison_records_the_boards_resolution(client, executive, board_liaison):
    case = filing(executive, "conflict")
    client.force_login(board_liaison)
    body = page(client.get(url("filing", case)))
    assert "Record the Board's decision" in body and "Board meeting date" in body
    crossman = person("mcrossman")
    response = client.post(
        url("decide", case),
        {
            "decision": "approved",
            "meeting_date": date.today().isoformat(),
            "resolution_reference": "BR-2026-14",
            "recused": [crossman.pk],
        },
    )
    assert response.status_code == 302
    client.force_login(executive)
    body = page(client.get(url("filing", case)))
    assert "BR-2026-14" in body and "Recused (COI-7): Marc Crossman" in body and "Board of Directors" in body


def test_refused_transition_through_a_page_says_why(client, employee, compliance_officer):
    case = filing(employee, "gift", value="300")
    decide(case, compliance_officer, "denied", reason="Return it")
    client.force_login(employee)
    response = client.post(url("withdraw", case), follow=True)
    assert "that is denied cannot move to withdrawn" in page(response)


def test_information_requested_and_answered_in_the_same_thread(client, employee, compliance_officer):
    case = filing(employee, "gift", value="300")
    client.force_login(compliance_officer)
    client.post(url("request_info", case), {"question": "Who gave it to you?"})
    client.force_login(employee)
    body = page(client.get(url("filing", case)))
    assert "Who gave it to you?" in body and "Send answer" in body
    client.post(url("answer", case), {"answer": "Acme's sales director."})
    case.refresh_from_db()
    assert case.status == "submitted"
    client.force_login(compliance_officer)
    body = page(client.get(url("filing", case)))
    assert body.index("Who gave it to you?") < body.index("Acme&#x27;s sales director.")


def test_empty_answer_is_refused_with_a_field_error(client, employee, compliance_officer):
    case = filing(employee, "gift", value="300")
    filing_request_info(case_id=case.pk, actor=compliance_officer, question="Who?")
    client.force_login(employee)
    response = client.post(url("answer", case), {"answer": ""})
    assert response.status_code == 200 and "This field is required." in page(response)


def test_marking_a_waiver_disclosed_through_the_page(client, board_liaison, compliance_officer):
    case = filing(person("jfurrow").user, "waiver")
    decide(case, board_liaison, meeting_date=date.today(), resolution_reference="BR-9")
    client.force_login(compliance_officer)
    assert "Disclose the waiver" in page(client.get(reverse("home")))
    bad = client.post(reverse("approvals:disclosure_mark", args=[case.waiver_disclosure.pk]), {"reference": "8-K"})
    assert bad.status_code == 200 and "This field is required." in page(bad) and 'value="8-K"' in page(bad)
    client.post(
        reverse("approvals:disclosure_mark", args=[case.waiver_disclosure.pk]),
        {"reference": "https://innovo.example/ir/waiver", "disclosed_on": date.today().isoformat()},
    )
    case.waiver_disclosure.refresh_from_db()
    assert case.waiver_disclosure.reference == "https://innovo.example/ir/waiver"
    assert "Disclose the waiver" not in page(client.get(reverse("home")))


# --- lists, filters, query counts ------------------------------------------------------


def test_my_filings_lists_drafts_that_can_be_withdrawn(client, employee, other_employee):
    mine = draft(employee, "gift", value="300")
    theirs = filing(other_employee, "gift", value="300")
    client.force_login(employee)
    body = page(client.get(url("mine")))
    assert mine.reference in body and theirs.reference not in body and "Withdraw" in body
    response = client.post(url("withdraw", mine), follow=True)
    assert f"{mine.reference} withdrawn." in page(response)  # the message names the filing
    mine.refresh_from_db()
    assert mine.status == "withdrawn"
    assert mine.reference not in page(client.get(url("mine") + "?status=open"))


def test_inbox_filters_by_kind_status_and_overdue(client, employee, compliance_officer):
    with travel(date.today() - timedelta(days=20)):
        late = filing(employee, "gift", value="300")
    fresh = filing(employee, "conflict", subkind="board_seat")
    asked = filing(employee, "waiver")
    filing_request_info(case_id=asked.pk, actor=compliance_officer, question="Why?")
    client.force_login(compliance_officer)
    body = page(client.get(url("inbox")))
    assert late.reference in body and fresh.reference in body and asked.reference not in body
    assert 'data-count="waiting">2<' in body and 'data-count="overdue">1<' in body
    assert 'data-count="info_requested">1<' in body
    body = page(client.get(url("inbox") + "?status=waiting&overdue=on"))
    assert late.reference in body and fresh.reference not in body and "badge-overdue" in body
    body = page(client.get(url("inbox") + "?kind=conflict&status=all"))
    assert fresh.reference in body and late.reference not in body
    body = page(client.get(url("inbox") + "?status=info_requested"))
    assert asked.reference in body and late.reference not in body


def _queries(client, path) -> int:
    """Queries of one page view, caches warm (the roster answers are cached across requests)."""
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["inbox", "mine"])
def test_list_pages_cost_the_same_queries_for_5_and_50_filings(
    client, employee, compliance_officer, name, django_assert_max_num_queries
):
    viewer = compliance_officer if name == "inbox" else employee
    for _ in range(5):
        filing(employee, "gift", value="300")
    client.force_login(viewer)
    path = url(name) + ("?status=all" if name == "inbox" else "")
    few = _queries(client, path)
    for _ in range(45):
        filing(employee, "gift", value="300", counterparty="Other Co")
    with django_assert_max_num_queries(16):
        client.get(path)
    assert _queries(client, path) == few


def test_home_page_costs_the_same_queries_for_5_and_50_filings(client, employee, compliance_officer):
    for _ in range(5):
        filing(employee, "gift", value="300")
    client.force_login(compliance_officer)
    few = _queries(client, reverse("home"))
    for _ in range(45):
        filing(employee, "gift", value="300", counterparty="Other Co")
    assert _queries(client, reverse("home")) == few


# --- the home page --------------------------------------------------------------------


def test_home_shows_my_filings_and_the_information_requested_from_me(client, employee, compliance_officer):
    case = filing(employee, "gift", value="300")
    filing_request_info(case_id=case.pk, actor=compliance_officer, question="Who?")
    client.force_login(employee)
    body = page(client.get(reverse("home")))
    assert f"Information requested from you: {case.reference}" in body
    assert "Information requested</span>" in body


def test_home_shows_the_approver_their_inbox_count(client, employee, compliance_officer):
    filing(employee, "gift", value="300")
    client.force_login(compliance_officer)
    body = page(client.get(reverse("home")))
    assert "Approvals inbox" in body and "1 waiting for your decision" in body


def test_overdue_waiver_disclosure_is_red_on_the_compliance_officers_home_waive2(
    client, board_liaison, compliance_officer
):
    with travel(date.today() - timedelta(days=20)):
        case = filing(person("jfurrow").user, "waiver")
        decide(case, board_liaison, meeting_date=date.today(), resolution_reference="BR-3")
    client.force_login(compliance_officer)
    body = page(client.get(reverse("home")))
    assert f"Disclose the waiver {case.reference}" in body
    assert 'class="badge badge-overdue">due' in body
    body = page(client.get(url("disclosures")))
    assert case.reference in body and "badge-overdue" in body
