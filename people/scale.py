"""Generate a large, realistic data set for benchmarks and scale tests (issues 6, 12).

Sizes are options; the same seed and `now` give the same data. Rows are written
in batches: PostgreSQL's COPY where available, bulk_create elsewhere. Needs the
demo roster (`seed_demo`) first, for the Code version and the officers.

Fast enough for 1,000,000 cases and 10,000,000 events (issue 12): a large load
drops the secondary indexes of the tables it fills and builds them again after
the load (`bulk_load`), the hash of each event is computed from values already in
their canonical form (`event_hash`, the same digest as `core.chain.link_hash`),
and the counts kept in summary rows are rebuilt at the end (`rebuild_case_counts`,
where the app has it), then VACUUM and ANALYZE.

The distributions (`pick_kind`, `Generator._case_row`, `Generator.event_row`) are
also what `bench/peer/generate.py` uses to fill django-helpdesk to the same size.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.utils import timezone

from cases.models import KIND_PREFIX, Case, CaseEvent, CaseParty
from core.chain import GENESIS
from people.models import Designation, Person, Position, Rank, RoleDesignation
from policy.deadlines import add_months
from policy.routing import Category, Decider, FilingKind
from policy.workflow import Status

KIND_WEIGHTS = [
    (FilingKind.REPORT, 35),
    (FilingKind.QUESTION, 12),
    (FilingKind.CONFLICT, 10),
    (FilingKind.PREAPPROVAL, 5),
    (FilingKind.WAIVER, 2),
]
CATEGORY_WEIGHTS = [
    (Category.HARASSMENT, 18),
    (Category.ACCOUNTING, 10),
    (Category.CONFLICTS, 10),
    (Category.GIFTS, 8),
    (Category.COMPANY_ASSETS, 10),
    (Category.HEALTH_SAFETY_ENVIRONMENT, 9),
    (Category.FAIR_DEALING, 7),
    (Category.RETALIATION, 6),
    (Category.ANTICORRUPTION, 4),
    (Category.INSIDER_TRADING, 3),
    (Category.ANTITRUST, 2),
    (Category.IMPORT_EXPORT, 2),
    (Category.PRESS, 2),
    (Category.POLITICAL, 1),
    (Category.RECORD_RETENTION, 2),
    (Category.OTHER, 6),
]
REPORT_STATUSES = [
    (Status.CLOSED, 70),
    (Status.RECEIVED, 4),
    (Status.ACKNOWLEDGED, 4),
    (Status.TRIAGE, 5),
    (Status.INVESTIGATING, 9),
    (Status.DECISION, 3),
    (Status.WITHDRAWN, 3),
    (Status.MERGED, 2),
]
FILING_STATUSES = [
    (Status.APPROVED, 45),
    (Status.APPROVED_WITH_CONDITIONS, 15),
    (Status.RECORDED, 15),
    (Status.DENIED, 5),
    (Status.SUBMITTED, 10),
    (Status.INFO_REQUESTED, 3),
    (Status.WITHDRAWN, 4),
    (Status.DRAFT, 3),
]
WORDS = [
    "supplier",
    "invoice",
    "gift",
    "dinner",
    "tickets",
    "warehouse",
    "shipment",
    "overtime",
    "expense",
    "report",
    "manager",
    "contract",
    "bid",
    "discount",
    "rebate",
    "customer",
    "vendor",
    "travel",
    "hotel",
    "conference",
    "audit",
    "ledger",
    "payroll",
    "inventory",
    "safety",
    "spill",
    "forklift",
    "harassment",
    "comment",
    "meeting",
    "promotion",
    "cousin",
    "brother-in-law",
    "stock",
    "shares",
    "board",
    "seat",
    "consulting",
    "loan",
    "note",
    "conversion",
    "government",
    "inspector",
    "permit",
    "customs",
    "export",
    "license",
    "press",
    "interview",
    "donation",
]
COUNTERPARTIES = [f"Fictional Supplier {n:03d}" for n in range(400)]
DEPARTMENTS = [f"Department {n:02d}" for n in range(30)]


@dataclass
class Sizes:
    people: int = 10_000
    cases: int = 100_000
    events: int = 1_000_000
    certifications: int = 50_000
    gifts: int = 20_000


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _converter(field):
    """How one column's Python value is written in COPY's CSV."""
    if field.get_internal_type() == "JSONField":
        return lambda value: "\\N" if value is None else json.dumps(value)

    def convert(value):
        if value is None:
            return "\\N"
        if value is True:
            return "t"
        if value is False:
            return "f"
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        return value

    return convert


def _write(model, rows: list[dict], *, log=print) -> None:
    """Insert rows: COPY on PostgreSQL, bulk_create elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
        return
    columns = list(rows[0])
    fields = {f.attname: f for f in model._meta.concrete_fields}
    converters = [_converter(fields[column]) for column in columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    pairs = list(zip(columns, converters, strict=True))
    writer.writerows([convert(row[column]) for column, convert in pairs] for row in rows)
    _copy(model, columns, buffer.getvalue())


def _copy(model, columns: list[str], text: str) -> None:
    """COPY CSV text (NULL written as \\N) into the model's table."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    names = ", ".join(f'"{fields[c].column}"' for c in columns)
    statement = f"COPY \"{model._meta.db_table}\" ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:  # psycopg 3
        copy.write(text)


BULK_LOAD_ROWS = 50_000
"""A load of at least this many rows into a table builds its secondary indexes after."""


PENDING_INDEXES = "scale_pending_indexes"
"""Where `bulk_load` notes the indexes it dropped until it has built them again, so
a load that was killed (the index build never ran) is mended by the next one."""


def restore_indexes(*, log=print) -> int:
    """Build the indexes a killed load left dropped (see PENDING_INDEXES)."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [PENDING_INDEXES])
        if cursor.fetchone()[0] is None:
            return 0
        cursor.execute(f"SELECT definition FROM {PENDING_INDEXES}")  # noqa: S608 - our table
        definitions = [row[0] for row in cursor.fetchall()]
        if definitions:
            log(f"  building {len(definitions)} indexes an interrupted load left out")
            cursor.execute("SET maintenance_work_mem = '512MB'")
        outer = connection.in_atomic_block and definitions
        if outer:  # inside a caller's transaction (a test): check the loaded rows' keys now
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for definition in definitions:
            cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
        if outer:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's foreign keys are deferred
        cursor.execute(f"DROP TABLE {PENDING_INDEXES}")
    return len(definitions)


@contextmanager
def bulk_load(tables: list[str], *, rows: int, log=print):
    """Load without the tables' secondary indexes, then build them again and ANALYZE.

    Unique indexes and those behind constraints stay (they keep the data right);
    the others are dropped before the load and created from their own definitions
    after it, also when the load fails (and by the next load when this process was
    killed: `restore_indexes`). Only on PostgreSQL and for large loads."""
    if connection.vendor != "postgresql" or rows < BULK_LOAD_ROWS:
        yield
        return
    restore_indexes(log=log)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        with transaction.atomic():
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {PENDING_INDEXES} (definition text NOT NULL)")
            for name, definition in indexes:
                cursor.execute(f"INSERT INTO {PENDING_INDEXES} (definition) VALUES (%s)", [definition])  # noqa: S608
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
    log(f"  loading {', '.join(tables)} without {len(indexes)} secondary indexes")
    try:
        yield
    finally:
        started = time.monotonic()
        restore_indexes(log=lambda message: None)
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'ANALYZE "{table}"')
        log(f"  {len(indexes)} indexes built again in {time.monotonic() - started:.1f}s")


