"""Finding 11 of issue 9: no single client can shut anonymous reporters out.

Before, the limits were per minute for the whole site: after 300 wrong keys a
reporter with the right key got 429, and under load 390 of 420 anonymous reports
were refused. Now a proof of work prices each anonymous request, wrong keys are
counted per look-up id, and requests without JavaScript have a lane of their own
(innovo_compliance/abuse.py)."""

import secrets

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.services.receipts import KEY_ALPHABET
from innovo_compliance import abuse
from tests.cases.factories import report
from tests.pow import hidden, no_js, pow_ok

pytestmark = pytest.mark.django_db


def a_report(**extra):
    return {
        "category": "fair_dealing",
        "title": "Supplier kickbacks",
        "description": "A fictional supplier pays a fictional buyer.",
        **extra,
    }


def random_key() -> str:
    return "-".join("".join(secrets.choice(KEY_ALPHABET) for _ in range(5)) for _ in range(5))


def open_report(client, key, **fields):
    return client.post(reverse("follow_up"), {"key": key, **pow_ok(abuse.FOLLOW_UP), **fields})


def test_finding11_300_wrong_keys_from_one_client_leave_a_reporter_with_a_valid_key_unaffected(client, demo):
    case, key = report(anonymous=True)
    attacker = client
    refused = 0
    for _ in range(300):
        response = open_report(attacker, random_key())
        assert response.status_code == 200 and "does not open any report" in response.content.decode()
        refused += 1
    assert refused == 300
    reporter = Client()
    response = open_report(reporter, key)
    assert response.status_code == 200
    assert case.reference in response.content.decode()


def test_finding11_many_anonymous_reports_are_never_refused_for_reporters_with_javascript(client, demo):
    """The former site-wide limit refused the 31st anonymous report of a minute."""
    codes = [client.post(reverse("report_new"), a_report(**pow_ok())).status_code for _ in range(40)]
    assert codes == [200] * 40
    assert Case.objects.filter(anonymous=True).count() == 40


def test_reports_without_javascript_have_a_lane_of_their_own_that_says_what_to_do_when_full(client, demo, settings):
    settings.INNOVO = {**settings.INNOVO, "NO_JS_ANONYMOUS_PER_MINUTE": 2}
    codes = [client.post(reverse("report_new"), a_report(**no_js())).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    response = client.post(reverse("report_new"), a_report(**no_js(), title="Still here"))
    page = response.content.decode()
    assert response.status_code == 429
    assert "Turn on JavaScript" in page and settings.INNOVO["HOTLINE"] in page
    assert "Still here" in page  # what was typed is not lost
    # A full no-JavaScript lane never slows a reporter with JavaScript.
    assert client.post(reverse("report_new"), a_report(**pow_ok())).status_code == 200
    assert Case.objects.count() == 3
    # The lane opens again the next minute.
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=61)):
        assert client.post(reverse("report_new"), a_report(**no_js())).status_code == 200


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (dict, "expired or was already used"),
        (lambda: {"pow_challenge": "forged", "pow_solution": "1"}, "expired or was already used"),
        (lambda: {"pow_challenge": "forged", "pow_solution": ""}, "expired or was already used"),
        (lambda: {**pow_ok(), "pow_solution": "999999999"}, "did not match"),
        (lambda: {**pow_ok(), "pow_solution": "1e5"}, "did not match"),
        (lambda: pow_ok(abuse.FOLLOW_UP), "expired or was already used"),  # another form's challenge
    ],
)
def test_an_anonymous_report_without_a_valid_proof_of_work_is_refused_and_kept_on_screen(client, demo, fields, message):
    response = client.post(reverse("report_new"), a_report(**fields()))
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "Supplier kickbacks" in page
    assert 'name="pow_challenge"' in page  # a fresh challenge to send again
    assert not Case.objects.exists()


def test_a_proof_of_work_is_used_once(client, demo):
    solved = pow_ok()
    assert client.post(reverse("report_new"), a_report(**solved)).status_code == 200
    response = client.post(reverse("report_new"), a_report(**solved))
    assert response.status_code == 400 and "already used" in response.content.decode()
    assert Case.objects.count() == 1


def test_a_proof_of_work_expires(client, demo):
    solved = pow_ok()
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=abuse.CHALLENGE_SECONDS + 5)):
        response = client.post(reverse("report_new"), a_report(**solved))
    assert response.status_code == 400 and not Case.objects.exists()


def test_an_employee_reporting_anonymously_does_the_proof_of_work_and_a_named_report_does_not(client, employee):
    client.force_login(employee)
    assert client.post(reverse("report_new"), a_report(anonymous="on")).status_code == 400
    assert client.post(reverse("report_new"), a_report(anonymous="on", **pow_ok())).status_code == 200
    assert client.post(reverse("report_new"), a_report()).status_code == 302
    assert Case.objects.filter(anonymous=True).count() == 1 and Case.objects.filter(anonymous=False).count() == 1


def test_the_forms_carry_a_fresh_challenge_and_say_what_happens_without_javascript(client, demo):
    for name in ("report_new", "question_new", "follow_up"):
        page = client.get(reverse(name)).content.decode()
        assert 'name="pow_challenge"' in page and "data-pow-salt" in page and "js/pow.js" in page
        assert "JavaScript is off" in page


def test_wrong_keys_are_counted_per_lookup_and_close_only_that_report(client, demo, settings):
    case, key = report(anonymous=True)
    other, other_key = report(anonymous=True)
    lookup = key[:17]  # the first 3 groups, with their dashes
    for _ in range(abuse.RECEIPT_KEY_FAILURES):
        wrong = lookup + "-" + random_key()[18:]  # right look-up, wrong secret part
        assert "does not open any report" in open_report(client, wrong).content.decode()
    response = open_report(client, key)
    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many wrong keys" in page and settings.INNOVO["HOTLINE"] in page
    assert case.reference not in page
    # Another reporter is not affected; the report opens again after the hour.
    assert other.reference in open_report(client, other_key).content.decode()
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=2 * abuse.RECEIPT_KEY_WINDOW)):
        assert case.reference in open_report(client, key).content.decode()


def test_follow_ups_without_javascript_have_their_own_lane(client, demo, settings):
    settings.INNOVO = {**settings.INNOVO, "NO_JS_ANONYMOUS_PER_MINUTE": 3}
    case, key = report(anonymous=True)
    for _ in range(3):
        client.post(reverse("follow_up"), {"key": random_key(), **no_js(abuse.FOLLOW_UP)})
    response = client.post(reverse("follow_up"), {"key": key, **no_js(abuse.FOLLOW_UP)})
    assert response.status_code == 429 and "Turn on JavaScript" in response.content.decode()
    assert case.reference in open_report(client, key).content.decode()


def test_answering_from_the_page_the_key_opened_needs_no_second_proof_of_work(client, demo):
    case, key = report(anonymous=True)
    response = open_report(client, key)
    answer = {"key": key, "body": "More details.", "follow_up_pass": hidden(response, "follow_up_pass")}
    assert "More details." in client.post(reverse("follow_up"), answer).content.decode()
    # The pass is for that report's look-up only.
    _other, other_key = report(anonymous=True)
    response = client.post(reverse("follow_up"), {**answer, "key": other_key})
    assert response.status_code == 400
