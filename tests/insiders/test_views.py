"""Insider trading pages: forms keep what was typed and say what is wrong, list
pages cost a fixed number of queries, the export, the refused request's reason
(INS-1), the frozen list (INS-1) and the Form 4 reminder on the home page (INS-5)."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from insiders import services
from insiders.models import Request
from people.models import Person
from policy.insiders import Status
from tests.insiders.factories import ask, next_weekday, person, project, user, window

pytestmark = pytest.mark.django_db


def body(response) -> str:
    return response.content.decode()


def _queries(client, path) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _more(n: int, start: int):
    names = list(Person.objects.order_by("name").values_list("pk", flat=True))[start : start + n]
    falcon = project(f"Project {start}")
    for pk in names:
        services.insider_add(project_id=falcon.pk, actor=user("swhalen"), person_id=pk, reason="Needs to know")
    for i in range(n):
        window(date(2020 + start, 1, 1) + timedelta(days=10 * i), date(2020 + start, 1, 5) + timedelta(days=10 * i))
        ask("mcrossman", quantity=10 + i)
    return falcon


@pytest.mark.parametrize(
    ("viewer", "name"),
    [("swhalen", "insiders:inbox"), ("swhalen", "insiders:projects"), ("swhalen", "insiders:windows"),
     ("mcrossman", "insiders:mine"), ("swhalen", "insiders:project")],
)  # fmt: skip
def test_list_pages_cost_the_same_queries_for_few_and_many(
    client, demo, viewer, name, django_assert_max_num_queries, settings
):
    # This process's own cache: another test process clearing the shared Redis database
    # would make the cached roles cold between the two counts.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    first = _more(2, 0)
    client.force_login(user(viewer))
    path = reverse(name, args=[first.pk]) if name == "insiders:project" else reverse(name)
    path += "?status=all" if name == "insiders:inbox" else ""
    few = _queries(client, path)
    _more(12, 2)
    services.insider_add(project_id=first.pk, actor=user("swhalen"), person_id=person("jbrooks").pk, reason="x")
    services.insider_add(project_id=first.pk, actor=user("swhalen"), person_id=person("jgrant").pk, reason="y")
    with django_assert_max_num_queries(20):
        client.get(path)
    assert _queries(client, path) == few


def test_request_form_keeps_what_was_typed_and_says_what_is_wrong(client, demo):
    client.force_login(user("mcrossman"))
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("insiders:request_new"),
        {"security": "other", "other_ticker": "ZZZQ", "side": "sell", "quantity": "1234", "planned_date": yesterday,
         "note": "Paying for school"},
    )  # fmt: skip
    html = body(response)
    assert response.status_code == 200
    assert "The planned date cannot be in the past." in html
    for typed in ('value="ZZZQ"', 'value="1234"', f'value="{yesterday}"', "Paying for school"):
        assert typed in html, typed
    assert 'value="sell" checked' in html.replace("  ", " ") or "checked" in html
    assert not Request.objects.exists()


def test_refused_request_shows_the_rule_and_the_reason_ins1(client, demo):
    project("Project Falcon", insiders=["mcrossman"])
    client.force_login(user("mcrossman"))
    response = client.post(
        reverse("insiders:request_new"),
        {"security": "company", "side": "buy", "quantity": "100", "planned_date": date.today().isoformat()},
        follow=True,
    )
    html = body(response)
    assert "Refused (INS-1)" in html and "insider list of Project Falcon" in html


def test_project_forms_keep_what_was_typed(client, demo):
    client.force_login(user("swhalen"))
    html = body(client.post(reverse("insiders:project_new"), {"name": "Project Kite", "kind": "other_company",
                                                               "description": "Buying Kite Inc."}))  # fmt: skip
    assert "Name the other company or give its ticker (INS-3)." in html
    assert 'value="Project Kite"' in html and "Buying Kite Inc." in html
    kite = project("Project Kite")
    html = body(client.post(reverse("insiders:project_add", args=[kite.pk]), {"reason": "Runs the data room"}))
    assert "This field is required." in html and "Runs the data room" in html
    html = body(
        client.post(reverse("insiders:window_new"), {"quarter_end": "2026-12-30", "earnings_release": "2027-02-11"})
    )
    assert "Enter the last day of a quarter" in html and 'value="2026-12-30"' in html


def test_a_frozen_list_refuses_changes_with_a_clear_message_ins1(client, demo):
    falcon = project(insiders=["dwhitfield"])
    client.force_login(user("swhalen"))
    response = client.post(reverse("insiders:project_close", args=[falcon.pk]), {"public_on": date.today().isoformat()})
    assert response.status_code == 302
    html = body(client.post(reverse("insiders:project_add", args=[falcon.pk]),
                            {"person": person("jbrooks").pk, "reason": "Late"}))  # fmt: skip
    assert "its insider list is frozen and cannot be changed" in html
    assert falcon.entries.count() == 1


def test_the_list_exports_as_csv_who_when_by_whom_why(client, demo):
    falcon = project(insiders=["dwhitfield", "mcrossman"])
    services.insider_acknowledge(entry_id=falcon.entries.get(person=person("mcrossman")).pk, actor=user("mcrossman"))
    client.force_login(user("swhalen"))
    response = client.get(reverse("insiders:project_export", args=[falcon.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["project", "person", "employee id", "added at", "added by", "reason", "acknowledged at"]
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Dana Whitfield", "Marc Crossman"}
    assert by_name["Dana Whitfield"][4] == "Shane Whalen" and by_name["Dana Whitfield"][5] == "Works on it"
    assert by_name["Marc Crossman"][6] and not by_name["Dana Whitfield"][6]


def test_report_form_refuses_a_trade_outside_the_approval_and_keeps_it_ins4(client, demo, settings):
    settings.INNOVO = {**settings.INNOVO, "PRECLEARANCE_VALID_TRADING_DAYS": 1, "HOLIDAYS": []}
    monday = date(2026, 11, 30)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 11, 30, 10))):
        pre = ask("mcrossman", planned=monday)
        services.preclearance_decide(request_id=pre.pk, actor=user("swhalen"), approve=True)
    client.force_login(user("mcrossman"))
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 12, 2, 10))):
        typed = {"traded": "yes", "trade_date": "2026-12-01", "quantity": "77", "price": "10.25"}
        html = body(client.post(reverse("insiders:report", args=[pre.pk]), typed))
    assert "cannot be reported against it (INS-4)" in html
    assert 'value="2026-12-01"' in html and 'value="77"' in html and 'value="10.25"' in html
    assert Request.objects.get(pk=pre.pk).status == Status.APPROVED


def test_form4_reminder_on_the_directors_home_ins5(client, demo):
    pre = ask("mcrossman", planned=next_weekday(date.today()))
    services.preclearance_decide(request_id=pre.pk, actor=user("swhalen"), approve=True)
    pre.refresh_from_db()
    noon = timezone.make_aware(timezone.datetime.combine(pre.valid_from, timezone.datetime.min.time())) + timedelta(
        hours=12
    )
    with time_machine.travel(noon):
        services.preclearance_report(request_id=pre.pk, actor=user("mcrossman"), traded=True,
                                     trade_date=pre.valid_from, quantity=10, price=Decimal("5"))  # fmt: skip
        client.force_login(user("mcrossman"))
        html = body(client.get(reverse("home")))
    assert "File SEC Form 4 for your trade" in html and pre.reference in html


def test_acknowledging_from_the_entry_page_ins2(client, demo):
    falcon = project(insiders=["mcrossman", "dwhitfield"])
    entry = falcon.entries.get(person=person("mcrossman"))
    client.force_login(user("mcrossman"))
    assert "Acknowledge the insider list of Project Falcon" in body(client.get(reverse("home")))
    html = body(client.get(reverse("insiders:entry", args=[entry.pk])))
    assert "I acknowledge that I was told" in html and "Works on it" in html
    html = body(client.post(reverse("insiders:acknowledge", args=[entry.pk]), follow=True))
    assert "Acknowledged on" in html
    # Someone who is only on the list (not a designated insider) follows the e-mail's link.
    other = falcon.entries.get(person=person("dwhitfield"))
    client.force_login(user("dwhitfield"))
    assert "I acknowledge that I was told" in body(client.get(reverse("insiders:entry", args=[other.pk])))


def test_writes_answer_405_to_get(client, demo):
    pre = ask("mcrossman")
    client.force_login(user("swhalen"))
    assert client.get(reverse("insiders:decide", args=[pre.pk])).status_code == 405
