"""The access matrix for filings: role × action × relationship (filer, routed
decider, other handling role, supervisor, outsider), mirroring the table in
innovo_compliance/permissions/approvals.py and docs/approvals.md."""

import pytest
from django.urls import reverse

from cases.models import Case
from innovo_compliance.permissions import can, visible
from tests.approvals.factories import filing, person

pytestmark = pytest.mark.django_db

SEE, DECIDE, INTERNAL, FILER = "see", "decide", "internal", "filer"
# filing: who filed it, what, and where it goes
FILINGS = {
    "gift→compliance officer": ("aalvarez", "gift", {"value": "300"}),
    "conflict→board": ("mcrossman", "conflict", {}),
    "outside work→supervisor": ("aalvarez", "conflict", {"subkind": "outside_employment"}),
}
MATRIX = {
    "aalvarez": {"gift→compliance officer": {SEE, FILER}, "outside work→supervisor": {SEE, FILER}},
    "swhalen": {
        "gift→compliance officer": {SEE, DECIDE, INTERNAL},
        "conflict→board": {SEE, INTERNAL},
        "outside work→supervisor": {SEE, DECIDE, INTERNAL},
    },
    "mellis": {"conflict→board": {SEE, DECIDE, INTERNAL}},
    "dwhitfield": {"outside work→supervisor": {SEE, DECIDE, INTERNAL}},
    "mcrossman": {"conflict→board": {SEE, FILER}},
    "areyes": {},
    "rchen": {},
    "jgrant": {},
    "jbrooks": {},
}
ROWS = [(user, name) for user in MATRIX for name in FILINGS]


@pytest.fixture
def filings(demo):
    return {name: filing(person(u).user, kind, **facts) for name, (u, kind, facts) in FILINGS.items()}


@pytest.mark.parametrize(("username", "name"), ROWS, ids=[f"{u}-{n}" for u, n in ROWS])
def test_access_matrix(client, filings, username, name):
    user, case = person(username).user, filings[name]
    expected = MATRIX[username].get(name, set())
    assert visible(user, Case).filter(pk=case.pk).exists() is (SEE in expected)
    assert can(user, "filing.decide", case) is (DECIDE in expected)
    assert can(user, "filing.request_info", case) is (DECIDE in expected)
    assert can(user, "filing.see_internal", case) is (INTERNAL in expected)
    for action in ("filing.submit", "filing.withdraw", "filing.answer", "filing.renew", "filing.edit"):
        assert can(user, action, case) is (FILER in expected)
    client.force_login(user)
    status = client.get(reverse("approvals:filing", args=[case.pk])).status_code
    assert status == (200 if SEE in expected else 404)


@pytest.mark.parametrize(
    ("username", "inbox"),
    [
        ("swhalen", True),
        ("mellis", True),
        ("areyes", True),
        ("dwhitfield", True),
        ("aalvarez", False),
        ("rchen", False),
    ],
)
def test_who_has_an_inbox(demo, username, inbox):
    assert can(person(username).user, "approvals.inbox") is inbox


def test_inactive_user_can_do_nothing(filings):
    user = person("swhalen").user
    user.is_active = False
    user.save()
    assert not can(user, "filing.decide", filings["gift→compliance officer"])
    assert not visible(user, Case).exists()
