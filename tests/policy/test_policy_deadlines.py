"""REP-4 (case clocks, EU whistleblowing directive) and CERT-1, CERT-2
(certification reminders)."""

from datetime import UTC, date, datetime, timedelta

import pytest

from policy.deadlines import (
    ACKNOWLEDGE_WITHIN,
    CERT_REMINDER_STEPS,
    FEEDBACK_WITHIN_MONTHS,
    INVESTIGATION_START_WITHIN,
    add_months,
    case_deadlines,
    case_reminder_steps,
    due_reminder_steps,
    reminder_schedule,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2023, 11, 30), 3, date(2024, 2, 29)),  # leap year
        (date(2022, 11, 30), 3, date(2023, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 1, 31), 2, date(2024, 3, 31)),
        (date(2024, 8, 31), 1, date(2024, 9, 30)),
        (date(2024, 10, 15), 3, date(2025, 1, 15)),  # across the year
        (date(2024, 12, 31), 12, date(2025, 12, 31)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
        (date(2024, 5, 5), 0, date(2024, 5, 5)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
    ],
)
def test_add_months_is_end_of_month_safe_rep4(start, months, expected):
    """REP-4: three months later is the same day, or the month's last day."""
    assert add_months(start, months) == expected


def test_add_months_keeps_time_and_zone_rep4():
    """REP-4: datetimes keep their time and time zone."""
    received = datetime(2023, 11, 30, 14, 5, tzinfo=UTC)
    assert add_months(received, 3) == datetime(2024, 2, 29, 14, 5, tzinfo=UTC)


def test_clock_constants_rep4():
    """REP-4: acknowledge in 7 days, start in 14, feed back in 3 months."""
    assert timedelta(days=7) == ACKNOWLEDGE_WITHIN
    assert timedelta(days=14) == INVESTIGATION_START_WITHIN
    assert FEEDBACK_WITHIN_MONTHS == 3


@pytest.mark.parametrize(
    ("received", "kwargs", "acknowledge", "investigate", "feedback"),
    [
        (
            datetime(2024, 1, 10, 9, 0, tzinfo=UTC),
            {},
            datetime(2024, 1, 17, 9, 0, tzinfo=UTC),
            datetime(2024, 1, 24, 9, 0, tzinfo=UTC),
            datetime(2024, 4, 10, 9, 0, tzinfo=UTC),
        ),
        (
            datetime(2023, 11, 30, 23, 59, tzinfo=UTC),
            {},
            datetime(2023, 12, 7, 23, 59, tzinfo=UTC),
            datetime(2023, 12, 14, 23, 59, tzinfo=UTC),
            datetime(2024, 2, 29, 23, 59, tzinfo=UTC),
        ),
        (
            datetime(2024, 1, 10, 9, 0, tzinfo=UTC),
            {"ack_days": 2, "investigation_days": 5, "feedback_months": 1},
            datetime(2024, 1, 12, 9, 0, tzinfo=UTC),
            datetime(2024, 1, 15, 9, 0, tzinfo=UTC),
            datetime(2024, 2, 10, 9, 0, tzinfo=UTC),
        ),
    ],
)
def test_case_deadlines_rep4(received, kwargs, acknowledge, investigate, feedback):
    """REP-4: a case's three deadlines, counted from receipt."""
    assert case_deadlines(received, **kwargs) == {
        "acknowledge": acknowledge,
        "investigate": investigate,
        "feedback": feedback,
    }


DEADLINE = datetime(2024, 1, 17, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "steps"),
    [
        (DEADLINE - timedelta(days=3), []),
        (DEADLINE - timedelta(days=2, seconds=1), []),
        (DEADLINE - timedelta(days=2), ["acknowledge:reminder"]),
        (DEADLINE, ["acknowledge:reminder"]),
        (DEADLINE + timedelta(seconds=1), ["acknowledge:reminder", "acknowledge:escalation"]),
        (DEADLINE + timedelta(days=30), ["acknowledge:reminder", "acknowledge:escalation"]),
    ],
)
def test_case_reminder_steps_rep4(now, steps):
    """REP-4: a reminder two days before, one escalation once past the deadline."""
    assert case_reminder_steps({"acknowledge": DEADLINE}, now) == steps


