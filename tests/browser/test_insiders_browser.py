"""In Chromium: the insider trading golden path (INS-1, INS-2, INS-4), with screenshots.

The compliance officer enters the quarterly blackout window (it holds today), opens
a project and adds two insiders; both acknowledge from their home page; the deal
is announced and the project closed. The CFO asks for pre-clearance for today and
is refused (INS-4, the blackout); he asks again for the first trading day after
the window (the clock is moved by the dates chosen, not by waiting) and the
compliance officer approves it.
"""

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from insiders.models import Window
from policy.insiders import next_trading_day
from tests.browser.test_approvals_browser import console_errors, switch_user
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _last_quarter_end(today: date) -> date:
    first_month = (today.month - 1) // 3 * 3 + 1
    return date(today.year, first_month, 1) - timedelta(days=1)


def test_project_insiders_acknowledge_blackout_refusal_then_approval(page, demo, screenshot_dir, settings):
    errors = console_errors(page)
    today = date.today()
    login(page, "swhalen")

    # The quarterly window: from 15 days before the last quarter's end until two
    # trading days after an earnings release tomorrow: it holds today.
    page.goto("/insiders/windows/")
    page.get_by_label("Quarter ends on").fill(_last_quarter_end(today).isoformat())
    page.get_by_label("Earnings release on").fill((today + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Add the window").click()
    expect(page.get_by_text("Quarterly window added.")).to_be_visible()
    window = Window.objects.get()
    assert window.holds(today)
    expect(page.locator(f'[data-window="{window.name}"]')).to_contain_text("people")
    page.screenshot(path=screenshot_dir / "insiders-windows.png", full_page=True)

    # The project and its list.
    page.goto("/insiders/projects/")
    page.get_by_role("link", name="Open a project").click()
    page.get_by_label("Name").fill("Project Falcon")
    page.get_by_label("What it is about").select_option("acquisition")
    page.get_by_label("Description").fill("Buying a competitor in Nevada.")
    page.get_by_role("button", name="Open the project").click()
    expect(page.get_by_text("Project opened. Add the people who know.")).to_be_visible()
    for name, why in (
        ("Marc Crossman", "CFO: runs the valuation"),
        ("Samuel J. (Jay) Furrow, Jr.", "CEO: leads the negotiation"),
    ):
        page.get_by_label("Person").select_option(label=name)
        page.get_by_label("Why they need to know").fill(why)
        page.get_by_role("button", name="Add to the list").click()
        expect(page.get_by_text(f"{name} added to the list.")).to_be_visible()
    project_url = page.url

    # Both acknowledge, from their home page.
    for username in ("mcrossman", "jfurrow"):
        switch_user(page, username)
        page.get_by_role("link", name="Acknowledge the insider list of Project Falcon (INS-2)").click()
        page.get_by_role("button", name="I acknowledge that I was told").click()
        expect(page.get_by_text("Acknowledged. Thank you.")).to_be_visible()
        expect(page.locator("[data-acknowledged]")).to_be_visible()

    switch_user(page, "swhalen")
    page.goto(project_url)
    for name in ("Marc Crossman", "Samuel J. (Jay) Furrow, Jr."):
        expect(page.locator(f'[data-entry="{name}"] [data-ack]')).not_to_contain_text("not yet")
    page.screenshot(path=screenshot_dir / "insiders-project.png", full_page=True)
    # The acquisition is announced: the list is frozen.
    page.get_by_label("Public since").fill(today.isoformat())
    page.get_by_role("button", name="Close and freeze the list").click()
    expect(page.get_by_text("Closed: the information is public and the list is frozen.")).to_be_visible()
    expect(page.locator("[data-project-status]")).to_have_text("public, list frozen")

    # The CFO asks for today: inside the blackout.
    switch_user(page, "mcrossman")
    page.locator("[data-user-menu]").click()
    page.get_by_role("link", name="Insider trading").click()
    page.get_by_role("link", name="Ask for pre-clearance").click()
    page.get_by_label("The company's").check()
    page.get_by_label("Sell").check()
    page.get_by_label("Quantity (shares)").fill("5000")
    page.get_by_label("Planned date").fill(today.isoformat())
    page.get_by_role("button", name="Ask for pre-clearance").click()
    expect(page.locator("[data-outcome-summary]")).to_have_text("Refused (INS-4)")
    expect(page.locator('[data-rule="INS-4"]')).to_contain_text(f"inside the blackout window {window.name}")
    page.screenshot(path=screenshot_dir / "insiders-refused.png", full_page=True)

    # Again, for the first trading day after the window.
    after = next_trading_day(window.end + timedelta(days=1), settings.INNOVO["HOLIDAYS"])
    page.goto("/insiders/preclearance/new/")
    page.get_by_label("The company's").check()
    page.get_by_label("Sell").check()
    page.get_by_label("Quantity (shares)").fill("5000")
    page.get_by_label("Planned date").fill(after.isoformat())
    page.get_by_label("Note for the decider").fill("Tuition payment.")
    page.get_by_role("button", name="Ask for pre-clearance").click()
    expect(page.get_by_text("Sent for pre-clearance. Do not trade until it is approved.")).to_be_visible()
    expect(page.locator("[data-outcome-summary]")).to_have_text("Needs pre-clearance (INS-4)")
    reference = page.locator("nav[aria-label=breadcrumb] .active").inner_text()

    switch_user(page, "swhalen")
    page.get_by_role("link", name="1 pre-clearance request to decide").click()
    page.get_by_role("link", name=reference).click()
    page.get_by_label("Approve").check()
    page.get_by_label("Note").fill("Cleared: trade within the window.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()

    switch_user(page, "mcrossman")
    page.goto("/insiders/")
    page.get_by_role("link", name=reference).click()
    expect(page.locator("[data-decision]")).to_have_text("Approved")
    expect(page.locator("[data-valid]")).to_contain_text(f"{after:%b} {after.day}, {after.year}")
    expect(page.get_by_role("heading", name="Report the trade")).to_be_visible()
    page.screenshot(path=screenshot_dir / "insiders-approved-1280.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshot_dir / "insiders-approved-390.png", full_page=True)
    page.goto("/insiders/")
    page.screenshot(path=screenshot_dir / "insiders-mine-390.png", full_page=True)
    switch_user(page, "swhalen")
    page.goto(project_url)
    page.screenshot(path=screenshot_dir / "insiders-project-390.png", full_page=True)
    page.goto("/insiders/windows/")
    page.screenshot(path=screenshot_dir / "insiders-windows-390.png", full_page=True)
    assert page.foreign_requests == []
    assert errors == []
