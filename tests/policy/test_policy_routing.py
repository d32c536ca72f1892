"""COI-2, COI-3, COI-7, COI-8, WAIVE-1, WAIVE-2, REP-2, REP-3, ASK-1, RPT-1:
the routing table of BRIEF.md, cell by cell, and escalation."""

import pytest

from policy.roles import Designation, Rank, Roles, no_roles
from policy.routing import (
    CATEGORY_CHOICES,
    Category,
    Decider,
    FilingKind,
    escalate,
    route,
    route_filing,
    route_report,
)

B, CO, AC, HR, SUP = (
    Decider.BOARD,
    Decider.COMPLIANCE_OFFICER,
    Decider.AUDIT_COMMITTEE,
    Decider.HR_DIRECTOR,
    Decider.SUPERVISOR,
)
F = FilingKind

EXEC = Roles(rank=Rank.EXECUTIVE)
NED = Roles(is_employee=False, is_director=True, is_independent_director=True)
VP = Roles(rank=Rank.VP)
STAFF = Roles()

# BRIEF.md "What the rules mean for routing": one row per filer.
# filer: (conflict, pre-approval, waiver, accounting report, harassment report, other report)
ROUTING_TABLE = {
    "executive officer": (EXEC, B, B, B, AC, HR, CO),
    "non-employee director": (NED, B, B, B, AC, HR, CO),
    "officer VP and above": (VP, CO, CO, CO, AC, HR, CO),
    "employee": (STAFF, CO, CO, CO, AC, HR, CO),
}
COLUMNS = [
    ("conflict", F.CONFLICT, None),
    ("pre-approval", F.PREAPPROVAL, None),
    ("waiver", F.WAIVER, None),
    ("report about accounting", F.REPORT, Category.ACCOUNTING),
    ("report about harassment", F.REPORT, Category.HARASSMENT),
    ("other report", F.REPORT, Category.ANTITRUST),
]
CELLS = [
    pytest.param(roles, kind, category, expected[i], id=f"{row} / {column}")
    for row, (roles, *expected) in ROUTING_TABLE.items()
    for i, (column, kind, category) in enumerate(COLUMNS)
]


@pytest.mark.parametrize(("filer", "kind", "category", "decider"), CELLS)
def test_routing_table_every_cell_coi2_coi3_coi7_waive1_waive2_rep2_rep3_ask1(filer, kind, category, decider):
    """COI-2, COI-3, COI-7, WAIVE-1, WAIVE-2, REP-2, REP-3, ASK-1: BRIEF.md's table."""
    assert route(kind, filer=filer, category=category) == decider


@pytest.mark.parametrize(
    ("filer", "decider"),
    [(STAFF, SUP), (VP, CO), (EXEC, B), (NED, B)],
)
@pytest.mark.parametrize("kind", [F.CONFLICT, F.PREAPPROVAL])
def test_outside_employment_goes_to_supervisor_coi8(kind, filer, decider):
    """COI-8: a staff employee's outside employment goes to the immediate supervisor
    (or the compliance officer, who may always decide it). COI-3: for a VP and above
    the compliance officer decides, never a supervisor alone (finding 14)."""
    assert route_filing(kind, filer=filer, outside_employment=True) == decider


@pytest.mark.parametrize("filer", [STAFF, VP, EXEC, NED, no_roles()])
@pytest.mark.parametrize("kind", [F.CONFLICT, F.PREAPPROVAL, F.WAIVER, F.GIFT])
def test_related_party_goes_to_the_board_rpt1(kind, filer):
    """RPT-1: a related-party transaction is always the Board's."""
    assert route_filing(kind, filer=filer, related_party=True) == B


@pytest.mark.parametrize(
    ("filer", "decider"),
    [(STAFF, CO), (VP, CO), (EXEC, B), (NED, B), (no_roles(), CO)],
)
def test_gifts_route_like_conflicts_coi2_coi3(filer, decider):
    """COI-2, COI-3: gifts go to the compliance officer, or the Board for board-track filers."""
    assert route_filing(F.GIFT, filer=filer) == decider


@pytest.mark.parametrize(
    ("filer", "kind", "decider"),
    [
        (Roles(rank=Rank.VP, is_director=True), F.WAIVER, B),
        (Roles(rank=Rank.VP, is_director=True), F.CONFLICT, CO),
        (Roles(rank=Rank.STAFF, is_director=True), F.WAIVER, B),
    ],
)
def test_employee_directors_waivers_go_to_the_board_waive2(filer, kind, decider):
    """WAIVE-2: every director's waiver is the Board's; COI-3: an employee
    director's conflict follows their rank."""
    assert route_filing(kind, filer=filer) == decider


