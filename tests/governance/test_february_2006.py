"""BOARD-1, BOARD-2: the seeds' February 2006 deficiency, replayed from the demo
roster (people/demo.py): Vincent Sanfilippo's last day on the Board was January
30, 2006; NASDAQ's letter came on February 2; the cure period ran until the
earlier of the next annual meeting and January 31, 2007."""

from datetime import date

import pytest

from governance.models import AnnualMeeting, GovernanceCase
from governance.selectors import composition_on
from governance.services import board_check, letter_record
from tests.governance.helpers import new_director, travel, user

pytestmark = pytest.mark.django_db

RESIGNATION_LAST_DAY = date(2006, 1, 30)
DAY_AFTER = date(2006, 1, 31)


def test_board1_the_day_after_the_resignation_three_of_six_and_a_case_with_the_january_2007_deadline(demo):
    """BOARD-1: six directors, three independent; the cure deadline is January 31,
    2007, because the next annual meeting entered (May 2007) is later."""
    AnnualMeeting.objects.create(date=date(2007, 5, 17), note="Annual meeting")
    assert composition_on(RESIGNATION_LAST_DAY).independent_directors == 4

    with travel(DAY_AFTER, 7):
        result = board_check()

    assert len(result.composition.directors) == 6
    assert result.composition.independent_directors == 3
    assert [c.rule_id for c in result.checks if not c.passed] == ["BOARD-1", "BOARD-2"]
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    assert case.status == GovernanceCase.OPEN
    assert case.event_date == DAY_AFTER
    assert (case.directors, case.independent_directors) == (6, 3)
    assert case.cure_deadline == date(2007, 1, 31)
    opened = case.events.get(action="opened")
    assert "Vincent Sanfilippo leaving the Board" in opened.note
    assert "3 of 6 directors are independent" in opened.note
    assert opened.rule_ids == ["BOARD-1"]
    # BOARD-2: the audit committee lost its third member the same day.
    audit = GovernanceCase.objects.get(rule_id="BOARD-2")
    assert (audit.audit_members, audit.event_date) == (2, DAY_AFTER)


def test_board1_an_earlier_annual_meeting_is_the_deadline(demo):
    """BOARD-1: the other way round: a June 2006 meeting comes before January 31, 2007."""
    AnnualMeeting.objects.create(date=date(2006, 6, 15))
    with travel(DAY_AFTER):
        board_check()
    assert GovernanceCase.objects.get(rule_id="BOARD-1").cure_deadline == date(2006, 6, 15)


def test_board1_a_late_daily_check_still_dates_the_event_from_the_roster(demo):
    """BOARD-1: the daily check that runs a week later finds the event date from
    the roster history, not from the day it ran; running it twice opens nothing more."""
    with travel(date(2006, 2, 7)):
        board_check()
        board_check()
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    assert case.event_date == DAY_AFTER
    assert GovernanceCase.objects.filter(rule_id="BOARD-1").count() == 1
    assert case.events.count() == 1


def test_board1_the_letter_of_february_2_2006_starts_the_disclosure_clock(demo, settings):
    """BOARD-1: received Thursday February 2, 2006: four business days -> Wednesday February 8."""
    with travel(DAY_AFTER):
        board_check()
    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    with travel(date(2006, 2, 2), 16):
        letter_record(case_id=case.pk, actor=user("mellis"), received_on=date(2006, 2, 2))
    case.refresh_from_db()
    assert case.disclosure_due == date(2006, 2, 8)
    assert "February 8, 2006" in case.events.get(action="letter").note


def test_board1_adding_an_independent_director_closes_the_case_with_an_event(demo, django_capture_on_commit_callbacks):
    """BOARD-1: the roster write (a new independent seat from March 15, 2006) runs
    the monitor, which closes the case: "cured on March 15, 2006 by ...". BOARD-2
    stays open until the audit committee has three members again (June 1, 2006)."""
    with travel(DAY_AFTER):
        board_check()
    with travel(date(2006, 3, 15)), django_capture_on_commit_callbacks(execute=True):
        new_director("Nadia Ferrante", date(2006, 3, 15))

    case = GovernanceCase.objects.get(rule_id="BOARD-1")
    assert case.status == GovernanceCase.CURED
    assert case.cured_on == date(2006, 3, 15)
    assert case.cured_by == "Nadia Ferrante joining the Board (independent)"
    cured = case.events.get(action="cured")
    assert cured.note.startswith("Cured on March 15, 2006 by Nadia Ferrante joining the Board (independent).")
    assert "4 of 7 directors are independent" in cured.note
    assert GovernanceCase.objects.get(rule_id="BOARD-2").status == GovernanceCase.OPEN

    # Today (the hook checks today): Priya Raman joined the Board and the audit committee on June 1, 2006.
    with django_capture_on_commit_callbacks(execute=True):
        new_director("Another Director", date(2006, 9, 1))
    audit = GovernanceCase.objects.get(rule_id="BOARD-2")
    assert audit.status == GovernanceCase.CURED
    assert audit.cured_on == date(2006, 6, 1)
    assert "Priya Raman joining the audit committee" in audit.cured_by
