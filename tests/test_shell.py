"""The UI shell: login, home, Read the Code, Get help, password reset, headers."""

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_visitor_at_the_root_gets_the_public_speak_up_page(client, demo):
    """Issue 10 item 3: an anonymous reporter sees how to speak up, not a login form."""
    response = client.get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    for url in ("report_new", "question_new", "follow_up", "cert_verify", "login"):
        assert f'href="{reverse(url)}"' in page
    assert "(866) 803-1540" in page and "What anonymity means here" in page
    assert "user agent" in page and "receipt key" in page
    assert 'name="password"' not in page


def test_employee_home_shows_tasks_and_filings(client, employee):
    client.force_login(employee)
    page = client.get(reverse("home")).content.decode()
    assert "Avery Alvarez" in page and "My tasks" in page and "My filings" in page


def test_post_to_home_is_refused(client, employee):
    client.force_login(employee)
    assert client.post(reverse("home")).status_code == 405


def test_read_the_code_has_a_table_of_contents_and_anchors(client, employee):
    client.force_login(employee)
    page = client.get(reverse("read_code")).content.decode()
    for anchor in ("conflicts-of-interest", "gifts-and-entertainment", "waivers", "confirmation-certificate"):
        assert f'href="#{anchor}"' in page and f'id="{anchor}"' in page
    assert "Any request for a waiver of this code must be submitted in writing" in page
    assert "&lt;PAGE&gt;" not in page


def test_get_help_names_the_contacts_and_the_hotline(client, demo):
    page = client.get(reverse("help")).content.decode()
    assert "Shane Whalen" in page and "Jennifer Grant" in page and "(866) 803-1540" in page


def test_login_with_demo_password(client, demo):
    from people.demo import DEMO_PASSWORD

    response = client.post(reverse("login"), {"username": "aalvarez", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_keeps_the_username(client, demo):
    response = client.post(reverse("login"), {"username": "aalvarez", "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200 and 'value="aalvarez"' in page and "correct username" in page


def test_password_reset_sends_a_mail(client, demo):
    client.post(reverse("password_reset"), {"email": "aalvarez@innovo.example"})
    assert len(mail.outbox) == 1 and "/accounts/reset/" in mail.outbox[0].body


def test_logout_is_a_post(client, employee):
    client.force_login(employee)
    assert client.post(reverse("logout")).status_code == 302
    assert "What anonymity means here" in client.get(reverse("home")).content.decode()


def test_pages_send_a_csp_that_allows_only_the_apps_origin(client, employee):
    client.force_login(employee)
    response = client.get(reverse("read_code"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "http" not in csp


@pytest.mark.parametrize("name", ["home", "read_code", "help", "login"])
def test_pages_reference_no_other_host(client, employee, name):
    client.force_login(employee)
    page = client.get(reverse(name)).content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert urls
    assert not [u for u in urls if u.startswith(("http:", "https:", "//"))]


def test_admin_lists_the_roster(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/admin/people/person/").content.decode()
    assert "Marc Crossman" in page
