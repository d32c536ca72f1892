"""The benchmark's PostgreSQL databases (only names starting with `innovo_bench`),
and the few read-only look-ups the harness needs (a case id, a campaign id, row
counts), in plain SQL so that the parent process needs no Django."""

from __future__ import annotations

import urllib.parse

import psycopg
from psycopg import sql

from bench import config

PREFIX = "innovo_bench"


def _check(name: str) -> None:
    if not name.startswith(PREFIX) or not name.replace("_", "").isalnum():
        raise ValueError(f"The benchmark only touches databases named {PREFIX}*, not {name!r}.")


def url(name: str) -> str:
    _check(name)
    return f"{config.PG_URL.rstrip('/')}/{name}"


def _connect(name: str):
    parts = urllib.parse.urlsplit(config.PG_URL)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=urllib.parse.unquote(parts.username or "postgres"),
        password=urllib.parse.unquote(parts.password) if parts.password else None,
        dbname=name,
    )


def _admin(statement) -> None:
    connection = _connect("postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement)
    finally:
        connection.close()


def exists(name: str) -> bool:
    _check(name)
    connection = _connect("postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            return cursor.fetchone() is not None
    finally:
        connection.close()


def drop(name: str) -> None:
    _check(name)
    _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def create(name: str, *, template: str | None = None) -> None:
    _check(name)
    if template is None:
        _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    else:
        _check(template)
        _admin(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))


def rename(name: str, new: str) -> None:
    _check(name)
    _check(new)
    _admin(sql.SQL("ALTER DATABASE {} RENAME TO {}").format(sql.Identifier(name), sql.Identifier(new)))


def query(name: str, statement: str, params: list | None = None) -> list[tuple]:
    _check(name)
    connection = _connect(name)
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement, params or [])
            return cursor.fetchall()
    finally:
        connection.close()


def vacuum(name: str) -> None:
    """VACUUM (ANALYZE) the whole database, outside a transaction: after a load or a
    migration that rewrote a table, so index-only scans read no heap (as they would
    once autovacuum had come by)."""
    _check(name)
    connection = _connect(name)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    finally:
        connection.close()


def scalar(name: str, statement: str, params: list | None = None):
    rows = query(name, statement, params)
    return rows[0][0] if rows else None


def server_version() -> str:
    connection = _connect("postgres")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    finally:
        connection.close()


def has_schema(name: str) -> bool:
    return bool(scalar(name, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'cases_case'"))


def counts(name: str) -> dict[str, int]:
    """What the database holds, for the report (the generator adds to what is there)."""
    if not has_schema(name):
        return {"people": 0, "cases": 0, "events": 0, "certifications": 0, "gifts": 0}
    return {
        "people": scalar(name, "SELECT count(*) FROM people_person"),
        "cases": scalar(name, "SELECT count(*) FROM cases_case"),
        "events": scalar(name, "SELECT count(*) FROM cases_caseevent"),
        "certifications": scalar(name, "SELECT count(*) FROM certifications_certification"),
        "gifts": scalar(name, "SELECT count(*) FROM cases_case WHERE kind = 'gift'"),
    }


def generated_people(name: str) -> int:
    return scalar(name, "SELECT count(*) FROM people_person WHERE employee_id LIKE 'S%%'")


def busiest_report(name: str) -> int | None:
    """The report with the most generated timeline events: the heaviest case page there
    is, the same whatever earlier runs wrote (the first-read arm's notes go elsewhere)."""
    return scalar(
        name,
        "SELECT e.case_id FROM cases_caseevent e JOIN cases_case c ON c.id = e.case_id "
        "WHERE c.kind = 'report' AND e.actor_label = 'Generated' "
        "GROUP BY e.case_id ORDER BY count(*) DESC, e.case_id LIMIT 1",
    )


def events_of(name: str, case_id: int) -> int:
    return scalar(name, "SELECT count(*) FROM cases_caseevent WHERE case_id = %s", [case_id])


def largest_open_campaign(name: str) -> tuple[int, int] | None:
    """(id, obligations) of the open campaign with the most obligations."""
    rows = query(
        name,
        "SELECT c.id, count(o.id) FROM certifications_campaign c "
        "LEFT JOIN certifications_obligation o ON o.campaign_id = c.id "
        "WHERE c.status = 'open' GROUP BY c.id ORDER BY count(o.id) DESC, c.id LIMIT 1",
    )
    return (rows[0][0], rows[0][1]) if rows else None


def open_reports(name: str, *, exclude: int, limit: int = 5) -> list[int]:
    """A few open reports the compliance officer decides (not the measured case): the
    first-read arm adds its internal notes to these."""
    rows = query(
        name,
        "SELECT id FROM cases_case WHERE kind = 'report' AND status IN ('triage', 'investigating') "
        "AND decider = 'compliance_officer' AND id <> %s ORDER BY id LIMIT %s",
        [exclude, limit],
    )
    return [row[0] for row in rows]
