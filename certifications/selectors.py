"""Reads for certification pages. Each answers in a fixed number of queries,
whatever the size of the campaign (pinned in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from certifications.models import Campaign, Certification, Obligation
from certifications.signing import REASON_NOT_PDF, VerifyResult, verify_pdf

# Lists never load the Code's text (tens of kilobytes) once per row.
PENDING = Obligation.Status.PENDING
SIGNED = Obligation.Status.SIGNED


def pending_for(person) -> QuerySet[Obligation]:
    """A person's pending obligations in open campaigns, soonest due first (one query)."""
    if person is None:
        return Obligation.objects.none()
    return (
        Obligation.objects.filter(person=person, status=PENDING, campaign__status=Campaign.Status.OPEN)
        .select_related("campaign", "code_version")
        .defer("code_version__text")
        .order_by("due_date", "id")
    )


def obligations_of(person) -> QuerySet[Obligation]:
    """Everything a person was asked to sign, with the certificate where signed."""
    if person is None:
        return Obligation.objects.none()
    return (
        Obligation.objects.filter(person=person)
        .select_related("campaign", "code_version", "certification")
        .defer("code_version__text")
        .order_by("-assigned_on", "-id")
    )


def _counts(today: date, prefix: str = "") -> dict:
    """Obligation counts by state; `prefix` "obligations__" counts from a campaign."""
    status, field = f"{prefix}status", (prefix.rstrip("_") or "id")
    return {
        "total": Count(field, filter=~Q(**{status: Obligation.Status.CANCELLED})),
        "signed": Count(field, filter=Q(**{status: SIGNED})),
        "pending": Count(field, filter=Q(**{status: PENDING})),
        "overdue": Count(field, filter=Q(**{status: PENDING, f"{prefix}due_date__lt": today})),
        "lapsed": Count(field, filter=Q(**{status: Obligation.Status.LAPSED})),
        # CERT-2: signed with an explained exception ("no" to a question).
        "exceptions": Count(field, filter=Q(**{status: SIGNED}) & ~Q(**{f"{prefix}certification__exception": ""})),
    }


def campaign_summary(campaign: Campaign, today: date) -> dict:
    """Signed / pending / overdue / not signed for one campaign (one query)."""
    summary = campaign.obligations.aggregate(**_counts(today))
    summary["percent_signed"] = round(100 * summary["signed"] / summary["total"]) if summary["total"] else 0
    return summary


def campaign_by_department(campaign: Campaign, today: date) -> list[dict]:
    """The same counts per department (one query), largest departments first."""
    rows = (
        campaign.obligations.values("person__department")
        .annotate(**_counts(today))
        .order_by("-total", "person__department")
    )
    return [{**row, "department": row["person__department"] or "No department"} for row in rows if row["total"]]


def campaigns_with_counts(today: date) -> QuerySet[Campaign]:
    """Every campaign with its counts (one query)."""
    return (
        Campaign.objects.select_related("code_version")
        .defer("code_version__text")
        .annotate(**_counts(today, "obligations__"))
    )


STATUS_FILTERS = {
    "all": Q(),
    "pending": Q(status=PENDING),
    "overdue": Q(status=PENDING),  # plus due_date < today, added below
    "signed": Q(status=SIGNED),
    "exceptions": Q(status=SIGNED) & ~Q(certification__exception=""),
    "not_signed": Q(status__in=[Obligation.Status.LAPSED, Obligation.Status.CANCELLED]),
}


def campaign_people(campaign: Campaign, today: date, status: str = "all") -> QuerySet[Obligation]:
    """The people of a campaign, for the dashboard table (paginated by the view)."""
    queryset = campaign.obligations.filter(STATUS_FILTERS.get(status, Q()))
    if status == "overdue":
        queryset = queryset.filter(due_date__lt=today)
    return queryset.select_related("person", "certification").order_by("person__department", "person__name", "id")


def exception_cases(user) -> QuerySet:
    """CERT-2: the open follow-up cases of certification exceptions that `user` may
    see (for the compliance officer's home), newest first (one query)."""
    from cases.models import Case
    from innovo_compliance.permissions import visible

    ids = Certification.objects.exclude(followup_case=None).values("followup_case_id")
    return visible(user, Case).open().filter(pk__in=ids).order_by("-created_at")


def certificate_by_number(number: str) -> Certification | None:
    return (
        Certification.objects.select_related("obligation__campaign", "code_version")
        .filter(certificate_number=number)
        .first()
    )


@dataclass
class Verdict:
    """What the verification page says about an uploaded PDF."""

    valid: bool
    reason: str
    certification: Certification | None = None
    signature: VerifyResult | None = None

    @property
    def not_a_pdf(self) -> bool:
        return self.signature is not None and self.signature.reason == REASON_NOT_PDF


REASON_NOT_ISSUED = (
    "The digital signature is ours, but this exact file is not one we issued: "
    "no certificate on record has this fingerprint."
)


def verify_upload(data: bytes) -> Verdict:
    """A PDF is valid when its signature checks out against the organisation's
    certificate AND its SHA-256 is that of a certificate we issued."""
    result = verify_pdf(
        data,
        trust_cert_path=settings.INNOVO["SIGNING_CERT"],
        also_trusted=settings.INNOVO.get("SIGNING_PREVIOUS_CERTS", ()),
    )
    if not result.valid:
        return Verdict(valid=False, reason=result.reason, signature=result)
    certification = (
        Certification.objects.select_related("obligation__campaign", "code_version")
        .filter(pdf_sha256=result.sha256)
        .first()
    )
    if certification is None:
        return Verdict(valid=False, reason=REASON_NOT_ISSUED, signature=result)
    return Verdict(valid=True, reason=result.reason, certification=certification, signature=result)


def own_exception_initial(request) -> dict:
    """The initial description of a report or conflict form opened from a signed
    annual certification's exception (CERT-2): `?exception=<certification id>`.

    The text travels by id, never in the URL (where access logs, browser history
    and proxies would keep it). Only the signer's own certification is read: any
    other id, or no login, is a 404, as for anything not visible."""
    from django.http import Http404

    raw = request.GET.get("exception", "")
    if not raw:
        return {}
    user = request.user
    certification = None
    if raw.isdigit() and user.is_authenticated:
        certification = (
            Certification.objects.filter(pk=int(raw), obligation__person__user_id=user.pk).only("exception").first()
        )
    if certification is None or not certification.exception.strip():
        raise Http404("No such certification exception.")
    return {"description": certification.exception[:2000]}
