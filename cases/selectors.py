"""Reads of cases: the queue (filters, search, sort, counts, pages) in a fixed
number of queries whatever the data size."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from cases.counts import cached_for, cases_changed  # noqa: F401 (re-exported)
from cases.models import Case, SavedFilter
from innovo_compliance.permissions import visible
from innovo_compliance.permissions.common import person
from policy.routing import CATEGORY_CHOICES, FilingKind
from policy.workflow import OPEN_STATUSES, Status

PER_PAGE = 25
SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "due": ("feedback_due", "id"),
    "reference": ("reference",),
    "status": ("status", "-created_at", "-id"),
}
_REFERENCE = re.compile(r"^[A-Z]-\d{4}-\d{6}$", re.IGNORECASE)


@dataclass
class QueueParams:
    kind: str = ""
    category: str = ""
    status: list[str] = field(default_factory=list)
    assignee: str = ""  # "", "me", "none" or a person id
    overdue: bool = False
    anonymous: str = ""  # "", "yes", "no"
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    sort: str = "newest"
    page: int = 1

    def querystring(self, **change) -> str:
        from django.http import QueryDict

        values = {**self.__dict__, **change}
        qd = QueryDict(mutable=True)
        for key, value in values.items():
            if key == "status":
                qd.setlist("status", value)
            elif isinstance(value, bool):
                if value:
                    qd[key] = "1"
            elif (
                value not in ("", None)
                and not (key == "page" and value == 1)
                and not (key == "sort" and value == "newest")
            ):
                qd[key] = str(value)
        return qd.urlencode()


def parse_params(data) -> tuple[QueueParams, list[str]]:
    """Read the queue's GET parameters; bad values are dropped with a message."""
    errors = []
    params = QueueParams()
    kinds = {k.value for k in FilingKind}
    statuses = {s.value for s in Status}
    categories = {c for c, _ in CATEGORY_CHOICES}
    params.kind = data.get("kind", "") if data.get("kind", "") in kinds else ""
    params.category = data.get("category", "") if data.get("category", "") in categories else ""
    params.status = [s for s in data.getlist("status") if s in statuses] if hasattr(data, "getlist") else []
    assignee = data.get("assignee", "")
    params.assignee = assignee if assignee in ("", "me", "none") or assignee.isdigit() else ""
    params.overdue = data.get("overdue") in ("1", "on", "true")
    params.anonymous = data.get("anonymous", "") if data.get("anonymous", "") in ("yes", "no") else ""
    for name in ("date_from", "date_to"):
        raw = data.get(name, "").strip()
        if raw:
            try:
                setattr(params, name, date.fromisoformat(raw))
            except ValueError:
                errors.append(f"{name.replace('_', ' ').capitalize()}: {raw!r} is not a date (YYYY-MM-DD).")
    params.q = data.get("q", "").strip()[:200]
    params.sort = data.get("sort", "newest") if data.get("sort", "newest") in SORTS else "newest"
    try:
        params.page = max(1, int(data.get("page", "1")))
    except ValueError:
        params.page = 1
    return params, errors


def overdue_q(now: datetime) -> Q:
    return (
        Q(status=Status.RECEIVED, acknowledge_due__lt=now)
        | Q(status__in=[Status.RECEIVED, Status.ACKNOWLEDGED, Status.TRIAGE], kind="report", investigate_due__lt=now)
        | Q(status__in=[s.value for s in OPEN_STATUSES], feedback_due__lt=now)
    )


def search(qs, text: str):
    if not text:
        return qs
    if _REFERENCE.match(text):
        return qs.filter(reference__iexact=text)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        return qs.annotate(_sv=SearchVector("search_text", config="english")).filter(
            _sv=SearchQuery(text, search_type="websearch", config="english")
        )
    for word in text.split()[:8]:
        qs = qs.filter(search_text__icontains=word)
    return qs


