"""Regression tests for issue 9's findings about filings and routing (1, 14, 15)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from approvals.models import Decision, WaiverDisclosure
from cases.models import Case
from cases.services import CaseError, case_transition, case_withdraw
from cases.services.common import CaseNotFound
from people.models import Designation, RoleDesignation
from tests.approvals.factories import decide, filing, gift_facts, person
from tests.mail import delivered

pytestmark = pytest.mark.django_db


# --- finding 1: filings change state only through the decision services ---------------


@pytest.mark.parametrize("to_status", ["approved", "approved_with_conditions", "denied", "info_requested"])
def test_app1_the_generic_transition_never_moves_a_filing(client, compliance_officer, employee, to_status):
    cash = filing(employee, "gift", cash_or_equivalent=True, value="100")
    assert cash.verdict == "prohibited"
    client.force_login(compliance_officer)
    response = client.post(reverse("case_action", args=[cash.pk, "transition"]), {"to_status": to_status})
    assert response.status_code == 404
    with pytest.raises(CaseError, match="only through its own page"):
        case_transition(case_id=cash.pk, actor=compliance_officer, to_status=to_status)
    cash.refresh_from_db()
    assert cash.status == "submitted" and not Decision.objects.filter(case=cash).exists()
    assert all("approved" not in m.subject for m in delivered())


def test_waive2_a_directors_waiver_is_never_approved_by_the_compliance_officer(client, compliance_officer):
    waiver = filing(person("mcrossman").user, "waiver")
    assert waiver.decider == "board"
    client.force_login(compliance_officer)
    assert client.post(reverse("case_action", args=[waiver.pk, "transition"]), {"to_status": "approved"}).status_code
    with pytest.raises(CaseError):
        case_transition(case_id=waiver.pk, actor=compliance_officer, to_status="approved")
    assert Case.objects.get(pk=waiver.pk).status == "submitted"


def test_waive2_a_board_record_always_has_its_meeting_and_opens_the_disclosure(board_liaison):
    waiver = filing(person("mcrossman").user, "waiver")
    with pytest.raises(CaseError, match="meeting date"):
        decide(waiver, board_liaison, "approved")
    with pytest.raises(CaseError):
        case_transition(case_id=waiver.pk, actor=board_liaison, to_status="approved")
    decide(waiver, board_liaison, "approved", meeting_date=date.today(), resolution_reference="BR-9")
    assert Decision.objects.filter(case=waiver).count() == 1
    assert WaiverDisclosure.objects.filter(case=waiver).exists()


def test_the_compliance_officer_cannot_withdraw_somebody_elses_filing(client, compliance_officer, employee):
    gift = filing(employee, "gift", value="300")
    client.force_login(compliance_officer)
    assert client.post(reverse("case_action", args=[gift.pk, "withdraw"])).status_code == 404
    with pytest.raises(CaseError):
        case_withdraw(case_id=gift.pk, actor=compliance_officer, reason="tidying up")
    assert client.post(reverse("approvals:withdraw", args=[gift.pk])).status_code == 403
    assert Case.objects.get(pk=gift.pk).status == "submitted"


# --- finding 14: routing ---------------------------------------------------------------


def test_coi3_a_vps_outside_employment_goes_to_the_compliance_officer(vp):
    case = filing(vp, "conflict", subkind="outside_employment")
    assert case.decider == "compliance_officer"
    assert "COI-3" in case.events.get(action="submitted").rule_ids


def test_a_board_matter_filed_by_the_only_liaison_is_recorded_by_the_compliance_officer(
    board_liaison, compliance_officer
):
    """The board liaison is the only recorder of Board decisions; their own Board
    filing goes to the compliance officer to record, who is told."""
    RoleDesignation.objects.filter(role=Designation.BOARD_LIAISON).exclude(person=person("mellis")).delete()
    case = filing(person("jfurrow").user, "conflict")  # an executive officer: the Board decides
    assert case.decider == "board"
    mine = filing(board_liaison, "waiver")  # a VP's waiver goes to the compliance officer...
    assert mine.decider == "compliance_officer"
    own_board = filing(board_liaison, "conflict", subkind="related_party_transaction")  # ...an RPT to the Board
    assert own_board.decider == "board"
    assert any(m.to == ["swhalen@innovo.example"] and own_board.reference in m.subject for m in delivered())
    client_inbox = __import__("approvals.selectors", fromlist=["inbox"]).inbox(compliance_officer, status="waiting")
    assert own_board in list(client_inbox)
    decide(own_board, compliance_officer, "approved", meeting_date=date.today(), resolution_reference="BR-10")
    with pytest.raises((CaseNotFound, Exception)):
        decide(case, compliance_officer, "approved", meeting_date=date.today(), resolution_reference="BR-11")


def test_gift3_a_gift_logged_late_counts_the_later_gifts_from_the_same_giver(employee):
    """Two gifts logged from Acme in March and May; a January gift logged after
    them is the third in twelve months: not occasional."""
    today = date.today()
    for days in (60, 30):
        filing(employee, "gift", **gift_facts(event_date=(today - timedelta(days=days)).isoformat()))
    late = filing(employee, "gift", **gift_facts(event_date=(today - timedelta(days=200)).isoformat()))
    assert late.verdict == "needs_approval"
    assert any(f["rule_id"] == "GIFT-3" and "gift number 3" in f["reason"] for f in late.outcome["findings"])


# --- finding 15: a login with no roster entry ------------------------------------------


@pytest.mark.parametrize("url", ["home", "cert_mine", "approvals:mine", "read_code", "help", "report_new"])
def test_a_login_without_a_roster_entry_gets_working_pages(client, admin_user, url):
    client.force_login(admin_user)
    response = client.get(reverse(url))
    assert response.status_code == 200
