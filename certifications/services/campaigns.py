"""Campaigns: HR opens one for an audience (the officers' annual certification, CERT-2,
or a confirmation round for everyone), closes it; publishing a new Code version
opens a distribution campaign to the whole roster (CERT-3)."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from certifications.models import (
    REMINDER_FAMILIES,
    Audience,
    Campaign,
    CertificationEvent,
    CodeVersion,
    Kind,
    Obligation,
)
from certifications.pdf import confirmation_wording
from certifications.services.events import CertificationError, event_row, record
from certifications.services.obligations import audience_on, new_hire_days
from core.chain import chain_bulk_create
from innovo_compliance.permissions import can

RULE_FOR_KIND = {Kind.CONFIRMATION: "CERT-1", Kind.ANNUAL: "CERT-2", Kind.DISTRIBUTION: "CERT-3"}


def _check_manager(actor) -> None:
    """HR acts through the app; `actor=None` is the system (demo seed, Code publication)."""
    if actor is not None and not can(actor, "certifications.manage"):
        raise PermissionDenied("Only the director of human resources manages certification campaigns.")


def default_title(*, kind: str, audience: str, year: int) -> str:
    if kind == Kind.ANNUAL:
        return f"Annual certification {year}" + (" (everyone)" if audience == Audience.EVERYONE else "")
    if kind == Kind.CONFIRMATION:
        return f"Confirmation certificates {year}"
    return f"Acknowledgement of the updated Code {year}"


def campaign_create(
    *,
    actor,
    kind: str,
    audience: str,
    year: int,
    due_date: date,
    title: str = "",
    reminder_plan: list[str] | None = None,
    today: date | None = None,
    code_version: CodeVersion | None = None,
    exclude_pending_new_hires: bool = False,
) -> Campaign:
    """Open a campaign today and assign it to everyone in its audience today.

    Raises CertificationError for a due date not after today, a missing Code, or a
    second open campaign for the same audience and year.
    """
    _check_manager(actor)
    return _campaign_open(
        actor=actor,
        kind=kind,
        audience=audience,
        year=year,
        due_date=due_date,
        title=title,
        reminder_plan=reminder_plan,
        today=today,
        code_version=code_version,
        exclude_pending_new_hires=exclude_pending_new_hires,
    )


def _campaign_open(
    *,
    actor,
    kind,
    audience,
    year,
    due_date,
    title,
    reminder_plan,
    today,
    code_version,
    exclude_pending_new_hires,
) -> Campaign:
    today = today or timezone.localdate()
    code_version = code_version or CodeVersion.current()
    if code_version is None:
        raise CertificationError("No Code version has been published yet.")
    if audience == Audience.NEW_HIRES:
        raise CertificationError("New hires are assigned one by one when they join.", field="audience")
    if due_date <= today:
        raise CertificationError("The due date must be after today.", field="due_date")
    plan = [
        step
        for step in (reminder_plan if reminder_plan is not None else REMINDER_FAMILIES)
        if step in REMINDER_FAMILIES
    ]
    rule = RULE_FOR_KIND[Kind(kind)]
    try:
        with transaction.atomic():
            campaign = Campaign.objects.create(
                kind=kind,
                audience=audience,
                year=year,
                title=title.strip() or default_title(kind=kind, audience=audience, year=year),
                code_version=code_version,
                opens_on=today,
                due_date=due_date,
                reminder_plan=plan,
                created_by=actor,
            )
            people = audience_on(audience, today)
            if exclude_pending_new_hires:
                people = people.exclude(Exists(_pending_new_hire(OuterRef("pk"))))
            obligations = Obligation.objects.bulk_create(
                Obligation(
                    campaign=campaign,
                    person_id=person_id,
                    code_version=code_version,
                    assigned_on=today,
                    due_date=due_date,
                )
                for person_id in people.order_by("id").values_list("id", flat=True)
            )
            if not obligations or obligations[0].pk is None:  # backends that return no ids
                obligations = list(campaign.obligations.all())
            chain_bulk_create(
                CertificationEvent,
                [
                    event_row("assigned", actor=actor, obligation=o, rule=rule, detail=f"Due {due_date:%B %-d, %Y}.")
                    for o in obligations
                ],
                batch_size=2000,
            )
            record(
                "campaign-opened",
                actor=actor,
                campaign=campaign,
                rule=rule,
                detail=f"{Audience(audience).label}: {len(obligations)} people, due {due_date:%B %-d, %Y}.",
            )
    except IntegrityError:
        raise CertificationError(
            f"A campaign for this audience and {year} is already open: close it first.", field="year"
        ) from None
    return campaign


def _pending_new_hire(person_ref):
    return Obligation.objects.filter(
        person=person_ref, status=Obligation.Status.PENDING, campaign__audience=Audience.NEW_HIRES
    )


def campaign_close(*, campaign_id: int, actor, today: date | None = None) -> Campaign:
    """Close a campaign: its pending obligations become "not signed" and reminders stop."""
    _check_manager(actor)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if not campaign.is_open:
            raise CertificationError("This campaign is already closed.")
        campaign.status = Campaign.Status.CLOSED
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["status", "closed_at"])
        pending = list(campaign.obligations.select_for_update().filter(status=Obligation.Status.PENDING))
        Obligation.objects.filter(id__in=[o.id for o in pending]).update(status=Obligation.Status.LAPSED)
        chain_bulk_create(
            CertificationEvent,
            [
                event_row("lapsed", actor=actor, obligation=o, detail="Not signed when the campaign closed.")
                for o in pending
            ],
            batch_size=2000,
        )
        record("campaign-closed", actor=actor, campaign=campaign, detail=f"{len(pending)} not signed.")
    return campaign


def code_version_publish(*, code_version_id: int, actor=None, today: date | None = None) -> Campaign:
    """CERT-3: publish a new Code version and send it to everyone on the roster.

    Pending acknowledgements of older versions are cancelled (superseded); new
    hires who have not signed yet sign the new version instead, so they are not
    asked twice. Returns the distribution campaign.
    """
    if actor is not None and not (getattr(actor, "is_superuser", False) or can(actor, "certifications.manage")):
        raise PermissionDenied("Only an administrator publishes a Code version.")
    today = today or timezone.localdate()
    with transaction.atomic():
        code = CodeVersion.objects.select_for_update().get(pk=code_version_id)
        if code.published_at is not None:
            raise CertificationError(f"Version {code.number} is already published.")
        current = CodeVersion.current()
        if current is not None and code.number <= current.number:
            raise CertificationError(f"Version {code.number} is not newer than the current version {current.number}.")
        try:
            confirmation_wording(code.text)
        except ValueError as error:
            raise CertificationError(f"Version {code.number} cannot be signed: {error}") from None
        code.published_at = timezone.now()
        code.save(update_fields=["published_at"])
        record("code-published", actor=actor, detail=f"Version {code.number}, effective {code.effective_date}.")

        superseded = Obligation.objects.select_for_update(of=("self",)).filter(
            status=Obligation.Status.PENDING, campaign__kind=Kind.DISTRIBUTION
        )
        for obligation in superseded:
            obligation.status = Obligation.Status.CANCELLED
            obligation.save(update_fields=["status"])
            record("cancelled", actor=actor, obligation=obligation, detail=f"Superseded by version {code.number}.")
        for campaign in Campaign.objects.select_for_update().filter(kind=Kind.DISTRIBUTION, status="open"):
            campaign.status, campaign.closed_at = Campaign.Status.CLOSED, timezone.now()
            campaign.save(update_fields=["status", "closed_at"])
            record("campaign-closed", actor=actor, campaign=campaign, detail=f"Superseded by version {code.number}.")

        new_hires = Obligation.objects.select_for_update(of=("self",)).filter(
            status=Obligation.Status.PENDING, campaign__audience=Audience.NEW_HIRES
        )
        for obligation in new_hires:
            obligation.code_version, obligation.code_opened_at = code, None
            obligation.save(update_fields=["code_version", "code_opened_at"])
            record(
                "code-updated",
                actor=actor,
                obligation=obligation,
                rule="CERT-3",
                detail=f"Now signs version {code.number}.",
            )
        Campaign.objects.filter(audience=Audience.NEW_HIRES, status=Campaign.Status.OPEN).update(code_version=code)

        return _campaign_open(
            actor=actor,
            kind=Kind.DISTRIBUTION,
            audience=Audience.EVERYONE,
            year=today.year,
            due_date=today + timedelta(days=new_hire_days()),
            title=f"{code.title}, version {code.number}: acknowledgement",
            reminder_plan=None,
            today=today,
            code_version=code,
            exclude_pending_new_hires=True,
        )
