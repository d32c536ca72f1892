"""The menu comes from the permissions module: nobody is offered what they cannot
use (issue 10, item 4). Every persona's menu entry matches `can()`, and answers 200."""

import re

import pytest
from django.urls import reverse

from innovo_compliance.navigation import WORK
from innovo_compliance.permissions import can

pytestmark = pytest.mark.django_db

PERSONAS = [
    "compliance_officer",
    "hr_director",
    "employee",
    "investigator",
    "vp",
    "executive",
    "board_liaison",
    "audit_member",
    "admin_user",
]


def _menu(html: str) -> str:
    return re.search(r'<nav class="navbar.*?</nav>', html, re.S).group(0)


def _links(menu: str) -> list[str]:
    return re.findall(r'<a class="(?:nav-link|dropdown-item)[^"]*" href="([^"]+)"', menu)


@pytest.mark.parametrize("persona", PERSONAS)
def test_work_menu_offers_exactly_what_the_role_may_use(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    menu = _menu(client.get(reverse("home")).content.decode())
    for label, name, action in WORK:
        offered = f'href="{reverse(name)}"' in menu
        assert offered == can(user, action), f"{persona}: {label} offered={offered}"
    for url in _links(menu):
        assert client.get(url).status_code == 200, f"{persona}: {url}"


@pytest.mark.parametrize("persona", ["investigator", "hr_director", "audit_member", "board_liaison"])
def test_only_the_compliance_officer_is_offered_legal_holds(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (reverse("home"), reverse("queue")):
        assert 'href="/cases/holds/"' not in client.get(url).content.decode()


def test_the_compliance_officer_is_offered_legal_holds(client, compliance_officer):
    client.force_login(compliance_officer)
    assert 'href="/cases/holds/"' in client.get(reverse("queue")).content.decode()


def test_user_menu_holds_my_pages_password_and_log_out(client, employee):
    client.force_login(employee)
    menu = _menu(client.get(reverse("home")).content.decode())
    assert "Avery Alvarez" in menu
    for name in ("approvals:mine", "cert_mine", "password_change"):
        assert f'href="{reverse(name)}"' in menu
    assert "Log out" in menu and 'href="/admin/"' not in menu


def test_admin_link_only_for_staff_and_no_filing_without_a_roster_entry(client, admin_user):
    client.force_login(admin_user)
    menu = _menu(client.get(reverse("home")).content.decode())
    assert 'href="/admin/"' in menu
    for name in ("approvals:new", "approvals:mine", "cert_mine"):  # no roster entry: nothing of their own
        assert f'href="{reverse(name)}"' not in menu
    assert f'href="{reverse("password_change")}"' in menu
    page = client.get(reverse("home")).content.decode()  # the home page's shortcuts too
    for name in ("approvals:new", "approvals:mine", "cert_mine"):
        assert f'href="{reverse(name)}"' not in page
    assert f'href="{reverse("report_new")}"' in page


def test_current_page_is_marked_once(client, compliance_officer):
    client.force_login(compliance_officer)
    menu = _menu(client.get(reverse("holds")).content.decode())
    current = re.findall(r'href="([^"]+)" aria-current="page"', menu)
    assert current == ["/cases/holds/"]  # the longest match, not also the queue at /cases/


def test_visitor_menu_is_the_public_one(client, demo):
    menu = _menu(client.get(reverse("home")).content.decode())
    for name in ("report_new", "question_new", "follow_up", "cert_verify", "help", "login", "read_code"):
        assert f'href="{reverse(name)}"' in menu
    assert "Work" not in menu and "Log out" not in menu


def test_a_visitor_reads_the_code_but_signs_nothing(client, demo):
    page = client.get(reverse("read_code"))
    assert page.status_code == 200 and "Conflicts of Interest" in page.content.decode()
    response = client.get(reverse("read_code"), {"obligation": "1"})  # reading for a certificate: log in
    assert response.status_code == 302
    assert client.get(response.url).status_code == 302 and "/accounts/login/" in client.get(response.url).url


def test_password_change_pages_are_in_the_shell(client, employee):
    from people.demo import DEMO_PASSWORD

    client.force_login(employee)
    page = client.get(reverse("password_change")).content.decode()
    assert "navbar" in page and "Change your password" in page
    new = "a-new-Passphrase-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )
    page = response.content.decode()
    assert "Password changed" in page and "navbar" in page and 'aria-current="page"' in page
