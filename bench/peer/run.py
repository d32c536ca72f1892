"""`python -m bench.peer` (`make bench-peer`): ours and django-helpdesk, interleaved.

1. Our database: the kept large one (`innovo_bench_large`), else the kept small one,
   else a new one of `--cases` cases made by `generate_scale_data`.
2. The peer's database (`innovo_bench_peer`): migrated by the peer's own Django
   (`var/bench-peer/venv`), a staff user made with `createsuperuser`, then filled by
   `bench.peer.generate` to our size: as many tickets as our cases, followups as our
   events, users as our people. Kept with --keep-db while its size matches.
3. Both served by gunicorn with the project's gunicorn.conf.py (2 gthread workers ×
   4 threads) on 127.0.0.1, DEBUG off, side by side.
4. One client, each round every compared view: our page, then the peer's
   equivalent (config.PEER_VIEWS), so load that comes and goes hits both alike;
   the load average is read at the start and the end.
5. The result goes to `performance-peer.json` beside the main report; when the main
   report's JSON is there, the peer's figures are merged into it and its Markdown is
   written again, so the budget "20× the peer" is judged on figures of this run.

The peer's list shows no ticket until its page has loaded its rows (a second
request, datatables' JSON): the ticket list and its search are timed as both
requests, one after the other, as a browser makes them. The filtered list, the
deep and the last page are the rows request alone, against our table fragment
(filtered) and our whole page (deep, last).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import config, db, machine, report, stats
from bench.client import Client, Response
from bench.config import DataSize
from bench.pages import build_pages, deep_page, last_page
from bench.peer.generate import STAFF_PASSWORD, STAFF_USER, queue_key
from bench.run import Bench, log
from bench.server import ROOT, Gunicorn, HarnessError

PEER_VENV = ROOT / "var" / "bench-peer" / "venv"
ROWS = 25
"""Rows per page, ours and the peer's default (datatables' page length)."""
_ROWS_URL = re.compile(r"(/helpdesk/datatables_ticket_list/[A-Za-z0-9+/=_-]+)")


def rows_url(page_html: str) -> str:
    """The rows request the peer's list page makes (its datatables 'ajax' URL)."""
    found = _ROWS_URL.search(page_html)
    if not found:
        raise HarnessError("The peer's ticket list has no datatables rows URL.")
    return found.group(1)


def rows_query(url: str, *, start: int = 0, length: int = ROWS) -> str:
    return f"{url}?draw=1&start={start}&length={length}"


