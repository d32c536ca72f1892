"""BOARD-1, BOARD-2, RPT-1: every governance URL for every persona. Governance is
for the compliance officer, the board liaison and (read-only) the audit
committee; for anybody else, anonymous visitors included, every URL answers 404,
as if it did not exist. An audit committee member sees every page but gets 403
on a write (visible but not allowed, as everywhere in the app)."""

from datetime import date

import pytest

from governance.models import GovernanceCase, RelatedPartyTransaction
from governance.services import board_check, rpt_create
from tests.governance.helpers import user

pytestmark = pytest.mark.django_db

PERSONAS = {
    "compliance officer": "swhalen",
    "board liaison": "mellis",
    "audit committee member": "areyes",
    "HR director": "jgrant",
    "employee": "aalvarez",
    "VP": "dwhitfield",
    "anonymous": None,
}
OK, FORBIDDEN, HIDDEN, FORM_ERROR = 200, 403, 404, 400


def _urls(case, item):
    """(method, url, {persona: expected status}); a POST carries no answers, so an
    allowed one re-renders its form with errors (400) and changes nothing."""
    viewers = {"compliance officer": OK, "board liaison": OK, "audit committee member": OK}
    editors = {"compliance officer": FORM_ERROR, "board liaison": FORM_ERROR, "audit committee member": FORBIDDEN}
    return [
        ("get", "/governance/", viewers),
        ("get", "/governance/?since=all", viewers),
        ("get", f"/governance/cases/{case.pk}/", viewers),
        ("get", "/governance/related-party/", viewers),
        ("get", f"/governance/related-party/{item.pk}/", viewers),
        ("get", "/governance/related-party/new/", {**viewers, "audit committee member": FORBIDDEN}),
        ("post", "/governance/meetings/", editors),
        ("post", f"/governance/cases/{case.pk}/letter/", editors),
        ("post", "/governance/related-party/new/", editors),
        (
            "post",
            f"/governance/related-party/{item.pk}/approve/",
            {"compliance officer": FORBIDDEN, "board liaison": FORM_ERROR, "audit committee member": FORBIDDEN},
        ),
    ]


@pytest.fixture
def governance_data(demo):
    board_check(on=date(2006, 1, 31))
    item = rpt_create(
        actor=user("mellis"),
        kind="convertible_note",
        counterparty_name="Insider holders",
        relationship="director",
        start_date=date(2004, 6, 8),
        description="The 2004 note.",
    )
    return GovernanceCase.objects.get(rule_id="BOARD-1"), item


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_every_governance_url_for_every_persona(client, governance_data, persona):
    case, item = governance_data
    username = PERSONAS[persona]
    if username:
        client.force_login(user(username))
    got, expected = {}, {}
    for method, url, allowed in _urls(case, item):
        response = getattr(client, method)(url)
        got[f"{method} {url}"] = response.status_code
        expected[f"{method} {url}"] = allowed.get(persona, HIDDEN)
    assert got == expected
    assert GovernanceCase.objects.get(pk=case.pk).letter_received_on is None
    assert RelatedPartyTransaction.objects.count() == 1
    assert item.approvals.count() == 0


def test_unknown_governance_objects_are_404_for_the_liaison(client, governance_data):
    client.force_login(user("mellis"))
    assert client.get("/governance/cases/999999/").status_code == 404
    assert client.get("/governance/related-party/999999/").status_code == 404


def test_get_on_a_write_url_is_405_for_the_liaison(client, governance_data):
    case, item = governance_data
    client.force_login(user("mellis"))
    assert client.get(f"/governance/cases/{case.pk}/letter/").status_code == 405
    assert client.get("/governance/meetings/").status_code == 405


@pytest.mark.parametrize(
    ("username", "shown"),
    [
        ("swhalen", True),
        ("mellis", True),
        ("areyes", True),
        ("jgrant", False),
        ("aalvarez", False),
        ("dwhitfield", False),
    ],
)
def test_menu_offers_governance_only_to_those_who_may_use_it(client, demo, username, shown):
    client.force_login(user(username))
    page = client.get("/").content.decode()
    assert ('href="/governance/"' in page) is shown
    assert ('href="/governance/related-party/"' in page) is shown
