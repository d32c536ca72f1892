"""Home page panels (innovo_compliance.views collects them): the filer's tasks
(information requested, drafts, renewals, the yearly re-confirmation), the
compliance officer's waiver disclosures (overdue in red), "my filings", and the
approver's inbox counts. A fixed, small number of queries each."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from approvals import selectors
from approvals.rules import FILING_KIND_VALUES
from cases.selectors import own_recent
from innovo_compliance.permissions import can
from innovo_compliance.permissions.common import person
from policy.workflow import Status


def _url(case) -> str:
    return reverse("approvals:filing", args=[case.pk])


def tasks(request) -> list[dict]:
    me = person(request.user)
    if me is None:
        return []
    today = timezone.localdate()
    items = []
    own = [c for c in own_recent(request.user) if c.kind in FILING_KIND_VALUES]
    waiting_on_me = sorted(
        (c for c in own if c.status in (Status.INFO_REQUESTED, Status.DRAFT)),
        key=lambda c: (c.status, -c.created_at.timestamp()),
    )[:20]
    for case in waiting_on_me:
        what = "Information requested from you" if case.status == Status.INFO_REQUESTED else "Draft not submitted"
        items.append({"label": f"{what}: {case.reference} {case.title}", "url": _url(case), "status": case.status})
    renewals, reconfirmations = selectors.own_renewals_and_reconfirmations(me, today=today)
    for case in renewals[:20]:
        items.append(
            {
                "label": f"Renew your approval {case.reference} {case.title}",
                "url": _url(case),
                "due": case.review_date,
                "overdue": case.review_date < today,
            }
        )
    for case in reconfirmations[:20]:
        items.append(
            {
                "label": f"Re-confirm or update your disclosure {case.reference} {case.title}",
                "url": _url(case),
                "due": selectors.reconfirm_due_on(case),
                "overdue": False,
            }
        )
    if can(request.user, "disclosure.list"):
        for disclosure in selectors.disclosures_due().exclude(case__filer=me)[:50]:
            case = disclosure.case
            items.append(
                {
                    "label": f"Disclose the waiver {case.reference} for {case.filer.name} (WAIVE-2)",
                    "url": _url(case),
                    "due": disclosure.due_on,
                    "overdue": disclosure.is_overdue(today),
                }
            )
    return items


def filings(request) -> list[dict]:
    me = person(request.user)
    if me is None:
        return []
    latest = [c for c in own_recent(request.user) if c.kind in FILING_KIND_VALUES][:10]
    return [
        {"label": f"{case.reference} {case.title}", "url": _url(case), "status": Status(case.status).label}
        for case in latest
    ]


def queues(request) -> list[dict]:
    if not can(request.user, "approvals.inbox"):
        return []
    counts = selectors.inbox_counts(request.user)
    inbox = reverse("approvals:inbox")
    items = [{"label": f"{counts['waiting']} waiting for your decision", "url": inbox}]
    if counts["overdue"]:
        items.append({"label": f"{counts['overdue']} overdue", "url": f"{inbox}?status=waiting&overdue=on"})
    if counts["info_requested"]:
        label = f"{counts['info_requested']} waiting for the filer"
        items.append({"label": label, "url": f"{inbox}?status=info_requested"})
    return [{"title": "Approvals inbox", "items": items, "empty": "Nothing to decide."}]
