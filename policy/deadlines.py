"""Clocks: case deadlines (REP-4, EU whistleblowing directive) and
certification reminders (CERT-1, CERT-2).

Every reminder step has a stable key, so a database row keyed on
(object, step) makes sending idempotent: a task may run twice.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

ACKNOWLEDGE_WITHIN = timedelta(days=7)
"""Directive 2019/1937 art. 9(1)(b): acknowledge a report within 7 days."""

FEEDBACK_WITHIN_MONTHS = 3
"""Directive art. 9(1)(f): feedback within three months. We count from
receipt, which is never later than the directive's start (acknowledgement,
or the end of the 7-day period), so our deadline is on the safe side."""

INVESTIGATION_START_WITHIN = timedelta(days=14)
"""REP-4 "investigated promptly": our reading is that an investigation
starts within 14 days of receipt."""


def add_months(d: date, n: int) -> date:
    """REP-4 (feedback within three months): the same day n months later
    (or earlier), clamped to the month's end:
    Nov 30 + 3 months is Feb 28 (Feb 29 in a leap year). Works for
    datetimes too, keeping the time and time zone."""
    month_index = d.month - 1 + n
    year, month = d.year + month_index // 12, month_index % 12 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return d.replace(year=year, month=month, day=day)


def case_deadlines(
    received_at: datetime,
    *,
    ack_days: int = 7,
    feedback_months: int = FEEDBACK_WITHIN_MONTHS,
    investigation_days: int = 14,
) -> dict[str, datetime]:
    """REP-4 and the directive: when a case must be acknowledged, its
    investigation started, and the reporter given feedback."""
    return {
        "acknowledge": received_at + timedelta(days=ack_days),
        "investigate": received_at + timedelta(days=investigation_days),
        "feedback": add_months(received_at, feedback_months),
    }


def case_reminder_steps(
    deadlines: dict[str, datetime],
    now: datetime,
    remind_before: timedelta = timedelta(days=2),
) -> list[str]:
    """REP-4: the reminder keys due by `now` for a case's pending deadlines.

    "<name>:reminder" once `remind_before` of the deadline is left, and
    "<name>:escalation" once the deadline has passed. Pass only the
    deadlines not yet met (drop "acknowledge" once acknowledged).
    """
    steps = []
    for name, deadline in deadlines.items():
        if now >= deadline - remind_before:
            steps.append(f"{name}:reminder")
        if now > deadline:
            steps.append(f"{name}:escalation")
    return steps


@dataclass(frozen=True)
class ReminderStep:
    """One step of the certification reminder plan. `days` counts from the
    due date (negative: before it), except for "assigned"."""

    key: str
    days: int | None
    description: str


CERT_REMINDER_STEPS: tuple[ReminderStep, ...] = (
    ReminderStep("assigned", None, "When the certificate is assigned."),
    ReminderStep("due_minus_7", -7, "Seven days before the due date."),
    ReminderStep("due_minus_1", -1, "The day before the due date."),
    ReminderStep("due_day", 0, "On the due date."),
    ReminderStep(
        "overdue_week_{n}",
        7,
        "Every seven days after the due date: overdue_week_1, overdue_week_2, ...",
    ),
    ReminderStep(
        "escalation",
        14,
        "Once, 14 days after the due date, to the person's supervisor and HR.",
    ),
)
ESCALATE_AFTER_DAYS = 14


def reminder_schedule(*, assigned_on: date, due: date, until: date) -> list[tuple[date, str]]:
    """CERT-1, CERT-2: every (date, step key) of the reminder plan up to
    `until`, in date order. Steps that would fall on or before the day of
    assignment are skipped: the assignment message already says when it is due.
    """
    if due < assigned_on:
        raise ValueError("A certificate cannot be due before it is assigned.")
    if until < assigned_on:
        return []
    plan = [(assigned_on, "assigned")]
    for key, offset in (("due_minus_7", -7), ("due_minus_1", -1), ("due_day", 0)):
        when = due + timedelta(days=offset)
        if assigned_on < when <= until:
            plan.append((when, key))
    week = 1
    while (when := due + timedelta(days=7 * week)) <= until:
        plan.append((when, f"overdue_week_{week}"))
        week += 1
    escalate_on = due + timedelta(days=ESCALATE_AFTER_DAYS)
    if escalate_on <= until:
        plan.append((escalate_on, "escalation"))
    return sorted(plan, key=lambda step: step[0])  # stable: same-day steps keep their order


def due_reminder_steps(*, assigned_on: date, due: date, today: date) -> list[str]:
    """CERT-1, CERT-2: the keys of every reminder that should have been sent
    by `today` (the caller skips keys it has already sent). Stop calling once
    the certificate is signed."""
    return [key for _, key in reminder_schedule(assigned_on=assigned_on, due=due, until=today)]
