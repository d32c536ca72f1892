"""Home page panels: my filings and, for those who work cases, their queue."""

from django.db.models import Count, Q
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.selectors import cached_for, my_filings, overdue_q
from innovo_compliance.permissions import can, visible
from policy.workflow import OPEN_STATUSES


def filings(request):
    return [
        {
            "label": f"{c.reference} · {c.title}",
            "url": reverse("case_detail", args=[c.pk]),
            "status": c.get_status_display(),
        }
        for c in my_filings(request.user, limit=8)
        if not c.is_filing  # the approvals panel lists filings
    ]


def queues(request):
    if not can(request.user, "queue.view"):
        return []

    def compute():
        return (
            visible(request.user, Case)
            .filter(status__in=[s.value for s in OPEN_STATUSES])
            .aggregate(
                open=Count("id"),
                overdue=Count("id", filter=overdue_q(timezone.now())),
                unassigned=Count("id", filter=Q(assignee__isnull=True)),
            )
        )

    # Overdue-ness moves with the clock as well as with writes: the key holds the minute.
    counts = cached_for(request.user, f"home:{timezone.now():%Y%m%d%H%M}", compute)
    items = [
        {
            "label": f"{counts['open']} open case{pluralize(counts['open'])}",
            "url": reverse("queue") + "?status=received&status=acknowledged"
            "&status=triage&status=investigating&status=decision&status=submitted&status=info_requested",
        },
        {"label": f"{counts['overdue']} overdue", "url": reverse("queue") + "?overdue=1"},
        {"label": f"{counts['unassigned']} unassigned", "url": reverse("queue") + "?assignee=none"},
    ]
    return [{"title": "Case queue", "items": items}]
