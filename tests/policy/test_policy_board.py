"""BOARD-1, BOARD-2, RPT-1: policy.board as tables, without a database, at the
boundaries (exactly half independent, committees of two and three, the cure
deadline both ways, the disclosure clock over a weekend and a holiday)."""

from datetime import date
from decimal import Decimal

import pytest

from policy.board import (
    Composition,
    Member,
    approval_stands,
    assess_board,
    audit_committee_ok,
    breaches,
    business_days_after,
    cure_deadline,
    disclosure_deadline,
    independent_majority,
    is_related_party,
    next_meeting,
    one_year_after,
    review_due,
    review_needed,
)

DAY = date(2006, 1, 31)


def board(independent: int, other: int, audit: str = "iii") -> Composition:
    """`audit`: one letter per member, i for independent, n for not."""
    directors = tuple(Member(f"I{n}", True) for n in range(independent)) + tuple(
        Member(f"N{n}", False) for n in range(other)
    )
    committee = tuple(Member(f"A{n}", c == "i") for n, c in enumerate(audit))
    return Composition(DAY, directors, committee)


# (directors, independent, majority?)
MAJORITY = [
    (6, 3, False),  # BOARD-1: exactly half is not a majority (the seeds' February 2006)
    (6, 4, True),
    (7, 4, True),  # the seeds' board before the resignation
    (7, 3, False),
    (5, 3, True),
    (1, 1, True),
    (2, 1, False),
    (0, 0, False),  # no board at all
    (4, 0, False),
]


@pytest.mark.parametrize(("directors", "independent", "expected"), MAJORITY)
def test_board1_majority_of_independent_directors(directors, independent, expected):
    assert independent_majority(directors, independent) is expected


@pytest.mark.parametrize(("directors", "independent"), [(3, 4), (-1, 0), (3, -1)])
def test_board1_impossible_counts_are_refused(directors, independent):
    with pytest.raises(ValueError):
        independent_majority(directors, independent)


# (members, independent, ok?)
AUDIT = [
    (3, 3, True),  # BOARD-2: three, all independent: passes
    (2, 2, False),  # two fail, however independent
    (3, 2, False),  # one non-independent fails
    (4, 4, True),
    (4, 3, False),
    (0, 0, False),
    (1, 1, False),
]


@pytest.mark.parametrize(("members", "independent", "expected"), AUDIT)
def test_board2_audit_committee_of_three_all_independent(members, independent, expected):
    assert audit_committee_ok(members, independent) is expected


# (composition, BOARD-1 passes, BOARD-2 passes, words in the failing reasons)
COMPOSITIONS = [
    (board(3, 3, "ii"), False, False, ["3 of 6 directors", "2 members: at least 3"]),
    (board(4, 3, "iii"), True, True, []),
    (board(4, 3, "iin"), True, False, ["1 non-independent of 3 members"]),
    (board(3, 4, "iii"), False, True, ["3 of 7 directors", "not a majority"]),
]


@pytest.mark.parametrize(("composition", "b1", "b2", "words"), COMPOSITIONS)
def test_board1_board2_findings_carry_rule_ids_and_reasons(composition, b1, b2, words):
    first, second = assess_board(composition)
    assert (first.rule_id, first.passed) == ("BOARD-1", b1)
    assert (second.rule_id, second.passed) == ("BOARD-2", b2)
    failing = " ".join(check.reason for check in breaches(composition))
    assert [check.rule_id for check in breaches(composition)] == [
        rule for rule, ok in (("BOARD-1", b1), ("BOARD-2", b2)) if not ok
    ]
    for word in words:
        assert word in failing


def test_board2_a_member_without_an_independent_seat_is_not_independent():
    composition = Composition(DAY, (Member("A", True),), (Member("A", True), Member("B", True), Member("C", False)))
    assert composition.audit_independent == 2
    assert not assess_board(composition)[1].passed


# (event, next annual meeting entered, cure deadline)
CURE = [
    # BOARD-1: the seeds' case: one year after the event comes first when the meeting is later.
    (date(2006, 1, 31), date(2007, 5, 17), date(2007, 1, 31)),
    # ... and the meeting when it comes first.
    (date(2006, 1, 31), date(2006, 6, 15), date(2006, 6, 15)),
    # Equal: either.
    (date(2006, 1, 31), date(2007, 1, 31), date(2007, 1, 31)),
    # No meeting entered: one year.
    (date(2006, 1, 31), None, date(2007, 1, 31)),
    # A meeting before the event is not the "next" one.
    (date(2006, 1, 31), date(2005, 6, 1), date(2007, 1, 31)),
    # February 29 plus one year is February 28.
    (date(2008, 2, 29), None, date(2009, 2, 28)),
]


