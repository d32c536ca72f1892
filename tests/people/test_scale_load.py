"""The scale generator's bulk load (issue 12): secondary indexes dropped for a large
load and built again after it, also after a load that was killed; the data it
writes still verifies (hash chains) and the kept counts are rebuilt when the app
has the command."""

import pytest
from django.core.management import call_command, get_commands
from django.db import connection

from cases.models import Case, CaseEvent
from people.scale import BULK_LOAD_ROWS, PENDING_INDEXES, Generator, Sizes, bulk_load, rebuild_counts, restore_indexes

pytestmark = pytest.mark.django_db


def indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return {row[0] for row in cursor.fetchall()}


def test_a_large_load_builds_the_secondary_indexes_after_it():
    before = indexes("cases_caseevent")
    assert "event_case_at" in before and "event_case_seq" in before
    with bulk_load(["cases_caseevent"], rows=BULK_LOAD_ROWS, log=lambda message: None):
        during = indexes("cases_caseevent")
        # The unique ones (the chain's place, the primary key) stay; the others wait.
        assert {"event_case_seq", "cases_caseevent_pkey"} <= during
        assert "event_case_at" not in during and "cases_caseevent_case_id_6c6031ac" not in during
    assert indexes("cases_caseevent") == before


def test_a_small_load_keeps_its_indexes():
    before = indexes("cases_case")
    with bulk_load(["cases_case"], rows=BULK_LOAD_ROWS - 1, log=lambda message: None):
        assert indexes("cases_case") == before


def test_indexes_a_killed_load_left_dropped_are_built_by_the_next():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_indexdef('event_case_at'::regclass)")
        definition = cursor.fetchone()[0]
        cursor.execute(f"CREATE TABLE {PENDING_INDEXES} (definition text NOT NULL)")
        cursor.execute(f"INSERT INTO {PENDING_INDEXES} VALUES (%s)", [definition])  # noqa: S608
        cursor.execute("DROP INDEX event_case_at")
    assert "event_case_at" not in indexes("cases_caseevent")
    assert restore_indexes(log=lambda message: None) == 1
    assert "event_case_at" in indexes("cases_caseevent")
    assert restore_indexes(log=lambda message: None) == 0  # nothing left to mend


def test_generated_events_verify_and_counts_are_rebuilt():
    from people.demo import seed_demo

    seed_demo()
    Generator(
        sizes=Sizes(people=60, cases=300, events=3_000, certifications=0, gifts=30), seed=3, log=lambda *_: None
    ).run()
    assert Case.objects.count() >= 300
    assert CaseEvent.objects.filter(actor_label="Generated").count() == 3_000
    call_command("verify_audit_trail")  # raises when a chain is broken
    assert rebuild_counts() == ("rebuild_case_counts" in get_commands())
