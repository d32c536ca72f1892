"""Panels for the home page (innovo_compliance.views): my pending certificates, and
for HR a summary of the open campaigns. A fixed number of queries each."""

from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from certifications import selectors
from certifications.models import Campaign
from innovo_compliance.permissions import can


def tasks(request) -> list[dict]:
    today = timezone.localdate()
    return [
        {
            "label": f"Read and sign: {obligation.campaign.get_kind_display()}, "
            f"Code version {obligation.code_version.number}",
            "url": reverse("cert_sign", args=[obligation.pk]),
            "due": obligation.due_date,
            "overdue": obligation.due_date < today,
        }
        for obligation in selectors.pending_for(request.person)
    ]


def queues(request) -> list[dict]:
    """HR's open campaigns; for case workers, certification exceptions to follow up."""
    return exceptions(request) + _campaigns(request)


def _campaigns(request) -> list[dict]:
    if not can(request.user, "certifications.manage"):
        return []
    today = timezone.localdate()
    campaigns = selectors.campaigns_with_counts(today).filter(status=Campaign.Status.OPEN)
    items = [
        {
            "label": f"{c.title}: {c.signed} of {c.total} signed"
            + (f", {c.overdue} overdue" if c.overdue else "")
            + (f", {c.exceptions} exception{pluralize(c.exceptions)}" if c.exceptions else ""),
            "url": reverse("cert_campaign", args=[c.pk]),
        }
        for c in campaigns
    ]
    items.append({"label": "All campaigns, open a new one", "url": reverse("cert_campaigns")})
    return [{"title": "Certification campaigns", "items": items, "empty": "No open campaign."}]


def exceptions(request) -> list[dict]:
    """CERT-2: for those who work cases, the open follow-up cases of certification
    exceptions they may see (one query)."""
    if not can(request.user, "queue.view"):
        return []
    cases = list(selectors.exception_cases(request.user)[:10])
    if not cases:
        return []
    return [
        {
            "title": "Certification exceptions to follow up",
            "items": [
                {"label": f"{case.reference}: {case.title}", "url": reverse("case_detail", args=[case.pk])}
                for case in cases
            ],
            "empty": "",
        }
    ]
