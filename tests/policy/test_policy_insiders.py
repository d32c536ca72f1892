"""Insider trading policy tables, no database: INS-1..INS-5 with their boundaries
(the first and last day of a blackout, a pre-clearance valid on its last trading
day and not the next, the Form 4 deadline over a weekend and a holiday)."""

from datetime import date

import pytest

from policy.insiders import (
    Project,
    Security,
    Side,
    Status,
    TradeFacts,
    Window,
    assess_preclearance,
    can_transition,
    clearance_window,
    form4_due,
    form4_required,
    is_designated_insider,
    is_trading_day,
    quarter_end,
    quarterly_blackout,
    route_preclearance,
    trade_within,
    trading_days_after,
)
from policy.outcomes import Verdict
from policy.roles import Designation, Rank, Roles
from policy.routing import Decider

D = date
CHRISTMAS = D(2026, 12, 25)  # a Friday
THANKSGIVING = D(2026, 11, 26)  # a Thursday
PRESIDENTS_DAY = D(2027, 2, 15)  # a Monday

STAFF = Roles()
VP = Roles(rank=Rank.VP)
EXECUTIVE = Roles(rank=Rank.EXECUTIVE)
DIRECTOR = Roles(is_employee=False, is_director=True, is_independent_director=True)
DESIGNATED = Roles(designations=frozenset({Designation.DESIGNATED_INSIDER}))
COMPLIANCE_OFFICER = Roles(rank=Rank.EXECUTIVE, designations=frozenset({Designation.COMPLIANCE_OFFICER}))


# --- INS-4, INS-5: who -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("roles", "insider", "form4"),
    [
        (DIRECTOR, True, True),
        (EXECUTIVE, True, True),
        (Roles(rank=Rank.EXECUTIVE, is_director=True), True, True),
        (DESIGNATED, True, False),
        (VP, False, False),
        (STAFF, False, False),
        (Roles.NOBODY, False, False),
    ],
    ids=["director", "executive", "employee-director", "designated", "vp", "staff", "nobody"],
)
def test_designated_insiders_and_form4_filers_ins4_ins5(roles, insider, form4):
    """INS-4: directors, executive officers and designated employees; INS-5: Form 4 for
    directors and executive officers only."""
    assert is_designated_insider(roles) is insider
    assert form4_required(roles) is form4


# --- Days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "holidays", "trading"),
    [
        (D(2026, 12, 4), (), True),  # Friday
        (D(2026, 12, 5), (), False),  # Saturday
        (D(2026, 12, 6), (), False),  # Sunday
        (CHRISTMAS, (CHRISTMAS,), False),
        (CHRISTMAS, (), True),  # not configured: a trading day
    ],
)
def test_trading_days_are_weekdays_minus_configured_holidays_ins4(day, holidays, trading):
    assert is_trading_day(day, holidays) is trading


# INS-5: (trade date, holidays, Form 4 due)
FORM4 = [
    ("monday", D(2026, 11, 30), (), D(2026, 12, 2)),
    ("thursday over the weekend", D(2026, 12, 3), (), D(2026, 12, 7)),
    ("friday over the weekend", D(2026, 12, 4), (), D(2026, 12, 8)),
    ("saturday trade", D(2026, 12, 5), (), D(2026, 12, 8)),
    ("before christmas, configured", D(2026, 12, 23), (CHRISTMAS,), D(2026, 12, 28)),
    ("before christmas, not configured", D(2026, 12, 23), (), D(2026, 12, 25)),
    ("over thanksgiving", D(2026, 11, 25), (THANKSGIVING,), D(2026, 11, 30)),
    ("tuesday before thanksgiving", D(2026, 11, 24), (THANKSGIVING,), D(2026, 11, 27)),
]


@pytest.mark.parametrize(("trade", "holidays", "due"), [r[1:] for r in FORM4], ids=[r[0] for r in FORM4])
def test_form4_due_two_business_days_after_the_trade_ins5(trade, holidays, due):
    """INS-5: two business days, the trade day not counted, weekends and configured holidays skipped."""
    assert form4_due(trade, holidays) == due


def test_trading_days_after_refuses_negative_counts():
    with pytest.raises(ValueError):
        trading_days_after(D(2026, 12, 1), -1)


# --- INS-4: the quarterly window ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "end"),
    [
        (D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 6, 30), D(2026, 6, 30)),
        (D(2026, 8, 15), D(2026, 9, 30)),
        (D(2026, 12, 31), D(2026, 12, 31)),
        (D(2024, 2, 29), D(2024, 3, 31)),
    ],
)
def test_quarter_end(day, end):
    assert quarter_end(day) == end


