"""Finding 11 of issue 9: login and password reset are throttled per account.

Before, 50 wrong passwords and then the right one logged in; nothing limited
reset e-mails. Now wrong passwords are counted per username and reset requests
per e-mail address (people/throttle.py), never per client."""

import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "Too many wrong passwords were entered for this account"


def log_in(client, username, password, url="login"):
    return client.post(reverse(url), {"username": username, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_finding11_repeated_wrong_passwords_lock_that_account_with_a_clear_message_and_not_another(
    client, employee, other_employee, settings
):
    limit = settings.INNOVO["LOGIN_FAILURES_BEFORE_LOCK"]
    for _ in range(limit - 1):
        response = log_in(client, "aalvarez", "wrong")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    response = log_in(client, "aalvarez", "wrong")
    assert LOCKED in response.content.decode() and "locked until" in response.content.decode()
    # Now even the right password is refused, with the same message.
    response = log_in(client, "aalvarez", DEMO_PASSWORD)
    assert LOCKED in response.content.decode() and not logged_in(client)
    # Another account, from the same client, is not affected.
    assert log_in(client, "jbrooks", DEMO_PASSWORD).status_code == 302 and logged_in(client)


def test_the_lock_ends_after_the_lock_time(client, employee, settings):
    for _ in range(settings.INNOVO["LOGIN_FAILURES_BEFORE_LOCK"]):
        log_in(client, "aalvarez", "wrong")
    later = timezone.now() + timezone.timedelta(minutes=settings.INNOVO["LOGIN_LOCK_MINUTES"], seconds=5)
    with time_machine.travel(later):
        assert log_in(client, "aalvarez", DEMO_PASSWORD).status_code == 302


def test_a_right_password_before_the_limit_clears_the_count(client, employee, settings):
    limit = settings.INNOVO["LOGIN_FAILURES_BEFORE_LOCK"]
    for _ in range(limit - 1):
        log_in(client, "aalvarez", "wrong")
    assert log_in(client, "aalvarez", DEMO_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(limit - 1):
        log_in(client, "aalvarez", "wrong")
    assert log_in(client, "aalvarez", DEMO_PASSWORD).status_code == 302


def test_an_unknown_username_is_locked_the_same_way_so_the_answer_tells_nothing(client, demo, settings):
    for _ in range(settings.INNOVO["LOGIN_FAILURES_BEFORE_LOCK"]):
        response = log_in(client, "nobody-here", "wrong")
    assert LOCKED in response.content.decode()


def test_a_locked_account_cannot_log_in_through_the_admin_either(admin_user, settings):
    client = Client()
    for _ in range(settings.INNOVO["LOGIN_FAILURES_BEFORE_LOCK"]):
        log_in(client, "admin", "wrong", url="admin:login")
    response = log_in(client, "admin", DEMO_PASSWORD, url="admin:login")
    assert LOCKED in response.content.decode() and not logged_in(client)
    assert LOCKED in log_in(Client(), "admin", DEMO_PASSWORD).content.decode()


def test_signing_a_certificate_counts_wrong_passwords_like_a_login(employee, settings):
    from certifications.forms import SignForm
    from tests.certifications.helpers import new_hire_obligation

    obligation = new_hire_obligation()
    for _ in range(settings.INNOVO["LOGIN_FAILURES_BEFORE_LOCK"]):
        form = SignForm({"password": "wrong", "typed_name": "x"}, user=employee, obligation=obligation)
        assert not form.is_valid()
    assert LOCKED in str(form.errors["password"])
    assert LOCKED in log_in(Client(), "aalvarez", DEMO_PASSWORD).content.decode()


def test_password_reset_is_limited_per_address_and_unlocks_the_account(client, employee, other_employee, settings):
    for _ in range(settings.INNOVO["LOGIN_FAILURES_BEFORE_LOCK"]):
        log_in(client, "aalvarez", "wrong")
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": employee.email}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": employee.email})
    assert response.status_code == 200 and "already sent to this address" in response.content.decode()
    assert len(mail.outbox) == 3
    # Another address is not affected.
    assert client.post(reverse("password_reset"), {"email": other_employee.email}).status_code == 302
    # The link in the mail sets a new password and ends the lock.
    link = re.search(r"/accounts/reset/[^/\s]+/[^/\s]+/", mail.outbox[0].body).group(0)
    form_url = client.get(link)["Location"]
    new_password = "a-New-passphrase-2026"
    client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert log_in(Client(), "aalvarez", new_password).status_code == 302
