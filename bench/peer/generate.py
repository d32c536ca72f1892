"""Fill django-helpdesk's database to the size of ours, with the project's own generator.

`python -m bench.peer.generate --tickets N --followups M --users U --seed S`, in the
app's virtual environment with `DATABASE_URL` naming the peer's database (already
migrated by the peer's own Django): Django is set up with the app's settings only
to import `people.scale`, whose distributions make the rows: a ticket per case
(`Generator._case_row`: kind, category, status, title, description, dates, filer,
assignee), a followup per timeline event (`Generator.event_row`: which case, when,
what, internal or public), the same seed giving the same draws. Rows go in with
COPY, the secondary indexes built after the load (`people.scale.bulk_load`), then
ANALYZE. Nothing of the peer's code is used or copied: the rows are plain SQL.

Mapping: a queue per kind of filing and per category of report; our statuses to
helpdesk's (open, resolved, closed, duplicate); a user per person (the filer's
address is the ticket's submitter, the assignee its owner); internal events are
private followups.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from datetime import UTC

OPEN, REOPENED, RESOLVED, CLOSED, DUPLICATE = 1, 2, 3, 4, 5
STATUS = {
    "received": OPEN,
    "acknowledged": OPEN,
    "triage": OPEN,
    "investigating": OPEN,
    "decision": OPEN,
    "submitted": OPEN,
    "info_requested": OPEN,
    "draft": OPEN,
    "approved": RESOLVED,
    "approved_with_conditions": RESOLVED,
    "recorded": RESOLVED,
    "denied": RESOLVED,
    "closed": CLOSED,
    "withdrawn": CLOSED,
    "merged": DUPLICATE,
}
"""Our statuses (policy.workflow.Status values) as helpdesk's five."""

STAFF_USER = "bench-officer"
STAFF_PASSWORD = "innovo-bench-peer-2026"  # noqa: S105 - a local benchmark login, printed in the report's method


def queue_key(kind: str, category: str) -> str:
    """The queue a case's ticket goes to: its category for a report, else its kind."""
    return f"report-{category}" if kind == "report" and category else kind


def all_queues() -> list[str]:
    from policy.routing import Category, FilingKind

    return [queue_key("report", str(c.value)) for c in Category] + [
        str(k.value) for k in FilingKind if k != FilingKind.REPORT
    ]


def _esc(value: str) -> str:
    """A CSV field (quoted when it has to be)."""
    if any(ch in value for ch in ',"\n\r') or value == "\\N":
        return '"' + value.replace('"', '""') + '"'
    return value


def _copy(cursor, table: str, columns: list[str], text: str) -> None:
    names = ", ".join(columns)
    with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
        copy.write(text)


