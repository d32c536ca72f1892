"""Forms that cannot double-file (issue 9, finding 9): every form carries a
one-time token; a reload or a double click sends it again and files nothing twice."""

import re
import threading

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case, CaseMessage
from cases.services import message_to_reporter
from tests.cases.factories import person, report
from tests.pow import hidden, pow_ok

pytestmark = pytest.mark.django_db

ONCE = re.compile(r'name="_once" value="([^"]+)"')


def _token(client, url) -> str:
    page = client.get(url).content.decode()
    tokens = ONCE.findall(page)
    assert tokens, "every POST form carries a one-time token"
    return tokens[-1]


def _report_form(**extra):
    return {"category": "fair_dealing", "title": "Envelopes", "description": "Every Friday.", **extra}


def test_every_post_form_gets_its_own_token(client, compliance_officer):
    client.force_login(compliance_officer)
    case, _ = report(by=person("jbrooks").user)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    tokens = ONCE.findall(page)
    assert len(tokens) >= 5 and len(set(tokens)) == len(tokens)


def test_reloading_the_anonymous_receipt_files_once_and_shows_no_key_again(client, demo):
    token = _token(client, reverse("report_new"))
    first = client.post(reverse("report_new"), _report_form(_once=token, **pow_ok()))
    assert first.status_code == 200 and "receipt-key" in first.content.decode()
    again = client.post(reverse("report_new"), _report_form(_once=token, **pow_ok()))
    page = again.content.decode()
    assert again.status_code == 200 and "already sent" in page and "receipt-key" not in page
    assert Case.objects.count() == 1


def test_reloading_after_answering_adds_the_answer_once(client, compliance_officer):
    case, key = report(anonymous=True)
    message_to_reporter(case_id=case.pk, actor=compliance_officer, body="Which day?")
    opened = client.post(reverse("follow_up"), {"key": key, **pow_ok("follow-up")})
    token = ONCE.findall(opened.content.decode())[-1]
    data = {"key": key, "body": "Friday.", "_once": token, "follow_up_pass": hidden(opened, "follow_up_pass")}
    assert client.post(reverse("follow_up"), data).status_code == 200
    again = client.post(reverse("follow_up"), data)
    assert "not added twice" in again.content.decode()
    assert CaseMessage.objects.filter(case=case, from_reporter=True).count() == 1


def test_a_second_click_on_save_goes_where_the_first_went(client, employee):
    client.force_login(employee)
    url = reverse("approvals:new_filing", args=["gift"])
    token = _token(client, url)
    data = {
        "gift_kind": "gift",
        "direction": "received",
        "counterparty": "Acme",
        "business_relationship": "supplier",
        "event_date": "2026-11-30",
        "value": "40",
        "currency": "USD",
        "occasion": "holiday",
        "giver_representative_present": "no",
        "action": "save",
        "_once": token,
    }
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    assert Case.objects.filter(kind="gift").count() == 1


def test_a_form_with_errors_releases_its_token(client, demo):
    token = _token(client, reverse("report_new"))
    bad = client.post(reverse("report_new"), {"category": "fair_dealing", "_once": token, **pow_ok()})
    assert bad.status_code == 200 and "This field is required" in bad.content.decode()
    good = client.post(reverse("report_new"), _report_form(_once=token, **pow_ok()))
    assert "receipt-key" in good.content.decode() and Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_files_once(demo):
    """Two requests with the same token at the same moment: one files, the other
    waits for it and is sent to the same page."""
    user = person("aalvarez").user
    clients = [Client(), Client()]
    for c in clients:
        c.force_login(user)
    token = _token(clients[0], reverse("report_new"))
    responses = []

    def post(c):
        responses.append(c.post(reverse("report_new"), _report_form(_once=token)))

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert Case.objects.count() == 1
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
