"""In Chromium (issue 9's acceptance): a report naming "Whalen, Shane" never reaches
Shane Whalen, the compliance officer, and the audit committee sees it flagged as a
likely subject to confirm. The roster picker suggests people to a logged-in reporter."""

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseParty
from core.models import OutboxItem
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)


def test_a_report_naming_whalen_shane_never_reaches_him_and_is_flagged_for_the_audit_committee(
    page, demo, screenshot_dir
):
    errors = []
    # Failed loads are checked by status below (one 404 is on purpose); other console errors here.
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of" not in m.text else None)
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    login(page, "jbrooks")
    page.goto("/report/")
    page.locator("#id_category").select_option("fair_dealing")
    page.get_by_label("In a few words, what is it about?").fill("Invoices approved without checks")
    page.get_by_label("What happened?").fill("The supplier's invoices are approved without any check.")
    # The picker offers the roster; the reporter types the name their own way instead.
    picker = page.get_by_label("Find someone on the roster to add to: Who is it about? (names, one per line)")
    picker.fill("Whal")
    expect(page.locator("datalist option[value^='Shane Whalen']")).to_have_count(1)
    picker.fill("")
    page.get_by_label("Who is it about? (names, one per line)", exact=True).fill("Whalen, Shane")
    page.get_by_role("button", name="Send the report").click()
    page.wait_for_url("**/cases/*/")
    case = Case.objects.get(title="Invoices approved without checks")
    assert case.decider == "audit_committee"

    switch_user(page, "swhalen")
    page.goto("/cases/")
    expect(page.get_by_text("Invoices approved without checks")).to_have_count(0)
    response = page.goto(f"/cases/{case.pk}/")
    assert response.status == 404
    assert not OutboxItem.objects.filter(recipients__contains="swhalen@").exists()

    assert failed == [f"404 {page.url}"]
    failed.clear()
    switch_user(page, "areyes")
    page.goto(f"/cases/{case.pk}/")
    flag = page.locator(".likely-party")
    expect(flag).to_contain_text("Shane Whalen")
    expect(flag).to_contain_text("Whalen, Shane")
    page.screenshot(path=screenshot_dir / "likely-subject-for-the-audit-committee.png", full_page=True)
    page.get_by_role("button", name="Confirm: it is Shane Whalen").click()
    expect(page.get_by_text(f"Shane Whalen confirmed on {case.reference}.")).to_be_visible()
    assert case.parties.get(person__user__username="swhalen").status == CaseParty.CONFIRMED
    case.refresh_from_db()
    assert case.decider == "audit_committee"
    assert errors == [] and failed == []