def generate(*, tickets: int, followups: int, users: int, gifts: int, seed: int, batch: int = 20_000, log=print):
    from django.db import connection, transaction
    from django.utils import timezone

    from people.scale import Generator, Sizes, bulk_load, pick_kind

    started = time.monotonic()
    timings = {}
    generator = Generator(
        sizes=Sizes(people=users, cases=tickets, events=followups, certifications=0, gifts=gifts),
        seed=seed,
        now=timezone.now().replace(microsecond=0),
        batch=batch,
        log=log,
    )
    rng = generator.rng
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM auth_user WHERE username = %s", [STAFF_USER])
        row = cursor.fetchone()
        if row is None:
            raise SystemExit(f"Create the peer's staff user {STAFF_USER} first (createsuperuser).")
        cursor.execute("SELECT count(*) FROM helpdesk_ticket")
        if cursor.fetchone()[0]:
            raise SystemExit("The peer's database has tickets already: drop it and migrate again.")

        # Users: one per person, like ours (scale{n}@innovo.example); none can log in.
        t0 = time.monotonic()
        cursor.execute("SELECT coalesce(max(id), 0) FROM auth_user")
        first_user = cursor.fetchone()[0] + 1
        joined = generator.now.isoformat()
        lines = [
            f"{first_user + i},!,f,scale{i:07d},Scale,Person {i:07d},scale{i:07d}@innovo.example,f,t,{joined}\n"
            for i in range(users)
        ]
        with transaction.atomic():
            _copy(
                cursor,
                "auth_user",
                ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff"]
                + ["is_active", "date_joined"],
                "".join(lines),
            )
        cursor.execute("SELECT setval(pg_get_serial_sequence('auth_user', 'id'), (SELECT max(id) FROM auth_user))")
        people = list(range(first_user, first_user + users))
        # As in people.scale: twenty investigators after the thirty department leads.
        investigators = people[30:50]
        timings["users"] = round(time.monotonic() - t0, 1)

        # Queues: a report's category or a filing's kind.
        queues = {}
        for n, key in enumerate(all_queues(), start=1):
            cursor.execute(
                "INSERT INTO helpdesk_queue (title, slug, allow_public_submission, allow_email_submission, "
                "email_box_ssl, enable_notifications_on_email_events) VALUES (%s, %s, false, false, false, false) "
                "RETURNING id",
                [key.replace("-", " ").replace("_", " ").capitalize(), f"q{n}-{key}"[:50]],
            )
            queues[key] = cursor.fetchone()[0]

        # Tickets: one per case, drawn as people.scale draws cases.
        t0 = time.monotonic()
        created_at: list[tuple[int, object]] = []
        with bulk_load(["helpdesk_ticket"], rows=tickets, log=log):
            written, gifts_left, pk = 0, min(gifts, tickets), 0
            while written < tickets:
                lines = []
                for _ in range(min(batch, tickets - written)):
                    pk += 1
                    kind = pick_kind(rng, gifts_left, tickets - written)
                    if kind.value == "gift":
                        gifts_left -= 1
                    case = generator._case_row(pk, kind, people, investigators)
                    created = case["created_at"]
                    created_at.append((pk, created))
                    submitter = (
                        "" if case["filer_id"] is None else f"scale{case['filer_id'] - first_user:07d}@innovo.example"
                    )
                    due = case["investigate_due"] or case["feedback_due"]
                    resolution = case["finding"] or case["closure_reason"] or case["verdict"]
                    lines.append(
                        ",".join(
                            [
                                str(pk),
                                _esc(case["title"]),
                                created.isoformat(),
                                case["updated_at"].isoformat(),
                                submitter or "\\N",
                                str(STATUS[case["status"]]),
                                "f",
                                _esc(case["description"]),
                                _esc(resolution) if resolution else "\\N",
                                "2" if kind.value == "report" else "3",
                                due.isoformat() if due else "\\N",
                                str(case["assignee_id"]) if case["assignee_id"] else "\\N",
                                str(queues[queue_key(case["kind"], case["category"])]),
                                hashlib.sha1(f"ticket-{pk}".encode()).hexdigest()[:36],  # noqa: S324 - an id, not security
                            ]
                        )
                        + "\n"
                    )
                    written += 1
                with transaction.atomic():
                    _copy(
                        cursor,
                        "helpdesk_ticket",
                        ["id", "title", "created", "modified", "submitter_email", "status", "on_hold", "description"]
                        + ["resolution", "priority", "due_date", "assigned_to_id", "queue_id", "secret_key"],
                        "".join(lines),
                    )
                log(f"  tickets: {written:,}/{tickets:,} ({time.monotonic() - t0:.1f}s)")
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('helpdesk_ticket', 'id'), "
                "(SELECT coalesce(max(id), 1) FROM helpdesk_ticket))"
            )
        timings["tickets"] = round(time.monotonic() - t0, 1)

        # Followups: one per timeline event, drawn as people.scale draws events.
        t0 = time.monotonic()
        with bulk_load(["helpdesk_followup"], rows=followups, log=log):
            written = 0
            while written < followups and created_at:
                lines = []
                for _ in range(min(batch * 2, followups - written)):
                    ticket, at, action, note, internal = generator.event_row(created_at)
                    lines.append(
                        f"{at.astimezone(UTC).isoformat()},{action},{_esc(note)},{'f' if internal else 't'},{ticket}\n"
                    )
                    written += 1
                with transaction.atomic():
                    _copy(
                        cursor, "helpdesk_followup", ["date", "title", "comment", "public", "ticket_id"], "".join(lines)
                    )
                log(f"  followups: {written:,}/{followups:,} ({time.monotonic() - t0:.1f}s)")
        timings["followups"] = round(time.monotonic() - t0, 1)
        cursor.execute("ANALYZE")
    timings["total"] = round(time.monotonic() - started, 1)
    return {"tickets": tickets, "followups": followups, "users": users, "queues": len(queues), "timings": timings}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.peer.generate", description=__doc__.splitlines()[0])
    for name in ("tickets", "followups", "users", "gifts"):
        parser.add_argument(f"--{name}", type=int, required=True)
    parser.add_argument("--seed", type=int, default=6001)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovo_compliance.settings")
    import django

    django.setup()
    done = generate(tickets=args.tickets, followups=args.followups, users=args.users, gifts=args.gifts, seed=args.seed)
    print("BENCH-RESULT " + json.dumps(done), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
