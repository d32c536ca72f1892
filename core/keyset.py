"""Keyset pagination over (a timestamp column, id), oldest first, empty timestamps
last: the page after (or before) a row is read through an index whatever its depth,
where OFFSET reads every row it skips. A cursor is "<µs since the epoch>.<id>", or
"-.<id>" for a row whose timestamp is empty.

`rows_page` does the same over several columns that are never empty (the HR campaign's
people, by department, name and id); its cursor is the row's values, JSON in base64.

The lists that use them: the approvals inbox (waiting since), the campaign dashboard's
people; cases.selectors.queue keeps its own (newest or oldest first, with page numbers
resolved from its index)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import F, Q, QuerySet


def cursor(value: datetime | None, pk: int) -> str:
    stamp = "-" if value is None else str(int(value.timestamp() * 1_000_000))
    return f"{stamp}.{pk}"


def parse(raw: str) -> tuple[datetime | None, int] | None:
    """(timestamp or None, id) from a cursor, or None when `raw` is not one."""
    stamp, _, pk = (raw or "").partition(".")
    if not pk.isdigit() or len(pk) > 18:
        return None
    if stamp == "-":
        return None, int(pk)
    if not stamp.isdigit() or len(stamp) > 18:
        return None
    try:
        return datetime.fromtimestamp(int(stamp) / 1_000_000, tz=UTC), int(pk)
    except (OverflowError, OSError, ValueError):
        return None


def _after(field: str, value, pk: int) -> Q:
    if value is None:
        return Q(**{f"{field}__isnull": True, "pk__gt": pk})
    return Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk}) | Q(**{f"{field}__isnull": True})


def _before(field: str, value, pk: int) -> Q:
    if value is None:
        return Q(**{f"{field}__isnull": False}) | Q(**{f"{field}__isnull": True, "pk__lt": pk})
    return Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk})


@dataclass
class Page:
    rows: list
    next: str | None  # the cursor of the page after, or None on the last page
    previous: str | None  # the cursor of the page before, or None on the first page


def page(qs: QuerySet, field: str, *, after: str = "", before: str = "", per_page: int) -> Page:
    """One page of `qs` in (field, id) order: the first, or the one after the row
    `after` names, or the one before the row `before` names. One query: a row more
    than the page says whether the list goes on in that direction."""
    forward_order = [F(field).asc(nulls_last=True), "pk"]
    backward_order = [F(field).desc(nulls_first=True), "-pk"]
    start = parse(after) or parse(before)
    if start is None:
        found = list(qs.order_by(*forward_order)[: per_page + 1])
        rows, more = found[:per_page], len(found) > per_page
        return Page(rows, _cursor_of(rows[-1], field) if more else None, None)
    value, pk = start
    if parse(after) is not None:
        found = list(qs.filter(_after(field, value, pk)).order_by(*forward_order)[: per_page + 1])
        rows, more = found[:per_page], len(found) > per_page
        return Page(rows, _cursor_of(rows[-1], field) if more else None, _cursor_of(rows[0], field) if rows else None)
    found = list(qs.filter(_before(field, value, pk)).order_by(*backward_order)[: per_page + 1])
    rows, more = found[:per_page][::-1], len(found) > per_page
    return Page(rows, _cursor_of(rows[-1], field) if rows else None, _cursor_of(rows[0], field) if more else None)


def _cursor_of(row, field: str) -> str:
    return cursor(getattr(row, field), row.pk)


# --- several columns, none empty ---------------------------------------------------


def encode_row(values: Sequence) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode().rstrip("=")


def decode_row(raw: str, size: int) -> list | None:
    """The values a cursor of `encode_row` holds, or None when `raw` is not one of
    `size` strings and numbers."""
    if not raw or len(raw) > 2000:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        return None
    return values


def _lexicographic(fields: Sequence[str], values: Sequence, op: str) -> Q:
    """Rows after (op "gt") or before ("lt") `values` in the order of `fields`."""
    q = Q(pk__in=[])
    for i, name in enumerate(fields):
        q |= Q(**dict(zip(fields[:i], values[:i], strict=True)), **{f"{name}__{op}": values[i]})
    return q


def rows_page(
    qs: QuerySet, fields: Sequence[str], key: Callable, *, after: str = "", before: str = "", per_page: int
) -> Page:
    """One page of `qs` ordered by `fields` (the last one unique: the id), each
    column never empty; `key(row)` gives a row's values in that order."""
    forward_order = list(fields)
    backward_order = [f"-{f}" for f in fields]
    start_after, start_before = decode_row(after, len(fields)), decode_row(before, len(fields))

    def cursor_of(row) -> str:
        return encode_row(key(row))

    if start_after is not None:
        found = list(qs.filter(_lexicographic(fields, start_after, "gt")).order_by(*forward_order)[: per_page + 1])
        rows, more = found[:per_page], len(found) > per_page
        return Page(rows, cursor_of(rows[-1]) if more else None, cursor_of(rows[0]) if rows else None)
    if start_before is not None:
        found = list(qs.filter(_lexicographic(fields, start_before, "lt")).order_by(*backward_order)[: per_page + 1])
        rows, more = found[:per_page][::-1], len(found) > per_page
        return Page(rows, cursor_of(rows[-1]) if rows else None, cursor_of(rows[0]) if more else None)
    found = list(qs.order_by(*forward_order)[: per_page + 1])
    rows, more = found[:per_page], len(found) > per_page
    return Page(rows, cursor_of(rows[-1]) if more else None, None)
