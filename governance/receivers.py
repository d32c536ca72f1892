"""Hooks: a roster write runs the board monitor once its transaction commits;
an annual meeting saved in the admin moves the cure deadlines; a related-party
conflict filing lands in the register (RPT-1).

Each hook runs after commit and is `robust`: if it fails, the roster write
stands, and the daily check (governance/tasks.py) catches up.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save

log = logging.getLogger(__name__)
_PENDING = "_governance_check_pending"


def _run_monitor() -> None:
    from governance.services import board_check

    conn = transaction.get_connection()
    if not conn.__dict__.pop(_PENDING, False):
        return  # already run for this transaction
    board_check()


def roster_written(**kwargs) -> None:
    """BOARD-1, BOARD-2: a seat or an audit committee membership changed: check the
    Board once this transaction commits (once, however many rows it wrote)."""
    if kwargs.get("raw"):
        return
    conn = transaction.get_connection()
    conn.__dict__[_PENDING] = True
    transaction.on_commit(_run_monitor, robust=True)


def meetings_changed(**kwargs) -> None:
    if kwargs.get("raw"):
        return
    from governance.services import deadlines_refresh

    transaction.on_commit(deadlines_refresh, robust=True)


def filing_saved(sender, instance, **kwargs) -> None:
    """RPT-1: a conflict filing whose verdict names RPT-1 is entered in the register
    once it is submitted (or recorded)."""
    if kwargs.get("raw"):
        return
    from governance.services import is_related_party_filing, rpt_from_filing

    if is_related_party_filing(instance):
        pk = instance.pk
        transaction.on_commit(lambda: rpt_from_filing(case_id=pk), robust=True)


def connect() -> None:
    from cases.models import Case
    from governance.models import AnnualMeeting
    from people.models import CommitteeMembership, DirectorSeat
    from people.signals import roster_changed

    for model in (DirectorSeat, CommitteeMembership):
        for signal in (post_save, post_delete):
            signal.connect(roster_written, sender=model, dispatch_uid=f"governance-{signal}-{model.__name__}")
    roster_changed.connect(roster_written, dispatch_uid="governance-roster-changed")
    for signal in (post_save, post_delete):
        signal.connect(meetings_changed, sender=AnnualMeeting, dispatch_uid=f"governance-meetings-{signal}")
    post_save.connect(filing_saved, sender=Case, dispatch_uid="governance-rpt-filing")