def filtered(user, params: QueueParams, *, with_status: bool = True):
    qs = visible(user, Case)
    if params.kind:
        qs = qs.filter(kind=params.kind)
    if params.category:
        qs = qs.filter(category=params.category)
    if with_status and params.status:
        qs = qs.filter(status__in=params.status)
    if params.assignee == "me":
        qs = qs.filter(assignee=person(user))
    elif params.assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif params.assignee:
        qs = qs.filter(assignee_id=int(params.assignee))
    if params.overdue:
        qs = qs.filter(overdue_q(timezone.now()))
    if params.anonymous:
        qs = qs.filter(anonymous=params.anonymous == "yes")
    tz = timezone.get_current_timezone()
    if params.date_from:
        qs = qs.filter(created_at__gte=datetime.combine(params.date_from, time.min, tz))
    if params.date_to:
        qs = qs.filter(created_at__lt=datetime.combine(params.date_to, time.max, tz))
    return search(qs, params.q)


@dataclass
class QueuePage:
    cases: list
    total: int
    counts: dict[str, int]
    page: int
    pages: int
    params: QueueParams


def status_counts(user, params: QueueParams) -> dict[str, int]:
    def compute():
        rows = filtered(user, params, with_status=False).order_by().values("status").annotate(n=Count("id"))
        return {row["status"]: row["n"] for row in rows}

    key = "counts:" + params.querystring(page=1, sort="newest", status=[])
    if params.overdue:  # overdue-ness moves with the clock too
        key += timezone.now().strftime(":%Y%m%d%H%M")
    return cached_for(user, key, compute)


def queue(user, params: QueueParams, *, per_page: int = PER_PAGE) -> QueuePage:
    """One query for the counts per status (which also give the total; cached until
    the next write), one for the page. Pages past the middle are read from the other
    end of the index, so the last page is as quick as the first."""
    counts = status_counts(user, params)
    total = sum(n for status, n in counts.items() if not params.status or status in params.status)
    pages = max(1, math.ceil(total / per_page))
    page = min(params.page, pages)
    start = (page - 1) * per_page
    order = SORTS[params.sort]
    qs = filtered(user, params).select_related("assignee")
    if start > total / 2:
        from_end = max(0, total - start - per_page)
        size = min(per_page, total - start)
        reverse = [f[1:] if f.startswith("-") else f"-{f}" for f in order]
        rows = list(qs.order_by(*reverse)[from_end : from_end + size])[::-1]
    else:
        rows = list(qs.order_by(*order)[start : start + per_page])
    return QueuePage(cases=rows, total=total, counts=counts, page=page, pages=pages, params=params)


def saved_filters(user):
    return SavedFilter.objects.filter(user=user)


def my_filings(user, *, limit: int | None = None):
    me = person(user)
    if me is None:
        return Case.objects.none()
    qs = Case.objects.filter(filer=me).order_by("-created_at", "-id")
    return qs[:limit] if limit else qs


def other_cases_visible(user, ids) -> dict[int, Case]:
    """Of the cases `ids`, those `user` may see (one query): links, merges and
    timeline events name another case only for them."""
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {c.pk: c for c in visible(user, Case).filter(pk__in=ids).only("pk", "reference", "kind")}


def timeline_for(user, case: Case, *, internal: bool) -> list:
    """The case's events for this viewer: internal ones only for handlers; an
    event about another case shows that case only to those who may see it
    (`event.related` is the case or None)."""
    events = list((case.events.all() if internal else case.events.filter(internal=False)).select_related("actor"))
    seen = other_cases_visible(user, [e.related_case_id for e in events])
    for event in events:
        event.related = seen.get(event.related_case_id)
    return events


def links_for(user, case: Case) -> list:
    """Linked cases this viewer may see (the others are not mentioned at all)."""
    links = list(case.links.all())
    seen = other_cases_visible(user, [link.other_id for link in links])
    return [(link, seen[link.other_id]) for link in links if link.other_id in seen]
