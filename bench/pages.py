"""The pages of issues 6 and 12 and how they are measured.

One client, round-robin: each round requests every page once, so load on the
machine that comes and goes (other processes, autovacuum) touches every page
alike and the ratios between pages stay fair. A few warm-up rounds first, not
counted.

Two arms (issue 12), interleaved in each round: for every page that only reads,
the compliance officer first makes a real write through the app (an internal
note on another open report, POSTed to its form, untimed), so every cache that
depends on cases is invalidated; then the page is read (the **first read after a
write**), then read again (**warm**). Pages that are themselves writes (the
POSTs) are measured once per round, as warm. Each timing is the client's wall time for one request on a new
connection (gunicorn's sync workers close every connection), from sending it to
the last byte of the body; the server's `X-Query-Count` and `X-App-Time-Ms`
headers are kept alongside.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

from bench import stats
from bench.client import Client, Response

DEMO_PASSWORD = "innovo-demo-2026"  # noqa: S105 - people.demo.DEMO_PASSWORD, printed by `make run`
_FILING = re.compile(r"/approvals/(\d+)/")
_PAGE_LINK = re.compile(r"[?&;]page=(\d+)")


@dataclass
class Sample:
    ms: float
    status: int
    queries: int | None
    app_ms: float | None
    ok: bool


@dataclass
class Page:
    """One page: who asks, what, and what a good answer is."""

    name: str
    title: str
    user: str | None
    peer: str | None = None
    """Key of config.PEER_VIEWS: the peer's view this page is compared with (`make bench-peer`)."""
    path: str = ""
    budgeted: bool = True
    """The bare view is measured as the baseline, not against the budgets."""
    headers: dict[str, str] = field(default_factory=dict)
    """E.g. htmx's, for the queue's table fragment."""

    reads_only = True
    """A GET: measured in both arms. The POSTs below are writes themselves."""

    def call(self, client: Client, i: int) -> tuple[Response, bool]:
        response = client.get(self.path, headers=self.headers or None)
        return response, response.status == 200


HTMX_TABLE = {"HX-Request": "true", "HX-Target": "queue-table", "HX-Current-URL": "/cases/"}
"""What htmx sends when a filter changes: the queue answers with its table only."""


class Writer:
    """The write before each first read: the compliance officer adds an internal note
    to one of a few open reports (never the measured case) through the case page's
    form, as a person would. Untimed; its failures are counted."""

    def __init__(self, client: Client, case_ids: list[int]):
        if not case_ids:
            raise ValueError("No open report to write to.")
        self.client, self.case_ids = client, case_ids
        self.count = 0
        self.errors: list[str] = []

    def write(self) -> bool:
        case_id = self.case_ids[self.count % len(self.case_ids)]
        self.count += 1
        try:
            response = self.client.post(f"/cases/{case_id}/note/", {"body": f"Benchmark write {self.count}."})
        except OSError as error:
            self.errors.append(f"{type(error).__name__}: {error}")
            return False
        if response.status not in (200, 302):
            self.errors.append(f"HTTP {response.status} on /cases/{case_id}/note/")
            return False
        return True


@dataclass
class GiftSave(Page):
    """Log a gift: the guided form's "Save and review" (POST), which saves a draft
    and redirects to it."""

    drafts: list[int] = field(default_factory=list)
    tag: str = ""
    reads_only = False

    def call(self, client: Client, i: int) -> tuple[Response, bool]:
        response = client.post("/approvals/new/gift/", gift_form(f"{self.tag}-{i}"))
        match = _FILING.search(response.headers.get("location", ""))
        if response.status == 302 and match:
            self.drafts.append(int(match.group(1)))
            return response, True
        return response, False


@dataclass
class GiftSubmit(Page):
    """Send the saved gift to its approver (POST)."""

    saver: GiftSave | None = None
    reads_only = False

    def call(self, client: Client, i: int) -> tuple[Response, bool]:
        if not self.saver.drafts:  # the save failed: make a draft, untimed
            self.saver.call(client, 10_000 + i)
        if not self.saver.drafts:
            return Response(0, {}, b"", 0.0), False
        pk = self.saver.drafts.pop()
        response = client.post(f"/approvals/{pk}/submit/", {})
        return response, response.status == 302 and f"/approvals/{pk}/" in response.headers.get("location", "")


@dataclass
class AnonymousReport(Page):
    """The speak-up form, not logged in (POST): answers with the receipt key. Each POST
    needs a fresh proof-of-work challenge from the form (solved here, not timed; the
    server runs with a small PROOF_OF_WORK_MAX)."""

    token: str | None = None
    reads_only = False

    def call(self, client: Client, i: int) -> tuple[Response, bool]:
        form = client.get("/report/")
        self.token = self.token or form.form_token()
        response = client.post(
            "/report/",
            {
                "category": "accounting",
                "title": f"Supplier invoices split below the approval limit ({i})",
                "description": "Invoices from one supplier arrive in pairs just under the limit, "
                "on the same day, approved by the same manager.",
                **solve_pow(form.text),
            },
            token=self.token,
        )
        return response, response.status == 200 and 'id="receipt-key"' in response.text


