"""`python -m bench`: build the data, run the app, measure, report.

Order: a fresh database `innovo_bench` at the small size → a copy of it,
`innovo_bench_jobs`, for the certificate and reminder work → the pages at the
small size, warm and on the first read after a write → a copy of the small
database, `innovo_bench_large`, grown to the large size with another seed → the
pages at the large size, then 32 concurrent clients → certificates, bulk export,
reminders in the jobs copy. With --keep-db both page databases stay, and a later
run (or `make bench-peer`) reuses them: only what they lack is generated.
Budgets that fail are reported, not errors: the exit code is non-zero only when
the harness itself cannot go on.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bench import config, db, machine, report, stats
from bench.client import Client
from bench.config import DataSize, Plan
from bench.pages import (
    Writer,
    build_pages,
    deep_page,
    last_page,
    login_clients,
    login_sessions,
    measure_concurrent,
    measure_pages,
)
from bench.server import ROOT, Gunicorn, HarnessError, app_env

JOB_TIMEOUT = 3 * 3600


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)  # noqa: DTZ005 - a local clock for humans


class Bench:
    def __init__(self, plan: Plan, *, keep_db: bool, skip_jobs: bool = False):
        self.plan, self.keep_db, self.skip_jobs = plan, keep_db, skip_jobs
        self.var_dir = Path(tempfile.mkdtemp(prefix="innovo-bench-"))
        self.logs = self.var_dir / "logs"
        self.logs.mkdir()
        self.children: list[subprocess.Popen] = []
        self.clients: dict[str | None, Client] = {}
        """Logged in once and reused at both sizes (sessions live in the database)."""
        self.sessions: list[Client] = []
        self.result: dict = {
            "version": 1,
            "mode": plan.mode,
            "plan": plan.as_dict(),
            "sizes": {},
            "targets": {},
            "pages": {},
            "concurrency": {},
            "phases": {},
            "errors": [],
        }

    # --- plumbing ------------------------------------------------------------------------

    def env(self, database: str, **extra: str) -> dict[str, str]:
        return app_env(
            database_url=db.url(database),
            var_dir=self.var_dir,
            redis_url=config.REDIS_URL,
            secret_key=config.SECRET_KEY,
            **extra,
        )

    def jobs_env(self, **extra: str) -> dict[str, str]:
        return self.env(config.DB_JOBS, LOG_LEVEL="WARNING", EMAIL_BACKEND="bench.mailsink.EmailBackend", **extra)

    @contextmanager
    def phase(self, name: str):
        log(f"{name}…")
        started, load_before = time.monotonic(), machine.load()
        try:
            yield
        finally:
            seconds = round(time.monotonic() - started, 1)
            self.result["phases"][name] = {"seconds": seconds, "load_before": load_before, "load_after": machine.load()}
            log(f"{name}: {seconds} s (load average {' '.join(map(str, machine.load()))})")

    def manage(self, database: str, *args: str, whole: bool = False) -> str:
        """Run a management command; its output goes to a log file (the last line is
        returned, or with `whole` all it printed)."""
        log_path = self.logs / f"manage-{args[0]}.log"
        before = log_path.stat().st_size if log_path.exists() else 0
        with open(log_path, "ab") as out:
            process = subprocess.Popen(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=self.env(database),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            self.children.append(process)
            try:
                code = process.wait(timeout=JOB_TIMEOUT)
            finally:
                self.children.remove(process)
        with open(log_path, "rb") as written:
            written.seek(before)
            lines = written.read().decode(errors="replace").strip().splitlines()
        if code != 0:
            tail = "\n".join(lines[-15:])
            raise HarnessError(f"manage.py {' '.join(args)} failed ({code}):\n{tail}")
        if whole:
            return "\n".join(lines)
        return lines[-1] if lines else ""

    def flush_redis(self) -> None:
        """The benchmark's Redis database: cached sessions, rate counters, queued tasks
        that no worker will run."""
        import redis

        redis.Redis.from_url(config.REDIS_URL).flushdb()

    def jobs(self, command: str, workers: list[list[str]], *, env: dict[str, str]) -> list[dict]:
        """Run `python -m bench.jobs command` once per argument list, all at once;
        with several, release them together once each has printed READY."""
        together = len(workers) > 1 or any("--wait" in args for args in workers)
        processes = []
        try:
            for args in workers:
                argv = [sys.executable, "-m", "bench.jobs", command, *args] + (
                    ["--wait"] if together and "--wait" not in args else []
                )
                process = subprocess.Popen(
                    argv,
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                self.children.append(process)
                processes.append(process)
            if together:
                for process in processes:
                    line = process.stdout.readline()
                    if line.strip() != "READY":
                        raise RuntimeError(f"bench.jobs {command} did not get ready: {line.strip() or 'no output'}")
                for process in processes:
                    process.stdin.write("GO\n")
                    process.stdin.flush()
            results = []
            for process in processes:
                out, _ = process.communicate(timeout=JOB_TIMEOUT)
                found = [line for line in out.splitlines() if line.startswith("BENCH-RESULT ")]
                if process.returncode != 0 or not found:
                    raise RuntimeError(f"bench.jobs {command} failed ({process.returncode}): {out.strip()[-500:]}")
                results.append(json.loads(found[-1][len("BENCH-RESULT ") :]))
            return results
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()
                if process in self.children:
                    self.children.remove(process)

    def cleanup(self) -> None:
        for process in list(self.children):
            if process.poll() is None:
                process.kill()
                process.wait()
        try:
            self.flush_redis()
        except Exception as error:  # noqa: BLE001 - cleaning up; say so and go on
            log(f"could not flush {config.REDIS_URL}: {error}")
        if not self.keep_db:
            try:
                db.drop(config.DB_JOBS)
            except Exception as error:  # noqa: BLE001
                log(f"could not drop {config.DB_JOBS}: {error}")
        shutil.rmtree(self.var_dir, ignore_errors=True)

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> dict:
        started = time.monotonic()
        self.result["started_at"] = datetime.now(UTC).astimezone().isoformat(timespec="seconds")
        self.result["machine"] = machine.describe(db.server_version())
        with self.phase("setup"):
            self.flush_redis()
            if not self.keep_db:
                db.drop(config.DB_PAGES)
                db.drop(config.DB_LARGE)
            db.drop(config.DB_JOBS)
            self.place_kept()
            if not db.exists(config.DB_PAGES):
                db.create(config.DB_PAGES)
            # The signing key first: migrate's system checks insist on it with DEBUG off.
            self.manage(config.DB_PAGES, "make_signing_key")
            self.prepare(config.DB_PAGES)
        with self.phase("generate_small"):
            generated = self.grow_to(config.DB_PAGES, self.plan.small, seed=self.plan.seed_small)
            if not generated:
                self.rebuild_counts(config.DB_PAGES)
        self.result["sizes"]["small"] = db.counts(config.DB_PAGES)
        if not self.skip_jobs:
            with self.phase("copy_for_jobs"):
                db.create(config.DB_JOBS, template=config.DB_PAGES)
        with self.phase("pages_small"):
            self.measure("small", config.DB_PAGES)
        with self.phase("generate_large"):
            if not db.exists(config.DB_LARGE):
                log(f"  copying {config.DB_PAGES} to {config.DB_LARGE}, then growing it")
                db.create(config.DB_LARGE, template=config.DB_PAGES)
            else:
                self.prepare(config.DB_LARGE)
            generated = self.grow_to(config.DB_LARGE, self.plan.large, seed=self.plan.seed_large)
            if not generated:
                self.rebuild_counts(config.DB_LARGE)
        self.result["sizes"]["large"] = db.counts(config.DB_LARGE)
        with self.phase("pages_large"):
            self.measure("large", config.DB_LARGE, concurrency=True)
        if not self.keep_db:
            db.drop(config.DB_LARGE)  # the large copy is big; the small one stays for `make bench-peer` only if kept
        if not self.skip_jobs:
            for name, step in (
                ("certificates", self.certificates),
                ("export", self.export),
                ("reminders", self.reminders),
            ):
                with self.phase(name):
                    try:
                        self.result[name] = step()
                    except Exception as error:  # noqa: BLE001 - a measurement that failed is reported
                        self.result[name] = {"error": str(error)}
                        self.result["errors"].append(f"{name}: {error}")
                        log(f"{name} failed: {error}")
        self.result["machine"]["load_at_end"] = machine.load()
        self.result["duration_s"] = round(time.monotonic() - started, 1)
        self.result["budgets"] = report.evaluate(self.result)
        return self.result

    def place_kept(self) -> None:
        """With --keep-db: tell the sizes of the kept databases from what is in them. A
        kept small database that holds the large size already (an older run grew it in
        place) becomes the large one, so its fill is not paid again."""
        if not db.exists(config.DB_PAGES) or db.exists(config.DB_LARGE):
            return
        have = db.counts(config.DB_PAGES)["cases"]
        if have > self.plan.small.cases * 1.1:
            log(f"  {config.DB_PAGES} holds {have:,} cases: kept as {config.DB_LARGE}; the small size is made anew")
            db.rename(config.DB_PAGES, config.DB_LARGE)

    def prepare(self, database: str) -> None:
        """Migrations (a kept database may predate some), then VACUUM (ANALYZE): a
        migration may have rewritten a table, and the measurement is of a database
        autovacuum has visited."""
        self.manage(database, "migrate", "--noinput")
        db.vacuum(database)

    def rebuild_counts(self, database: str) -> None:
        """A kept database that was not generated again still needs its kept counts
        rebuilt when the code that keeps them is newer than the data."""
        if "rebuild_case_counts" in self.manage(database, "help", "--commands", whole=True).split():
            log(f"  rebuild_case_counts in {database}")
            self.manage(database, "rebuild_case_counts")

    def grow_to(self, database: str, target: DataSize, *, seed: int) -> bool:
        """Generate what the database lacks to reach `target` (the generator adds);
        False when it holds enough already."""
        have = db.counts(database)
        if db.generated_people(database) == 0:
            step = target
        else:
            cases = max(0, target.cases - have["cases"])
            step = DataSize(
                people=config.GROWTH_PEOPLE,
                cases=cases,
                events=max(0, target.events - have["events"]),
                certifications=0,
                gifts=min(cases, max(0, target.gifts - have["gifts"])),
            )
        if step.cases == 0 and step.events == 0:
            log(f"  {database} already holds {have['cases']:,} cases and {have['events']:,} events")
            if have["cases"] > target.cases * 1.1:
                self.result["errors"].append(
                    f"{database} holds {have['cases']:,} cases, more than the {target.cases:,} asked for: "
                    "measured as it is."
                )
            return False
        log(
            f"  generate_scale_data --people {step.people} --cases {step.cases} --events {step.events} "
            f"--certifications {step.certifications} --gifts {step.gifts} --seed {seed}"
        )
        last = self.manage(
            database,
            "generate_scale_data",
            *("--people", str(step.people), "--cases", str(step.cases), "--events", str(step.events)),
            *("--certifications", str(step.certifications), "--gifts", str(step.gifts), "--seed", str(seed)),
        )
        log(f"  {last.strip()}")
        self.result.setdefault("generator", {})[database] = last.strip()
        return True

    def measure(self, size: str, database: str, *, concurrency: bool = False) -> None:
        case_id = db.busiest_report(database)
        if case_id is None:
            raise HarnessError("The database has no report to open.")
        campaign = db.largest_open_campaign(database)
        writable = db.open_reports(database, exclude=case_id)
        self.flush_redis()
        with Gunicorn(self.env(database), self.logs / f"gunicorn-{size}.log") as server:
            self.log_in(server.port)
            last = last_page(self.clients["swhalen"])
            self.result["targets"][size] = {
                "case_id": case_id,
                "case_events": db.events_of(database, case_id),
                "last_page": last,
                "deep_page": deep_page(last),
                "campaign_id": campaign[0] if campaign else None,
                "campaign_obligations": campaign[1] if campaign else None,
                "written_cases": writable,
            }
            pages = build_pages(
                case_id=case_id,
                campaign_id=campaign[0] if campaign else None,
                last=last,
                tag=f"{size}-{int(time.time())}",
            )
            writer = Writer(self.clients["swhalen"], writable) if writable else None
            if writer is None:
                self.result["errors"].append(f"{size}: no open report to write to; the first-read arm was not measured")
            log(f"  {len(pages)} pages × {self.plan.requests} rounds, one client, warm and first read after a write")
            self.result["pages"][size] = measure_pages(
                server.port,
                pages,
                self.clients,
                rounds=self.plan.requests,
                warmup_rounds=self.plan.warmup_rounds,
                writer=writer,
                log=log,
            )
            if writer is not None:
                self.result.setdefault("writes", {})[size] = {
                    "count": writer.count,
                    "errors": len(writer.errors),
                    "error_examples": sorted(set(writer.errors))[:5],
                }
            if concurrency:
                log(f"  {self.plan.clients} concurrent clients: the queue, then a mix of the officer's pages")
                mix = [p.path for p in pages if p.user == "swhalen" and p.reads_only and not p.headers]
                self.result["concurrency"][size] = {
                    name: measure_concurrent(self.sessions, paths=paths, requests=self.plan.client_requests)
                    for name, paths in (("queue", ["/cases/"]), ("mix", mix))
                }

    def log_in(self, port: int) -> None:
        """Log in the page users and the concurrent clients once per run: a later server
        gets the same cookies on its new port while its database knows the sessions (the
        large database is a copy of the small one); a kept large database does not, and
        everyone logs in again."""
        for client in [*self.clients.values(), *self.sessions]:
            client.port = port
        if self.clients and self.clients["swhalen"].get("/cases/").status == 200:
            return
        self.clients = login_clients(port, {"swhalen", "aalvarez", "jgrant", None})
        self.sessions = login_sessions(port, "swhalen", self.plan.clients)

    # --- certificates, export, reminders (in the copy) ---------------------------------------

    def certificates(self) -> dict:
        count = self.plan.certs_per_process
        env = self.jobs_env()
        one = self.jobs("render", [["--count", str(count), "--breakdown", "5"]], env=env)
        two = self.jobs("render", [["--count", str(count), "--worker", str(i)] for i in range(2)], env=env)

        def summary(runs: list[dict]) -> dict:
            samples = [ms for run in runs for ms in run["samples_ms"]]
            wall = max(run["end"] for run in runs) - min(run["start"] for run in runs)
            return {
                "processes": len(runs),
                "count": len(samples),
                "seconds": round(wall, 2),
                "per_second": round(len(samples) / wall, 2),
                "median_ms": round(stats.median(samples), 1),
                "p95_ms": round(stats.p95(samples), 1),
                "peak_mb": max(run["memory"]["peak_mb"] or 0 for run in runs),
            }

        return {"one_process": summary(one), "two_processes": summary(two), "breakdown_ms": one[0].get("breakdown_ms")}

    def export(self) -> dict:
        count = self.plan.export_certificates
        env = self.jobs_env()
        have = db.scalar(config.DB_JOBS, "SELECT count(*) FROM people_person")
        if have < count:
            self.top_up_people(count - have)
        setup = self.jobs("export-setup", [["--count", str(count)]], env=env)[0]
        campaign = str(setup["campaign"])
        log(f"  issuing {count:,} certificate PDFs in 2 processes (untimed set-up)")
        issued = self.jobs(
            "issue", [["--campaign", campaign, "--worker", str(i), "--workers", "2"] for i in range(2)], env=env
        )
        issue_seconds = max(r["end"] for r in issued) - min(r["start"] for r in issued)
        log(f"  issued in {issue_seconds:.0f} s; exporting")
        done = self.jobs("export", [["--campaign", campaign]], env=env)[0]
        return {
            "requested": count,
            "certificates": done["certificates"],
            "pdf_members": done["pdf_members"],
            "status": done["status"],
            "seconds": done["seconds"],
            "per_certificate_ms": round(done["seconds"] * 1000 / max(1, done["certificates"]), 2),
            "zip_mb": done["zip_mb"],
            "peak_mb": done["memory_after"]["peak_mb"],
            "before_mb": done["memory_before"]["peak_mb"],
            "issue": {
                "processes": 2,
                "seconds": round(issue_seconds, 1),
                "per_second": round(count / issue_seconds, 2) if issue_seconds else None,
            },
        }

    def top_up_people(self, missing: int) -> None:
        """More people in the jobs database (leavers are not on today's roster)."""
        people = max(config.GROWTH_PEOPLE, math.ceil(missing / 0.85) + config.GROWTH_PEOPLE)
        log(f"  adding {people:,} people to {config.DB_JOBS}")
        self.manage(
            config.DB_JOBS,
            "generate_scale_data",
            *("--people", str(people), "--cases", "0", "--events", "0", "--certifications", "0"),
            *("--gifts", "0", "--seed", str(self.plan.seed_large + 1)),
        )

    def reminders(self) -> dict:
        people = self.plan.reminder_people
        employed = db.scalar(
            config.DB_JOBS,
            "SELECT count(*) FROM people_person WHERE hire_date <= current_date "
            "AND (leaving_date IS NULL OR leaving_date >= current_date)",
        )
        if employed < people + 10:
            self.top_up_people(people + 10 - employed)
        results = {}
        for key, dispatchers in (("one_dispatcher", 1), ("two_dispatchers", 2)):
            mail_log = self.var_dir / f"mail-{key}.jsonl"
            env = self.jobs_env(BENCH_MAIL_LOG=str(mail_log))
            setup = self.jobs(
                "reminders-setup", [["--people", str(people), "--title", f"Benchmark reminders ({key})"]], env=env
            )[0]
            log(
                f"  {key}: {setup['people']:,} people, steps {', '.join(setup['steps'])}; "
                f"campaign opened in {setup['open_seconds']} s"
            )
            runs = self.jobs("reminders-dispatch", [["--wait"] for _ in range(dispatchers)], env=env)
            check = self.jobs(
                "reminders-check", [["--campaign", str(setup["campaign"]), "--mail-log", str(mail_log)]], env=env
            )[0]
            seconds = max(r["end"] for r in runs) - min(r["start"] for r in runs)
            errors = [r["error"] for r in runs if r["error"]]
            sent = sum(r["sent"] or 0 for r in runs)
            results[key] = {
                "dispatchers": dispatchers,
                "people": setup["people"],
                "steps": setup["steps"],
                "expected": setup["expected"],
                "campaign_open_seconds": setup["open_seconds"],
                "sent": sent,
                "sent_by_dispatcher": [r["sent"] for r in runs],
                "seconds": round(seconds, 2),
                "per_second": round(sent / seconds, 1) if seconds else None,
                "duplicates": check["rows_recorded_twice"] + check["messages_beyond_rows"],
                "missing": max(0, setup["expected"] - check["rows"]),
                "errors": errors,
                "check": check,
                "peak_mb": max(r["memory"]["peak_mb"] or 0 for r in runs),
            }
        return results


def _stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Measure Innovo Compliance at two data sizes against the budgets of issue 12.",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: finishes in a few minutes")
    parser.add_argument("--cases-small", type=int, help="cases at the small size (100,000; quick 2,000)")
    parser.add_argument("--cases-large", type=int, help="cases at the large size (1,000,000; quick 10,000)")
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help=f"reuse {config.DB_PAGES} (small) and {config.DB_LARGE} (large) if they exist, their sizes read "
        "from what they hold (only what is missing is generated), and keep them",
    )
    parser.add_argument("--skip-jobs", action="store_true", help="pages only: no certificates, export, reminders")
    parser.add_argument("--json", type=Path, help="where to write the JSON results")
    parser.add_argument("--md", type=Path, help="where to write the Markdown report")
    args = parser.parse_args(argv)
    try:
        plan = config.plan_for(quick=args.quick, cases_small=args.cases_small, cases_large=args.cases_large)
    except ValueError as error:
        parser.error(str(error))
    default = ROOT / "docs" if plan.mode == "full" else ROOT / "var" / "bench"
    suffix = "" if plan.mode == "full" else "-quick"
    json_path = args.json or default / f"performance{suffix}.json"
    md_path = args.md or default / f"performance{suffix}.md"

    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    bench = Bench(plan, keep_db=args.keep_db, skip_jobs=args.skip_jobs)
    bench.result["command"] = " ".join(["python -m bench", *(argv if argv is not None else sys.argv[1:])])
    try:
        result = bench.run()
    except HarnessError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; gunicorn and the jobs are stopped", file=sys.stderr)
        return 130
    finally:
        bench.cleanup()
    print(report.text(result))
    report.write(result, json_path=json_path, md_path=md_path)
    print(f"\nWrote {json_path} and {md_path}")
    return 0