def event_hash(table: str, scope: int, seq: int, prev_hash: str, content: dict) -> str:
    """`core.chain.link_hash` for content whose values are already canonical (the
    time an ISO string in UTC with microseconds, lists of strings): the same digest
    without walking every value (tests/test_bench_harness.py checks they agree)."""
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{table}|{scope}|{seq}|{prev_hash}|{body}".encode()).hexdigest()


def _chain_heads() -> dict[int, tuple[int, str]]:
    """The last link of every case's event chain: case id -> (seq, hash)."""
    heads: dict[int, tuple[int, str]] = {}
    rows = CaseEvent.objects.order_by("case_id", "seq").values_list("case_id", "seq", "hash")
    if connection.vendor == "postgresql":
        rows = rows.order_by("case_id", "-seq").distinct("case_id")
    for case_id, seq, digest in rows.iterator(chunk_size=10000):
        heads[case_id] = max(heads.get(case_id, (0, "")), (seq, digest))
    return heads


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _reset_sequence(model) -> None:
    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our table names
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def rebuild_counts() -> bool:
    """The counts kept in summary rows (issue 12), rebuilt from the cases once the
    load is done; a no-op before the app keeps them."""
    if "rebuild_case_counts" not in get_commands():
        return False
    call_command("rebuild_case_counts")
    return True


