"""Demo work: reports, questions, filings, decisions, a legal hold and signed
certificates, so that every queue, inbox and dashboard of the demo has something
in it (`manage.py seed_demo`; `people.demo.seed_demo` loads only the roster and
the Code, which is what the tests build on).

Everything is done through the services, as the people of the demo roster would
have done it, on the days they would have done it: each step runs with the clock
set to that day (time-machine), so the timelines, deadlines, decisions and the
audit chain read like a few weeks of real work ending today. Reports and filings
are by and about fictional employees only.

Idempotent: every case is found by its title (and filer) before it is told; a
case that exists is left alone, so a second run creates nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseParty
from cases.services import (
    Party,
    ReportInput,
    case_assign,
    case_merge,
    case_transition,
    case_withdraw,
    finding_record,
    hold_create,
    message_from_reporter,
    message_to_reporter,
    note_add,
    report_submit,
    task_add,
    task_done,
)
from people.models import Person
from policy.routing import Category, FilingKind
from policy.workflow import Status

S = Status


@contextmanager
def on(day: date, hour: int = 10, minute: int = 0):
    """Run the block with the clock at `hour`:`minute` on `day` in the company's
    time zone (the clock keeps ticking, so steps inside keep their order)."""
    import time_machine  # a development requirement: `make run` installs it

    moment = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))
    moment = min(moment, timezone.now() - timedelta(minutes=1))  # "today" never runs ahead of the clock
    with time_machine.travel(moment, tick=True):
        yield


def user(username: str):
    return get_user_model().objects.get(username=username)


def person(username: str) -> Person:
    return Person.objects.get(user__username=username)


@dataclass
class Demo:
    """The seed's state: the day it ends on, and what it did (for the summary)."""

    today: date
    created: list[Case] = field(default_factory=list)
    receipt_keys: list[tuple[str, str]] = field(default_factory=list)

    def ago(self, days: int) -> date:
        return self.today - timedelta(days=days)


class Story:
    """One report or question, told step by step: each step on its own day."""

    def __init__(self, demo: Demo, case: Case, received: int):
        self.demo, self.case, self.day, self.hour = demo, case, received, 10

    def _at(self, days_ago: int | None):
        """Steps go forward in time: the same day an hour later, or a later day."""
        if days_ago is None or days_ago == self.day:
            self.hour = min(self.hour + 1, 18)
        else:
            assert days_ago < self.day, f"{self.case.title}: step {days_ago} days ago is before the last one"
            self.day, self.hour = days_ago, 9
        return on(self.demo.ago(self.day), self.hour)

    def move(self, *statuses: Status, by, days_ago: int | None = None, note: str = "") -> Story:
        for status in statuses:
            with self._at(days_ago):
                case_transition(case_id=self.case.pk, actor=user(by), to_status=status, note=note)
            days_ago = None
        return self

    def assign(self, assignee: str, *, by: str, days_ago: int | None = None) -> Story:
        with self._at(days_ago):
            case_assign(case_id=self.case.pk, actor=user(by), assignee=person(assignee))
        return self

    def note(self, body: str, *, by: str, days_ago: int | None = None) -> Story:
        with self._at(days_ago):
            note_add(case_id=self.case.pk, actor=user(by), body=body)
        return self

    def ask(self, body: str, *, by: str, days_ago: int | None = None) -> Story:
        """A message to the reporter (named or anonymous)."""
        with self._at(days_ago):
            message_to_reporter(case_id=self.case.pk, actor=user(by), body=body)
        return self

    def reply(self, body: str, *, days_ago: int | None = None) -> Story:
        """The reporter answers: through their login, or with the receipt key."""
        with self._at(days_ago):
            case = Case.objects.get(pk=self.case.pk)
            reporter = None if case.anonymous else case.filer.user
            message_from_reporter(case=case, body=body, user=reporter)
        return self

    def task(
        self,
        title: str,
        *,
        by: str,
        due_in: int,
        assignee: str | None = None,
        done_days_ago: int | None = None,
        days_ago: int | None = None,
    ) -> Story:
        """A task due `due_in` days after the day it is added (negative: overdue)."""
        with self._at(days_ago):
            due = self.demo.ago(self.day) + timedelta(days=due_in)
            task = task_add(
                case_id=self.case.pk,
                actor=user(by),
                title=title,
                due=due,
                assignee=person(assignee) if assignee else None,
            )
        if done_days_ago is not None:
            with self._at(done_days_ago):
                task_done(task_id=task.pk, actor=user(by))
        return self

    def finding(self, finding: str, *, by: str, actions=(), days_ago: int | None = None) -> Story:
        with self._at(days_ago):
            finding_record(case_id=self.case.pk, actor=user(by), finding=finding, actions=list(actions))
        return self

    def close(self, *, by: str, reason: str = "", days_ago: int | None = None, note: str = "") -> Story:
        """REP-4: close with the finding already recorded, or with a closure reason."""
        with self._at(days_ago):
            case_transition(case_id=self.case.pk, actor=user(by), to_status=S.CLOSED, closure_reason=reason, note=note)
        return self

    def withdraw(self, reason: str, *, by: str, days_ago: int | None = None) -> Story:
        with self._at(days_ago):
            case_withdraw(case_id=self.case.pk, actor=user(by), reason=reason)
        return self

    def merge_into(self, other: Case, reason: str, *, by: str, days_ago: int | None = None) -> Story:
        with self._at(days_ago):
            case_merge(case_id=self.case.pk, actor=user(by), into=other, reason=reason)
        return self

    def hold(self, matter: str, reason: str, *, by: str, days_ago: int | None = None) -> Story:
        with self._at(days_ago):
            hold_create(actor=user(by), matter=matter, reason=reason, cases=[Case.objects.get(pk=self.case.pk)])
        return self


