"""Reads of cases: the queue (filters, search, sort, counts, pages) in a fixed
number of queries whatever the data size."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from cases.counts import cached_for, cases_changed, queue_counts  # noqa: F401 (re-exported)
from cases.models import Case, SavedFilter
from innovo_compliance.permissions import visible
from innovo_compliance.permissions.common import person
from policy.routing import CATEGORY_CHOICES, FilingKind
from policy.workflow import Status

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
    # Keyset pagination: the row the next page starts after (or the previous page
    # ends before), as "<created_at in µs>.<id>"; only for the newest/oldest sorts.
    after: str = ""
    before: str = ""

    def querystring(self, **change) -> str:
        from django.http import QueryDict

        # A cursor belongs to one page move: links made from these params drop it.
        values = {**self.__dict__, "after": "", "before": "", **change}
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
    for name in ("after", "before"):
        raw = data.get(name, "")
        if _cursor(raw) is not None and params.sort in ("newest", "oldest"):
            setattr(params, name, raw)
    return params, errors


def cursor_of(case) -> str:
    return f"{int(case.created_at.timestamp() * 1_000_000)}.{case.pk}"


def _cursor(raw: str):
    """(created_at, id) from a cursor, or None when it is not one."""
    micros, _, pk = raw.partition(".")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18:
        return None
    return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC), int(pk)


def overdue_q(now: datetime) -> Q:
    """Open cases past a deadline: acknowledgement, investigation or feedback
    (`Case.overdue_at`, the earliest of them the case's status still waits for)."""
    return Q(overdue_at__lt=now)


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
    capped: bool = False  # a text search matched more than SEARCH_COUNT_CAP: total and pages unknown


SEARCH_COUNT_CAP = 1000
"""A text search counts its matches up to this many: a broad word ("invoice") can
match a quarter of a million cases, and counting them all reads every one (390 ms at
1,000,000 cases, issue 12). Past it the queue says "more than 1,000" and pages on
without a last page, as search engines do."""


def status_counts(user, params: QueueParams) -> dict[str, int]:
    """Cases per status for the queue's tabs. The column filters are answered from
    the kept counts (cases.counts: three queries, exact after every write); the
    filters on time or text (overdue, dates, search) count the filtered cases,
    cached until the next write."""
    return _counts(user, params)[0]


def _counts(user, params: QueueParams) -> tuple[dict[str, int], bool]:
    """(cases per status, capped): a text search counts at most SEARCH_COUNT_CAP
    matches; capped is True when there are more (the counts are then partial)."""
    if not (params.overdue or params.date_from or params.date_to or params.q):
        counts = queue_counts(
            user,
            kind=params.kind,
            category=params.category,
            assignee=params.assignee or None,
            anonymous=params.anonymous,
        )
        return counts, False

    def compute():
        matching = filtered(user, params, with_status=False).order_by()
        if params.q:
            found = list(matching.values_list("status", flat=True)[: SEARCH_COUNT_CAP + 1])
            counts = {}
            for status in found[:SEARCH_COUNT_CAP]:
                counts[status] = counts.get(status, 0) + 1
            return counts, len(found) > SEARCH_COUNT_CAP
        rows = matching.values("status").annotate(n=Count("id"))
        return {row["status"]: row["n"] for row in rows}, False

    key = f"counts-capped-{SEARCH_COUNT_CAP}:" + params.querystring(page=1, sort="newest", status=[])
    if params.overdue:  # overdue-ness moves with the clock too
        key += timezone.now().strftime(":%Y%m%d%H%M")
    return cached_for(user, key, compute)


def queue(user, params: QueueParams, *, per_page: int | None = None) -> QueuePage:
    """The counts per status (kept, cases.counts; they also give the total), then
    one page. Next and previous follow a cursor (keyset: the rows after the last
    one shown, through the created-at index, whatever the depth); a page number
    typed or bookmarked is resolved from the index (ids only, read from the far end
    past the middle) and only its rows are read from the table."""
    per_page = per_page or PER_PAGE
    counts, capped = _counts(user, params)
    total = sum(n for status, n in counts.items() if not params.status or status in params.status)
    pages = max(1, math.ceil(total / per_page))
    if capped:  # how many match is not known: a page exists while it has rows
        pages = max(params.page, pages)
    page = min(params.page, pages)
    order = SORTS[params.sort]
    qs = filtered(user, params)
    reverse = [f[1:] if f.startswith("-") else f"-{f}" for f in order]
    cursor = _cursor(params.after or params.before)
    if cursor is not None and page > 1:
        created, pk = cursor
        newest_first = params.sort == "newest"
        forward = bool(params.after)
        older = forward == newest_first  # the rows wanted lie towards older cases
        beyond = (
            Q(created_at__lt=created) | Q(created_at=created, pk__lt=pk)
            if older
            else Q(created_at__gt=created) | Q(created_at=created, pk__gt=pk)
        )
        ids = list(qs.filter(beyond).order_by(*(order if forward else reverse)).values_list("pk", flat=True)[:per_page])
        if not forward:
            ids.reverse()
    else:
        start = (page - 1) * per_page
        if start > total / 2 and not capped:
            from_end = max(0, total - start - per_page)
            size = min(per_page, total - start)
            ids = list(qs.order_by(*reverse).values_list("pk", flat=True)[from_end : from_end + size])[::-1]
        else:
            ids = list(qs.order_by(*order).values_list("pk", flat=True)[start : start + per_page])
    by_id = Case.objects.select_related("assignee").in_bulk(ids)
    rows = [by_id[pk] for pk in ids if pk in by_id]
    if capped:
        pages = page + 1 if len(ids) == per_page else page
    return QueuePage(cases=rows, total=total, counts=counts, page=page, pages=pages, params=params, capped=capped)


def saved_filters(user):
    return SavedFilter.objects.filter(user=user)


OWN_CASES_ON_HOME = 500


def own_recent(user) -> list:
    """The viewer's latest cases of every kind (reports, questions, filings), newest
    first, read once per page: the home panels (my reports, my filings, what waits on
    me) pick from it."""
    from cases.counts import memo

    me = person(user)
    if me is None:
        return []
    return memo(
        me,
        "own-recent",
        lambda: list(Case.objects.filter(filer=me).order_by("-created_at", "-id")[:OWN_CASES_ON_HOME]),
    )


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
