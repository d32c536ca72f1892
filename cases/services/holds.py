"""Legal holds and retention (REC-1).

A hold names a matter and covers cases and people: every case of a held person
(as filer, subject or other party, or assignee) is held too. Held records cannot
be deleted or purged by anyone, administrators included. Retention: each kind
is kept for a period after it is closed; the purge removes what has expired and
is not held, and leaves a tombstone saying what was purged, when, under which rule.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cases.models import Case, CaseParty, LegalHold, Tombstone
from cases.services.common import CaseError, record_event, require

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


def guard_delete(case: Case) -> None:
    if case.pk and is_held(case):
        raise LegalHoldError(f"{case.reference} is under a legal hold and cannot be deleted.")


def hold_create(*, actor, matter: str, reason: str = "", cases=(), people=()) -> LegalHold:
    if not matter.strip():
        raise CaseError("Name the matter (the subpoena or investigation) the hold is for.")
    with transaction.atomic():
        for case in cases:
            require(actor, "case.hold", case)
        hold = LegalHold.objects.create(matter=matter.strip(), reason=reason, created_by=actor)
        hold.cases.set(cases)
        hold.people.set(people)
        for case in cases:
            record_event(case, actor=actor, action="hold", note=f"Legal hold: {hold.matter}", rule_ids=["REC-1"])
    return hold


def hold_release(*, actor, hold: LegalHold, reason: str) -> LegalHold:
    if not reason.strip():
        raise CaseError("Say why the hold is released.")
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


def purge_expired(*, now=None, batch: int = 500) -> int:
    """Delete closed cases past their retention period that no hold covers,
    leaving a tombstone for each. Returns how many were purged."""
    now = now or timezone.now()
    purged = 0
    for kind, days in retention_days().items():
        expired = (
            Case.objects.filter(kind=kind, closed_at__lt=now - timedelta(days=days)).exclude(held_q()).order_by("pk")
        )
        while True:
            with transaction.atomic():
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
                for case in chunk:
                    for attachment in case.attachments.all():
                        attachment.file.delete(save=False)
                Case.objects.filter(pk__in=[c.pk for c in chunk]).delete()
                purged += len(chunk)
    return purged
