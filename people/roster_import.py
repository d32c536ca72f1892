"""Roster import from CSV: all or nothing.

The whole file is parsed and checked before anything is written; one bad row
stops the import with its line number and reason, and the database is left as
it was. The same function serves `manage.py import_roster` and HR's upload page,
so both give the same messages. Columns are documented in docs/roster-import.md.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from people.models import Person, Rank
from people.selectors import current_position
from people.services import _announce, _event, person_leave, position_change

REQUIRED_COLUMNS = ("employee_id", "name")
OPTIONAL_COLUMNS = (
    "email",
    "department",
    "supervisor_id",
    "hire_date",
    "leaving_date",
    "title",
    "rank",
    "position_start",
    "username",
)
RANKS = {choice.value for choice in Rank}


class RosterImportError(Exception):
    """The file was refused; `errors` lists "line N: reason" messages."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Row:
    line: int
    employee_id: str
    name: str
    email: str = ""
    department: str = ""
    supervisor_id: str = ""
    hire_date: date | None = None
    leaving_date: date | None = None
    title: str = ""
    rank: str = ""
    position_start: date | None = None
    username: str = ""


@dataclass
class ImportResult:
    dry_run: bool
    changes: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class _DryRunRollback(Exception):
    pass


def _parse_date(value: str, column: str, line: int, errors: list[str]) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(f"line {line}: {column} {value!r} is not a date (use YYYY-MM-DD)")
        return None


