"""`python -m bench`: build the data, run the app, measure, report.

Order: a fresh database `innovo_bench` at the small size → a copy of it,
`innovo_bench_jobs`, for the certificate and reminder work → the pages at the
small size → grow the data to the large size with another seed → the pages at
the large size, then with concurrent clients → certificates, bulk export,
reminders in the copy. Budgets that fail are reported, not errors: the exit
code is non-zero only when the harness itself cannot go on.
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
from bench.pages import build_pages, last_page, login_clients, login_sessions, measure_concurrent, measure_pages
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

    def manage(self, database: str, *args: str) -> str:
        """Run a management command; its output goes to a log file (the last line is returned)."""
        log_path = self.logs / f"manage-{args[0]}.log"
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
        lines = log_path.read_text(errors="replace").strip().splitlines()
        if code != 0:
            tail = "\n".join(lines[-15:])
            raise HarnessError(f"manage.py {' '.join(args)} failed ({code}):\n{tail}")
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
            db.drop(config.DB_JOBS)
            if not db.exists(config.DB_PAGES):
                db.create(config.DB_PAGES)
            # The signing key first: migrate's system checks insist on it with DEBUG off.
            self.manage(config.DB_PAGES, "make_signing_key")
            self.manage(config.DB_PAGES, "migrate", "--noinput")
        with self.phase("generate_small"):
            self.grow_to(self.plan.small, seed=self.plan.seed_small)
        self.result["sizes"]["small"] = db.counts(config.DB_PAGES)
        small_ok = self.result["sizes"]["small"]["cases"] <= self.plan.small.cases * 1.1
        if not self.skip_jobs:
            with self.phase("copy_for_jobs"):
                db.create(config.DB_JOBS, template=config.DB_PAGES)
        if small_ok:
            with self.phase("pages_small"):
                self.measure("small")
        else:
            self.result["errors"].append(
                f"The kept database already holds {self.result['sizes']['small']['cases']:,} cases: "
                "the small size was not measured."
            )
            del self.result["sizes"]["small"]
        with self.phase("generate_large"):
            self.grow_to(self.plan.large, seed=self.plan.seed_large)
        self.result["sizes"]["large"] = db.counts(config.DB_PAGES)
        with self.phase("pages_large"):
            self.measure("large")
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

    def grow_to(self, target: DataSize, *, seed: int) -> None:
        """Generate what the database lacks to reach `target` (the generator adds)."""
        have = db.counts(config.DB_PAGES)
        if db.generated_people(config.DB_PAGES) == 0:
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
            log(f"  the database already holds {have['cases']:,} cases and {have['events']:,} events")
            return
        log(
            f"  generate_scale_data --people {step.people} --cases {step.cases} --events {step.events} "
            f"--certifications {step.certifications} --gifts {step.gifts} --seed {seed}"
        )
        last = self.manage(
            config.DB_PAGES,
            "generate_scale_data",
            *("--people", str(step.people), "--cases", str(step.cases), "--events", str(step.events)),
            *("--certifications", str(step.certifications), "--gifts", str(step.gifts), "--seed", str(seed)),
        )
        log(f"  {last.strip()}")

    def measure(self, size: str) -> None:
        case_id = db.busiest_report(config.DB_PAGES)
        if case_id is None:
            raise HarnessError("The database has no report to open.")
        campaign = db.largest_open_campaign(config.DB_PAGES)
        self.flush_redis()
        with Gunicorn(self.env(config.DB_PAGES), self.logs / f"gunicorn-{size}.log") as server:
            self.log_in(server.port)
            last = last_page(self.clients["swhalen"])
            self.result["targets"][size] = {
                "case_id": case_id,
                "case_events": db.events_of(config.DB_PAGES, case_id),
                "last_page": last,
                "campaign_id": campaign[0] if campaign else None,
                "campaign_obligations": campaign[1] if campaign else None,
            }
            pages = build_pages(
                case_id=case_id,
                campaign_id=campaign[0] if campaign else None,
                last=last,
                tag=f"{size}-{int(time.time())}",
            )
            log(f"  {len(pages)} pages × {self.plan.requests} requests, one client")
            self.result["pages"][size] = measure_pages(
                server.port,
                pages,
                self.clients,
                rounds=self.plan.requests,
                warmup_rounds=self.plan.warmup_rounds,
                log=log,
            )
            log(f"  {self.plan.clients} concurrent clients: the queue, then a mix of the officer's pages")
            mix = [p.path for p in pages if p.user == "swhalen" and type(p).__name__ == "Page"]
            self.result["concurrency"][size] = {
                name: measure_concurrent(self.sessions, paths=paths, requests=self.plan.client_requests)
                for name, paths in (("queue", ["/cases/"]), ("mix", mix))
            }

    def log_in(self, port: int) -> None:
        """Log in the page users and the concurrent clients, once per run; later
        servers get the same cookies on their new port."""
        if not self.clients:
            self.clients = login_clients(port, {"swhalen", "aalvarez", "jgrant", None})
            self.sessions = login_sessions(port, "swhalen", self.plan.clients)
        for client in [*self.clients.values(), *self.sessions]:
            client.port = port

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
        description="Measure Innovo Compliance at two data sizes against the budgets of issue 6.",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes: finishes in a few minutes")
    parser.add_argument("--cases-small", type=int, help="cases at the small size (10,000; quick 2,000)")
    parser.add_argument("--cases-large", type=int, help="cases at the large size (100,000; quick 10,000)")
    parser.add_argument(
        "--keep-db",
        action="store_true",
        help=f"reuse {config.DB_PAGES} if it exists (only what is missing is generated) and keep the databases",
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