@pytest.mark.parametrize(("event", "meeting", "expected"), CURE)
def test_board1_cure_deadline_is_the_earlier_of_next_meeting_and_one_year(event, meeting, expected):
    assert cure_deadline(event, meeting) == expected


def test_board1_next_meeting_is_the_first_on_or_after_the_event():
    meetings = [date(2005, 6, 1), date(2007, 5, 17), date(2006, 6, 15)]
    assert next_meeting(date(2006, 1, 31), meetings) == date(2006, 6, 15)
    assert next_meeting(date(2006, 6, 15), meetings) == date(2006, 6, 15)
    assert next_meeting(date(2008, 1, 1), meetings) is None
    assert one_year_after(date(2006, 1, 31)) == date(2007, 1, 31)


# (letter received, holidays, disclosure due)
DISCLOSURE = [
    # BOARD-1: Thursday Feb 2, 2006 (the seeds' letter): Fri, Mon, Tue, Wed -> Wednesday Feb 8.
    (date(2006, 2, 2), (), date(2006, 2, 8)),
    # Received on a Friday: the weekend does not count -> Thursday.
    (date(2006, 2, 3), (), date(2006, 2, 9)),
    # Received on a Saturday: Mon..Thu.
    (date(2006, 2, 4), (), date(2006, 2, 9)),
    # A configured holiday (Presidents' Day, Monday Feb 20, 2006) is skipped too.
    (date(2006, 2, 17), (date(2006, 2, 20),), date(2006, 2, 24)),
    (date(2006, 2, 17), (), date(2006, 2, 23)),
    # A holiday on a weekend changes nothing.
    (date(2006, 2, 2), (date(2006, 2, 4),), date(2006, 2, 8)),
]


@pytest.mark.parametrize(("received", "holidays", "expected"), DISCLOSURE)
def test_board1_disclosure_four_business_days_after_the_letter(received, holidays, expected):
    assert disclosure_deadline(received, holidays=holidays) == expected


def test_board1_business_days_refuse_a_negative_count_and_zero_is_the_day_itself():
    assert business_days_after(date(2006, 2, 4), 0) == date(2006, 2, 4)
    with pytest.raises(ValueError):
        business_days_after(date(2006, 2, 4), -1)


# (relationship, holding %, related party?)
RELATED = [
    ("director", None, True),  # RPT-1
    ("executive_officer", None, True),
    ("family_member", None, True),
    ("large_holder", Decimal("5.01"), True),
    ("large_holder", Decimal("5"), False),  # exactly 5 % is not "more than 5 %"
    ("large_holder", None, True),
    ("none", None, False),
]


@pytest.mark.parametrize(("relationship", "percent", "expected"), RELATED)
def test_rpt1_related_parties(relationship, percent, expected):
    assert is_related_party(relationship, holding_percent=percent) is expected


# (body, outcome, stands?)
APPROVALS = [
    ("board", "approved", True),  # RPT-1: approved beforehand by the Board
    ("audit", "approved", True),  # or by the audit committee
    ("board", "ratified", True),  # or ratified afterwards
    ("audit", "ratified", True),
    ("board", "rejected", False),
    ("audit", "rejected", False),
]


@pytest.mark.parametrize(("body", "outcome", "expected"), APPROVALS)
def test_rpt1_approved_or_ratified_by_the_board_or_the_audit_committee(body, outcome, expected):
    assert approval_stands(body, outcome) is expected


def test_rpt1_an_unknown_body_is_refused():
    with pytest.raises(ValueError):
        approval_stands("compliance_officer", "approved")


# (last reviewed, today, ended, review needed?)
REVIEWS = [
    (date(2025, 3, 1), date(2026, 2, 28), None, False),  # RPT-1: the day before the anniversary
    (date(2025, 3, 1), date(2026, 3, 1), None, True),  # on the anniversary
    (date(2025, 3, 1), date(2026, 9, 1), None, True),
    (None, date(2026, 9, 1), None, False),  # never approved: waits for its first decision, not a review
    (date(2025, 3, 1), date(2026, 3, 1), date(2026, 2, 1), False),  # ended: no review
    (date(2025, 3, 1), date(2026, 3, 1), date(2026, 3, 1), True),  # still running that day
]


@pytest.mark.parametrize(("last", "today", "ended", "expected"), REVIEWS)
def test_rpt1_yearly_review(last, today, ended, expected):
    assert review_needed(last, today, ended=ended) is expected
    if last:
        assert review_due(last) == one_year_after(last)