def parse_roster(text: str) -> list[Row]:
    """Parse and check every row; raise RosterImportError listing what is wrong."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RosterImportError([f"line 1: missing column {', '.join(missing)}"])
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise RosterImportError([f"line 1: unknown column {', '.join(unknown)}"])
    reader.fieldnames = header

    errors: list[str] = []
    rows: list[Row] = []
    first_line: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        values = {k: (v or "").strip() for k, v in record.items() if k is not None}
        if None in record:
            errors.append(f"line {line}: more values than columns")
            continue
        row = Row(line=line, employee_id=values["employee_id"], name=values["name"])
        if not row.employee_id:
            errors.append(f"line {line}: employee_id is empty")
            continue
        if row.employee_id in first_line:
            errors.append(
                f"line {line}: duplicate employee_id {row.employee_id} (first on line {first_line[row.employee_id]})"
            )
            continue
        first_line[row.employee_id] = line
        if not row.name:
            errors.append(f"line {line}: name is empty")
        row.email = values.get("email", "")
        if row.email:
            try:
                validate_email(row.email)
            except ValidationError:
                errors.append(f"line {line}: email {row.email!r} is not an e-mail address")
        row.department = values.get("department", "")
        row.supervisor_id = values.get("supervisor_id", "")
        row.username = values.get("username", "")
        row.hire_date = _parse_date(values.get("hire_date", ""), "hire_date", line, errors)
        row.leaving_date = _parse_date(values.get("leaving_date", ""), "leaving_date", line, errors)
        row.position_start = _parse_date(values.get("position_start", ""), "position_start", line, errors)
        row.title = values.get("title", "")
        row.rank = values.get("rank", "").lower()
        if row.rank and row.rank not in RANKS:
            errors.append(f"line {line}: rank {row.rank!r} is not one of {', '.join(sorted(RANKS))}")
        if row.rank and not row.title:
            errors.append(f"line {line}: a rank needs a title")
        if row.hire_date and row.leaving_date and row.leaving_date < row.hire_date:
            errors.append(f"line {line}: leaving_date is before hire_date")
        if row.supervisor_id == row.employee_id:
            errors.append(f"line {line}: a person cannot be their own supervisor")
        rows.append(row)

    in_file = {row.employee_id for row in rows}
    wanted = {row.supervisor_id for row in rows if row.supervisor_id} - in_file
    known = set(Person.objects.filter(employee_id__in=wanted).values_list("employee_id", flat=True))
    for row in rows:
        if row.supervisor_id and row.supervisor_id not in in_file and row.supervisor_id not in known:
            errors.append(f"line {row.line}: unknown supervisor {row.supervisor_id}")
    usernames = {row.username: row for row in rows if row.username}
    taken = Person.objects.filter(user__username__in=usernames).values_list("user__username", "employee_id")
    for username, employee_id in taken:
        row = usernames[username]
        if employee_id != row.employee_id:
            errors.append(f"line {row.line}: username {username} belongs to {employee_id}")
    if not rows and not errors:
        errors.append("line 2: the file has no rows")
    if errors:
        raise RosterImportError(errors)
    return rows


def import_roster(text: str, *, dry_run: bool = False, actor=None, today: date | None = None) -> ImportResult:
    """Apply a roster CSV. Raises RosterImportError (nothing written) on any bad row."""
    rows = parse_roster(text)
    today = today or timezone.localdate()
    result = ImportResult(dry_run=dry_run)
    try:
        with transaction.atomic():
            _apply(rows, result, actor=actor, today=today)
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
    return result


def _apply(rows: list[Row], result: ImportResult, *, actor, today: date) -> None:
    existing = {
        p.employee_id: p
        for p in Person.objects.select_for_update().filter(employee_id__in=[r.employee_id for r in rows])
    }
    touched: list[int] = []
    # First pass: people and their plain fields, so supervisors resolve in any order.
    for row in rows:
        person = existing.get(row.employee_id)
        fields = {"name": row.name, "email": row.email, "department": row.department}
        if row.hire_date:
            fields["hire_date"] = row.hire_date
        if person is None:
            person = Person.objects.create(employee_id=row.employee_id, **fields)
            existing[row.employee_id] = person
            result.created += 1
            result.changes.append(f"line {row.line}: new person {row.employee_id} {row.name}")
            _event(person, "created", f"imported from line {row.line}", actor)
            touched.append(person.id)
            continue
        changed = [k for k, v in fields.items() if getattr(person, k) != v]
        if changed:
            for key in changed:
                setattr(person, key, fields[key])
            person.save(update_fields=changed)
            result.changes.append(f"line {row.line}: {row.employee_id} {', '.join(changed)} updated")
            _event(person, "updated", ", ".join(changed), actor)
            touched.append(person.id)
    # Second pass: supervisors, logins, positions, leavers.
    for row in rows:
        person = existing[row.employee_id]
        before = len(result.changes)
        supervisor = existing.get(row.supervisor_id) if row.supervisor_id else None
        if row.supervisor_id and supervisor is None:
            supervisor = Person.objects.get(employee_id=row.supervisor_id)
        if person.supervisor_id != (supervisor.id if supervisor else None):
            person.supervisor = supervisor
            person.save(update_fields=["supervisor"])
            result.changes.append(f"line {row.line}: {row.employee_id} supervisor → {row.supervisor_id or 'none'}")
        if row.username and person.user_id is None:
            _link_login(person, row)
            result.changes.append(f"line {row.line}: {row.employee_id} login {row.username}")
        if row.title:
            rank = row.rank or Rank.STAFF
            current = current_position(person)
            effective = row.position_start or (row.hire_date if current is None and row.hire_date else today)
            if current and effective <= current.start_date and (current.title, current.rank) != (row.title, rank):
                raise RosterImportError(
                    [
                        f"line {row.line}: position_start {effective} is before the current position's start "
                        f"({current.start_date})"
                    ]
                )
            if position_change(person=person, title=row.title, rank=rank, effective=effective, actor=actor):
                was = f"{current.title} ({current.rank})" if current else "no position"
                result.changes.append(
                    f"line {row.line}: {row.employee_id} {was} → {row.title} ({rank}) from {effective}"
                )
        if row.leaving_date and person.leaving_date != row.leaving_date:
            person_leave(person=person, leaving_date=row.leaving_date, actor=actor)
            result.changes.append(f"line {row.line}: {row.employee_id} leaves, last day {row.leaving_date}")
        if len(result.changes) > before:
            touched.append(person.id)
    _announce(touched)
    result.updated = len(set(touched)) - result.created
    result.unchanged = len(rows) - result.created - result.updated


def _link_login(person: Person, row: Row) -> None:
    User = get_user_model()
    user = User.objects.filter(username=row.username).first()
    if user is None:
        # No password yet: the person sets one through "Forgot your password?".
        user = User(username=row.username, email=row.email)
        user.set_unusable_password()
        user.save()
    person.user = user
    person.save(update_fields=["user"])
