"""Home page panels (innovo_compliance.views collects them): an insider's list
entries to acknowledge (INS-2), Form 4 due (INS-5), a blackout window covering
them today (INS-4) and, for the deciders, the requests waiting for them: all in
one query (a union), whatever the numbers."""

from __future__ import annotations

from django.db.models import CharField, DateField, F, Q, Value
from django.urls import reverse
from django.utils import timezone

from innovo_compliance.permissions import can, visible
from innovo_compliance.permissions.common import person, roles
from insiders.models import ListEntry, Request, Window
from policy.insiders import Status, is_designated_insider


def _rows(request):
    """(what, pk, name, first date, second date) for every kind of item, one query,
    kept on the request for `queues` (nobody else's home pays anything more)."""
    cached = getattr(request, "_insider_rows", None)
    if cached is not None:
        return cached
    me = person(request.user)
    # Only designated insiders and the deciders pay the query (every home page is held to
    # 12 queries cold); someone who is only on a list is told by e-mail, with the link.
    r = roles(request.user)
    if me is None or not (is_designated_insider(r) or can(request.user, "preclearance.inbox")):
        request._insider_rows = []
        return []
    today = timezone.localdate()
    text, day = CharField(), DateField()
    no_day, no_text = Value(None, output_field=day), Value("", output_field=text)

    def shaped(queryset, what, name, first, second):
        return (
            queryset.annotate(what_=Value(what, output_field=text), name_=name, first_=first, second_=second)
            .values_list("what_", "pk", "name_", "first_", "second_")
            .order_by()
        )

    parts = [
        shaped(
            ListEntry.objects.filter(person=me, acknowledged_at__isnull=True, project__closed_at__isnull=True),
            "ack", F("project__name"), no_day, no_day,
        ),
        shaped(
            Request.objects.filter(requester=me, status=Status.TRADED, form4_due__gte=today),
            "form4", no_text, F("trade_date"), F("form4_due"),
        ),
    ]  # fmt: skip
    q = Q(kind=Window.Kind.EVENT, project__entries__person=me)
    if is_designated_insider(roles(request.user)):
        q |= Q(kind=Window.Kind.QUARTERLY)
    parts.append(
        shaped(Window.objects.filter(q, start__lte=today, end__gte=today), "window", F("name"), F("start"), F("end"))
    )
    if can(request.user, "preclearance.inbox"):
        pending = visible(request.user, Request).filter(status=Status.PENDING).exclude(requester=me)
        parts.append(shaped(pending, "decide", no_text, no_day, no_day))
    rows = list(parts[0].union(*parts[1:], all=True).order_by())
    request._insider_rows = rows
    return rows


def tasks(request) -> list[dict]:
    items, seen_window = [], False
    for what, pk, name, first, second in _rows(request):
        if what == "ack":
            items.append({"label": f"Acknowledge the insider list of {name} (INS-2)", "url": _url("entry", pk)})
        elif what == "form4":
            items.append(
                {
                    "label": f"File SEC Form 4 for your trade of {first:%b} {first.day} (PC-{pk}, INS-5)",
                    "url": _url("request", pk),
                    "due": second,
                    "overdue": False,
                }
            )
        elif what == "window" and not seen_window:
            seen_window = True
            items.append(
                {
                    "label": f"Blackout window {name} until {second:%b} {second.day}: "
                    "no trading in company securities (INS-4)",
                    "url": reverse("insiders:mine"),
                }
            )
    return items


def _url(name: str, pk: int) -> str:
    return reverse(f"insiders:{name}", args=[pk])


def queues(request) -> list[dict]:
    if not can(request.user, "preclearance.inbox"):
        return []
    waiting = sum(1 for row in _rows(request) if row[0] == "decide")
    url = reverse("insiders:inbox")
    return [
        {
            "title": "Pre-clearance",
            "items": [{"label": f"{waiting} pre-clearance request{'s' if waiting != 1 else ''} to decide", "url": url}],
            "empty": "Nothing to decide.",
        }
    ]
