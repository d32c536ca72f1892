"""Home page panels (innovo_compliance.views collects them): an insider's list
entries to acknowledge (INS-2), Form 4 due (INS-5), a blackout window covering
them today (INS-4); the deciders' pre-clearance count. A fixed number of queries."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from innovo_compliance.permissions import can, visible
from innovo_compliance.permissions.common import person, roles
from insiders.models import ListEntry, Request, Window
from insiders.selectors import form4_due_for
from policy.insiders import Status, is_designated_insider


def tasks(request) -> list[dict]:
    me = person(request.user)
    if me is None or not can(request.user, "insiders.page"):
        return []
    today = timezone.localdate()
    items = []
    pending = ListEntry.objects.filter(person=me, acknowledged_at__isnull=True, project__closed_at__isnull=True)
    for entry in pending.select_related("project")[:20]:
        items.append(
            {
                "label": f"Acknowledge the insider list of {entry.project.name} (INS-2)",
                "url": reverse("insiders:entry", args=[entry.pk]),
            }
        )
    for pre in form4_due_for(me, today)[:20]:
        items.append(
            {
                "label": f"File SEC Form 4 for your trade of {pre.trade_date:%b} {pre.trade_date.day} "
                f"({pre.reference}, INS-5)",
                "url": reverse("insiders:request", args=[pre.pk]),
                "due": pre.form4_due,
                "overdue": False,
            }
        )
    q = Q(kind=Window.Kind.EVENT, project__entries__person=me)
    if is_designated_insider(roles(request.user)):
        q |= Q(kind=Window.Kind.QUARTERLY)
    window = Window.objects.filter(q, start__lte=today, end__gte=today).order_by("end").first()
    if window is not None:
        items.append(
            {
                "label": f"Blackout window {window.name} until {window.end:%b} {window.end.day}: "
                "no trading in company securities (INS-4)",
                "url": reverse("insiders:mine"),
            }
        )
    return items


def queues(request) -> list[dict]:
    if not can(request.user, "preclearance.inbox"):
        return []
    me = person(request.user)
    waiting = visible(request.user, Request).filter(status=Status.PENDING).exclude(requester=me).count()
    url = reverse("insiders:inbox")
    return [
        {
            "title": "Pre-clearance",
            "items": [{"label": f"{waiting} pre-clearance request{'s' if waiting != 1 else ''} to decide", "url": url}],
            "empty": "Nothing to decide.",
        }
    ]
