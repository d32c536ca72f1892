"""Routing: every cell of BRIEF.md's routing table, through the real services and
the demo roster, by the filer's roles on the filing date (COI-2, COI-3, COI-7,
COI-8, WAIVE-1, WAIVE-2, RPT-1, REP-2, REP-3, ROLE-1)."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from approvals.models import WaiverDisclosure
from cases.models import CaseEvent
from cases.services.common import CaseNotFound
from people.models import Designation
from people.services import designate, position_change
from policy.routing import Category, Decider
from tests.approvals.factories import decide, filing, person, travel
from tests.cases.factories import report

pytestmark = pytest.mark.django_db

# Refused: forbidden for those who see the filing, "not found" for those who do not.
REFUSED = (PermissionDenied, CaseNotFound)

B, CO, AC, HR, SUP = (
    Decider.BOARD,
    Decider.COMPLIANCE_OFFICER,
    Decider.AUDIT_COMMITTEE,
    Decider.HR_DIRECTOR,
    Decider.SUPERVISOR,
)
FILERS = {
    "executive officer": "jfurrow",
    "non-employee director": "tokafor",
    "officer VP and above": "dwhitfield",
    "employee": "jbrooks",
}
# BRIEF.md's table, filings columns: (filer, kind, extra facts, decider, rule id that explains it)
FILING_CELLS = [
    ("executive officer", "conflict", {}, B, "COI-2"),
    ("executive officer", "preapproval", {}, B, "COI-2"),
    ("executive officer", "waiver", {}, B, "WAIVE-2"),
    ("non-employee director", "conflict", {}, B, "COI-7"),
    ("non-employee director", "preapproval", {}, B, "COI-7"),
    ("non-employee director", "waiver", {}, B, "WAIVE-2"),
    ("officer VP and above", "conflict", {}, CO, "COI-3"),
    ("officer VP and above", "preapproval", {}, CO, "COI-3"),
    ("officer VP and above", "waiver", {}, CO, "WAIVE-1"),
    ("employee", "conflict", {}, CO, "COI-1"),
    ("employee", "preapproval", {}, CO, "COI-1"),
    ("employee", "waiver", {}, CO, "WAIVE-1"),
    ("employee", "conflict", {"subkind": "outside_employment"}, SUP, "COI-8"),
    ("employee", "preapproval", {"subkind": "outside_employment"}, SUP, "COI-8"),
]
User = get_user_model()


def user(username):
    return User.objects.get(username=username)


@pytest.mark.parametrize(
    ("filer", "kind", "facts", "decider", "rule_id"),
    FILING_CELLS,
    ids=[f"{c[0]}-{c[1]}{'-outside' if c[2] else ''}" for c in FILING_CELLS],
)
def test_filing_routing_table_every_cell_coi2_coi3_coi7_coi8_waive1_waive2(demo, filer, kind, facts, decider, rule_id):
    if kind == "conflict" and not facts:
        facts = {"subkind": "board_seat"} if filer != "non-employee director" else {"subkind": "other"}
        if filer == "non-employee director":
            facts["description"] = "A supplier asked me to advise them."
    case = filing(user(FILERS[filer]), kind, **facts)
    assert case.status == "submitted"
    assert case.decider == decider
    event = CaseEvent.objects.get(case=case, action="submitted")
    assert rule_id in event.rule_ids


@pytest.mark.parametrize("filer", list(FILERS))
@pytest.mark.parametrize(
    ("category", "decider"),
    [(Category.ACCOUNTING, AC), (Category.HARASSMENT, HR), (Category.FAIR_DEALING, CO)],
    ids=["accounting", "harassment", "other"],
)
def test_report_routing_table_every_cell_rep2_rep3(demo, filer, category, decider):
    """The report columns of the same table, through the speak-up intake service."""
    case, _ = report(by=user(FILERS[filer]), category=category)
    assert case.decider == decider


@pytest.mark.parametrize(
    ("filer", "disclosed"),
    [("executive officer", True), ("non-employee director", True)],
)
def test_board_waiver_of_directors_and_executive_officers_opens_a_disclosure_waive2(demo, filer, disclosed):
    case = filing(user(FILERS[filer]), "waiver")
    decide(
        case,
        user("mellis"),
        meeting_date=date.today(),
        resolution_reference="BR-1",
    )
    assert WaiverDisclosure.objects.filter(case=case).exists() is disclosed


@pytest.mark.parametrize("filer", ["officer VP and above", "employee"])
def test_compliance_officer_waiver_needs_no_public_disclosure_waive1(demo, filer):
    case = filing(user(FILERS[filer]), "waiver")
    decide(case, user("swhalen"))
    assert not WaiverDisclosure.objects.filter(case=case).exists()


def test_gifts_of_an_executive_officer_go_to_the_board_and_of_staff_to_the_compliance_officer(demo):
    assert filing(user("jfurrow"), "gift", value="300").decider == B
    assert filing(user("jbrooks"), "gift", value="300").decider == CO


def test_related_party_note_goes_to_the_board_whoever_files_rpt1(demo):
    case = filing(user("dwhitfield"), "conflict", subkind="related_party_transaction")
    assert case.decider == B
    assert "RPT-1" in CaseEvent.objects.get(case=case, action="submitted").rule_ids


def test_compliance_officer_who_is_an_executive_officer_goes_to_the_board_coi2(demo):
    assert filing(user("swhalen"), "conflict", subkind="board_seat").decider == B


def test_compliance_officer_filing_about_themselves_goes_to_the_audit_committee(demo):
    """Nobody decides their own filing: with a VP as compliance officer, their
    conflict goes one level up, to the audit committee, which decides it."""
    designate(person=person("ohaddad"), role=Designation.COMPLIANCE_OFFICER, start=date.today())
    officer = user("ohaddad")
    case = filing(officer, "conflict", subkind="board_seat")
    assert case.decider == AC
    event = CaseEvent.objects.get(case=case, action="submitted")
    assert "One level up" in event.note and "compliance officer filed it" in event.note
    with pytest.raises(REFUSED):
        decide(case, officer)
    with pytest.raises(REFUSED):
        decide(case, user("swhalen"))  # no longer the compliance officer
    decision = decide(case, user("areyes"))
    assert decision.decider_role == AC


def test_role_on_the_filing_date_decides_not_the_role_on_the_decision_day_role1(demo):
    """Filed as staff (compliance officer), promoted to executive officer the next
    day, decided two days later: still the compliance officer's to decide."""
    filed = date.today() + timedelta(days=10)
    with travel(filed):
        case = filing(user("jbrooks"), "conflict", subkind="board_seat")
    assert case.decider == CO and case.filed_on == filed
    position_change(
        person=person("jbrooks"), title="Chief Strategy Officer", rank="executive", effective=filed + timedelta(days=1)
    )
    with travel(filed + timedelta(days=2)):
        with pytest.raises(REFUSED):
            decide(case, user("mellis"))  # the Board does not take over
        decision = decide(case, user("swhalen"))
    assert decision.decider_role == CO
    case.refresh_from_db()
    assert case.status == "approved" and case.decider == CO


def test_marc_crossman_before_and_after_he_became_cfo_role1(demo):
    """A director since 1999 and CFO since March 1, 2003: the same disclosure is a
    non-employee director's (COI-7) the week before, an executive officer's (COI-2) after."""
    with travel(date(2003, 2, 20)):
        before = filing(user("mcrossman"), "conflict")
    with travel(date(2003, 3, 10)):
        after = filing(user("mcrossman"), "conflict")
    assert before.decider == after.decider == B
    assert "COI-7" in CaseEvent.objects.get(case=before, action="submitted").rule_ids
    assert "COI-2" in CaseEvent.objects.get(case=after, action="submitted").rule_ids
    assert "COI-7" in before.outcome["findings"][0]["rule_id"]
