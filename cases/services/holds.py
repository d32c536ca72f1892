"""Legal holds and retention (REC-1).

A hold names a matter and covers cases and people: every case of a held person
(as filer, subject or other party, or assignee) is held too. Held records cannot
be deleted or purged by anyone, administrators included. Retention: each kind
is kept for a period after it is closed; the purge removes what has expired and
is not held, and leaves a tombstone saying what was purged, when, under which rule.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.counts import cases_changed
from cases.models import Attachment, Case, CaseParty, LegalHold, Tombstone
from cases.services.common import CaseError, record_event, require
from innovo_compliance.permissions import can

DEFAULT_RETENTION_DAYS = {
    "report": 7 * 365,
    "question": 3 * 365,
    "conflict": 7 * 365,
    "gift": 7 * 365,
    "preapproval": 7 * 365,
    "waiver": 10 * 365,
}


class LegalHoldError(CaseError):
    """The record is under a legal hold and cannot be deleted."""


def retention_days() -> dict[str, int]:
    return {**DEFAULT_RETENTION_DAYS, **settings.INNOVO.get("RETENTION_DAYS", {})}


def held_q() -> Q:
    """Cases under an active hold, directly or through a held person."""
    active = LegalHold.objects.filter(released_at__isnull=True)
    direct = Exists(active.filter(cases=OuterRef("pk")))
    people = LegalHold.people.through.objects.filter(legalhold__released_at__isnull=True)
    via_filer = Exists(people.filter(person_id=OuterRef("filer_id")))
    via_assignee = Exists(people.filter(person_id=OuterRef("assignee_id")))
    via_party = Exists(CaseParty.objects.filter(case=OuterRef("pk"), person_id__in=people.values("person_id")))
    return direct | via_filer | via_assignee | via_party


def is_held(case: Case) -> bool:
    return Case.objects.filter(pk=case.pk).filter(held_q()).exists()


_PURGING = ContextVar("innovo_purging", default=False)


def guard_delete(case: Case) -> None:
    """REC-1, on every database: nobody deletes a case outside the retention purge,
    and the purge never deletes a held one (PostgreSQL's triggers say the same)."""
    if case.pk and is_held(case):
        raise LegalHoldError(f"{case.reference} is under a legal hold and cannot be deleted.")
    if not _PURGING.get():
        raise CaseError(f"{case.reference}: cases are deleted only by the retention purge (REC-1).")


def guard_child_delete(row) -> None:
    """Events and attachments, like their case, go only with the purge, and never
    while their case is held."""
    if Case.objects.filter(pk=row.case_id).filter(held_q()).exists():
        raise LegalHoldError("This case is under a legal hold: its records cannot be deleted.")
    if not _PURGING.get():
        raise CaseError("Case events and files are deleted only by the retention purge (REC-1).")


def hold_create(*, actor, matter: str, reason: str, cases=(), people=()) -> LegalHold:
    """REC-1: place a hold (the only way to: the admin cannot). Each held case's
    timeline records it; the database refuses to delete what it covers."""
    if not matter.strip():
        raise CaseError("Name the matter (the subpoena or investigation) the hold is for.")
    if not reason.strip():
        raise CaseError("Say why the records must be kept (what the matter is about).")
    if not cases and not people:
        raise CaseError("Name the cases or the people whose cases the hold covers.")
    if not can(actor, "hold.manage"):
        raise PermissionDenied("Only the compliance officer places legal holds.")
    with transaction.atomic():
        for case in cases:
            require(actor, "case.hold", case)
        hold = LegalHold.objects.create(matter=matter.strip()[:200], reason=reason.strip(), created_by=actor)
        hold.cases.set(cases)
        hold.people.set(people)
        for case in cases:
            record_event(case, actor=actor, action="hold", note=f"Legal hold: {hold.matter}", rule_ids=["REC-1"])
    return hold


def hold_release(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    """REC-1: release a hold, with a reason, once (the only way to)."""
    if not reason.strip():
        raise CaseError("Say why the hold is released.")
    if not can(actor, "hold.manage"):
        raise PermissionDenied("Only the compliance officer releases legal holds.")
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at:
            raise CaseError("This hold is already released.")
        hold.released_at = timezone.now()
        hold.released_by = actor
        hold.release_reason = reason.strip()
        hold.save(update_fields=["released_at", "released_by", "release_reason"])
        for case in hold.cases.all():
            record_event(case, actor=actor, action="hold-released", note=f"{hold.matter}: {reason}", rule_ids=["REC-1"])
    return hold


def _purge_mode() -> None:
    """Tell the database triggers that this transaction is the retention purge
    (core/migrations/0002_database_guards.py): the one path allowed to delete
    cases, their events and attachments, and never a held one."""
    _PURGING.set(True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL innovo.purge = 'on'")


def purge_expired(*, now=None, batch: int = 500) -> int:
    """Delete closed cases past their retention period that no hold covers,
    leaving a tombstone for each. Returns how many were purged."""
    now = now or timezone.now()
    purged = 0
    token = _PURGING.set(False)
    try:
        purged = _purge(now, batch)
    finally:
        _PURGING.reset(token)
    if purged:
        cases_changed()
    return purged


def _purge(now, batch: int) -> int:
    purged = 0
    for kind, days in retention_days().items():
        expired = (
            Case.objects.filter(kind=kind, closed_at__lt=now - timedelta(days=days)).exclude(held_q()).order_by("pk")
        )
        while True:
            with transaction.atomic():
                _purge_mode()
                chunk = list(expired.select_for_update(skip_locked=True)[:batch])
                if not chunk:
                    break
                Tombstone.objects.bulk_create(
                    Tombstone(
                        reference=c.reference,
                        kind=c.kind,
                        category=c.category,
                        created_at=c.created_at,
                        closed_at=c.closed_at,
                        rule=f"retention: {kind} kept {days} days after closing (REC-1)",
                    )
                    for c in chunk
                )
                names = list(Attachment.objects.filter(case__in=chunk).values_list("file", flat=True))
                Case.objects.filter(pk__in=[c.pk for c in chunk]).delete()
                # The files go once the rows are gone for good (not if the transaction rolls back).
                transaction.on_commit(lambda names=names: _delete_files(names))
                purged += len(chunk)
            _PURGING.set(False)
    return purged


def _delete_files(names: list[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)