def pick_kind(rng: random.Random, gifts_left: int, remaining: int) -> FilingKind:
    """A case's kind: gifts spread evenly until `gifts_left` are placed, else by weight."""
    if gifts_left and rng.random() < gifts_left / remaining:
        return FilingKind.GIFT
    return _pick(rng, KIND_WEIGHTS)


class Generator:
    def __init__(self, *, sizes: Sizes, seed: int = 42, now: datetime | None = None, batch: int = 20_000, log=print):
        self.sizes = sizes
        self.rng = random.Random(seed)
        self.now = now or timezone.now().replace(microsecond=0)
        self.batch = batch
        self.log = log

    def _progress(self, what: str, done: int, total: int, started: float) -> None:
        self.log(f"  {what}: {done:,}/{total:,} ({time.monotonic() - started:.1f}s)")

    def run(self) -> dict:
        started = time.monotonic()
        timings = {}
        restore_indexes(log=self.log)
        case_tables = [Case._meta.db_table, CaseParty._meta.db_table]
        for name, step, tables, rows in (
            ("people", self.people, [], 0),
            ("cases", self.cases, case_tables, self.sizes.cases),
            ("events", self.events, [CaseEvent._meta.db_table], self.sizes.events),
            ("certifications", self.certifications, [], 0),
        ):
            t0 = time.monotonic()
            with bulk_load(tables, rows=rows, log=self.log):
                step()
            timings[name] = round(time.monotonic() - t0, 1)
        t0 = time.monotonic()
        rebuild_counts()  # the cases were copied in, past Case.save: count them once
        timings["counts"] = round(time.monotonic() - t0, 1)
        from people.selectors import roles_cache_bump

        roles_cache_bump()
        if connection.vendor == "postgresql":
            t0 = time.monotonic()
            with connection.cursor() as cursor:
                # Outside a transaction, VACUUM too: rows copied in are not yet marked
                # all-visible, so every index-only scan (the queue's covering index, the
                # counts) would visit the heap until autovacuum came by.
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
            timings["analyze"] = round(time.monotonic() - t0, 1)
        timings["total"] = round(time.monotonic() - started, 1)
        return timings

    # --- people -------------------------------------------------------------
    def people(self) -> None:
        rng, n = self.rng, self.sizes.people
        started = time.monotonic()
        first_id = _next_id(Person)
        existing = Person.objects.filter(employee_id__startswith="S").count()
        people, positions = [], []
        for i in range(existing, existing + n):
            pk = first_id + (i - existing)
            department = DEPARTMENTS[i % len(DEPARTMENTS)]
            hire = (self.now - timedelta(days=rng.randint(30, 20 * 365))).date()
            leaving = (hire + timedelta(days=rng.randint(200, 3000))) if rng.random() < 0.08 else None
            if leaving and leaving >= self.now.date():
                leaving = None
            lead = (i - existing) < len(DEPARTMENTS)
            supervisor = None if lead else first_id + (i - existing) % len(DEPARTMENTS)
            rank = (
                Rank.VP
                if lead
                else (Rank.EXECUTIVE if rng.random() < 0.005 else (Rank.VP if rng.random() < 0.04 else Rank.STAFF))
            )
            people.append(
                {
                    "id": pk,
                    "employee_id": f"S{i:07d}",
                    "name": f"Scale Person {i:07d}",
                    "email": f"scale{i:07d}@innovo.example",
                    "department": department,
                    "supervisor_id": supervisor,
                    "hire_date": hire,
                    "leaving_date": leaving,
                    "phone": "",
                    "aliases": "",
                }
            )
            positions.append(
                {
                    "person_id": pk,
                    "title": "Vice President" if rank != Rank.STAFF else "Associate",
                    "rank": rank,
                    "start_date": hire,
                    "end_date": leaving,
                }
            )
        with transaction.atomic():
            for start in range(0, len(people), self.batch):
                _write(Person, people[start : start + self.batch])
            _reset_sequence(Person)
            from people.matching import reindex

            for start in range(0, len(people), self.batch):
                reindex(Person.objects.filter(pk__in=[p["id"] for p in people[start : start + self.batch]]))
            for start in range(0, len(positions), self.batch):
                _write(Position, positions[start : start + self.batch])
            _reset_sequence(Position)
            # Twenty investigators among the generated people.
            for pk in range(first_id + min(len(DEPARTMENTS), n), first_id + min(len(DEPARTMENTS) + 20, n)):
                RoleDesignation.objects.get_or_create(
                    person_id=pk, role=Designation.INVESTIGATOR, defaults={"start_date": date(2020, 1, 1)}
                )
        self._progress("people", n, n, started)

    # --- cases --------------------------------------------------------------
    def _people_ids(self):
        ids = list(Person.objects.filter(employee_id__startswith="S").values_list("id", flat=True))
        investigators = list(
            RoleDesignation.objects.filter(role=Designation.INVESTIGATOR).values_list("person_id", flat=True)
        )
        return ids, investigators

    def cases(self) -> None:
        rng, total = self.rng, self.sizes.cases
        people, investigators = self._people_ids()
        if not people:
            raise ValueError("Generate people first (or seed_demo and --people).")
        started = time.monotonic()
        next_pk = _next_id(Case)
        gifts_left = min(self.sizes.gifts, total)
        written = 0
        while written < total:
            rows, parties = [], []
            for _ in range(min(self.batch, total - written)):
                pk = next_pk
                next_pk += 1
                kind = pick_kind(rng, gifts_left, total - written)
                if kind == FilingKind.GIFT:
                    gifts_left -= 1
                rows.append(self._case_row(pk, kind, people, investigators))
                if kind == FilingKind.REPORT and rng.random() < 0.15:
                    parties.append(
                        {
                            "case_id": pk,
                            "person_id": rng.choice(people),
                            "name": "",
                            "role": "subject",
                            "status": "confirmed",
                            "matched_from": "",
                            "created_at": rows[-1]["created_at"],
                        }
                    )
                written += 1
            with transaction.atomic():
                _write(Case, rows)
                _write(CaseParty, parties)
            self._progress("cases", written, total, started)
        _reset_sequence(Case)
        _reset_sequence(CaseParty)

    def _case_row(self, pk: int, kind: FilingKind, people, investigators) -> dict:
        rng = self.rng
        age_days = int(rng.expovariate(1 / 400)) % (6 * 365)
        created = self.now - timedelta(days=age_days, seconds=rng.randint(0, 86_399))
        is_case = kind.is_case
        if is_case:
            status = (
                _pick(rng, REPORT_STATUSES)
                if kind == FilingKind.REPORT
                else _pick(rng, [(Status.CLOSED, 80), (Status.RECEIVED, 8), (Status.ACKNOWLEDGED, 12)])
            )
        else:
            status = _pick(rng, FILING_STATUSES)
        if age_days > 120 and status in (Status.RECEIVED, Status.ACKNOWLEDGED, Status.SUBMITTED, Status.DRAFT):
            status = Status.CLOSED if is_case else Status.APPROVED
        category = (
            _pick(rng, CATEGORY_WEIGHTS)
            if kind == FilingKind.REPORT
            else (Category.OTHER if kind == FilingKind.QUESTION else "")
        )
        anonymous = kind == FilingKind.REPORT and rng.random() < 0.3
        decider = (
            Decider.AUDIT_COMMITTEE
            if category == Category.ACCOUNTING
            else Decider.HR_DIRECTOR
            if category == Category.HARASSMENT
            else Decider.COMPLIANCE_OFFICER
        )
        if not is_case and rng.random() < 0.05:
            decider = Decider.BOARD
        title = _sentence(rng, rng.randint(3, 7))[:200]
        description = " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(1, 3)))
        reference = f"{KIND_PREFIX[kind]}-{created:%Y}-{pk:06d}"
        closed = status not in {
            Status.RECEIVED,
            Status.ACKNOWLEDGED,
            Status.TRIAGE,
            Status.INVESTIGATING,
            Status.DECISION,
            Status.SUBMITTED,
            Status.INFO_REQUESTED,
            Status.DRAFT,
        }
        counterparty = rng.choice(COUNTERPARTIES) if kind == FilingKind.GIFT else ""
        return {
            "id": pk,
            "reference": reference,
            "kind": kind.value,
            "subkind": "",
            "category": str(category),
            "status": status.value,
            "title": title,
            "description": description,
            "filer_id": None if anonymous else rng.choice(people),
            "anonymous": anonymous,
            "filed_on": created.date(),
            "decider": decider.value,
            "assignee_id": rng.choice(investigators) if investigators and is_case and rng.random() < 0.7 else None,
            "facts": {},
            "outcome": None,
            "verdict": "",
            "counterparty": counterparty,
            "value": Decimal(rng.randint(20, 900)) if kind == FilingKind.GIFT else None,
            "currency": "USD" if kind == FilingKind.GIFT else "",
            "event_date": created.date() if kind == FilingKind.GIFT else None,
            "acknowledge_due": created + timedelta(days=7) if is_case else None,
            "investigate_due": created + timedelta(days=14) if kind == FilingKind.REPORT else None,
            "feedback_due": add_months(created, 3) if is_case else None,
            "review_date": None,
            "receipt_lookup": hashlib.sha1(str(pk).encode()).hexdigest()[:15].upper() if anonymous else "",  # noqa: S324
            "receipt_hash": "",
            "merged_into_id": None,
            "finding": rng.choice(["substantiated", "unsubstantiated", "inconclusive"])
            if kind == FilingKind.REPORT and status == Status.CLOSED
            else "",
            "closure_reason": "answered" if kind == FilingKind.QUESTION and status == Status.CLOSED else "",
            "search_text": f"{reference} {title} {description} {counterparty}",
            "created_at": created,
            "updated_at": created,
            "closed_at": created + timedelta(days=rng.randint(5, 90)) if closed else None,
            # Filings went to their decider when they were filed (no random draw: the
            # peer's generator follows the same sequence).
            "waiting_since": created if not is_case and status not in (Status.DRAFT, Status.RECORDED) else None,
        }

    # --- events -------------------------------------------------------------
    EVENT_ACTIONS = ("status", "note", "message", "assigned", "task", "reporter-message")

    def event_row(self, cases: list[tuple[int, datetime]]) -> tuple[int, datetime, str, str, bool]:
        """One generated timeline event: (case id, when, action, note, internal); the
        draws are the same for the peer's followups (bench/peer/generate.py)."""
        rng = self.rng
        case_id, created = cases[rng.randrange(len(cases))]
        at = created + timedelta(hours=rng.randint(1, 24 * 120))
        action = rng.choice(self.EVENT_ACTIONS)
        note = _sentence(rng, 6)
        return case_id, at, action, note, rng.random() < 0.7

    def events(self) -> None:
        total = self.sizes.events
        started = time.monotonic()
        cases = list(Case.objects.order_by("pk").values_list("pk", "created_at"))
        if not cases:
            return
        written = 0
        table = CaseEvent._meta.db_table
        columns = [
            "case_id",
            "at",
            "actor_id",
            "actor_label",
            "action",
            "from_status",
            "to_status",
            "note",
            "rule_ids",
            "internal",
            "related_case_id",
            "seq",
            "prev_hash",
            "hash",
        ]
        postgres = connection.vendor == "postgresql"
        # Each case's events continue its hash chain (core.chain): the head of every
        # chain that has events already, then each new link in turn.
        heads = _chain_heads()
        while written < total:
            lines, rows = [], []
            for _ in range(min(self.batch * 2, total - written)):
                case_id, at, action, note, internal = self.event_row(cases)
                at_text = at.astimezone(UTC).isoformat(timespec="microseconds")
                content = {
                    "case_id": case_id,
                    "at": at_text,
                    "actor_id": None,
                    "actor_label": "Generated",
                    "action": action,
                    "from_status": "",
                    "to_status": "",
                    "note": note,
                    "rule_ids": [],
                    "internal": internal,
                    "related_case_id": None,
                }
                seq, prev = heads.get(case_id, (0, GENESIS))
                digest = event_hash(table, case_id, seq + 1, prev, content)
                heads[case_id] = (seq + 1, digest)
                if postgres:  # generated words: no comma, quote or newline to escape
                    lines.append(
                        f"{case_id},{at_text},\\N,Generated,{action},,,{note},[],{'t' if internal else 'f'},\\N,"
                        f"{seq + 1},{prev},{digest}\n"
                    )
                else:
                    rows.append({**content, "at": at, "seq": seq + 1, "prev_hash": prev, "hash": digest})
                written += 1
            with transaction.atomic():
                if postgres:
                    _copy(CaseEvent, columns, "".join(lines))
                else:
                    _write(CaseEvent, rows)
            self._progress("events", written, total, started)
        _reset_sequence(CaseEvent)

    # --- certifications -----------------------------------------------------
    def certifications(self) -> None:
        from certifications.models import Campaign, Certification, CodeVersion, Obligation

        total = self.sizes.certifications
        if not total:
            return
        rng = self.rng
        started = time.monotonic()
        code = CodeVersion.current()
        people = list(Person.objects.filter(employee_id__startswith="S").values_list("id", "name"))
        years = list(range(self.now.year - 4, self.now.year + 1))
        campaigns = {}
        for year in years:
            campaign, _ = Campaign.objects.get_or_create(
                kind="annual",
                year=year,
                defaults={
                    "audience": "vp_and_above",
                    "title": f"Annual certification {year} (generated)",
                    "code_version": code,
                    "opens_on": date(year, 1, 15),
                    "due_date": date(year, 3, 31),
                    "status": "closed" if year < self.now.year else "open",
                },
            )
            campaigns[year] = campaign
        per_year = max(1, total // len(years))
        taken = set(Obligation.objects.values_list("person_id", "campaign_id"))
        next_obligation = _next_id(Obligation)
        obligations, certs = [], []
        for year, campaign in campaigns.items():
            chosen = rng.sample(people, min(per_year, len(people)))
            for person_id, name in chosen:
                if (person_id, campaign.pk) in taken:
                    continue
                pk = next_obligation
                next_obligation += 1
                signed = year < self.now.year or rng.random() < 0.6
                obligations.append(
                    {
                        "id": pk,
                        "person_id": person_id,
                        "campaign_id": campaign.pk,
                        "code_version_id": code.pk,
                        "assigned_on": campaign.opens_on,
                        "due_date": campaign.due_date,
                        "status": "signed" if signed else "pending",
                        "code_opened_at": None,
                        "created_at": self.now,
                    }
                )
                if signed:
                    signed_at = datetime(year, 2, rng.randint(1, 28), 10, 0, tzinfo=timezone.get_current_timezone())
                    certs.append(
                        {
                            "obligation_id": pk,
                            "certificate_number": f"GEN-{year}-{pk:08d}",
                            "signed_at": signed_at,
                            "code_version_id": code.pk,
                            "code_sha256": code.sha256,
                            "person_name": name,
                            "person_title": "Vice President",
                            "typed_name": name,
                        }
                    )
        fields = {f.attname for f in Obligation._meta.concrete_fields}
        obligations = [{k: v for k, v in row.items() if k in fields} for row in obligations]
        cert_fields = {f.attname: f for f in Certification._meta.concrete_fields}
        full = []
        for row in certs:
            out = {}
            for name, f in cert_fields.items():
                if name == "id":
                    continue
                if name in row:
                    out[name] = row[name]
                elif f.has_default():
                    out[name] = f.get_default()
                elif f.null:
                    out[name] = None
                else:
                    out[name] = ""
            full.append(out)
        with transaction.atomic():
            for start in range(0, len(obligations), self.batch):
                _write(Obligation, obligations[start : start + self.batch])
            _reset_sequence(Obligation)
            for start in range(0, len(full), self.batch):
                _write(Certification, full[start : start + self.batch])
            _reset_sequence(Certification)
        self._progress("certifications", len(obligations), total, started)
