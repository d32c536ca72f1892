"""In Chromium: the two golden paths of approvals, end to end, with screenshots.

1. An employee logs a $300 gift, sees "Needs approval (GIFT-3)" before submitting;
   the compliance officer approves it with a condition; the employee reads both.
2. An executive officer discloses a conflict; it reaches the board liaison, who
   records the Board's resolution (meeting date, reference, recusal); the officer
   reads it.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, username):
    page.context.clear_cookies()
    login(page, username)


def console_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_employee_gift_needs_approval_and_is_approved_with_a_condition(page, demo, screenshot_dir):
    errors = console_errors(page)
    login(page, "aalvarez")
    page.goto("/approvals/new/")
    page.get_by_role("link", name="Log a gift or entertainment").click()
    page.wait_for_url("**/approvals/new/gift/")
    page.get_by_label("I received it").check()
    page.get_by_label("What was it?").select_option("gift")
    page.get_by_label("Organisation").fill("Acme Supplies")
    page.get_by_label("Date*", exact=True).fill((date.today() - timedelta(days=2)).isoformat())
    page.get_by_label("Value*", exact=True).fill("300")
    page.get_by_label("Occasion").fill("Holiday season")
    page.evaluate("window.sameDocument = true")
    page.get_by_role("button", name="Check answer").click()
    summary = page.locator("[data-outcome-summary]")
    expect(summary).to_have_text("Needs approval (GIFT-3)")
    assert page.evaluate("window.sameDocument === true")  # htmx swapped the form in place: no reload
    expect(page.get_by_text("A gift must be worth under $250")).to_be_visible()
    page.screenshot(path=screenshot_dir / "approvals-gift-form-outcome.png", full_page=True)

    page.get_by_role("button", name="Save and review").click()
    page.wait_for_url("**/approvals/*/")
    expect(page.get_by_text("Review before you submit.")).to_be_visible()
    expect(summary).to_have_text("Needs approval (GIFT-3)")
    page.get_by_role("button", name="Submit to the compliance officer").click()
    expect(page.get_by_text("Sent. You can follow it here.")).to_be_visible()
    reference = page.locator("nav[aria-label=breadcrumb] .active").inner_text()

    switch_user(page, "swhalen")
    expect(page.get_by_text("1 waiting for your decision")).to_be_visible()
    page.goto("/approvals/inbox/")
    expect(page.locator('[data-count="waiting"]')).to_have_text("1")
    page.screenshot(path=screenshot_dir / "approvals-inbox.png", full_page=True)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name="Decide")).to_be_visible()
    page.get_by_role("radio", name="Approve with conditions").check()
    page.get_by_role("textbox", name="Conditions").fill("Share the gift basket with your team.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()

    switch_user(page, "aalvarez")
    page.goto("/approvals/")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("[data-decision]")).to_have_text("Approved with conditions")
    expect(page.locator("[data-conditions]")).to_have_text("Share the gift basket with your team.")
    expect(page.get_by_text("Shane Whalen (compliance officer)")).to_be_visible()
    page.screenshot(path=screenshot_dir / "approvals-filing-page.png", full_page=True)
    assert page.foreign_requests == []
    assert errors == []  # no Content-Security-Policy violation, no script error


def test_executive_conflict_goes_to_the_board_and_the_liaison_records_the_resolution(page, demo, screenshot_dir):
    login(page, "mcrossman")
    page.goto("/approvals/new/conflict/")
    page.get_by_label("What do you need to disclose?").select_option("financial_interest")
    # Only the fieldsets for a financial interest show (static/js/approvals.js).
    expect(page.get_by_label("Principal amount")).to_be_hidden()
    page.get_by_label("The other organisation or person").fill("Coastline Textiles")
    page.get_by_label("What is that business to Innovo?").select_option("supplier")
    page.get_by_label("Who holds the interest?").select_option("self")
    page.get_by_label("Share of its outstanding stock (%)").fill("2")
    page.get_by_role("button", name="Check answer").click()
    expect(page.locator("[data-outcome-summary]")).to_have_text("Needs approval (COI-6, COI-1)")
    expect(page.get_by_text("Who decides: Board of Directors or its designated committee")).to_be_visible()
    page.screenshot(path=screenshot_dir / "approvals-conflict-form-outcome.png", full_page=True)
    page.get_by_role("button", name="Save and review").click()
    page.get_by_role("button", name="Submit to the board of directors or its designated committee").click()
    expect(page.get_by_text("Sent. You can follow it here.")).to_be_visible()
    reference = page.locator("nav[aria-label=breadcrumb] .active").inner_text()

    switch_user(page, "mellis")
    page.goto("/approvals/inbox/")
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name="Record the Board's decision")).to_be_visible()
    page.get_by_role("radio", name="Approve", exact=True).check()
    page.get_by_label("Board meeting date").fill(date.today().isoformat())
    page.get_by_label("Resolution reference").fill("BR-2026-11-07")
    expect(page.get_by_label("Marc Crossman")).to_be_checked()  # the filer sits on the Board (COI-7)
    reason = "No transaction with Coastline Textiles without prior Board approval."
    page.get_by_role("textbox", name="Reason").fill(reason)
    page.screenshot(path=screenshot_dir / "approvals-board-decision-form.png", full_page=True)
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()

    switch_user(page, "mcrossman")
    page.goto("/approvals/")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("[data-decision]")).to_have_text("Approved")
    expect(page.locator("[data-resolution]")).to_have_text("BR-2026-11-07")
    expect(page.get_by_text("Recused (COI-7): Marc Crossman.")).to_be_visible()
    expect(page.get_by_text("the Board of Directors (recorded by Morgan Ellis)")).to_be_visible()
    page.screenshot(path=screenshot_dir / "approvals-board-filing-page.png", full_page=True)
    assert page.foreign_requests == []


def test_the_gift_form_works_without_javascript(_chromium, live_server, demo):
    """Check answer re-renders the page with the verdict; Save and review, Submit: all plain forms."""
    context = _chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        login(page, "jbrooks")
        page.goto("/approvals/new/gift/")
        page.get_by_label("Organisation").fill("Acme Supplies")
        page.get_by_label("Date*", exact=True).fill((date.today() - timedelta(days=1)).isoformat())
        page.get_by_label("Value*", exact=True).fill("25")
        page.get_by_label("Cash or a cash equivalent").check()
        page.get_by_role("button", name="Check answer").click()
        expect(page.locator("[data-outcome-summary]")).to_have_text("Prohibited (GIFT-2)")
        expect(page.get_by_label("Organisation")).to_have_value("Acme Supplies")
        page.get_by_role("button", name="Save and review").click()
        page.get_by_role("button", name="Submit to the compliance officer").click()
        expect(page.get_by_text("Sent. You can follow it here.")).to_be_visible()
        expect(page.get_by_text("Prohibited.", exact=False).first).to_be_visible()
    finally:
        context.close()
