"""Helpers shared by the case services: events, locking, permission checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from cases.models import Case, CaseEvent
from innovo_compliance.permissions import can
from innovo_compliance.permissions.common import person

ANONYMOUS_REPORTER = "Anonymous reporter"


class CaseError(Exception):
    """A request the case cannot accept; the message is for the person who asked."""


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
) -> CaseEvent:
    """Append one row to the case's timeline. Never updated, never deleted."""
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        actor_label=label if label is not None else actor_label(actor),
        action=action,
        note=note,
        from_status=from_status,
        to_status=to_status,
        rule_ids=list(rule_ids),
        internal=internal,
    )


def lock(case_id: int) -> Case:
    """The case row, locked until the transaction ends (one writer at a time)."""
    return Case.objects.select_for_update(of=("self",)).select_related("filer").get(pk=case_id)


def require(user, action: str, case: Case) -> None:
    if not can(user, action, case):
        raise PermissionDenied(f"You may not do that ({action}).")


def after_commit(task, *args) -> None:
    """Queue a Celery task once the transaction commits; a broker that is down
    must not lose the write (the beat sweep sends what was missed)."""

    def send():
        try:
            task.delay(*args)
        except Exception:  # noqa: BLE001 - broker down: the periodic sweep retries
            import logging

            logging.getLogger(__name__).warning(
                "could not queue %s%r; the sweep will retry", task.name, args, exc_info=True
            )

    transaction.on_commit(send)