def solve_pow(page: str) -> dict:
    """What static/js/pow.js does in a browser (innovo_compliance/abuse.py)."""
    found = {
        name: re.search(rf'{name}="([^"]*)"', page) for name in ("data-pow-salt", "data-pow-target", "data-pow-max")
    }
    token = re.search(r'name="pow_challenge" value="([^"]*)"', page)
    if not token or not all(found.values()):
        return {}
    salt, target, top = (found[name].group(1) for name in ("data-pow-salt", "data-pow-target", "data-pow-max"))
    for number in range(int(top) + 1):
        if hashlib.sha256(f"{salt}{number}".encode()).hexdigest() == target:
            return {"pow_challenge": token.group(1), "pow_solution": str(number)}
    return {}


def gift_form(counterparty: str) -> dict:
    """A meal received from a supplier, a few days ago, well under the limits."""
    return {
        "direction": "received",
        "gift_kind": "meal",
        "counterparty": f"Bench Supplier {counterparty}",
        "business_relationship": "supplier",
        "event_date": (date.today() - timedelta(days=3)).isoformat(),  # noqa: DTZ011 - the server's day is close enough
        "value": "85.00",
        "currency": "USD",
        "giver_representative_present": "yes",
        "business_purpose": "Quarterly account review",
        "action": "save",
    }


def last_page(client: Client) -> int:
    """The queue's last page number, read from its pagination links."""
    page = client.get("/cases/")
    numbers = [int(n) for n in _PAGE_LINK.findall(page.text)]
    return max(numbers, default=1)


