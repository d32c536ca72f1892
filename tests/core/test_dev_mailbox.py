"""The development mailbox (issue 10, item 10): with DEBUG every e-mail, sent by the
web process or by the worker, lands in one folder and is listed at /dev/mailbox/;
without DEBUG the page does not exist."""

from __future__ import annotations

import time

import pytest
from django.core import mail

from innovo_compliance.devmail import BACKEND, mailbox
from people.demo import DEMO_PASSWORD
from tests.cases.factories import report

URL = "/dev/mailbox/"


@pytest.fixture
def dev_mail(settings, tmp_path):
    """What DEBUG's default gives `make run`: the mailbox backend on a folder."""
    settings.DEBUG = True
    settings.MAILERS = {"default": {"BACKEND": BACKEND, "OPTIONS": {"directory": str(tmp_path / "mail")}}}
    return tmp_path / "mail"


def test_nobody_finds_the_mailbox_without_debug(client, employee, admin_user, settings):
    settings.DEBUG = False
    assert client.get(URL).status_code == 404
    client.force_login(admin_user)
    assert client.get(URL).status_code == 404
    client.force_login(employee)
    assert client.get(URL).status_code == 404


def test_a_visitor_is_sent_to_log_in_with_debug(client, dev_mail, demo):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_mailbox_lists_messages_newest_first_with_subject_recipients_and_body(client, employee, dev_mail):
    mail.send_mail("First", "The first body.", "compliance@innovo.example", ["a@innovo.example"])
    mail.send_mail("Second", "The second body.", "compliance@innovo.example", ["b@innovo.example", "c@x.example"])
    client.force_login(employee)
    body = client.get(URL).content.decode()
    assert body.index("Second") < body.index("First")
    assert "b@innovo.example, c@x.example" in body and "The second body." in body
    assert [m.subject for m in mailbox(dev_mail)[0]] == ["Second", "First"]
    assert "Mail(" not in body, "the list is not taken for the messages framework's flash messages"


def test_settings_with_debug_write_mail_to_var_mail_by_default():
    """What `make run` gets when EMAIL_BACKEND is unset (tests/settings.py uses locmem)."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    env |= {"DJANGO_SETTINGS_MODULE": "innovo_compliance.settings", "DEBUG": "true", "VAR_DIR": "/tmp/innovo-var-x"}
    code = "from django.conf import settings as s; print(s.MAILERS['default'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert BACKEND in result.stdout and "/tmp/innovo-var-x/mail" in result.stdout


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_mail_from_the_web_process_and_from_the_worker_land_in_one_mailbox(
    redis_required, demo, celery_worker, client, dev_mail
):
    # The web process: a password reset is sent while the request is answered.
    response = client.post("/accounts/password-reset/", {"email": "jbrooks@innovo.example"})
    assert response.status_code == 302
    # The worker: a report's notice to its handler goes through the outbox and a real worker.
    report(by=demo_user("jbrooks"), title="Pallets stacked in the fire exit")
    deadline = time.monotonic() + 30
    while len(mailbox(dev_mail)[0]) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.login(username="swhalen", password=DEMO_PASSWORD)
    page = client.get(URL).content.decode()
    assert "Password reset" in page and "jbrooks@innovo.example" in page
    assert "swhalen@innovo.example" in page, "the worker's notice to the compliance officer"


def demo_user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
