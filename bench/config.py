"""What a run measures: the data sizes, the number of requests and the budgets of
issue 12 (which tightened those of issue 6), in one place."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

EVENTS_PER_CASE = 10
"""Issue 12's sizes: 1,000,000 timeline events for 100,000 cases, 10,000,000 for 1,000,000."""
GIFTS_PER_CASE = 0.2
"""20,000 gift entries for 100,000 cases."""
FULL_PEOPLE = 50_000
"""Issue 12: 50,000 people at both sizes (the roster stays while cases grow)."""
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
    """Timed requests per page, one client, in each arm (warm, first read after a write)."""
    warmup_rounds: int
    clients: int
    client_requests: int
    """Requests per concurrent client."""
    certs_per_process: int
    export_certificates: int
    reminder_people: int
    seed_small: int = 6001
    seed_large: int = 6002
    peer_rounds: int = 20
    """Rounds of the interleaved comparison with django-helpdesk (`make bench-peer`)."""

    def as_dict(self) -> dict:
        return asdict(self)


def plan_for(*, quick: bool, cases_small: int | None = None, cases_large: int | None = None) -> Plan:
    """The full run has the issue's sizes; --quick is the same run, smaller."""
    if quick:
        people, certifications = 1_000, 5_000
        small_cases, large_cases = cases_small or 2_000, cases_large or 10_000
        plan = {
            "requests": 15,
            "warmup_rounds": 2,
            "clients": CONCURRENT_CLIENTS,
            "client_requests": 4,
            "certs_per_process": 50,
            "export_certificates": 300,
            "reminder_people": 1_000,
        }
    else:
        people, certifications = FULL_PEOPLE, 50_000
        small_cases, large_cases = cases_small or 100_000, cases_large or 1_000_000
        plan = {
            "requests": 60,
            "warmup_rounds": 5,
            "clients": CONCURRENT_CLIENTS,
            "client_requests": 10,
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
DB_PAGES = os.environ.get("BENCH_DB", "innovo_bench")
"""The small size. Kept with --keep-db, like the large one."""
DB_LARGE = f"{DB_PAGES}_large"
"""The large size: a copy of the small database, grown (so the 1,000,000-case fill is
paid once with --keep-db, and a later run measures both sizes without generating)."""
DB_PEER = os.environ.get("BENCH_PEER_DB", "innovo_bench_peer")
"""django-helpdesk's database (`make bench-peer`)."""
DB_JOBS = os.environ.get("BENCH_DB_JOBS", "innovo_bench_jobs")
SECRET_KEY = "innovo-bench-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105


# --- The budgets of issue 12 --------------------------------------------------------------

PAGE_P95_MS = 50.0
"""Every page, one client, in both arms (warm and first read after a write)."""
PAGE_MAX_QUERIES = 12
GROWTH_MAX = 1.3
"""Small → large (100,000 → 1,000,000 cases), median and p95, every page, both arms."""
CONCURRENT_CLIENTS = 32
CONCURRENT_P95_MS = 200.0
CERT_MEDIAN_MS = 80.0
EXPORT_PEAK_MB = 300.0
REMINDER_MAX_S = 15.0
PEER_FACTOR = 20
"""Our p95 at most a twentieth of django-helpdesk's p95 on the equivalent view,
both measured in the same run, interleaved in one client (`make bench-peer`)."""

ARMS = ("warm", "first_read")
ARM_TITLES = {"warm": "warm", "first_read": "first read after a write"}

PEER_VIEWS = {
    # our page name: (the peer's view, what it is)
    "queue": ("ticket list", "/helpdesk/tickets/"),
    "queue_filtered": ("ticket list rows (datatables JSON)", "/helpdesk/datatables_ticket_list/…"),
    "queue_search": ("ticket list search", "/helpdesk/tickets/?q=…"),
    "queue_deep": ("deep page of rows (datatables JSON)", "/helpdesk/datatables_ticket_list/…?start=…"),
    "queue_last": ("last page of rows (datatables JSON)", "/helpdesk/datatables_ticket_list/…?start=…"),
    "case": ("ticket page", "/helpdesk/tickets/<id>/"),
    "home_officer": ("dashboard", "/helpdesk/dashboard/"),
}
"""The compared views of issue 12: ours against django-helpdesk 2.3.3's equivalent."""
