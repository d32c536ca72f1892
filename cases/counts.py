"""Counts over cases: kept, not computed (issue 12).

`CaseCount` holds how many cases share each combination of the `COUNTED` columns
(status, kind, category, decider, assignee, anonymous). Every write to a case moves
it between two rows in the case's own transaction (`Case.save`, `Case.delete`, and
the queryset's `update`, `delete`, `bulk_create` call `move`, `add_rows`,
`subtract_rows`), so no reader ever sees a count that disagrees with the cases.

A viewer's count is then a sum over the rows their role handles (a predicate on
those columns), corrected by the few cases whose visibility depends on people
rather than columns: the cases they filed, the cases about them, their direct
reports' filings routed to them. Those are found through indexes (`exceptions`)
and asked, one by one in SQL, whether the viewer sees them (`_correct`). Three
queries whatever the number of cases; `rebuild_case_counts --check` (and a daily
task) compares the rows with a full count and reports any drift.

`cached_for` keeps per-viewer aggregates that still need a scan (none of the
counts above) until the next write.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, Exists, IntegerField, Q, Sum, Value, When

CASES_VERSION_KEY = "cases-version"
COUNTS_CACHE_SECONDS = 300


# --- keeping -------------------------------------------------------------------------


def _columns():
    from cases.models import COUNTED

    return COUNTED


def _normal(key: tuple) -> tuple:
    """The row's key: an unassigned case counts under assignee 0 (a unique key
    cannot hold NULL), a missing category as ""."""
    status, kind, category, decider, assignee_id, anonymous = key
    return (status, kind, category or "", decider or "", assignee_id or 0, bool(anonymous))


def touches(fields) -> bool:
    names = {name.removesuffix("_id") for name in fields}
    return any(column.removesuffix("_id") in names for column in _columns())


def stored_key(pk) -> tuple | None:
    from cases.models import Case

    row = Case.objects.filter(pk=pk).values_list(*_columns()).first()
    return tuple(row) if row else None


def _apply(deltas: Counter) -> None:
    """Add each delta to its row, creating it when missing, in the caller's
    transaction; rows in key order, so two writers never wait on each other in a
    circle."""
    from cases.models import CaseCount

    changes = sorted((key, n) for key, n in deltas.items() if n)
    if not changes:
        return
    table = connection.ops.quote_name(CaseCount._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns())
    # Identifiers from the model, quoted; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({columns}, n) VALUES (%s, %s, %s, %s, %s, %s, %s) "  # noqa: S608
        f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + EXCLUDED.n"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*key, n) for key, n in changes])
    cases_changed()
    transaction.on_commit(cases_changed)


def move(old: tuple | None, new: tuple | None) -> None:
    """One case left the row `old` (None: it is new) for the row `new` (None: deleted)."""
    old = _normal(old) if old is not None else None
    new = _normal(new) if new is not None else None
    if old == new:
        return
    deltas = Counter()
    if old is not None:
        deltas[old] -= 1
    if new is not None:
        deltas[new] += 1
    _apply(deltas)


def _grouped(pks) -> Counter:
    from cases.models import Case

    grouped = Counter()
    for start in range(0, len(pks), 5000):
        rows = (
            Case.objects.filter(pk__in=pks[start : start + 5000])
            .order_by()
            .values_list(*_columns())
            .annotate(n=Count("pk"))
        )
        for *key, n in rows:
            grouped[_normal(tuple(key))] += n
    return grouped


def subtract_rows(pks) -> None:
    if pks:
        _apply(Counter({key: -n for key, n in _grouped(pks).items()}))


def add_rows(pks) -> None:
    if pks:
        _apply(_grouped(pks))


def full_count() -> Counter:
    """What the rows should hold: a GROUP BY over every case."""
    from cases.models import Case

    truth = Counter()
    for *key, n in Case.objects.order_by().values_list(*_columns()).annotate(n=Count("pk")):
        truth[_normal(tuple(key))] += n
    return truth


def kept() -> Counter:
    from cases.models import CaseCount

    return Counter({tuple(key): n for *key, n in CaseCount.objects.values_list(*_columns(), "n") if n})


def drift() -> dict[tuple, tuple[int, int]]:
    """Rows that disagree with a full count: {key: (kept, counted)}."""
    truth, rows = full_count(), kept()
    return {key: (rows.get(key, 0), truth.get(key, 0)) for key in truth | rows if rows.get(key, 0) != truth.get(key, 0)}


def rebuild() -> int:
    """Replace the rows by a full count (after a bulk load, or to repair drift),
    with the cases locked against writers meanwhile."""
    from cases.models import Case, CaseCount

    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {Case._meta.db_table} IN SHARE MODE")
        CaseCount.objects.all().delete()
        CaseCount.objects.bulk_create(
            CaseCount(**dict(zip(_columns(), key, strict=True)), n=n) for key, n in full_count().items()
        )
        cases_changed()
        transaction.on_commit(cases_changed)
    return CaseCount.objects.count()


# --- reading -------------------------------------------------------------------------


def dims_q(*, kind="", category="", assignee=None, anonymous="") -> Q:
    """The queue's column filters on the kept rows (an unassigned case is 0 there);
    `column_matcher` is the same filter for one exception row."""
    q = Q()
    if kind:
        q &= Q(kind=kind)
    if category:
        q &= Q(category=category)
    if assignee == "none":
        q &= Q(assignee_id=0)
    elif assignee is not None:
        q &= Q(assignee_id=int(assignee))
    if anonymous:
        q &= Q(anonymous=anonymous == "yes")
    return q


def kept_by_status(
    *, base: Q, rows_of: str, exceptions: list, row_filters: Q | None = None, column=None, by_assignee=False, rows=None
) -> dict:
    """Cases per status (per (status, assigned?) with `by_assignee`) from the kept
    rows that satisfy `base` and `row_filters`, corrected by the `exceptions`
    (`exception_rows`): for each, whether the viewer's rule (`rows_of`: "visible" or
    "deciding") holds minus whether `base` counted it. `column` filters the
    exceptions as `row_filters` filters the rows. `rows`: the sums per (status,
    assigned?) already read (`viewer_sums`), instead of reading them here."""
    from cases.models import CaseCount

    counts = Counter()
    if rows is None:
        flag = {"default": Value(0), "output_field": IntegerField()}
        assigned = SqlCase(When(~Q(assignee_id=0), then=Value(1)), **flag)
        found = CaseCount.objects.filter(base & (row_filters or Q())).order_by().annotate(a=assigned)
        rows = found.values_list("status", "a").annotate(total=Sum("n"))
    for status, assigned, total in rows:
        counts[_key((status, assigned), by_assignee)] += total
    for row in exceptions:
        if column is None or column(row):
            truth, counted = row[rows_of]
            counts[_key((row["status"], row["assignee_id"]), by_assignee)] += truth - counted
    return {key: n for key, n in counts.items() if n}


def viewer_sums(user, me) -> dict[str, list]:
    """The kept rows summed per (status, assigned?) for both of the viewer's rules,
    the queue's ("visible") and the inbox's ("deciding"), in one query read once per
    page (`memo`): the home page shows both."""
    from cases.models import CaseCount
    from innovo_compliance.permissions.approvals import inbox_base_q

    def build(now):
        flag = {"default": Value(0), "output_field": IntegerField()}
        assigned = SqlCase(When(~Q(assignee_id=0), then=Value(1)), **flag)
        queue_base, inbox_base = queue_base_q(user, me), inbox_base_q(user)
        return (
            CaseCount.objects.filter(queue_base | inbox_base)
            .order_by()
            .annotate(a=assigned)
            .values_list("status", "a")
            .annotate(
                visible=Sum(SqlCase(When(queue_base, then="n"), default=Value(0))),
                deciding=Sum(SqlCase(When(inbox_base, then="n"), default=Value(0))),
            )
        )

    def compute():
        sums = {"visible": [], "deciding": []}
        for status, a, visible, deciding in run_compiled("viewer-sums", me, build):
            sums["visible"].append((status, a, visible))
            sums["deciding"].append((status, a, deciding))
        return sums

    return memo(me, "viewer-sums", compute)


def _key(key, by_assignee: bool):
    return (key[0], bool(key[1])) if by_assignee else key[0]


def column_matcher(*, kind="", category="", assignee=None, anonymous="", statuses=()):
    """`dims_q` for one exception row, in Python."""
    wanted = {getattr(s, "value", s) for s in statuses}

    def matches(row) -> bool:
        return (
            (not kind or row["kind"] == kind)
            and (not category or row["category"] == category)
            and (
                assignee is None
                or (row["assignee_id"] is None if assignee == "none" else row["assignee_id"] == int(assignee))
            )
            and (not anonymous or row["anonymous"] == (anonymous == "yes"))
            and (not wanted or row["status"] in wanted)
        )

    return matches


# --- caching what still needs a scan ------------------------------------------------


def cases_changed() -> None:
    """Any write to cases: cached aggregates are recomputed on the next read."""
    try:
        cache.incr(CASES_VERSION_KEY)
    except ValueError:
        cache.set(CASES_VERSION_KEY, 2, None)


def cached_for(user, name: str, compute):
    """A per-user aggregate over cases, kept until any case or roster write."""
    from people.selectors import _VERSION_KEY as ROLES_VERSION_KEY

    versions = cache.get_many([CASES_VERSION_KEY, ROLES_VERSION_KEY])
    key = f"agg:{versions.get(CASES_VERSION_KEY, 1)}:{versions.get(ROLES_VERSION_KEY, 1)}:{user.pk}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, COUNTS_CACHE_SECONDS)
    return value


# --- per viewer ----------------------------------------------------------------------


def memo(owner, name: str, compute):
    """`compute()`, kept on `owner` (the viewer's person) until the next write to a
    case or to the roster: a page that needs a value in several panels reads it once,
    and a later request never sees it stale."""
    from people.selectors import _VERSION_KEY as ROLES_VERSION_KEY

    versions = cache.get_many([CASES_VERSION_KEY, ROLES_VERSION_KEY])
    for key in {CASES_VERSION_KEY, ROLES_VERSION_KEY} - versions.keys():
        cache.add(key, 1, None)  # a cold cache: start the version, as its first reader would
        versions[key] = cache.get(key, 1)
    version = (versions[CASES_VERSION_KEY], versions[ROLES_VERSION_KEY])
    kept = owner.__dict__.setdefault("_innovo_memo", {})
    owner.__dict__["_innovo_versions"] = version
    if kept.get(name, (None,))[0] != version:
        kept[name] = (version, compute())
    return kept[name][1]


# --- per viewer, compiled once -------------------------------------------------------

_COMPILED: dict[tuple, tuple[str, list]] = {}
COMPILED_MAX = 4096
SENTINEL = datetime(1901, 1, 1, tzinfo=UTC)
"""Stands for "now" while a query is compiled: a date parameter before 1902 is that
moment moved by its distance from the sentinel (`now - 14 days` is SENTINEL - 14 days)."""


def run_compiled(name: str, owner, build, *, now=None) -> list[tuple]:
    """Run a per-viewer query whose shape depends only on the viewer's roles and
    today's roster, never on case data (`build(now)` returns its queryset). Building
    and compiling such a query through the ORM cost several times what running it
    does, so its SQL is kept per process until the roster changes (the roles version
    is in the key, with the viewer and the date); the moment it is asked at is a
    parameter, filled in at each run."""
    from django.utils import timezone

    versions = owner.__dict__.get("_innovo_versions") or (None, None)
    if connection.vendor != "postgresql":  # SQLite's parameters are text once compiled
        return list(build(now or timezone.now()))
    key = (name, owner.pk, versions[1], timezone.localdate())
    found = _COMPILED.get(key) if versions[1] is not None else None
    if found is None:
        from django.core.exceptions import EmptyResultSet

        try:
            found = build(SENTINEL).query.sql_with_params()
        except EmptyResultSet:
            found = ("", [])
        if versions[1] is not None:
            if len(_COMPILED) >= COMPILED_MAX:
                _COMPILED.clear()
            _COMPILED[key] = found
    sql, params = found
    if not sql:
        return []
    if now is not None:
        params = [now + (p - SENTINEL) if isinstance(p, datetime) and p.year < 1902 else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def exception_rows(user, me) -> list[dict]:
    """The cases whose visibility to `me` depends on people, not on the counted
    columns: those they filed, those about them (likely or confirmed), their direct
    reports' filings routed to them, and the Board filings every liaison is
    conflicted on (which the compliance officer decides); each found through an
    index. For each, in the same query, whether the viewer's rules hold and whether
    the kept rows counted it (for the queue: "visible"; for the inbox: "deciding"),
    whether it is overdue and whether it waits too long for a decision. Read once
    per page (`memo`; the minute is part of the key, as overdue-ness moves with the
    clock)."""
    from django.utils import timezone

    now = timezone.now()
    return memo(me, f"case-exceptions:{now:%Y%m%d%H%M}", lambda: _exception_rows(user, me, now))


EXCEPTION_COLUMNS = ["status", "kind", "category", "assignee_id", "anonymous", "t_visible", "b_visible"]
EXCEPTION_COLUMNS += ["t_deciding", "b_deciding", "overdue", "late"]


def _exception_rows(user, me, now) -> list[dict]:
    rows = []
    for values in run_compiled("case-exceptions", me, lambda at: _exception_query(user, me, at), now=now):
        row = dict(zip(EXCEPTION_COLUMNS, values, strict=True))
        row["anonymous"] = bool(row["anonymous"])
        row["visible"] = (row.pop("t_visible"), row.pop("b_visible"))
        row["deciding"] = (row.pop("t_deciding"), row.pop("b_deciding"))
        rows.append(row)
    return rows


def _exception_query(user, me, now):
    from django.utils import timezone

    from approvals.selectors import late_q
    from cases.models import Case, CaseParty
    from cases.selectors import overdue_q
    from innovo_compliance.permissions.approvals import deciding_extra_q, deciding_q, inbox_base_q
    from innovo_compliance.permissions.cases import supervised_q, visible_q
    from people.models import Designation, RoleDesignation
    from policy.routing import Decider

    extra = deciding_extra_q(user, me)
    excluding = {"role__in": CaseParty.EXCLUDING_ROLES, "status__in": CaseParty.EXCLUDING_STATUSES}
    liaisons = RoleDesignation.objects.on(timezone.localdate()).filter(role=Designation.BOARD_LIAISON)
    liaisons = liaisons.values("person_id")
    board = Case.objects.filter(decider=Decider.BOARD).order_by()
    parts = [
        Case.objects.filter(filer=me).order_by().values_list("pk"),
        CaseParty.objects.filter(person=me, **excluding).order_by().values_list("case_id"),
        Case.objects.filter(supervised_q(me)).order_by().values_list("pk"),
        # Board filings a liaison filed or is named in (those every liaison is
        # conflicted on are among them; the flags below say which), or every Board
        # filing when there is no liaison.
        board.filter(filer_id__in=liaisons).values_list("pk"),
        CaseParty.objects.filter(person_id__in=liaisons, **excluding).order_by().values_list("case_id"),
        board.filter(~Exists(liaisons)).values_list("pk"),
    ]
    flag = {"default": Value(0), "output_field": IntegerField()}
    flags = {
        "t_visible": visible_q(user),
        "b_visible": queue_base_q(user, me),
        "t_deciding": deciding_q(user, extra=extra),
        "b_deciding": inbox_base_q(user),
        "overdue": overdue_q(now),
        "late": late_q(now),
    }
    marked = Case.objects.filter(pk__in=parts[0].union(*parts[1:])).order_by()
    marked = marked.annotate(**{name: SqlCase(When(q, then=Value(1)), **flag) for name, q in flags.items()})
    return marked.values_list(*EXCEPTION_COLUMNS)


def queue_base_q(user, me) -> Q:
    """What the kept rows count for the queue: the cases the viewer's role handles
    (columns only), drafts aside."""
    from innovo_compliance.permissions.cases import clauses_q, handling_clauses
    from policy.workflow import Status

    return clauses_q(handling_clauses(user, me)) & ~Q(status=Status.DRAFT)


def queue_counts(user, *, kind="", category="", assignee=None, anonymous="", statuses=(), by_assignee=False) -> dict:
    """The cases `user` sees per status (per (status, assigned?) with `by_assignee`),
    with the queue's column filters: from the kept rows (permissions.cases decides
    which rows and which cases)."""
    from innovo_compliance.permissions.common import person

    me = person(user)
    if me is None:
        return {}
    if assignee == "me":
        assignee = me.pk
    column = {"kind": kind, "category": category, "assignee": assignee, "anonymous": anonymous}
    wanted = {getattr(s, "value", s) for s in statuses}
    rows = None
    if not (kind or category or assignee or anonymous):  # the page's sums, read once
        rows = [row for row in viewer_sums(user, me)["visible"] if not wanted or row[0] in wanted]
    return kept_by_status(
        base=queue_base_q(user, me),
        rows_of="visible",
        exceptions=exception_rows(user, me),
        row_filters=dims_q(**column) & _statuses(statuses),
        column=column_matcher(**column, statuses=statuses),
        by_assignee=by_assignee,
        rows=rows,
    )


def deadline_counts(user, names: tuple[str, ...] = ("overdue", "late")) -> dict[str, int]:
    """The counts that move with the clock, in one query for the page: open cases
    past a deadline that `user` sees ("overdue", the queue's) and filings waiting
    for their decision too long ("late", the inbox's); `names` when a page needs only
    some. Each is counted from a partial covering index of the cases past their
    deadline (`Case.overdue_at`, `Case.waiting_since`), corrected by the exception
    rows; the SQL is compiled once per roster version (`run_compiled`)."""
    from django.utils import timezone

    from innovo_compliance.permissions.common import person

    me = person(user)
    if me is None:
        return dict.fromkeys(names, 0)
    now = timezone.now()

    def compute():
        found = dict.fromkeys(names, 0)
        key = f"deadline-counts:{','.join(names)}"
        values = run_compiled(key, me, lambda at: _deadline_query(user, me, at, names), now=now)
        if values:
            found |= dict(zip(names, values[0], strict=True))
        for row in exception_rows(user, me):
            for name, rule in (("overdue", "visible"), ("late", "deciding")):
                if name in found and row[name]:
                    truth, counted = row[rule]
                    found[name] += truth - counted
        return found

    return memo(me, f"deadline-counts:{','.join(names)}:{now:%Y%m%d%H%M}", compute)


class _Counts:
    """A compiled "SELECT (SELECT COUNT(*) …), …" for `run_compiled` (it asks for
    `.query.sql_with_params()`)."""

    def __init__(self, parts: dict):
        self.query = self
        self.parts = parts

    def sql_with_params(self):
        from django.core.exceptions import EmptyResultSet

        selects, params = [], []
        for name, qs in self.parts.items():
            try:
                sql, args = qs.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:
                selects.append("0")
                continue
            selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS {name})")  # noqa: S608 (the ORM's SQL, parameters apart)
            params.extend(args)
        return "SELECT " + ", ".join(selects), params

    def __iter__(self):
        sql, params = self.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return iter(cursor.fetchall())


def _deadline_query(user, me, now, names):
    from approvals.selectors import late_q
    from cases.models import Case
    from cases.selectors import overdue_q
    from innovo_compliance.permissions.approvals import inbox_base_q

    parts = {
        "overdue": lambda: Case.objects.filter(queue_base_q(user, me) & overdue_q(now)),
        "late": lambda: Case.objects.filter(inbox_base_q(user), late_q(now)),
    }
    return _Counts({name: parts[name]() for name in names})


def _statuses(statuses) -> Q:
    return Q(status__in=[getattr(s, "value", s) for s in statuses]) if statuses else Q()
