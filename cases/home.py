"""Home page panels: my filings and, for those who work cases, their queue."""

from django.template.defaultfilters import pluralize
from django.urls import reverse

from cases.counts import deadline_counts
from cases.selectors import own_recent, queue_counts
from innovo_compliance.permissions import can
from policy.workflow import OPEN_STATUSES


def filings(request):
    return [
        {
            "label": f"{c.reference} · {c.title}",
            "url": reverse("case_detail", args=[c.pk]),
            "status": c.get_status_display(),
        }
        for c in [c for c in own_recent(request.user) if not c.is_filing][:8]  # the approvals panel lists filings
    ]


def queues(request):
    if not can(request.user, "queue.view"):
        return []

    # Open and unassigned from the kept counts (exact after every write); overdue
    # moves with the clock, so it is counted, over open cases only.
    per = queue_counts(request.user, statuses=OPEN_STATUSES, by_assignee=True)
    counts = {
        "open": sum(per.values()),
        "unassigned": sum(n for (_, assigned), n in per.items() if not assigned),
        "overdue": deadline_counts(request.user)["overdue"],
    }
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