def last_start(total: int, rows: int = ROWS) -> int:
    """The first row of the last page of `total` rows."""
    return max(0, (total - 1) // rows * rows)


class PeerView:
    """One of the peer's views: one request, or the page and its rows request."""

    def __init__(self, path: str, *, rows: bool = False):
        self.path, self.rows = path, rows

    def call(self, client: Client) -> tuple[Response, bool]:
        page = client.get(self.path)
        if not self.rows or page.status != 200:
            return page, page.status == 200
        rows = client.get(rows_query(rows_url(page.text)))
        both = Response(rows.status, rows.headers, page.body + rows.body, page.ms + rows.ms)
        return both, rows.status == 200


class PeerBench(Bench):
    def __init__(self, args):
        plan = config.plan_for(quick=True)
        super().__init__(plan, keep_db=True, skip_jobs=True)
        self.args = args
        self.result = {"errors": [], "phases": {}}

    def peer_env(self) -> dict[str, str]:
        return {
            "PATH": f"{PEER_VENV / 'bin'}:/usr/bin:/bin",
            "HOME": str(self.var_dir),
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
            "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
            "PEER_DATABASE_URL": db.url(config.DB_PEER),
            "PEER_STATIC_ROOT": str(self.var_dir / "peer-static"),
            "PEER_MEDIA_ROOT": str(self.var_dir / "peer-media"),
        }

    def peer_django(self, *args: str, **extra: str) -> None:
        log_path = self.logs / "peer-django.log"
        with open(log_path, "ab") as out:
            code = subprocess.call(
                [str(PEER_VENV / "bin" / "python"), "-m", "django", *args],
                cwd=ROOT,
                env={**self.peer_env(), **extra},
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        if code != 0:
            tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-15:])
            raise HarnessError(f"the peer's django-admin {' '.join(args)} failed ({code}):\n{tail}")

    # --- the two databases -------------------------------------------------------------

    def ours(self) -> str:
        """Our database: the one named, a kept one, or a new one of --cases cases."""
        if self.args.db:
            if not db.exists(self.args.db):
                raise HarnessError(f"No database {self.args.db}.")
            return self.args.db
        for name in (config.DB_LARGE, config.DB_PAGES):
            have = db.counts(name)["cases"] if db.exists(name) else 0
            if have and (not self.args.cases or have >= self.args.cases):
                return name
        cases = self.args.cases or 10_000
        log(f"no kept database of ours: making {config.DB_PAGES} with {cases:,} cases")
        if not db.exists(config.DB_PAGES):
            db.create(config.DB_PAGES)
        self.manage(config.DB_PAGES, "make_signing_key")
        self.prepare(config.DB_PAGES)
        people = min(config.FULL_PEOPLE, max(1_000, cases // 20))
        size = DataSize(
            people=people,
            cases=cases,
            events=cases * config.EVENTS_PER_CASE,
            certifications=0,
            gifts=int(cases * config.GIFTS_PER_CASE),
        )
        self.grow_to(config.DB_PAGES, size, seed=self.plan.seed_small)
        return config.DB_PAGES

    def peer_size(self) -> dict:
        if not db.exists(config.DB_PEER):
            return {}
        rows = db.query(
            config.DB_PEER,
            "SELECT (SELECT count(*) FROM helpdesk_ticket), (SELECT count(*) FROM helpdesk_followup), "
            "(SELECT count(*) FROM auth_user), (SELECT count(*) FROM helpdesk_queue) "
            "WHERE to_regclass('helpdesk_ticket') IS NOT NULL",
        )
        if not rows:
            return {}
        tickets, followups, users, queues = rows[0]
        return {"tickets": tickets, "followups": followups, "users": users, "queues": queues}

    def fill_peer(self, ours: dict) -> dict:
        have = self.peer_size()
        if self.args.keep_db and have.get("tickets") == ours["cases"] and have.get("followups") == ours["events"]:
            log(f"  {config.DB_PEER} already holds {have['tickets']:,} tickets: kept")
            return have
        db.drop(config.DB_PEER)
        db.create(config.DB_PEER)
        log(f"  migrating {config.DB_PEER} with the peer's Django")
        self.peer_django("migrate", "--noinput")
        self.peer_django(
            "createsuperuser",
            "--noinput",
            "--username",
            STAFF_USER,
            "--email",
            "officer@innovo.example",
            DJANGO_SUPERUSER_PASSWORD=STAFF_PASSWORD,
        )
        log(f"  bench.peer.generate: {ours['cases']:,} tickets, {ours['events']:,} followups, {ours['people']:,} users")
        process = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.peer.generate",
                *("--tickets", str(ours["cases"]), "--followups", str(ours["events"])),
                *("--users", str(ours["people"]), "--gifts", str(ours["gifts"])),
                *("--seed", str(self.plan.seed_small)),
            ],
            cwd=ROOT,
            env=self.env(config.DB_PEER, LOG_LEVEL="WARNING"),
            capture_output=True,
            text=True,
            timeout=6 * 3600,
        )
        found = [line for line in process.stdout.splitlines() if line.startswith("BENCH-RESULT ")]
        if process.returncode != 0 or not found:
            raise HarnessError(f"bench.peer.generate failed: {(process.stdout + process.stderr)[-1500:]}")
        done = json.loads(found[-1][len("BENCH-RESULT ") :])
        log(f"  filled in {done['timings']['total']} s: {done['timings']}")
        self.result["peer_generator"] = done
        return self.peer_size()

    # --- the measurement ---------------------------------------------------------------

    def pairs(self, ours_db: str, ours: Client, peer: Client) -> dict:
        """Each compared view: our page and the peer's equivalent, ready to call."""
        case_id = db.busiest_report(ours_db)
        last = last_page(ours)
        pages = {
            p.name: p
            for p in build_pages(case_id=case_id, campaign_id=None, last=last, tag="peer")
            if p.name in config.PEER_VIEWS
        }
        listing = peer.get("/helpdesk/tickets/")
        if listing.status != 200:
            raise HarnessError(f"The peer's ticket list answered {listing.status}.")
        default_rows = rows_url(listing.text)
        total = json.loads(peer.get(rows_query(default_rows, length=1)).text)["recordsFiltered"]
        deep = last_start(total) // 2 // ROWS * ROWS
        harassment = db.scalar(
            config.DB_PEER,
            "SELECT id FROM helpdesk_queue WHERE slug LIKE %s",
            [f"%-{queue_key('report', 'harassment')}"],
        )
        filtered = rows_url(peer.get(f"/helpdesk/tickets/?status=1&queue={harassment}").text)
        ticket = db.scalar(
            config.DB_PEER,
            "SELECT ticket_id FROM helpdesk_followup GROUP BY ticket_id ORDER BY count(*) DESC, ticket_id LIMIT 1",
        )
        views = {
            "queue": PeerView("/helpdesk/tickets/", rows=True),
            "queue_filtered": PeerView(rows_query(filtered)),
            "queue_search": PeerView("/helpdesk/tickets/?q=supplier+invoice", rows=True),
            "queue_deep": PeerView(rows_query(default_rows, start=deep)),
            "queue_last": PeerView(rows_query(default_rows, start=last_start(total))),
            "case": PeerView(f"/helpdesk/tickets/{ticket}/"),
            "home_officer": PeerView("/helpdesk/dashboard/"),
        }
        self.result["targets"] = {
            "case_id": case_id,
            "case_events": db.events_of(ours_db, case_id),
            "last_page": last,
            "deep_page": deep_page(last),
            "peer_ticket": ticket,
            "peer_ticket_followups": db.scalar(
                config.DB_PEER, "SELECT count(*) FROM helpdesk_followup WHERE ticket_id = %s", [ticket]
            ),
            "peer_open_tickets": total,
            "peer_deep_start": deep,
            "peer_last_start": last_start(total),
        }
        return {name: (pages[name], views[name]) for name in config.PEER_VIEWS}

    def compare(self, ours_db: str) -> dict:
        self.flush_redis()
        with (
            Gunicorn(self.env(ours_db), self.logs / "gunicorn-ours.log") as server,
            Gunicorn(
                self.peer_env(),
                self.logs / "gunicorn-peer.log",
                app="bench.peer.wsgi",
                gunicorn=PEER_VENV / "bin" / "gunicorn",
                health="/helpdesk/login/",
            ) as peer_server,
        ):
            ours = Client("127.0.0.1", server.port)
            ours.login("swhalen", "innovo-demo-2026")
            peer = Client("127.0.0.1", peer_server.port)
            peer.login(STAFF_USER, STAFF_PASSWORD, path="/helpdesk/login/")
            pairs = self.pairs(ours_db, ours, peer)
            samples = {name: ([], []) for name in pairs}
            errors = {name: ([], []) for name in pairs}
            rounds, warmup = self.args.rounds, self.args.warmup
            load_start = machine.load()
            started = time.monotonic()
            log(f"  {len(pairs)} views × {rounds} rounds, ours then the peer's, one client")
            for round_no in range(warmup + rounds):
                for name, (page, view) in pairs.items():
                    for side in (0, 1):
                        try:
                            response, ok = page.call(ours, round_no) if side == 0 else view.call(peer)
                        except OSError as error:
                            response, ok = Response(0, {}, b"", 0.0), False
                            errors[name][side].append(f"{type(error).__name__}: {error}")
                        if round_no < warmup:
                            continue
                        if ok:
                            samples[name][side].append((response.ms, response.queries))
                        else:
                            errors[name][side].append(f"HTTP {response.status}")
                if (round_no + 1) % 5 == 0:
                    log(f"    round {round_no + 1}/{warmup + rounds} ({time.monotonic() - started:.0f}s)")
            load_end = machine.load()
        out = {}
        for name, (page, view) in pairs.items():
            mine, theirs = samples[name]
            queries = [q for _, q in mine if q is not None]
            out[name] = {
                "title": page.title,
                "ours": {
                    "path": page.path,
                    "ms": stats.summary([ms for ms, _ in mine]),
                    "errors": len(errors[name][0]),
                    "queries_max": max(queries) if queries else None,
                },
                "peer": {
                    "path": view.path + (" + its rows request" if view.rows else ""),
                    "ms": stats.summary([ms for ms, _ in theirs]),
                    "errors": len(errors[name][1]),
                    "error_examples": sorted(set(errors[name][1]))[:3],
                },
            }
        return {"pairs": out, "rounds": rounds, "warmup_rounds": warmup, "load_start": load_start, "load_end": load_end}

    def run(self) -> dict:
        if not (PEER_VENV / "bin" / "gunicorn").exists():
            raise HarnessError(f"No peer environment in {PEER_VENV}: run `make bench-peer`.")
        self.result["started_at"] = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
        self.result["machine"] = machine.describe(db.server_version())
        self.result["peer_version"] = subprocess.run(
            [
                str(PEER_VENV / "bin" / "python"),
                "-c",
                "import django, helpdesk; from importlib.metadata import "
                "version; print(version('django-helpdesk'), django.get_version())",
            ],
            capture_output=True,
            text=True,
        ).stdout.split()
        with self.phase("ours"):
            self.flush_redis()
            ours_db = self.ours()
            self.manage(ours_db, "make_signing_key")
            self.prepare(ours_db)
            ours = db.counts(ours_db)
            log(f"  ours: {ours_db}, {ours['cases']:,} cases, {ours['events']:,} events, {ours['people']:,} people")
        with self.phase("peer_fill"):
            peer_size = self.fill_peer(ours)
        with self.phase("compare"):
            compared = self.compare(ours_db)
        self.result.update(
            {
                "database": ours_db,
                "ours_size": ours,
                **peer_size,
                **compared,
                "peer_name": "django-helpdesk",
            }
        )
        return self.result


