"""Demo data for board governance (`seed_demo` runs it after the demo work):

- the seeds' February 2006 deficiency, replayed on its dates from the demo roster:
  Vincent Sanfilippo's resignation leaves six directors with three independent
  (BOARD-1) and an audit committee of two (BOARD-2); NASDAQ's letter is received
  on February 2, 2006; Priya Raman's election on June 1, 2006 cures both;
- the 2004 convertible note from insiders (`seeds/convertible-note-agreement-2004.txt`)
  in the related-party register, approved by the Board (RPT-1);
- every related-party conflict filing of the demo in the register.

Running it twice changes nothing.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model

from governance.models import AnnualMeeting, GovernanceCase, RelatedPartyTransaction
from governance.services import (
    annual_meeting_add,
    board_check,
    letter_record,
    rpt_approval_record,
    rpt_create,
    rpt_from_filing,
)

LIAISON = "mellis"
EVENT = date(2006, 1, 31)
NOTE_MINUTES = "Board minutes, June 2004, item 3 (demo)"


def _on(day: date, hour: int = 10):
    from cases.demo import on  # time-machine: a development requirement

    return on(day, hour)


def seed_governance() -> dict:
    liaison = get_user_model().objects.get(username=LIAISON)
    done = {"cases": 0, "register": 0}
    if not GovernanceCase.objects.filter(rule_id="BOARD-1", event_date=EVENT).exists():
        if not AnnualMeeting.objects.filter(date=date(2007, 5, 17)).exists():
            with _on(date(2006, 1, 20)):
                annual_meeting_add(actor=liaison, day=date(2007, 5, 17), note="Annual meeting (demo date)")
        with _on(EVENT, 7):
            result = board_check()
        with _on(date(2006, 2, 2), 15):
            for case in result.opened:
                if case.rule_id == "BOARD-1":
                    letter_record(case_id=case.pk, actor=liaison, received_on=date(2006, 2, 2))
        with _on(date(2006, 6, 1), 7):
            board_check()
        done["cases"] = len(result.opened)
    notes = RelatedPartyTransaction.objects.filter(kind=RelatedPartyTransaction.CONVERTIBLE_NOTE, source_case=None)
    if not notes.exists():
        with _on(date(2004, 6, 8)):
            note = rpt_create(
                actor=liaison,
                kind=RelatedPartyTransaction.CONVERTIBLE_NOTE,
                counterparty_name="Insider holders of the 2004 Convertible Note Agreement",
                relationship="director",
                start_date=date(2004, 6, 8),
                end_date=date(2005, 6, 30),
                description=(
                    "Convertible Note Agreement (Exhibit 4.1): a loan to the company by insiders at 7.5 % a year, "
                    "interest paid monthly from July 1, 2004, maturing in June 2005; convertible at the holder's "
                    "option into common stock at 110 % of the average Nasdaq SmallCap closing price of the five "
                    "days before the agreement, with registration rights and a warrant."
                ),
            )
        with _on(date(2004, 6, 10), 16):
            rpt_approval_record(
                actor=liaison,
                transaction_id=note.pk,
                body="board",
                day=date(2004, 6, 10),
                outcome="approved",
                minutes_reference=NOTE_MINUTES,
            )
        done["register"] += 1
    from cases.models import Case

    # Every conflict filing: rpt_from_filing keeps only the related-party ones (RPT-1).
    # (A JSON `contains` lookup would pick them in SQL, but SQLite, the demo's database,
    # has none.)
    for pk in Case.objects.filter(kind="conflict").values_list("pk", flat=True):
        if rpt_from_filing(case_id=pk):
            done["register"] += 1
    return done
