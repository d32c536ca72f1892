"""What a run measures: the data sizes, the number of requests and the budgets of
issue 6, in one place."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

EVENTS_PER_CASE = 10
"""The issue's large size: 1,000,000 timeline events for 100,000 cases."""
GIFTS_PER_CASE = 0.2
"""20,000 gift entries for 100,000 cases."""
GROWTH_PEOPLE = 50
"""People added when growing from the small size to the large one. The issue keeps
the roster at 10,000 people; `generate_scale_data --people` below 50 fails (its
generated investigators are people 31 to 50 of each batch), so 50 it is."""


@dataclass(frozen=True)
class DataSize:
    """Arguments of `manage.py generate_scale_data` (totals, not increments)."""

    people: int
    cases: int
    events: int
    certifications: int
    gifts: int

    def minus(self, other: DataSize) -> DataSize:
        """The increment from `other` to this size (people and certifications stay)."""
        return DataSize(
            people=GROWTH_PEOPLE,
            cases=self.cases - other.cases,
            events=self.events - other.events,
            certifications=0,
            gifts=self.gifts - other.gifts,
        )


def _size(*, people: int, cases: int, certifications: int) -> DataSize:
    return DataSize(
        people=people,
        cases=cases,
        events=cases * EVENTS_PER_CASE,
        certifications=certifications,
        gifts=int(cases * GIFTS_PER_CASE),
    )


@dataclass(frozen=True)
class Plan:
    mode: str
    small: DataSize
    large: DataSize
    requests: int
    """Timed requests per page, one client."""
    warmup_rounds: int
    clients: int
    client_requests: int
    """Requests per concurrent client."""
    certs_per_process: int
    export_certificates: int
    reminder_people: int
    seed_small: int = 6001
    seed_large: int = 6002

    def as_dict(self) -> dict:
        return asdict(self)


def plan_for(*, quick: bool, cases_small: int | None = None, cases_large: int | None = None) -> Plan:
    """The full run has the issue's sizes; --quick is the same run, smaller."""
    if quick:
        people, certifications = 1_000, 5_000
        small_cases, large_cases = cases_small or 2_000, cases_large or 10_000
        plan = {
            "requests": 30,
            "warmup_rounds": 3,
            "clients": 8,
            "client_requests": 15,
            "certs_per_process": 50,
            "export_certificates": 300,
            "reminder_people": 1_000,
        }
    else:
        people, certifications = 10_000, 50_000
        small_cases, large_cases = cases_small or 10_000, cases_large or 100_000
        plan = {
            "requests": 60,
            "warmup_rounds": 5,
            "clients": 8,
            "client_requests": 30,
            "certs_per_process": 200,
            "export_certificates": 10_000,
            "reminder_people": 10_000,
        }
    if large_cases < small_cases:
        raise ValueError(f"--cases-large ({large_cases}) must be at least --cases-small ({small_cases}).")
    return Plan(
        mode="quick" if quick else "full",
        small=_size(people=people, cases=small_cases, certifications=certifications),
        large=_size(people=people, cases=large_cases, certifications=certifications),
        **plan,
    )


# --- Where: only databases named innovo_bench*, Redis database 5 ----------------------

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
DB_PAGES = "innovo_bench"
DB_JOBS = os.environ.get("BENCH_DB_JOBS", "innovo_bench_jobs")
SECRET_KEY = "innovo-bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105


# --- The budgets of issue 6 --------------------------------------------------------------

PAGE_P95_MS = 50.0
PAGE_MAX_QUERIES = 12
GROWTH_MAX = 1.3
CONCURRENT_P95_MS = 200.0
CERT_MEDIAN_MS = 80.0
EXPORT_PEAK_MB = 300.0
REMINDER_MAX_S = 15.0
PEER_FACTOR = 20

PEER = {
    # key: (django-helpdesk's figure, its statistic, its value in ms)
    "list": ("django-helpdesk ticket list p95 1.29 s", "p95", 1290.0),
    "search": ("django-helpdesk text search p95 3.0 s", "p95", 3000.0),
    "ticket": ("django-helpdesk ticket page median 11.4 s", "median", 11400.0),
    "dashboard": ("django-helpdesk dashboard median 2.3 s", "median", 2300.0),
}
"""Our p95 is compared with the peer's figure divided by 20, whether the peer's
figure is a p95 or a median (a median is all the peer published for its ticket
page and dashboard): comparing our p95 is the stricter reading."""