def merge(main_json: Path, peer: dict) -> dict | None:
    """Put the peer's figures into the main report's result and judge the budgets again."""
    if not main_json.exists():
        return None
    result = json.loads(main_json.read_text(encoding="utf-8"))
    result["peer"] = peer
    result["budgets"] = report.evaluate(result)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.peer",
        description="Measure our pages and django-helpdesk's equivalents, interleaved, at the same size.",
    )
    parser.add_argument("--db", help="our database to measure (default: the kept large one, else the small one)")
    parser.add_argument("--cases", type=int, help="without a kept database, make one of this many cases (10,000)")
    parser.add_argument("--rounds", type=int, default=config.Plan.peer_rounds, help="timed rounds (20)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up rounds, not counted (3)")
    parser.add_argument("--keep-db", action="store_true", help=f"keep {config.DB_PEER} while its size matches ours")
    parser.add_argument(
        "--out", type=Path, help="folder of the reports (docs for 100,000 cases or more, else var/bench)"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    bench = PeerBench(args)
    try:
        peer = bench.run()
    except HarnessError as error:
        print(f"bench.peer: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench.peer: interrupted; both servers are stopped", file=sys.stderr)
        return 130
    finally:
        bench.children.clear()
        try:
            bench.flush_redis()
        finally:
            shutil.rmtree(bench.var_dir, ignore_errors=True)
    full = peer["ours_size"]["cases"] >= config.plan_for(quick=False).small.cases
    out = args.out or (ROOT / "docs" if full else ROOT / "var" / "bench")
    out.mkdir(parents=True, exist_ok=True)
    peer_json = out / "performance-peer.json"
    peer_json.write_text(json.dumps(peer, indent=1) + "\n", encoding="utf-8")
    print(report.peer_text(peer))
    main_json = out / ("performance.json" if full else "performance-quick.json")
    merged = merge(main_json, peer)
    if merged is not None:
        report.write(merged, json_path=main_json, md_path=main_json.with_suffix(".md"))
        print(f"\nWrote {peer_json}; merged into {main_json} and {main_json.with_suffix('.md')}")
    else:
        print(f"\nWrote {peer_json} (no {main_json} to merge into: run `make bench` first)")
    return 0
