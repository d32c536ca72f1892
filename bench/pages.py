"""The pages of issue 6 and how they are measured.

One client, round-robin: each round requests every page once, so load on the
machine that comes and goes (other processes, autovacuum) touches every page
alike and the ratios between pages stay fair. A few warm-up rounds first, not
counted. Each timing is the client's wall time for one request on a new
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
    """Key of config.PEER this page is compared with."""
    path: str = ""
    budgeted: bool = True
    """The bare view is measured as the baseline, not against the budgets."""

    def call(self, client: Client, i: int) -> tuple[Response, bool]:
        response = client.get(self.path)
        return response, response.status == 200


@dataclass
class GiftSave(Page):
    """Log a gift: the guided form's "Save and review" (POST), which saves a draft
    and redirects to it."""

    drafts: list[int] = field(default_factory=list)
    tag: str = ""

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


def build_pages(*, case_id: int, campaign_id: int | None, last: int, tag: str) -> list[Page]:
    saver = GiftSave(name="gift_save", title="Log a gift: save (POST)", user="aalvarez", tag=tag)
    pages = [
        Page(name="bare", title="Bare Django view /healthz", user=None, path="/healthz", budgeted=False),
        Page(name="queue", title="Queue, default", user="swhalen", peer="list", path="/cases/"),
        Page(
            name="queue_filtered",
            title="Queue, filtered",
            user="swhalen",
            peer="list",
            path="/cases/?status=investigating&category=harassment",
        ),
        Page(
            name="queue_search",
            title="Queue, text search",
            user="swhalen",
            peer="search",
            path="/cases/?q=supplier+invoice",
        ),
        Page(name="queue_last", title="Queue, last page", user="swhalen", peer="list", path=f"/cases/?page={last}"),
        Page(name="case", title="Case page", user="swhalen", peer="ticket", path=f"/cases/{case_id}/"),
        Page(name="home_employee", title="Home, employee", user="aalvarez", peer="dashboard", path="/"),
        Page(name="home_officer", title="Home, compliance officer", user="swhalen", peer="dashboard", path="/"),
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
    for session in sessions:
        session.login(user, DEMO_PASSWORD)
    return sessions


def measure_pages(
    port: int, pages: list[Page], clients: dict[str | None, Client], *, rounds: int, warmup_rounds: int, log=print
) -> dict[str, dict]:
    """One client per user (logged in already), round-robin over the pages; a summary per page."""
    # The anonymous report keeps its own cookie jar (CSRF only, no session).
    anonymous_report = Client("127.0.0.1", port)
    samples: dict[str, list[Sample]] = {page.name: [] for page in pages}
    errors: dict[str, list[str]] = {page.name: [] for page in pages}
    total = warmup_rounds + rounds
    started = time.monotonic()
    for round_no in range(total):
        for page in pages:
            client = anonymous_report if isinstance(page, AnonymousReport) else clients[page.user]
            try:
                response, ok = page.call(client, round_no)
            except OSError as error:
                response, ok = Response(0, {}, b"", 0.0), False
                errors[page.name].append(f"{type(error).__name__}: {error}")
            if round_no < warmup_rounds:
                continue
            if not ok and response.status:
                errors[page.name].append(f"HTTP {response.status}")
            samples[page.name].append(Sample(response.ms, response.status, response.queries, response.app_ms, ok))
        if (round_no + 1) % 10 == 0 or round_no + 1 == total:
            log(f"    round {round_no + 1}/{total} ({time.monotonic() - started:.0f}s)")
    bare = [s.ms for s in samples.get("bare", []) if s.ok]
    bare_median = stats.median(bare) if bare else None
    return {page.name: summarise(page, samples[page.name], errors[page.name], bare_median) for page in pages}


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


def measure_concurrent(sessions: list[Client], *, paths: list[str], requests: int) -> dict:
    """One thread per session (each logged in already), all starting together, each
    making `requests` requests, cycling through `paths`."""
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
        thread.join(timeout=600)
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