def deep_page(last: int) -> int:
    """The deep page: halfway to the last one (at 1,000,000 cases, thousands in)."""
    return max(1, last // 2)


def build_pages(*, case_id: int, campaign_id: int | None, last: int, tag: str) -> list[Page]:
    saver = GiftSave(name="gift_save", title="Log a gift: save (POST)", user="aalvarez", tag=tag)
    pages = [
        Page(name="bare", title="Bare Django view /healthz", user=None, path="/healthz", budgeted=False),
        Page(name="queue", title="Queue, default", user="swhalen", peer="queue", path="/cases/"),
        Page(
            name="queue_filtered",
            title="Queue, filtered (table fragment)",
            user="swhalen",
            peer="queue_filtered",
            path="/cases/?status=investigating&category=harassment",
            headers=HTMX_TABLE,
        ),
        Page(
            name="queue_search",
            title="Queue, text search",
            user="swhalen",
            peer="queue_search",
            path="/cases/?q=supplier+invoice",
        ),
        Page(
            name="queue_deep",
            title="Queue, deep page",
            user="swhalen",
            peer="queue_deep",
            path=f"/cases/?page={deep_page(last)}",
        ),
        Page(
            name="queue_last", title="Queue, last page", user="swhalen", peer="queue_last", path=f"/cases/?page={last}"
        ),
        Page(name="case", title="Case page", user="swhalen", peer="case", path=f"/cases/{case_id}/"),
        Page(name="home_employee", title="Home, employee", user="aalvarez", path="/"),
        Page(name="home_officer", title="Home, compliance officer", user="swhalen", peer="home_officer", path="/"),
        saver,
        GiftSubmit(name="gift_submit", title="Log a gift: submit (POST)", user="aalvarez", saver=saver),
        Page(name="inbox", title="Approver's inbox", user="swhalen", path="/approvals/inbox/"),
    ]
    if campaign_id is not None:
        pages.append(
            Page(
                name="hr_dashboard",
                title="HR campaign dashboard",
                user="jgrant",
                path=f"/certifications/campaigns/{campaign_id}/",
            )
        )
    pages.append(AnonymousReport(name="report", title="Anonymous report (POST)", user=None))
    return pages


def login_clients(port: int, users: set[str | None]) -> dict[str | None, Client]:
    clients = {}
    for user in sorted(users, key=lambda u: u or ""):
        client = Client("127.0.0.1", port)
        if user is not None:
            client.login(user, DEMO_PASSWORD)
        clients[user] = client
    return clients


def login_sessions(port: int, user: str, count: int) -> list[Client]:
    """`count` separate logged-in sessions of one user (for concurrent clients)."""
    sessions = [Client("127.0.0.1", port) for _ in range(count)]
    # Two at a time, as the server has two workers (each login hashes a password).
    pairs = [sessions[i : i + 2] for i in range(0, count, 2)]
    for pair in pairs:
        threads = [threading.Thread(target=s.login, args=(user, DEMO_PASSWORD)) for s in pair]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    missing = [s for s in sessions if "sessionid" not in s.cookies]
    for session in missing:  # a login that failed in its thread: again, to raise its error
        session.login(user, DEMO_PASSWORD)
    return sessions


def arms_of(page: Page) -> tuple[str, ...]:
    """The arms a page is measured in, in the order of a round: a read is measured
    first right after a write, then warm; a write (POST) once, as warm."""
    return ("first_read", "warm") if page.reads_only else ("warm",)


def measure_pages(
    port: int,
    pages: list[Page],
    clients: dict[str | None, Client],
    *,
    rounds: int,
    warmup_rounds: int,
    writer: Writer | None = None,
    log=print,
) -> dict[str, dict[str, dict]]:
    """One client per user (logged in already), round-robin over the pages; a summary
    per arm and page: {"warm": {page: …}, "first_read": {page: …}}. Without a writer,
    the warm arm only."""
    # The anonymous report keeps its own cookie jar (CSRF only, no session).
    anonymous_report = Client("127.0.0.1", port)
    arms = {page.name: arms_of(page) if writer else ("warm",) for page in pages}
    samples = {arm: {p.name: [] for p in pages if arm in arms[p.name]} for arm in ("warm", "first_read")}
    errors = {arm: {p.name: [] for p in pages} for arm in ("warm", "first_read")}
    total = warmup_rounds + rounds
    started = time.monotonic()
    for round_no in range(total):
        for page in pages:
            client = anonymous_report if isinstance(page, AnonymousReport) else clients[page.user]
            for arm in arms[page.name]:
                if arm == "first_read":
                    writer.write()
                try:
                    response, ok = page.call(client, round_no)
                except OSError as error:
                    response, ok = Response(0, {}, b"", 0.0), False
                    errors[arm][page.name].append(f"{type(error).__name__}: {error}")
                if round_no < warmup_rounds:
                    continue
                if not ok and response.status:
                    errors[arm][page.name].append(f"HTTP {response.status}")
                samples[arm][page.name].append(
                    Sample(response.ms, response.status, response.queries, response.app_ms, ok)
                )
        if (round_no + 1) % 10 == 0 or round_no + 1 == total:
            log(f"    round {round_no + 1}/{total} ({time.monotonic() - started:.0f}s)")
    out = {}
    for arm, by_page in samples.items():
        if not any(by_page.values()):
            continue
        bare = [s.ms for s in by_page.get("bare", []) if s.ok]
        bare_median = stats.median(bare) if bare else None
        out[arm] = {
            page.name: summarise(page, by_page[page.name], errors[arm][page.name], bare_median)
            for page in pages
            if page.name in by_page
        }
    return out


def summarise(page: Page, samples: list[Sample], errors: list[str], bare_median: float | None) -> dict:
    good = [s.ms for s in samples if s.ok]
    queries = [s.queries for s in samples if s.queries is not None]
    app = [s.app_ms for s in samples if s.app_ms is not None]
    summary = {
        "title": page.title,
        "user": page.user or "anonymous",
        "path": page.path or ("/report/" if isinstance(page, AnonymousReport) else ""),
        "peer": page.peer,
        "budgeted": page.budgeted,
        "requests": len(samples),
        "errors": len(samples) - len(good),
        "error_examples": sorted(set(errors))[:5],
        "statuses": sorted({s.status for s in samples}),
        "ms": stats.summary(good),
        "app_ms": stats.summary(app),
        "queries_max": max(queries) if queries else None,
        "queries_min": min(queries) if queries else None,
    }
    summary["ratio_to_bare"] = stats.ratio(summary["ms"].get("median"), bare_median)
    return summary


def measure_concurrent(sessions: list[Client], *, paths: list[str], requests: int, timeout: float = 600) -> dict:
    """One thread per session (each logged in already, its own cookies), all starting
    together, each making `requests` requests, cycling through `paths`. A thread that
    has not finished within `timeout` seconds counts its missing requests as errors."""
    clients = len(sessions)
    for session in sessions:
        session.get(paths[0])  # warm
    barrier = threading.Barrier(clients + 1)
    timings: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    lock = threading.Lock()

    def work(index: int) -> None:
        session = sessions[index]
        barrier.wait()
        for i in range(requests):
            path = paths[(index + i) % len(paths)]
            try:
                response = session.get(path)
            except OSError as error:
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                statuses[response.status] = statuses.get(response.status, 0) + 1
                if response.status == 200:
                    timings.append(response.ms)
                else:
                    errors.append(f"HTTP {response.status} on {path}")

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(1.0, timeout - (time.perf_counter() - started)))
    wall = time.perf_counter() - started
    done = len(timings) + len(errors)
    return {
        "paths": paths,
        "clients": clients,
        "requests": clients * requests,
        "completed": done,
        "errors": len(errors) + (clients * requests - done),
        "error_examples": sorted(set(errors))[:5],
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "ms": stats.summary(timings),
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(timings) / wall, 1) if wall else None,
    }
