"""Every insiders URL × persona (INS-1..INS-5 access, innovo_compliance/permissions/insiders.py):
the requester sees their own requests and list entries, the compliance officer
everything, audit committee members the requests routed to them; nobody else
(404). Anonymous visitors are sent to log in. A POST on something visible but
not allowed is 403; an allowed POST with an empty form answers the form again (200)."""

import pytest
from django.urls import reverse

from innovo_compliance.permissions import can, visible
from insiders.models import ListEntry, Project, Request, Window
from tests.insiders.factories import ask, project, user, window

pytestmark = pytest.mark.django_db

PERSONAS = ["mcrossman", "swhalen", "areyes", "jbrooks", "jgrant", None]
REQUESTER, CO, AUDIT, OTHER, HR, ANONYMOUS = PERSONAS
ALL = set(PERSONAS) - {None}


@pytest.fixture
def objects(demo):
    from datetime import date, timedelta

    falcon = project("Project Falcon", insiders=["mcrossman"])
    window(date.today() + timedelta(days=30), date.today() + timedelta(days=40))
    from insiders import services

    services.project_close(project_id=falcon.pk, actor=user("swhalen"), public_on=date.today())
    open_project = project("Project Osprey")
    return {
        "own": ask("mcrossman"),  # routed to the compliance officer
        "co_own": ask("swhalen"),  # routed to the audit committee
        "entry": ListEntry.objects.get(project=falcon),
        "project": open_project,
    }


def _urls(o):
    """(method, URL, who gets 200 (or 302 for a done POST), who gets 403); everyone else 404."""
    own, co_own, entry, proj = o["own"].pk, o["co_own"].pk, o["entry"].pk, o["project"].pk
    insiders = {REQUESTER, CO, AUDIT}  # designated insiders: a director, executive officers
    return [
        ("get", reverse("insiders:mine"), insiders, set()),
        ("get", reverse("insiders:request_new"), insiders, set()),
        ("post", reverse("insiders:request_new"), insiders, set()),
        ("get", reverse("insiders:inbox"), {CO, AUDIT}, set()),
        ("get", reverse("insiders:request", args=[own]), {REQUESTER, CO}, set()),
        ("get", reverse("insiders:request", args=[co_own]), {CO, AUDIT}, set()),
        ("post", reverse("insiders:decide", args=[own]), {CO}, {REQUESTER}),
        ("post", reverse("insiders:decide", args=[co_own]), {AUDIT}, {CO}),
        ("post", reverse("insiders:report", args=[own]), {REQUESTER}, {CO}),
        ("post", reverse("insiders:report", args=[co_own]), {CO}, {AUDIT}),
        ("get", reverse("insiders:entry", args=[entry]), {REQUESTER, CO}, set()),
        ("get", reverse("insiders:projects"), {CO}, set()),
        ("get", reverse("insiders:project_new"), {CO}, set()),
        ("post", reverse("insiders:project_new"), {CO}, set()),
        ("get", reverse("insiders:project", args=[proj]), {CO}, set()),
        ("post", reverse("insiders:project_add", args=[proj]), {CO}, set()),
        ("post", reverse("insiders:project_close", args=[proj]), {CO}, set()),
        ("post", reverse("insiders:project_window", args=[proj]), {CO}, set()),
        ("get", reverse("insiders:project_export", args=[proj]), {CO}, set()),
        ("get", reverse("insiders:windows"), {CO}, set()),
        ("post", reverse("insiders:window_new"), {CO}, set()),
        # Last: acknowledging changes the entry (the list is frozen: a message, then back to it).
        ("post", reverse("insiders:acknowledge", args=[entry]), {REQUESTER}, {CO}),
    ]


@pytest.mark.parametrize("username", PERSONAS, ids=[p or "anonymous" for p in PERSONAS])
def test_every_insiders_url_for_every_persona(client, objects, username):
    if username:
        client.force_login(user(username))
    wrong = []
    for method, url, allowed, forbidden in _urls(objects):
        status = getattr(client, method)(url).status_code
        if username is None:
            expected = {302}
        elif username in allowed:
            expected = {200, 302} if "acknowledge" in url else {200}
        elif username in forbidden:
            expected = {403}
        else:
            expected = {404}
        if status not in expected:
            wrong.append(f"{method.upper()} {url}: {status}, expected {expected}")
    assert wrong == []


@pytest.mark.parametrize(
    ("username", "requests", "entries", "projects"),
    [
        ("mcrossman", {"own"}, 1, 0),
        ("swhalen", {"own", "co_own"}, 1, 2),
        ("areyes", {"co_own"}, 0, 0),
        ("jbrooks", set(), 0, 0),
        ("jgrant", set(), 0, 0),
    ],
)
def test_visible_requests_entries_and_projects(objects, username, requests, entries, projects):
    """The requester sees their own, the compliance officer all, the audit committee what was routed to it."""
    who = user(username)
    assert set(visible(who, Request).values_list("pk", flat=True)) == {objects[name].pk for name in requests}
    assert visible(who, ListEntry).count() == entries
    assert visible(who, Project).count() == projects
    assert visible(who, Window).count() == (1 if username == "swhalen" else 0)


def test_nobody_decides_their_own_request(objects):
    assert not can(user("swhalen"), "preclearance.decide", objects["co_own"])
    assert can(user("areyes"), "preclearance.decide", objects["co_own"])
    assert not can(user("mcrossman"), "preclearance.decide", objects["own"])


@pytest.mark.parametrize(
    ("username", "labels"),
    [
        ("swhalen", {"Insider projects", "Blackout windows", "Pre-clearance requests", "Insider trading"}),
        ("areyes", {"Pre-clearance requests", "Insider trading"}),
        ("mcrossman", {"Insider trading"}),
        ("jbrooks", set()),
        ("jgrant", set()),
    ],
)
def test_menu_offers_insider_pages_only_to_those_who_may_use_them(client, demo, username, labels):
    client.force_login(user(username))
    html = client.get(reverse("home")).content.decode()
    for label in ("Insider projects", "Blackout windows", "Pre-clearance requests", "Insider trading"):
        assert (f">{label}<" in html) is (label in labels), label