def test_case_reminder_steps_for_all_deadlines_rep4():
    """REP-4: each pending deadline has its own keys; met ones are left out by the caller."""
    deadlines = case_deadlines(datetime(2024, 1, 10, 9, 0, tzinfo=UTC))
    now = datetime(2024, 1, 23, 9, 0, tzinfo=UTC)
    assert case_reminder_steps(deadlines, now) == [
        "acknowledge:reminder",
        "acknowledge:escalation",
        "investigate:reminder",
    ]
    del deadlines["acknowledge"]
    assert case_reminder_steps(deadlines, now, remind_before=timedelta(0)) == []


ASSIGNED, DUE = date(2024, 3, 1), date(2024, 3, 31)


@pytest.mark.parametrize(
    ("assigned_on", "due", "today", "steps"),
    [
        (ASSIGNED, DUE, date(2024, 2, 29), []),
        (ASSIGNED, DUE, ASSIGNED, ["assigned"]),
        (ASSIGNED, DUE, date(2024, 3, 23), ["assigned"]),
        (ASSIGNED, DUE, date(2024, 3, 24), ["assigned", "due_minus_7"]),
        (ASSIGNED, DUE, date(2024, 3, 30), ["assigned", "due_minus_7", "due_minus_1"]),
        (ASSIGNED, DUE, DUE, ["assigned", "due_minus_7", "due_minus_1", "due_day"]),
        (ASSIGNED, DUE, date(2024, 4, 6), ["assigned", "due_minus_7", "due_minus_1", "due_day"]),
        (
            ASSIGNED,
            DUE,
            date(2024, 4, 7),
            ["assigned", "due_minus_7", "due_minus_1", "due_day", "overdue_week_1"],
        ),
        (
            ASSIGNED,
            DUE,
            date(2024, 4, 14),
            ["assigned", "due_minus_7", "due_minus_1", "due_day", "overdue_week_1", "overdue_week_2", "escalation"],
        ),
        (
            ASSIGNED,
            DUE,
            date(2024, 4, 28),
            [
                "assigned",
                "due_minus_7",
                "due_minus_1",
                "due_day",
                "overdue_week_1",
                "overdue_week_2",
                "escalation",
                "overdue_week_3",
                "overdue_week_4",
            ],
        ),
        # Assigned late: steps before the assignment are skipped.
        (date(2024, 3, 28), DUE, DUE, ["assigned", "due_minus_1", "due_day"]),
        (date(2024, 3, 30), DUE, DUE, ["assigned", "due_day"]),
        (DUE, DUE, DUE, ["assigned"]),
        (DUE, DUE, date(2024, 4, 7), ["assigned", "overdue_week_1"]),
        (date(2024, 3, 24), DUE, date(2024, 3, 24), ["assigned"]),
    ],
)
def test_due_reminder_steps_cert1_cert2(assigned_on, due, today, steps):
    """CERT-1, CERT-2: every reminder that should have gone out by today, in order."""
    assert due_reminder_steps(assigned_on=assigned_on, due=due, today=today) == steps


def test_reminder_keys_are_stable_and_escalation_is_once_cert1():
    """CERT-1: keys never repeat, so a database row per key makes sending idempotent."""
    keys = due_reminder_steps(assigned_on=ASSIGNED, due=DUE, today=date(2025, 3, 31))
    assert len(keys) == len(set(keys))
    assert keys.count("escalation") == 1
    assert "overdue_week_52" in keys


def test_schedule_dates_cert2():
    """CERT-2: the reminder plan's dates, including the escalation on day 14."""
    plan = {key: when for when, key in reminder_schedule(assigned_on=ASSIGNED, due=DUE, until=date(2024, 4, 14))}
    assert plan == {
        "assigned": ASSIGNED,
        "due_minus_7": date(2024, 3, 24),
        "due_minus_1": date(2024, 3, 30),
        "due_day": DUE,
        "overdue_week_1": date(2024, 4, 7),
        "overdue_week_2": date(2024, 4, 14),
        "escalation": date(2024, 4, 14),
    }


def test_due_before_assignment_is_refused_cert1():
    """CERT-1: a certificate cannot be due before it is assigned."""
    with pytest.raises(ValueError, match="due before"):
        due_reminder_steps(assigned_on=DUE, due=ASSIGNED, today=DUE)


def test_reminder_steps_are_described_cert1():
    """CERT-1: the plan documents every step key."""
    keys = [step.key for step in CERT_REMINDER_STEPS]
    assert keys == ["assigned", "due_minus_7", "due_minus_1", "due_day", "overdue_week_{n}", "escalation"]
    assert all(step.description for step in CERT_REMINDER_STEPS)
