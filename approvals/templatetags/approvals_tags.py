"""Small display helpers for filings: status and verdict badges, labels."""

from django import template

from approvals.rules import KIND_TITLES
from policy.outcomes import Outcome
from policy.routing import Decider, FilingKind
from policy.workflow import Status

register = template.Library()

_STATUS_CLASS = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-primary",
    Status.INFO_REQUESTED: "text-bg-warning",
    Status.APPROVED: "text-bg-success",
    Status.APPROVED_WITH_CONDITIONS: "text-bg-success",
    Status.DENIED: "text-bg-danger",
    Status.RECORDED: "text-bg-info",
    Status.WITHDRAWN: "text-bg-light border",
}
_VERDICT_CLASS = {"allowed": "text-bg-success", "needs_approval": "text-bg-warning", "prohibited": "text-bg-danger"}


@register.filter
def status_class(status: str) -> str:
    return _STATUS_CLASS.get(status, "text-bg-light border")


@register.filter
def status_label(status: str) -> str:
    try:
        return Status(status).label
    except ValueError:
        return status


@register.filter
def verdict_class(verdict: str) -> str:
    return _VERDICT_CLASS.get(str(verdict), "text-bg-light border")


@register.filter
def kind_title(kind: str) -> str:
    try:
        return KIND_TITLES[FilingKind(kind)]
    except (KeyError, ValueError):
        return kind


@register.filter
def decider_label(decider: str) -> str:
    try:
        return Decider(decider).label
    except ValueError:
        return decider


@register.filter
def outcome_summary(outcome: dict | None) -> str:
    """For example "Needs approval (GIFT-3)", from a stored Outcome."""
    return Outcome.from_dict(outcome).summary if outcome else ""
