"""A hash chain over an append-only event table (tamper evidence).

Each row carries its place in its chain (`seq`, 1, 2, 3... per chain scope),
the previous row's hash and its own: SHA-256 over the table name, the scope,
the place, the previous hash and the row's content as canonical JSON. Editing
a row, deleting one from the middle or forging one without recomputing every
later hash breaks the chain; `manage.py verify_audit_trail` recomputes every
chain and names the first broken link. The database refuses UPDATE and DELETE
on these tables (core/migrations: triggers), so breaking a chain takes a
superuser who disables the triggers, and the chain shows it.

A chain's scope is one case for case events (the purge removes whole chains
with their case) and the whole table for the others. Writers to the same chain
are serialised by a transaction-scoped advisory lock on PostgreSQL (SQLite
serialises writers anyway), so two inserts never claim the same place; the
unique (scope, seq) constraint backs that up.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import connection, models
from django.utils import timezone

GENESIS = "0" * 64


def _canonical(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    return value


def link_hash(table: str, scope: int, seq: int, prev_hash: str, content: dict) -> str:
    body = json.dumps(_canonical(content), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{table}|{scope}|{seq}|{prev_hash}|{body}".encode()).hexdigest()


class ChainedEvent(models.Model):
    """An append-only row in a hash chain. Subclasses name the fields whose
    content is sealed (`CHAIN_FIELDS`, attribute names such as `case_id`) and,
    optionally, the field that scopes the chain (`CHAIN_SCOPE`, e.g. `case_id`)."""

    CHAIN_FIELDS: tuple[str, ...] = ()
    CHAIN_SCOPE: str | None = None

    seq = models.PositiveBigIntegerField(editable=False, default=0)
    prev_hash = models.CharField(max_length=64, editable=False, blank=True)
    hash = models.CharField(max_length=64, editable=False, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are append-only: they are never updated.")
        chain_append([self])
        return super().save(*args, **kwargs)

    # --- sealing ----------------------------------------------------------------
    def chain_scope_value(self) -> int:
        return getattr(self, self.CHAIN_SCOPE) or 0 if self.CHAIN_SCOPE else 0

    def chain_content(self) -> dict:
        return {name: getattr(self, name) for name in self.CHAIN_FIELDS}

    def expected_hash(self) -> str:
        return link_hash(self._meta.db_table, self.chain_scope_value(), self.seq, self.prev_hash, self.chain_content())


def _lock(model, scope: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                [zlib.crc32(model._meta.db_table.encode()) & 0x7FFFFFFF, scope & 0x7FFFFFFF],
            )


def chain_append(rows: list[ChainedEvent]) -> list[ChainedEvent]:
    """Give unsaved rows their places and hashes (in list order), for `save()` or
    `bulk_create`. Must run inside the transaction that inserts them."""
    if not rows:
        return rows
    model = type(rows[0])
    heads: dict[int, tuple[int, str]] = {}
    now = timezone.now()
    for row in rows:
        if getattr(row, "at", None) is None and hasattr(row, "at"):
            row.at = now
        scope = row.chain_scope_value()
        if scope not in heads:
            _lock(model, scope)
            qs = model.objects.all()
            if model.CHAIN_SCOPE:
                qs = qs.filter(**{model.CHAIN_SCOPE: scope})
            last = qs.order_by("-seq").values_list("seq", "hash").first()
            heads[scope] = last or (0, GENESIS)
        seq, prev = heads[scope]
        row.seq, row.prev_hash = seq + 1, prev
        row.hash = row.expected_hash()
        heads[scope] = (row.seq, row.hash)
    return rows


def chain_bulk_create(model, rows: list[ChainedEvent], **kwargs) -> list[ChainedEvent]:
    """`bulk_create` for chained rows (a campaign's thousands of events)."""
    return model.objects.bulk_create(chain_append(rows), **kwargs)


class Break:
    """The first broken link of one chain."""

    def __init__(self, model, scope: int, row_id: int | None, seq: int, problem: str):
        self.model, self.scope, self.row_id, self.seq, self.problem = model, scope, row_id, seq, problem

    def __str__(self):
        scope = f" {self.model.CHAIN_SCOPE.removesuffix('_id')} {self.scope}" if self.model.CHAIN_SCOPE else ""
        row = f" (row id {self.row_id})" if self.row_id else ""
        return f"{self.model._meta.label}{scope}, link {self.seq}{row}: {self.problem}"


def verify_chain(model, *, chunk: int = 2000) -> tuple[int, list[Break]]:
    """Recompute every chain of `model`. Returns (rows checked, first break per chain)."""
    fields = ["pk", "seq", "prev_hash", "hash", *model.CHAIN_FIELDS]
    if model.CHAIN_SCOPE and model.CHAIN_SCOPE not in fields:
        fields.append(model.CHAIN_SCOPE)
    order = [model.CHAIN_SCOPE, "seq", "pk"] if model.CHAIN_SCOPE else ["seq", "pk"]
    checked, breaks = 0, []
    current_scope, expected_seq, prev, broken = None, 1, GENESIS, False
    for values in model.objects.order_by(*order).values(*fields).iterator(chunk_size=chunk):
        row = model(**{k: v for k, v in values.items() if k != "pk"})
        row.pk = values["pk"]
        scope = row.chain_scope_value()
        if scope != current_scope:
            current_scope, expected_seq, prev, broken = scope, 1, GENESIS, False
        checked += 1
        if broken:
            continue
        problem = None
        if row.seq != expected_seq:
            problem = f"expected link {expected_seq}, found {row.seq} (a row is missing or was inserted)"
        elif row.prev_hash != prev:
            problem = "does not point to the previous link's hash"
        elif row.hash != row.expected_hash():
            problem = "its content does not match its hash (the row was changed)"
        if problem:
            breaks.append(Break(model, scope, row.pk, row.seq, problem))
            broken = True
            continue
        expected_seq, prev = row.seq + 1, row.hash
    return checked, breaks


def chained_models() -> list[type[ChainedEvent]]:
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, ChainedEvent)]


def seal_existing(model, *, fields: tuple[str, ...], scope: str | None = None) -> int:
    """Give rows written before the chain existed their places and hashes, in the
    order they were written (for data migrations, with a historical model whose
    field list is frozen in the migration). Returns how many were sealed."""
    table = model._meta.db_table
    order = [scope, "at", "pk"] if scope else ["at", "pk"]
    current, seq, prev, sealed = None, 0, GENESIS, 0
    for row in model.objects.order_by(*order).iterator(chunk_size=2000):
        key = getattr(row, scope) or 0 if scope else 0
        if key != current:
            current, seq, prev = key, 0, GENESIS
        seq += 1
        content = {name: getattr(row, name) for name in fields}
        digest = link_hash(table, key, seq, prev, content)
        model.objects.filter(pk=row.pk).update(seq=seq, prev_hash=prev, hash=digest)
        prev = digest
        sealed += 1
    return sealed
