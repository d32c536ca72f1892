"""Keyboard only, in Chromium (issue 10, acceptance): from the public page at `/`, an
anonymous report is filed with Tab, Enter and typing, its receipt key read and used
to follow up; on the gift form, "Check answer" with a mistake lands focus on the
error summary, whose links lead to the fields, and a good answer lands it on the
Code's verdict. The live region that announces it sits outside the swapped fragment.
"""

from __future__ import annotations

import pytest

from cases.models import Case
from tests.browser.shell_checks import focus_ring
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The focused element was scrolled to: at the top of the viewport, or on screen when the page ends first.
SCROLLED_TO = """() => {
  const top = document.activeElement.getBoundingClientRect().top;
  const atEnd = scrollY >= document.documentElement.scrollHeight - innerHeight - 1;
  return top > -1 && (top < 10 || (atEnd && top < innerHeight - 150));
}"""


def tab_to(page, selector: str, *, limit: int = 80, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    focused = page.evaluate("document.activeElement && document.activeElement.outerHTML.slice(0, 120)")
    raise AssertionError(f"{selector} was not reached with the keyboard (focus is on {focused})")


def focused(page) -> dict:
    return page.evaluate(
        "({id: document.activeElement.id, tag: document.activeElement.tagName.toLowerCase(),"
        " text: document.activeElement.textContent.trim().slice(0, 80)})"
    )


def test_anonymous_report_and_follow_up_with_the_keyboard_only(page, demo, screenshot_dir):
    page.goto("/")
    tab_to(page, "main a[href='/report/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/report/")

    tab_to(page, "#id_category")
    page.keyboard.type("Fair dealing")
    assert page.locator("#id_category").input_value() == "fair_dealing"
    tab_to(page, "#id_title")
    page.keyboard.type("Envelopes at the loading dock")
    tab_to(page, "#id_description")
    page.keyboard.type("A fictional carrier hands envelopes to a buyer every Friday.")
    tab_to(page, "form button[type=submit]")
    page.wait_for_selector("[data-pow-solved=true]", state="attached", timeout=60_000)
    page.keyboard.press("Enter")

    key = page.locator("#receipt-key").inner_text(timeout=30_000).strip()
    case = Case.objects.get()
    assert case.anonymous and case.title == "Envelopes at the loading dock" and len(key) == 29
    page.screenshot(path=screenshot_dir / "keyboard-receipt.png", full_page=True)

    tab_to(page, "main a[href='/report/follow-up/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/report/follow-up/")
    tab_to(page, "input[name=key]")
    page.keyboard.type(key)
    page.keyboard.press("Enter")  # the form waits for its proof of work, then sends
    page.get_by_role("heading", name=f"{case.reference}: Envelopes at the loading dock").wait_for(timeout=60_000)
    tab_to(page, "textarea[name=body]")
    page.keyboard.type("It happens around 4 pm.")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.get_by_text("It happens around 4 pm.").wait_for()
    assert case.messages.filter(from_reporter=True, body="It happens around 4 pm.").exists()


def test_check_answer_moves_focus_to_the_error_summary_then_to_the_verdict(page, demo, screenshot_dir):
    page.emulate_media(reduced_motion="reduce")  # Bootstrap then scrolls at once, not smoothly
    login(page, "aalvarez")
    page.goto("/approvals/new/gift/")
    live = page.locator("[data-live-region]")
    assert live.count() == 1 and live.get_attribute("aria-live") == "polite"
    assert not page.locator("#filing-form-region [aria-live]").count()  # nothing announces from inside the swap

    # Nothing filled in: "Check answer" lands on the error summary.
    tab_to(page, "button[value=check]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'error-summary'")
    summary = page.locator("#error-summary")
    assert "Nothing was saved" in summary.inner_text()
    assert page.evaluate(SCROLLED_TO)
    page.wait_for_function("() => document.querySelector('[data-live-region]').textContent.includes('Nothing was')")
    assert focus_ring(page)["ratio"] >= 3  # the focus is visible where it landed
    page.screenshot(path=screenshot_dir / "keyboard-check-answer-errors.png")
    # Every link of the summary leads to a field that exists; following one focuses it.
    targets = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href').slice(1))")
    assert targets and all(page.locator(f"[id='{t}']").count() == 1 for t in targets), targets
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == targets[0]

    # Filled in: "Check answer" lands on the Code's verdict.
    page.locator("#id_direction_1, #id_direction_0").first.check()
    page.locator("#id_gift_kind").select_option("gift")
    page.locator("#id_counterparty").fill("Acme Supplies")
    page.locator("#id_event_date").fill("2026-11-30")
    page.locator("#id_value").fill("400")
    page.locator("#id_currency").select_option("USD")
    tab_to(page, "button[value=check]")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement && document.activeElement.closest('#outcome')")
    assert "The Code says" in focused(page)["text"]
    page.wait_for_function("() => document.querySelector('[data-live-region]').textContent.startsWith('The Code says')")
    assert page.evaluate(SCROLLED_TO)
    page.screenshot(path=screenshot_dir / "keyboard-check-answer-verdict.png")
