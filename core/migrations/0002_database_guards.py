"""The database's own guarantees, on PostgreSQL (production): it refuses what no
code path of the app should ever do, whoever connects.

- Event tables are append-only: UPDATE and DELETE are refused, except DELETE by
  the retention purge, which says so with `SET LOCAL innovo.purge = 'on'`
  (cases.services.holds.purge_expired), and never for a held case.
- A case, its events and its attachments are deleted only by the purge; a case
  under an active legal hold (directly or through a held person) keeps its rows,
  its messages, notes and people, even in the purge.
- A legal hold is never deleted; it changes only by being released, with a
  reason; the cases and people it covers are never taken off it.

SQLite (the embedded development default) has no such triggers: the app's own
checks still apply there. See docs/decisions/0004-audit-trail-and-holds.md.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION innovo_purging() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(current_setting('innovo.purge', true), '') = 'on'
$$;

CREATE OR REPLACE FUNCTION innovo_case_held(cid bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
      SELECT 1 FROM cases_legalhold_cases hc JOIN cases_legalhold h ON h.id = hc.legalhold_id
      WHERE hc.case_id = cid AND h.released_at IS NULL
  ) OR EXISTS (
      SELECT 1 FROM cases_legalhold_people hp JOIN cases_legalhold h ON h.id = hp.legalhold_id
      WHERE h.released_at IS NULL AND (
          hp.person_id IN (SELECT c.filer_id FROM cases_case c WHERE c.id = cid)
          OR hp.person_id IN (SELECT c.assignee_id FROM cases_case c WHERE c.id = cid)
          OR hp.person_id IN (SELECT p.person_id FROM cases_caseparty p WHERE p.case_id = cid)
      )
  )
$$;

CREATE OR REPLACE FUNCTION innovo_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND innovo_purging() THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'innovo: % is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$$;

CREATE OR REPLACE FUNCTION innovo_case_row_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cid bigint;
BEGIN
  IF TG_TABLE_NAME = 'cases_case' THEN
    cid := OLD.id;
  ELSE
    cid := OLD.case_id;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'innovo: % is append-only: UPDATE refused', TG_TABLE_NAME;
  END IF;
  IF innovo_case_held(cid) THEN
    RAISE EXCEPTION 'innovo: case % is under a legal hold: DELETE from % refused', cid, TG_TABLE_NAME;
  END IF;
  IF TG_ARGV[0] = 'purge-only' AND NOT innovo_purging() THEN
    RAISE EXCEPTION 'innovo: rows of % are deleted only by the retention purge', TG_TABLE_NAME;
  END IF;
  RETURN OLD;
END
$$;

CREATE OR REPLACE FUNCTION innovo_hold_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'innovo: a legal hold is never deleted (release it with a reason)';
  END IF;
  IF OLD.released_at IS NULL AND NEW.released_at IS NOT NULL
     AND coalesce(btrim(NEW.release_reason), '') <> ''
     AND NEW.matter = OLD.matter AND NEW.reason = OLD.reason
     AND NEW.created_at = OLD.created_at
     AND NEW.created_by_id IS NOT DISTINCT FROM OLD.created_by_id THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'innovo: a legal hold changes only by being released, once, with a reason';
END
$$;

CREATE OR REPLACE FUNCTION innovo_hold_cover_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The purge may take a purged case off a hold released long ago (its tombstone stays).
  IF TG_OP = 'DELETE' AND innovo_purging()
     AND EXISTS (SELECT 1 FROM cases_legalhold h WHERE h.id = OLD.legalhold_id AND h.released_at IS NOT NULL) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'innovo: what a legal hold covers is never taken off it (% refused on %)', TG_OP, TG_TABLE_NAME;
END
$$;
"""

TRIGGERS = [
    # (table, timing and events, function call)
    ("cases_caseevent", "BEFORE UPDATE OR DELETE", "innovo_case_row_guard('purge-only')"),
    ("cases_case", "BEFORE DELETE", "innovo_case_row_guard('purge-only')"),
    ("cases_attachment", "BEFORE DELETE", "innovo_case_row_guard('purge-only')"),
    ("cases_casemessage", "BEFORE DELETE", "innovo_case_row_guard('held-only')"),
    ("cases_casenote", "BEFORE DELETE", "innovo_case_row_guard('held-only')"),
    ("cases_caseparty", "BEFORE DELETE", "innovo_case_row_guard('held-only')"),
    ("approvals_decision", "BEFORE UPDATE OR DELETE", "innovo_case_row_guard('purge-only')"),
    ("people_rosterevent", "BEFORE UPDATE OR DELETE", "innovo_append_only()"),
    ("certifications_certificationevent", "BEFORE UPDATE OR DELETE", "innovo_append_only()"),
    ("core_adminchange", "BEFORE UPDATE OR DELETE", "innovo_append_only()"),
    ("cases_legalhold", "BEFORE UPDATE OR DELETE", "innovo_hold_guard()"),
    ("cases_legalhold_cases", "BEFORE UPDATE OR DELETE", "innovo_hold_cover_guard()"),
    ("cases_legalhold_people", "BEFORE UPDATE OR DELETE", "innovo_hold_cover_guard()"),
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTIONS, None)
    for table, when, call in TRIGGERS:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS innovo_guard ON "{table}"')
        schema_editor.execute(f'CREATE TRIGGER innovo_guard {when} ON "{table}" FOR EACH ROW EXECUTE FUNCTION {call}')


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _, _ in TRIGGERS:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS innovo_guard ON "{table}"')
    for name in (
        "innovo_hold_cover_guard()",
        "innovo_hold_guard()",
        "innovo_case_row_guard()",
        "innovo_append_only()",
        "innovo_case_held(bigint)",
        "innovo_purging()",
    ):
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("cases", "0003_chained_events_and_parties"),
        ("people", "0002_name_index_aliases_chained_events"),
        ("certifications", "0003_chained_events"),
        ("approvals", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