def report(
    demo: Demo,
    *,
    days_ago: int,
    title: str,
    description: str,
    category: Category,
    by: str | None = None,
    kind: FilingKind = FilingKind.REPORT,
    subjects: tuple[str, ...] = (),
    witnesses: tuple[str, ...] = (),
    when_where: str = "",
    how_known: str = "",
    hour: int = 9,
) -> Story | None:
    """File a report or question (anonymous when `by` is None) on its day; None
    when the demo already has it."""
    if Case.objects.filter(kind=kind, title=title).exists():
        return None
    parties = [Party(person=person(u), role=CaseParty.SUBJECT) for u in subjects]
    parties += [Party(person=person(u), role=CaseParty.WITNESS) for u in witnesses]
    data = ReportInput(
        kind=kind,
        category=category,
        title=title,
        description=description,
        when_where=when_where,
        how_known=how_known,
        parties=parties,
    )
    with on(demo.ago(days_ago), hour):
        case, key = report_submit(data=data, reporter=user(by) if by else None, anonymous=by is None)
    demo.created.append(case)
    if key:
        demo.receipt_keys.append((case.reference, key))
    story = Story(demo, case, days_ago)
    story.hour = hour
    return story


def seed_demo_work(*, today: date | None = None) -> Demo:
    """Load the demo's cases, filings, decisions, hold and signatures (the roster
    and the Code must be there: `people.demo.seed_demo`). Returns what it did."""
    from approvals.demo import seed_filings
    from cases.counts import cases_changed
    from cases.demo_reports import seed_reports
    from certifications.demo import seed_signatures
    from core import outbox
    from insiders.demo import seed_insiders

    demo = Demo(today=today or timezone.localdate())
    with outbox.batch():
        seed_reports(demo)
        seed_filings(demo)
        seed_insiders(demo)
        with transaction.atomic():
            seed_signatures(today=demo.today)
    cases_changed()  # counts cached while the clock was set back are forgotten
    return demo
