"""The demo's insider trading (insiders/demo.py): every persona concerned sees
something, and a second run adds nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.demo import Demo
from insiders.demo import seed_insiders
from insiders.models import ListEntry, Project, Request, Window
from policy.insiders import Status
from tests.insiders.factories import user

pytestmark = pytest.mark.django_db


def test_demo_gives_each_persona_something_and_runs_once(client, demo):
    seed_insiders(Demo(today=timezone.localdate()))
    counts = (Project.objects.count(), ListEntry.objects.count(), Window.objects.count(), Request.objects.count())
    seed_insiders(Demo(today=timezone.localdate()))
    assert (
        Project.objects.count(),
        ListEntry.objects.count(),
        Window.objects.count(),
        Request.objects.count(),
    ) == counts
    assert counts[0] == 2 and counts[2] == 2
    statuses = set(Request.objects.values_list("status", flat=True))
    assert {Status.REFUSED, Status.PENDING} <= statuses
    pages = {
        "swhalen": [reverse("insiders:projects"), reverse("insiders:windows"), reverse("insiders:inbox")],
        "areyes": [reverse("insiders:inbox")],
        "mcrossman": [reverse("insiders:mine")],
        "ohaddad": [reverse("insiders:mine")],
    }
    for username, urls in pages.items():
        client.force_login(user(username))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (username, url)
            assert (
                "Nothing here." not in response.content.decode() and "No projects yet." not in response.content.decode()
            )
    client.force_login(user("mcrossman"))
    assert "Acknowledge the insider list of Project Falcon" in client.get(reverse("home")).content.decode()
