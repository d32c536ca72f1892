"""The audit trail and the one error type services raise for a refused change."""

from __future__ import annotations

from certifications.models import CertificationEvent


class CertificationError(Exception):
    """A change the rules refuse. `field` names the form field the message belongs to
    (None: the form as a whole), so a view can show it where the person typed."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def record(action: str, *, actor=None, campaign=None, obligation=None, rule: str = "", detail: str = ""):
    """Append one event row. Never updated, never deleted."""
    event = event_row(action, actor=actor, campaign=campaign, obligation=obligation, rule=rule, detail=detail)
    event.save()
    return event


def event_row(action: str, *, actor=None, campaign=None, obligation=None, rule: str = "", detail: str = ""):
    """An unsaved event, for bulk_create when a campaign assigns thousands at once."""
    campaign_id = campaign.pk if campaign is not None else getattr(obligation, "campaign_id", None)
    return CertificationEvent(
        action=action,
        actor_id=getattr(actor, "pk", None),
        campaign_id=campaign_id,
        obligation=obligation,
        rule=rule,
        detail=detail,
    )