QUARTERLY = [
    # (name, quarter end, release, days before, trading days after, holidays, start, end)
    ("release wednesday", D(2026, 12, 31), D(2027, 2, 10), 15, 2, (), D(2026, 12, 16), D(2027, 2, 12)),
    ("release thursday, weekend", D(2026, 12, 31), D(2027, 2, 11), 15, 2, (), D(2026, 12, 16), D(2027, 2, 15)),
    (
        "release thursday, holiday monday",
        D(2026, 12, 31),
        D(2027, 2, 11),
        15,
        2,
        (PRESIDENTS_DAY,),
        D(2026, 12, 16),
        D(2027, 2, 16),
    ),
    ("no days after", D(2026, 9, 30), D(2026, 10, 28), 0, 0, (), D(2026, 9, 30), D(2026, 10, 28)),
    ("a month before", D(2026, 6, 30), D(2026, 7, 29), 30, 1, (), D(2026, 5, 31), D(2026, 7, 30)),
]


@pytest.mark.parametrize(
    ("quarter", "release", "before", "after", "holidays", "start", "end"),
    [r[1:] for r in QUARTERLY],
    ids=[r[0] for r in QUARTERLY],
)
def test_quarterly_blackout_from_days_before_quarter_end_to_trading_days_after_release_ins4(
    quarter, release, before, after, holidays, start, end
):
    assert quarterly_blackout(
        quarter_ends_on=quarter, earnings_release=release, days_before=before, trading_days_after=after,
        holidays=holidays,
    ) == (start, end)  # fmt: skip


def test_quarterly_blackout_refuses_a_release_before_the_quarter_ends_ins4():
    with pytest.raises(ValueError, match="after the quarter ends"):
        quarterly_blackout(
            quarter_ends_on=D(2026, 12, 31), earnings_release=D(2026, 12, 30), days_before=15, trading_days_after=2
        )


WINDOW = Window("Q4 2026 results", D(2026, 12, 16), D(2027, 2, 12))


@pytest.mark.parametrize(
    ("day", "inside"),
    [
        (D(2026, 12, 15), False),  # the day before the first
        (D(2026, 12, 16), True),  # the first day
        (D(2027, 1, 20), True),
        (D(2027, 2, 12), True),  # the last day
        (D(2027, 2, 13), False),  # the day after the last
    ],
)
def test_blackout_is_inclusive_at_both_ends_ins4(day, inside):
    assert WINDOW.holds(day) is inside


def test_a_window_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Window("bad", D(2026, 12, 2), D(2026, 12, 1))


# --- INS-1, INS-3, INS-4: pre-clearance --------------------------------------------------------


DEC_1 = D(2026, 12, 1)


def trade(planned=DEC_1, security=Security.COMPANY, **kw):
    return TradeFacts(security=security, side=Side.BUY, quantity=100, planned_date=planned, **kw)


def other(planned=DEC_1, **kw):
    """Another company's securities (INS-3)."""
    return trade(planned, Security.OTHER, **kw)


FALCON = Project("Project Falcon")
ACME = Project("Project Roadrunner", company="Acme Corp", ticker="ACME")
P, N = Verdict.PROHIBITED, Verdict.NEEDS_APPROVAL
EX, DIR = EXECUTIVE, DIRECTOR

PRECLEARANCE = [
    # (name, facts, roles, lists, windows, verdict, deciding rule ids, words in the reasons)
    ("director, nothing in the way", trade(), DIR, (), (), N, ("INS-4",), "needs pre-clearance"),
    ("on an open company list", trade(), DESIGNATED, (FALCON,), (), P, ("INS-1",), "Project Falcon"),
    ("list and window", trade(D(2027, 1, 5)), EX, (FALCON,), (WINDOW,), P, ("INS-1", "INS-4"), "blackout"),
    ("other company's list, its stock", other(ticker="acme"), EX, (ACME,), (), P, ("INS-3",), "Acme"),
    ("other company's list, by name", other(company="ACME corp"), EX, (ACME,), (), P, ("INS-3",), "Acme"),
    ("other company's list, company stock", trade(), EX, (ACME,), (), N, ("INS-4",), "needs pre-clearance"),
    ("other company's list, a third company", other(ticker="XYZ"), EX, (ACME,), (), N, ("INS-4",), "needs"),
    ("company list, other company's stock", other(ticker="XYZ"), EX, (FALCON,), (), N, ("INS-4",), "needs"),
    ("window's first day", trade(D(2026, 12, 16)), DIR, (), (WINDOW,), P, ("INS-4",), "blackout window Q4 2026"),
    ("window's last day", trade(D(2027, 2, 12)), DIR, (), (WINDOW,), P, ("INS-4",), "opens again the day after"),
    ("the day after the window", trade(D(2027, 2, 13)), DIR, (), (WINDOW,), N, ("INS-4",), "needs pre-clearance"),
    ("the day before the window", trade(D(2026, 12, 15)), DIR, (), (WINDOW,), N, ("INS-4",), "needs"),
    ("other stock in a window", other(D(2027, 1, 5), ticker="XYZ"), DIR, (), (WINDOW,), N, ("INS-4",), "needs"),
    ("trading plan", trade(trading_plan=True), DIR, (), (), N, ("INS-4",), "10b5-1"),
    ("plan in a window", trade(D(2027, 1, 5), trading_plan=True), DIR, (), (WINDOW,), P, ("INS-4",), "blackout"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "roles", "lists", "windows", "verdict", "rule_ids", "words"),
    [r[1:] for r in PRECLEARANCE],
    ids=[r[0] for r in PRECLEARANCE],
)
def test_assess_preclearance_ins1_ins3_ins4(facts, roles, lists, windows, verdict, rule_ids, words):
    outcome = assess_preclearance(facts=facts, roles=roles, on_lists=lists, windows=windows)
    assert outcome.verdict == verdict
    assert outcome.deciding_rule_ids == rule_ids
    assert words.lower() in " ".join(outcome.reasons).lower()
    if verdict == P:
        assert outcome.approver is None  # refused: nobody decides
    else:
        assert outcome.approver == Decider.COMPLIANCE_OFFICER


