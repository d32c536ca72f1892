"""The governance demo (BOARD-1, BOARD-2, RPT-1): the seeds' 2006 deficiency, cured,
with its history, and the 2004 convertible note in the register; twice is once."""

from datetime import date

import pytest

from governance.demo import seed_governance
from governance.models import GovernanceCase, RelatedPartyTransaction

pytestmark = pytest.mark.django_db


def test_board1_board2_rpt1_demo_2006_case_cured_with_its_history_and_the_2004_note(demo):
    seed_governance()
    seed_governance()
    board = GovernanceCase.objects.get(rule_id="BOARD-1")
    assert (board.event_date, board.cure_deadline) == (date(2006, 1, 31), date(2007, 1, 31))
    assert (board.letter_received_on, board.disclosure_due) == (date(2006, 2, 2), date(2006, 2, 8))
    assert (board.status, board.cured_on) == ("cured", date(2006, 6, 1))
    assert list(board.events.values_list("action", flat=True)) == ["opened", "letter", "cured"]
    assert [e.at.date() for e in board.events.all()] == [date(2006, 1, 31), date(2006, 2, 2), date(2006, 6, 1)]
    assert GovernanceCase.objects.get(rule_id="BOARD-2").status == "cured"
    assert GovernanceCase.objects.count() == 2

    note = RelatedPartyTransaction.objects.get(kind="convertible_note", source_case=None)
    assert note.start_date == date(2004, 6, 8) and note.end_date == date(2005, 6, 30)
    assert "7.5 %" in note.description
    approval = note.approvals.get()
    assert (approval.body, approval.outcome, approval.date) == ("board", "approved", date(2004, 6, 10))
    assert note.last_reviewed_on == date(2004, 6, 10)
