"""Helpers shared by the case services: events, locking, permission checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cases.counts import cases_changed
from cases.models import WAITING_ACTIONS, Case, CaseEvent
from innovo_compliance.permissions import can, visible
from innovo_compliance.permissions.common import person

ANONYMOUS_REPORTER = "Anonymous reporter"


class CaseError(Exception):
    """A request the case cannot accept; the message is for the person who asked."""


class CaseNotFound(CaseError):
    """The case does not exist or the actor may not see it: one answer for both,
    so that nobody learns from a service that a case about them exists."""


SYSTEM = object()
"""The actor of background work (tasks, the purge): sees every case."""


def actor_label(user) -> str:
    if user is None:
        return ANONYMOUS_REPORTER
    me = person(user)
    return me.name if me else user.get_username()


def record_event(
    case: Case,
    *,
    actor,
    action: str,
    note: str = "",
    from_status: str = "",
    to_status: str = "",
    rule_ids=(),
    internal: bool = True,
    label: str | None = None,
    related_case: Case | None = None,
) -> CaseEvent:
    """Append one row to the case's timeline: never updated, never deleted, sealed
    in the case's hash chain. Every change to a case writes one, so this is where
    cached counts learn that cases changed (again once the transaction commits,
    so a reader between the two never keeps a stale count)."""
    event = CaseEvent.objects.create(
        case=case,
        actor=actor,
        actor_label=label if label is not None else actor_label(actor),
        action=action,
        note=note,
        from_status=from_status,
        to_status=to_status,
        rule_ids=list(rule_ids),
        internal=internal,
        related_case=related_case,
    )
    if action in WAITING_ACTIONS:
        case.waiting_since = event.at
        case.save(update_fields=["waiting_since"])
    cases_changed()
    transaction.on_commit(cases_changed)
    return event


def lock(case_id: int, *, actor=SYSTEM) -> Case:
    """The case row, locked until the transaction ends (one writer at a time).

    With an actor, only a case the actor may see: a missing and a hidden case
    raise the same CaseNotFound (views have already answered 404 for both)."""
    qs = Case.objects.select_for_update(of=("self",)).select_related("filer")
    if actor is not SYSTEM:
        qs = qs.filter(pk__in=visible(actor, Case).filter(pk=case_id).values("pk"))
    case = qs.filter(pk=case_id).first()
    if case is None:
        raise CaseNotFound(f"Case #{case_id} was not found.")
    return case


def require(user, action: str, case: Case) -> None:
    if not can(user, action, case):
        raise PermissionDenied(f"You may not do that ({action}).")
