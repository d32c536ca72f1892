"""In Chromium (BOARD-1, BOARD-2): the board liaison sees the banner on every page,
opens the governance case, records the exchange's letter and reads both deadlines;
the history page with its server-drawn chart at 390 and 1280 px. Screenshots in
var/screenshots/governance-*.png."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import GovernanceCase
from tests.conftest import login
from tests.governance.helpers import end_seat

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def console_errors(page) -> list[str]:
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_liaison_sees_the_banner_records_the_letter_and_reads_the_deadlines(page, demo, screenshot_dir):
    errors = console_errors(page)
    today = timezone.localdate()
    # Priya Raman leaves the Board: the roster write's hook opens the cases (3 of 6, an audit committee of 2).
    end_seat("Priya Raman", today - timedelta(days=2))
    case = GovernanceCase.objects.get(rule_id="BOARD-1", status="open")

    login(page, "mellis")
    banner = page.locator("[data-governance-banner]")
    expect(banner).to_contain_text("Board out of compliance.")
    expect(banner).to_contain_text("No independent majority (BOARD-1)")
    page.goto("/approvals/inbox/")
    expect(banner).to_be_visible()  # every page
    page.screenshot(path=screenshot_dir / "governance-banner.png", full_page=True)
    banner.get_by_role("link", name="No independent majority (BOARD-1)").click()
    page.wait_for_url(f"**/governance/cases/{case.pk}/")
    deadline = case.cure_deadline
    expect(page.locator("[data-cure-deadline]")).to_contain_text(f"{deadline:%B} {deadline.day}, {deadline.year}")
    expect(page.locator("[data-disclosure-due]")).to_have_text("four business days after the letter")

    received = today - timedelta(days=1)
    page.get_by_label("Letter received on").fill(received.isoformat())
    page.get_by_role("button", name="Record the letter").click()
    expect(page.get_by_text("Letter recorded: the disclosure deadline is set.")).to_be_visible()
    case.refresh_from_db()
    due = case.disclosure_due
    expect(page.locator("[data-disclosure-due]")).to_have_text(f"{due:%B} {due.day}, {due.year}")
    expect(page.locator("[data-letter]")).to_have_text(f"{received:%B} {received.day}, {received.year}")
    expect(banner).to_contain_text(f"disclose by {due:%b} {due.day}, {due.year}")
    expect(page.locator('[data-event="letter"]')).to_contain_text("four business days")
    page.screenshot(path=screenshot_dir / "governance-case.png", full_page=True)
    assert page.foreign_requests == []
    assert errors == []


@pytest.mark.parametrize("width", [390, 1280])
def test_history_page_draws_the_chart_at_phone_and_desktop_width(page, demo, screenshot_dir, width):
    from governance.demo import seed_governance

    seed_governance()
    errors = console_errors(page)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "mellis")
    page.goto("/governance/")
    chart = page.locator("svg[data-board-chart]").locator("visible=true")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] <= width and box["height"] > 60
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    expect(chart).to_have_count(1)  # a narrower drawing on a phone, the wide one on a desktop
    assert chart.locator('[data-breach="BOARD-1"]').count() >= 1
    expect(page.locator("[data-case]")).to_have_count(2)
    expect(page.locator("[data-governance-banner]")).to_have_count(0)  # 2006 was cured
    page.screenshot(path=screenshot_dir / f"governance-history-{width}.png", full_page=True)
    page.get_by_role("link", name=GovernanceCase.objects.get(rule_id="BOARD-1").reference).click()
    expect(page.locator("[data-status]")).to_contain_text("Cured on June 1, 2006 by Priya Raman joining the Board")
    expect(page.locator("[data-cure-deadline]")).to_have_text("January 31, 2007")
    expect(page.locator("[data-disclosure-due]")).to_have_text("February 8, 2006")
    page.screenshot(path=screenshot_dir / f"governance-case-2006-{width}.png", full_page=True)
    assert page.foreign_requests == []
    assert errors == []