@pytest.mark.parametrize("category", list(Category))
def test_route_report_every_category_rep2_rep3_ask1(category):
    """REP-2: accounting -> audit committee; REP-3: harassment -> HR director;
    ASK-1: the rest -> compliance officer. Questions always go to the CO."""
    expected = {Category.ACCOUNTING: AC, Category.HARASSMENT: HR}.get(category, CO)
    assert route_report(category) == expected
    assert route_report(category, kind=F.QUESTION) == CO


@pytest.mark.parametrize("filer", [None, STAFF, EXEC, NED])
def test_anonymous_and_uncategorised_reports_ask1(filer):
    """ASK-1: a report without a category, from anyone or no one, goes to the CO."""
    assert route(F.REPORT, filer=filer) == CO
    assert route(F.QUESTION, filer=filer, category=Category.ACCOUNTING) == CO


@pytest.mark.parametrize(
    ("src", "dst"),
    [(CO, AC), (HR, CO), (SUP, CO), (AC, B), (B, B)],
)
def test_escalation_ladder_rep2_rep3(src, dst):
    """REP-2, REP-3: nobody decides about themselves; one level up each time."""
    assert escalate(src) == dst


@pytest.mark.parametrize(
    ("case", "kwargs", "conflicted", "decider"),
    [
        (
            "CO files a conflict",
            {"kind": F.CONFLICT, "filer": Roles(designations=frozenset({Designation.COMPLIANCE_OFFICER}))},
            {CO},
            AC,
        ),
        (
            "harassment report names the HR director",
            {"kind": F.REPORT, "filer": None, "category": Category.HARASSMENT},
            {HR},
            CO,
        ),
        (
            "harassment report names HR director and CO",
            {"kind": F.REPORT, "filer": STAFF, "category": Category.HARASSMENT},
            {HR, CO},
            AC,
        ),
        (
            "report names HR, CO and audit chair",
            {"kind": F.REPORT, "filer": STAFF, "category": Category.HARASSMENT},
            {HR, CO, AC},
            B,
        ),
        (
            "accounting report names an audit member",
            {"kind": F.REPORT, "filer": STAFF, "category": Category.ACCOUNTING},
            {AC},
            B,
        ),
        ("director's conflict: Board is top", {"kind": F.CONFLICT, "filer": NED}, {B}, B),
        ("everyone conflicted stops at Board", {"kind": F.CONFLICT, "filer": STAFF}, set(Decider), B),
        ("supervisor is the subject", {"kind": F.CONFLICT, "filer": STAFF, "outside_employment": True}, {SUP}, CO),
        (
            "unrelated conflict does not escalate",
            {"kind": F.REPORT, "filer": STAFF, "category": Category.OTHER},
            {HR},
            CO,
        ),
    ],
)
def test_route_escalates_while_conflicted(case, kwargs, conflicted, decider):
    """REP-2, REP-3, COI-7: the case goes one level up while the would-be
    decider is the filer or a subject of the case."""
    assert route(conflicted=lambda d: d in conflicted, **kwargs) == decider


@pytest.mark.parametrize("kind", [F.REPORT, F.QUESTION])
def test_route_filing_refuses_reports_ask1(kind):
    """ASK-1: reports and questions are routed by category, not by filer."""
    with pytest.raises(ValueError, match="route_report"):
        route_filing(kind, filer=STAFF)


@pytest.mark.parametrize("kind", [F.CONFLICT, F.GIFT, F.PREAPPROVAL, F.WAIVER])
def test_route_report_refuses_filings_coi2(kind):
    """COI-2: filings are routed by the filer's role, not by category."""
    with pytest.raises(ValueError, match="route_filing"):
        route_report(Category.OTHER, kind=kind)


def test_category_choices_cover_every_section_rep1():
    """REP-1: every Code section is a report category, with a human label."""
    assert [v for v, _ in CATEGORY_CHOICES] == [c.value for c in Category]
    assert dict(CATEGORY_CHOICES)["harassment"] == "Equal employment and harassment"
    assert dict(CATEGORY_CHOICES)["accounting"] == "Accounting and audit"
    assert all(label for _, label in CATEGORY_CHOICES)
    assert all(d.label for d in Decider) and all(k.label for k in FilingKind)
