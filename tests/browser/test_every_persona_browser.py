"""In Chromium, every demo persona and a visitor over every main page they can reach
from the menu, at 390, 1280 and 1440 px (issue 10, acceptance):

- no page is wider than the viewport;
- nothing is offered that the role cannot use: no "Legal holds" and no bulk
  assignment without the permission, and every menu link answers 200;
- axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa) finds no violation;
- the focus ring has at least 3:1 contrast against what it is drawn on;
- the menu fits on one line from 1280 px, with the user menu (and its "Log out") on screen.

One test, one browser context per persona, the data made once: the suite's
transactional database is emptied after every test, so a test per persona would
seed it ten times. Problems are collected and reported together.
Screenshots of each persona's home and queue at 390 and 1280 px land in
var/screenshots/personas/.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model

from innovo_compliance.permissions import can
from tests.browser.shell_checks import axe_violations, focus_ring_problems, menu_links, overflow, overflowing
from tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1280, 1440)
PERSONAS = [
    # (login or None for a visitor, file name)
    ("swhalen", "compliance-officer"),
    ("jgrant", "hr-director"),
    ("aalvarez", "employee"),
    ("rchen", "investigator"),
    ("dwhitfield", "vp"),
    ("jfurrow", "executive"),
    ("mellis", "board-liaison"),
    ("areyes", "audit-committee"),
    ("admin", "admin"),
    (None, "visitor"),
]
# Reached from the footer or from the pages, not only from the menu.
ALWAYS = ["/report/follow-up/", "/certifications/verify/", "/help/"]
# Pages beyond the menu's, with the status they answer: the error pages in the shell
# (a role's forbidden page, a missing one); the test adds the certificate pages.
EXTRA_PAGES = {
    "employee": {"/cases/": 403, "/no-such-page/": 404},
    "investigator": {"/cases/holds/": 403},
    "visitor": {"/no-such-page/": 404},
}
# Pages whose body is the same for everyone signed in: axe runs on them once per width.
SAME_FOR_ALL = {
    "/code/",
    "/help/",
    "/report/",
    "/ask/",
    "/report/follow-up/",
    "/certifications/verify/",
    "/approvals/new/",
    "/accounts/password/",
}


def _make_work():
    """A few cases and filings so that queues, inboxes and pages are not empty, and a
    signed certificate (the employee's) for the verification pages. Returns its number."""
    from cases.services import case_assign
    from tests.approvals.factories import filing
    from tests.cases.factories import person, report
    from tests.certifications.helpers import new_hire_obligation, sign

    officer = person("swhalen").user
    report(by=person("jbrooks").user, title="Supplier kickbacks at the Tulsa plant")
    assigned, _ = report(by=person("jbrooks").user, title="Expense padding on a sales trip")
    case_assign(case_id=assigned.pk, actor=officer, assignee=person("rchen"))
    report(by=None, anonymous=True, category="accounting", title="Revenue booked early")
    report(by=person("aalvarez").user, category="harassment", title="Remarks in the warehouse")
    report(by=person("aalvarez").user, kind="question", title="May I accept a conference ticket?")
    filing(person("aalvarez").user, "gift", value="400.00", counterparty="Acme Supplies")
    filing(person("dwhitfield").user, "conflict")
    filing(person("mcrossman").user, "waiver")
    return sign(new_hire_obligation("aalvarez")).certificate_number


def _pages_for(page, username) -> list[str]:
    """The menu's links, plus a case and a filing the persona can open, plus the footer's pages."""
    page.goto("/")
    urls = [link["href"] for link in menu_links(page)]
    if "/cases/" in urls:
        page.goto("/cases/")
        first = page.locator("#queue-table a.ref").first
        if first.count():
            urls.append(first.get_attribute("href"))
    for source in ("/approvals/inbox/", "/approvals/"):
        if source in urls:
            page.goto(source)
            link = page.locator("main table a[href^='/approvals/']").first
            if link.count():
                urls.append(link.get_attribute("href"))
                break
    if "/certifications/campaigns/" in urls:
        page.goto("/certifications/campaigns/")
        link = page.locator("main a[href^='/certifications/campaigns/']:not([href$='/new/'])").first
        if link.count():
            urls.append(link.get_attribute("href"))
    urls += ALWAYS
    if username is None:
        urls += ["/accounts/login/"]
    seen = []
    for url in urls:
        if url not in seen and not url.startswith("/admin/"):
            seen.append(url)
    return seen


def _open_small_menu(page, name, shots) -> list[str]:
    """At 390 px: the collapsed menu opens, with its Work group, inside the viewport and passing axe."""
    page.get_by_role("button", name="Menu").click()
    work = page.get_by_role("button", name="Work")
    if work.count():
        work.click()
    page.wait_for_timeout(400)  # the collapse animation
    page.screenshot(path=shots / f"{name}-menu-390.png")
    problems = [f"{name}: the open menu at 390 px: {v}" for v in axe_violations(page)]
    if overflow(page) > 0:
        problems.append(f"{name}: the open menu is wider than 390 px: {overflowing(page)}")
    page.reload()
    return problems


def _menu_fits(page, width) -> list[str]:
    """From 1200 px the menu is one line and the user menu (Log out) is on screen."""
    if width < 1200:
        return []
    problems = []
    height = page.evaluate("document.querySelector('nav[aria-label=\"Main\"]').getBoundingClientRect().height")
    if height > 70:
        problems.append(f"the menu wraps to {height:.0f} px at {width} px")
    toggle = page.locator("[data-user-menu]")
    if toggle.count():
        box = toggle.bounding_box()
        if box["x"] + box["width"] > width:
            problems.append(f"the user menu is off screen at {width} px")
        toggle.click()
        logout = page.get_by_role("button", name="Log out")
        if not logout.is_visible() or logout.bounding_box()["x"] + logout.bounding_box()["width"] > width:
            problems.append(f"Log out is not on screen at {width} px")
        page.keyboard.press("Escape")
    return problems


@pytest.fixture
def signing_keys(settings, tmp_path):
    from certifications import signing

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    signing.generate_demo_keypair(key, cert)
    settings.INNOVO = {**settings.INNOVO, "SIGNING_KEY": key, "SIGNING_CERT": cert}


def test_every_persona_every_page_every_width(_chromium, live_server, demo, signing_keys, screenshot_dir):
    started = time.monotonic()
    certificate = _make_work()
    extra = {name: dict(pages) for name, pages in EXTRA_PAGES.items()}
    extra["visitor"][f"/certifications/verify/{certificate}/"] = 200
    extra["visitor"]["/certifications/verify/CC-2026-AAAA-BBBB/"] = 404
    shots = screenshot_dir / "personas"
    shots.mkdir(exist_ok=True)
    User = get_user_model()
    problems: list[str] = []
    axed: set[tuple[str, str, int]] = set()
    visited = 0

    for username, name in PERSONAS:
        # Reduced motion: Bootstrap then skips its colour transitions, which axe would catch half-way.
        context = _chromium.new_context(
            base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True, reduced_motion="reduce"
        )
        page = context.new_page()
        try:
            user = User.objects.get(username=username) if username else None
            if username:
                login(page, username)
            urls = _pages_for(page, username)
            print(f"{name}: {' '.join(urls)}")

            # Nothing offered that the role cannot use.
            for link in menu_links(page):
                status = page.request.get(link["href"]).status
                if status != 200:
                    problems.append(f"{name}: menu link {link['label']} ({link['href']}) answers {status}")
            may_hold = bool(user) and can(user, "hold.manage")
            may_assign = bool(user) and can(user, "queue.assign")

            for url in urls + list(extra.get(name, {})):
                response = page.goto(url)
                page.mouse.move(0, 0)  # no hover state left from a click
                visited += 1
                expected = extra.get(name, {}).get(url, 200)
                if response.status != expected:
                    problems.append(f"{name}: {url} answers {response.status}, not {expected}")
                    continue
                if not may_hold and page.locator("a[href='/cases/holds/']").count():
                    problems.append(f"{name}: {url} offers Legal holds")
                if not may_assign and page.locator("#bulk-form, input[name=case], [data-select-all]").count():
                    problems.append(f"{name}: {url} offers bulk assignment")
                current = [link["href"] for link in menu_links(page) if link["current"] == "page"]
                if len(current) > 1:
                    problems.append(f"{name}: {url} marks several menu entries current: {current}")
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    wider = overflow(page)
                    if wider > 0:
                        problems.append(
                            f"{name}: {url} is {wider} px wider than the viewport at {width} px: {overflowing(page)}"
                        )
                    who = "visitor" if user is None else "signed-in" if url in SAME_FOR_ALL else name
                    key = (url, who, width)
                    if key not in axed:
                        axed.add(key)
                        problems += [f"{name}: {url} at {width} px: {v}" for v in axe_violations(page)]
                    if width != 1440:
                        problems += [f"{name}: {url} at {width} px: {p}" for p in focus_ring_problems(page)]
                    if url == "/":
                        problems += [f"{name}: {p}" for p in _menu_fits(page, width)]
                    if url == "/" and width == 390 and name in ("compliance-officer", "visitor"):
                        problems += _open_small_menu(page, name, shots)
                    if url in ("/", "/cases/") and width in (390, 1280):
                        slug = "home" if url == "/" else "queue"
                        page.screenshot(path=shots / f"{name}-{slug}-{width}.png", full_page=True)
                page.set_viewport_size({"width": 1280, "height": 900})

            if may_hold:
                page.goto("/cases/")
                assert page.locator("a[href='/cases/holds/']").count(), "the compliance officer is offered Legal holds"
            if username == "swhalen":
                assert page.locator("[data-select-all]").count(), "the compliance officer is offered bulk assignment"
        finally:
            context.close()

    elapsed = time.monotonic() - started
    print(f"\n{visited} page visits for {len(PERSONAS)} personas in {elapsed:.0f} s")
    assert not problems, "\n".join(problems)
