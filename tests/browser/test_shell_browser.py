"""In Chromium: a demo employee logs in and reads the Code; nothing loads from another host."""

import pytest

from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_employee_logs_in_and_reads_the_code(page, demo, screenshot_dir):
    login(page, "aalvarez")
    assert page.get_by_role("heading", name="Welcome, Avery Alvarez").is_visible()
    page.screenshot(path=screenshot_dir / "home.png", full_page=True)

    page.get_by_role("link", name="Read the Code").first.click()
    page.wait_for_url("**/code/")
    assert page.get_by_role("heading", name="Code of Business Conduct and Ethics").is_visible()
    page.get_by_role("navigation", name="Table of contents").get_by_role("link", name="Waivers").click()
    assert page.url.endswith("#waivers")
    assert page.locator("#waivers").is_visible()
    page.goto("/code/")
    page.screenshot(path=screenshot_dir / "read-the-code.png")
    # Bootstrap's stylesheet really applied (served by the app itself).
    assert page.evaluate("getComputedStyle(document.querySelector('.navbar')).display") == "flex"
    assert page.foreign_requests == []


def test_keyboard_user_reaches_main_content_with_the_skip_link(page, demo):
    login(page, "aalvarez")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Skip to main content" in focused