def test_the_compliance_officers_own_request_goes_to_the_audit_committee_ins4():
    assert route_preclearance(COMPLIANCE_OFFICER) == Decider.AUDIT_COMMITTEE
    assert route_preclearance(EXECUTIVE) == Decider.COMPLIANCE_OFFICER
    outcome = assess_preclearance(facts=trade(), roles=COMPLIANCE_OFFICER)
    assert outcome.approver == Decider.AUDIT_COMMITTEE


def test_someone_on_a_list_who_is_not_designated_is_told_why_they_ask_ins2():
    outcome = assess_preclearance(facts=trade(), roles=STAFF)
    assert "INS-2" in outcome.rule_ids and outcome.verdict == N


@pytest.mark.parametrize(
    "kwargs",
    [{"quantity": 0}, {"quantity": -5}, {"security": "other"}, {"side": "hold"}, {"security": "bonds"}],
)
def test_trade_facts_refuse_nonsense(kwargs):
    data = {"security": "company", "side": "buy", "quantity": 10, "planned_date": D(2026, 12, 1), **kwargs}
    with pytest.raises(ValueError):
        TradeFacts(**data)


# --- INS-4: how long an approval lasts ------------------------------------------------------------

CLEARANCE = [
    # (name, approved on, planned, trading days, holidays, first, last)
    ("monday, three days", D(2026, 11, 30), D(2026, 11, 30), 3, (), D(2026, 11, 30), D(2026, 12, 2)),
    ("thursday over the weekend", D(2026, 12, 3), D(2026, 12, 3), 3, (), D(2026, 12, 3), D(2026, 12, 7)),
    ("planned saturday", D(2026, 12, 1), D(2026, 12, 5), 3, (), D(2026, 12, 7), D(2026, 12, 9)),
    ("approved after the planned date", D(2026, 12, 2), D(2026, 11, 30), 1, (), D(2026, 12, 2), D(2026, 12, 2)),
    ("over christmas", D(2026, 12, 23), D(2026, 12, 23), 3, (CHRISTMAS,), D(2026, 12, 23), D(2026, 12, 28)),
]


@pytest.mark.parametrize(
    ("approved", "planned", "days", "holidays", "first", "last"),
    [r[1:] for r in CLEARANCE],
    ids=[r[0] for r in CLEARANCE],
)
def test_clearance_window_counts_trading_days_ins4(approved, planned, days, holidays, first, last):
    assert clearance_window(approved_on=approved, planned_date=planned, trading_days=days, holidays=holidays) == (
        first,
        last,
    )


def test_a_preclearance_is_valid_on_its_last_trading_day_and_not_the_next_ins4():
    first, last = clearance_window(approved_on=D(2026, 11, 30), planned_date=D(2026, 11, 30), trading_days=3)
    assert last == D(2026, 12, 2)
    assert trade_within(D(2026, 12, 2), first, last) is True
    assert trade_within(D(2026, 12, 3), first, last) is False
    assert trade_within(D(2026, 11, 29), first, last) is False


def test_an_approval_lasts_at_least_one_trading_day():
    with pytest.raises(ValueError):
        clearance_window(approved_on=D(2026, 12, 1), planned_date=D(2026, 12, 1), trading_days=0)


# --- The request's life -------------------------------------------------------------------------

ALLOWED = {
    (Status.PENDING, Status.APPROVED),
    (Status.PENDING, Status.DENIED),
    (Status.APPROVED, Status.TRADED),
    (Status.APPROVED, Status.NOT_TRADED),
}


@pytest.mark.parametrize("src", list(Status))
@pytest.mark.parametrize("dst", list(Status))
def test_every_transition_pair_ins4(src, dst):
    """A refused request is final (nobody decides it); only an approval is reported on."""
    assert can_transition(src, dst) is ((src, dst) in ALLOWED)
