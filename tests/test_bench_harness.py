"""The benchmark harness's pure parts (statistics, budgets, the reports), with a
made-up result: milliseconds, no database, no server. The benchmark itself runs
with `make bench`, never in the test suite."""

from __future__ import annotations

import http.server
import json
import threading

import pytest

from bench import config, markdown, report, stats
from bench.client import Client
from bench.pages import GiftSave, Page, Writer, arms_of, build_pages, deep_page, measure_pages
from bench.peer.run import last_start, rows_query, rows_url


def test_median_of_odd_and_even_counts():
    assert stats.median([3, 1, 2]) == 2
    assert stats.median([4, 1, 3, 2]) == 2.5


@pytest.mark.parametrize(
    ("values", "p", "expected"),
    [
        (list(range(1, 61)), 95, 57),  # of 60 timings, the 57th fastest
        (list(range(1, 101)), 95, 95),
        (list(range(1, 21)), 95, 19),
        ([5.0], 95, 5.0),
        ([10, 20], 50, 10),
        ([10, 20], 100, 20),
    ],
)
def test_percentile_is_nearest_rank(values, p, expected):
    assert stats.percentile(list(reversed(values)), p) == expected


def test_p95_is_a_measured_value_not_an_interpolation():
    values = [1.0] * 19 + [100.0]
    assert stats.p95(values) == 1.0
    assert stats.p95([*values, 100.0]) == 100.0


def test_statistics_refuse_no_values():
    with pytest.raises(ValueError):
        stats.median([])
    with pytest.raises(ValueError):
        stats.p95([])
    assert stats.summary([]) == {"n": 0}


def test_summary_and_ratio():
    summary = stats.summary([10.0, 20.0, 30.0, 40.0])
    assert summary == {"n": 4, "median": 25.0, "p95": 40.0, "min": 10.0, "max": 40.0, "mean": 25.0}
    assert stats.ratio(30.0, 2.0) == 15.0
    assert stats.ratio(30.0, None) is None
    assert stats.ratio(None, 2.0) is None


def test_full_plan_has_the_sizes_of_issue_12_and_quick_stays_small():
    full, quick = config.plan_for(quick=False), config.plan_for(quick=True)
    assert (full.small.cases, full.large.cases, full.large.events) == (100_000, 1_000_000, 10_000_000)
    assert full.small.people == full.large.people == 50_000
    assert (quick.small.cases, quick.large.cases, quick.large.events) == (2_000, 10_000, 100_000)
    assert full.clients == quick.clients == 32
    step = full.large.minus(full.small)
    assert (step.cases, step.events, step.people, step.certifications) == (900_000, 9_000_000, config.GROWTH_PEOPLE, 0)
    with pytest.raises(ValueError):
        config.plan_for(quick=True, cases_small=5_000, cases_large=1_000)


def test_budgets_are_those_of_issue_12():
    assert (config.PAGE_P95_MS, config.PAGE_MAX_QUERIES, config.GROWTH_MAX) == (50.0, 12, 1.3)
    assert (config.CONCURRENT_CLIENTS, config.CONCURRENT_P95_MS, config.PEER_FACTOR) == (32, 200.0, 20)
    assert config.ARMS == ("warm", "first_read")
    # The seven compared views of the issue; no published figure stands in for a measurement.
    assert set(config.PEER_VIEWS) == {
        "queue",
        "queue_filtered",
        "queue_search",
        "queue_deep",
        "queue_last",
        "case",
        "home_officer",
    }
    assert not hasattr(config, "PEER")


def test_client_keeps_cookies_and_forgets_deleted_ones():
    client = Client("127.0.0.1", 1)
    client._remember("csrftoken=abc; Path=/; SameSite=Lax")
    client._remember("sessionid=xyz; HttpOnly; Path=/")
    assert client.cookies == {"csrftoken": "abc", "sessionid": "xyz"}
    client._remember('sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/')
    assert client.cookies == {"csrftoken": "abc"}


def _page(title, *, median, p95, queries, peer=None, budgeted=True, errors=0):  # noqa: PLR0913
    return {
        "title": title,
        "user": "swhalen",
        "path": "/x/",
        "peer": peer,
        "budgeted": budgeted,
        "requests": 60,
        "errors": errors,
        "error_examples": [],
        "statuses": [200],
        "ms": {"n": 60, "median": median, "p95": p95, "min": 1.0, "max": p95 + 1, "mean": median},
        "app_ms": {"n": 60, "median": median - 1},
        "queries_max": queries,
        "queries_min": queries,
        "ratio_to_bare": round(median / 2.0, 1),
    }


def first_read(pages: dict, *, slower: float) -> dict:
    """The same pages read right after a write: the reads slower, the POSTs absent."""
    return {
        name: {**page, "ms": {**page["ms"], "median": page["ms"]["median"] * slower, "p95": page["ms"]["p95"] * slower}}
        for name, page in pages.items()
        if not name.startswith("gift")
    }


def _pair(title, *, ours, peer):
    return {
        "title": title,
        "ours": {"path": "/x/", "ms": {"n": 20, "median": ours[0], "p95": ours[1]}, "errors": 0, "queries_max": 5},
        "peer": {"path": "/helpdesk/x/", "ms": {"n": 20, "median": peer[0], "p95": peer[1]}, "errors": 0},
    }


@pytest.fixture
def result():
    small = {
        "bare": _page("Bare Django view /healthz", median=2.0, p95=3.0, queries=0, budgeted=False),
        "queue": _page("Queue, default", median=20.0, p95=30.0, queries=5, peer="queue"),
        "case": _page("Case page", median=30.0, p95=40.0, queries=11, peer="case"),
        "gift_save": _page("Log a gift: save (POST)", median=30.0, p95=35.0, queries=15),
    }
    large = {
        "bare": _page("Bare Django view /healthz", median=2.0, p95=3.0, queries=0, budgeted=False),
        "queue": _page("Queue, default", median=25.0, p95=45.0, queries=5, peer="queue"),  # grows ×1.5
        "case": _page("Case page", median=60.0, p95=80.0, queries=11, peer="case"),  # over 50 ms
        "gift_save": _page("Log a gift: save (POST)", median=30.0, p95=36.0, queries=15, errors=2),
    }
    concurrent = {
        "paths": ["/cases/"],
        "clients": 32,
        "requests": 320,
        "completed": 320,
        "errors": 0,
        "error_examples": [],
        "statuses": {"200": 320},
        "ms": {"n": 320, "median": 90.0, "p95": 150.0, "max": 210.0},
        "wall_s": 10.0,
        "throughput_rps": 24.0,
    }
    reminders = {
        "dispatchers": 1,
        "people": 10_000,
        "steps": ["assigned", "due_minus_7", "due_minus_1"],
        "expected": 30_000,
        "sent": 30_000,
        "seconds": 75.0,
        "per_second": 400.0,
        "duplicates": 0,
        "missing": 0,
    }
    return {
        "version": 1,
        "mode": "full",
        "command": "python -m bench",
        "started_at": "2026-11-22T10:00:00+00:00",
        "duration_s": 1800.0,
        "plan": config.plan_for(quick=False).as_dict(),
        "machine": {"cpu": "Test CPU", "cores": 2, "memory_gb": 8.0, "postgresql": "15.20", "python": "3.12.1"},
        "sizes": {
            "small": {"people": 10_000, "cases": 10_000, "events": 100_000, "certifications": 46_000, "gifts": 2_000},
            "large": {
                "people": 10_050,
                "cases": 100_000,
                "events": 1_000_000,
                "certifications": 46_000,
                "gifts": 20_000,
            },
        },
        "targets": {"large": {"case_id": 7, "case_events": 31, "last_page": 4000, "campaign_id": 1}},
        "pages": {
            "small": {"warm": small, "first_read": first_read(small, slower=1.5)},
            "large": {"warm": large, "first_read": first_read(large, slower=2.0)},
        },
        "writes": {"small": {"count": 120, "errors": 0}, "large": {"count": 120, "errors": 0}},
        "concurrency": {"large": {"queue": concurrent}},
        "peer": {
            "peer_name": "django-helpdesk",
            "peer_version": ["2.3.3", "4.2.30"],
            "tickets": 100_000,
            "followups": 1_000_000,
            "users": 10_050,
            "queues": 21,
            "ours_size": {"people": 10_050, "cases": 100_000, "events": 1_000_000, "gifts": 20_000},
            "rounds": 20,
            "warmup_rounds": 3,
            "load_start": [1.1, 1.0, 0.9],
            "load_end": [1.9, 1.2, 1.0],
            "pairs": {
                "queue": _pair("Queue, default", ours=(20.0, 30.0), peer=(900.0, 1200.0)),  # 40×
                "case": _pair("Case page", ours=(30.0, 40.0), peer=(500.0, 600.0)),  # 15×
            },
        },
        "certificates": {
            "one_process": {"count": 200, "per_second": 8.0, "median_ms": 75.0, "p95_ms": 150.0},
            "two_processes": {"count": 400, "per_second": 15.0, "median_ms": 79.0, "p95_ms": 160.0},
            "breakdown_ms": {"context_and_qr": 10.0, "html": 1.0, "weasyprint": 95.0, "sign": 14.0},
        },
        "export": {
            "requested": 10_000,
            "certificates": 10_000,
            "status": "done",
            "seconds": 40.0,
            "zip_mb": 320.0,
            "peak_mb": 140.0,
            "before_mb": 120.0,
            "issue": {"seconds": 700.0, "per_second": 14.3},
        },
        "reminders": {"one_dispatcher": reminders, "two_dispatchers": {**reminders, "dispatchers": 2, "seconds": 50.0}},
        "phases": {"pages_large": {"seconds": 120.0, "load_before": [1.5, 1.2, 1.0], "load_after": [2.5, 1.4, 1.1]}},
        "errors": [],
    }


def _verdicts(budgets, budget_id):
    return {b["subject"]: b["result"] for b in budgets if b["id"] == budget_id}


def test_page_budgets_at_both_sizes_and_in_both_arms(result):
    """Issue 12: every page p95 <= 50 ms and <= 12 queries, warm and on the first read after a write."""
    budgets = report.evaluate(result)
    assert _verdicts(budgets, "page-p95") == {
        "Queue, default (small, warm)": "PASS",
        "Case page (small, warm)": "PASS",
        "Log a gift: save (POST) (small, warm)": "PASS",
        "Queue, default (small, first read after a write)": "PASS",  # 30 ms × 1.5 = 45 ms
        "Case page (small, first read after a write)": "FAIL",
        "Queue, default (large, warm)": "PASS",
        "Case page (large, warm)": "FAIL",  # over 50 ms
        "Log a gift: save (POST) (large, warm)": "FAIL",  # under 50 ms but with errors
        "Queue, default (large, first read after a write)": "FAIL",
        "Case page (large, first read after a write)": "FAIL",
    }
    queries = _verdicts(budgets, "page-queries")
    assert queries["Log a gift: save (POST) (large, warm)"] == "FAIL"
    assert queries["Case page (large, first read after a write)"] == "PASS"
    # The bare view is the baseline, never budgeted; the POSTs have no first-read arm.
    assert not any(b["subject"].startswith("Bare") for b in budgets)
    assert not any("gift" in b["subject"] and "first read" in b["subject"] for b in budgets)


def test_a_failed_write_before_the_first_reads_fails_its_check(result):
    assert _verdicts(report.evaluate(result), "first-read-writes") == {
        "Writes before the first reads (small)": "PASS",
        "Writes before the first reads (large)": "PASS",
    }
    result["writes"]["large"]["errors"] = 3
    assert _verdicts(report.evaluate(result), "first-read-writes")["Writes before the first reads (large)"] == "FAIL"


def test_peer_budget_is_the_ratio_measured_in_the_same_run(result):
    """>= 20× faster than django-helpdesk at p95, from the interleaved figures of the run."""
    budgets = report.evaluate(result)
    verdicts = _verdicts(budgets, "peer-20x")
    assert verdicts["Queue, default against the peer's ticket list"] == "PASS"  # 1200 / 30 = 40×
    assert verdicts["Case page against the peer's ticket page"] == "FAIL"  # 600 / 40 = 15×
    # Views the peer run did not measure say so.
    assert verdicts["queue_search against the peer's ticket list search"] == "NOT MEASURED"
    measured = {b["subject"]: b["measured"] for b in budgets if b["id"] == "peer-20x"}
    assert measured["Queue, default against the peer's ticket list"] == "p95 30.0 ms against 1,200.0 ms: ×40.0"
    assert report.peer_ratio(30.0, 1200.0) == 40.0
    assert report.peer_ratio(None, 1200.0) is None


def test_peer_rows_show_both_ratios(result):
    rows = {row[0]: row for row in report.peer_rows(result)}
    assert rows["Queue, default"][6:8] == ["×45.0", "×40.0"]  # median 900/20, p95 1200/30
    assert rows["Case page"][-1] == "FAIL"


def test_growth_budget_takes_the_worse_of_median_and_p95_in_each_arm(result):
    rows = report.growth(result, "warm")
    assert rows["queue"]["p95_ratio"] == 1.5
    assert rows["queue"]["median_ratio"] == 1.25
    assert rows["case"]["p95_ratio"] == 2.0
    assert report.growth(result, "first_read")["queue"]["p95_ratio"] == 2.0  # 90 / 45
    verdicts = _verdicts(report.evaluate(result), "growth")
    assert verdicts == {
        "Queue, default (warm)": "FAIL",
        "Case page (warm)": "FAIL",
        "Log a gift: save (POST) (warm)": "PASS",
        "Queue, default (first read after a write)": "FAIL",
        "Case page (first read after a write)": "FAIL",
    }
    result["pages"]["large"]["warm"]["queue"]["ms"].update(median=20.0, p95=38.0)  # ×1.0 and ×1.27
    assert _verdicts(report.evaluate(result), "growth")["Queue, default (warm)"] == "PASS"


def test_concurrency_budget_needs_32_clients_without_errors(result):
    assert {b["id"]: b["result"] for b in report.evaluate(result)}["concurrent"] == "PASS"
    result["concurrency"]["large"]["queue"]["clients"] = 8
    assert {b["id"]: b["result"] for b in report.evaluate(result)}["concurrent"] == "FAIL"
    result["concurrency"]["large"]["queue"].update(clients=32, errors=1)
    assert {b["id"]: b["result"] for b in report.evaluate(result)}["concurrent"] == "FAIL"


def test_job_budgets(result):
    budgets = {b["id"]: b["result"] for b in report.evaluate(result)}
    assert budgets["certificate"] == "PASS"
    assert budgets["export"] == "PASS"
    assert budgets["reminders"] == "FAIL"  # 75 s for 10,000 people


def test_duplicates_fail_the_reminder_budget(result):
    result["reminders"]["two_dispatchers"]["duplicates"] = 1
    result["reminders"]["one_dispatcher"]["seconds"] = 10.0
    (reminders,) = [b for b in report.evaluate(result) if b["id"] == "reminders"]
    assert reminders["result"] == "FAIL"
    assert "1 duplicates" in reminders["measured"]


def test_what_was_not_measured_says_so(result):
    for key in ("certificates", "export", "reminders", "concurrency", "peer"):
        result[key] = {}
    del result["pages"]["small"]
    budgets = report.evaluate(result)
    verdicts = {b["id"]: b["result"] for b in budgets}
    for key in ("certificate", "export", "reminders", "concurrent", "growth", "peer-20x"):
        assert verdicts[key] == "NOT MEASURED"
    assert len([b for b in budgets if b["id"] == "peer-20x"]) == len(config.PEER_VIEWS)


def test_markdown_has_the_machine_sizes_both_arms_the_peer_and_budgets(result):
    result["budgets"] = report.evaluate(result)
    text = markdown.markdown(result)
    assert text.startswith("# Performance")
    assert "2026-11-22T10:00:00+00:00" in text
    assert "Test CPU, 2 cores" in text
    assert "| large | 100,000 | 1,000,000 | 10,050 |" in text
    assert "## Pages at the large size" in text
    assert "### Warm, large size" in text and "### First read after a write, large size" in text
    # Both arms side by side: warm median and p95, then the first read's; a POST has no first read.
    assert "| Case page | 60.0 | 80.0 | 120.0 | 160.0 | 11 | 0 | FAIL |" in text
    assert "| Log a gift: save (POST) | 30.0 | 36.0 | (a write) |" in text
    assert "Writes before the first reads: 120 internal notes posted, 0 failed." in text
    assert "## Scaling: small → large, warm" in text and "## Scaling: small → large, first read after a write" in text
    assert "## Concurrent clients" in text and "| large | queue (/cases/) | 32 | 320 | 0 |" in text
    assert "## Against django-helpdesk" in text
    assert "django-helpdesk 2.3.3 on Django 4.2.30" in text
    assert "[1.1, 1.0, 0.9] at the start, [1.9, 1.2, 1.0] at the end" in text
    assert "| Queue, default | ticket list | 20.0 | 30.0 | 900.0 | 1,200.0 | ×45.0 | ×40.0 | 0 | PASS |" in text
    assert "## Certificates" in text and "## Bulk export" in text and "## Reminders" in text
    assert "| page-p95 | Case page (large, warm) | p95 80.0 ms |" in text
    assert "| pages_large | 120.0 | 1.5 1.2 1.0 | 2.5 1.4 1.1 |" in text
    assert "**FAIL**" in text and "**PASS**" in text
    assert "A **quick** run" not in text
    result["mode"] = "quick"
    assert "A **quick** run" in markdown.markdown(result)
    del result["peer"]
    assert "Not measured in this run: `make bench-peer`" in markdown.markdown(result)


def test_text_table_and_files(result, tmp_path):
    result["budgets"] = report.evaluate(result)
    text = report.text(result)
    assert "LARGE: 100,000 cases" in text
    assert "AGAINST django-helpdesk 2.3.3 / Django 4.2.30" in text
    json_path, md_path = tmp_path / "docs" / "performance.json", tmp_path / "docs" / "performance.md"
    report.write(result, json_path=json_path, md_path=md_path)
    assert json.loads(json_path.read_text())["pages"]["large"]["warm"]["case"]["ms"]["p95"] == 80.0
    assert md_path.read_text().startswith("# Performance")


# --- The arms, against a real (tiny) HTTP server -------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    log: list[str] = []

    def _answer(self, status: int, headers: dict[str, str]) -> None:
        self.send_response(status)
        for name, value in {"Content-Length": "2", "X-Query-Count": "3", **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(b"ok")

    def do_GET(self):  # noqa: N802 - the standard library's name
        self.log.append(f"GET {self.path} {self.headers.get('HX-Request', '')}".strip())
        self._answer(200, {})

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        self.log.append(f"POST {self.path} {'body=Benchmark' in body}")
        self._answer(403 if self.path.startswith("/cases/403/") else 302, {"Location": "/cases/9/"})

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    _Recorder.log = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Recorder.log
    server.shutdown()
    server.server_close()


def test_a_read_is_measured_first_after_a_write_then_warm_and_a_post_once():
    assert arms_of(Page(name="queue", title="Queue", user="swhalen", path="/cases/")) == ("first_read", "warm")
    assert arms_of(GiftSave(name="gift_save", title="Gift", user="aalvarez")) == ("warm",)
    pages = {p.name: p for p in build_pages(case_id=7, campaign_id=None, last=4000, tag="t")}
    assert pages["queue_filtered"].headers["HX-Request"] == "true"  # the htmx table fragment
    assert pages["queue_deep"].path == f"/cases/?page={deep_page(4000)}" == "/cases/?page=2000"
    assert pages["queue_last"].path == "/cases/?page=4000"
    assert {p.peer for p in pages.values() if p.peer} == set(config.PEER_VIEWS)


def test_measure_pages_writes_before_each_first_read(recorder):
    """Each round: the officer's note (POST), the page's first read, its warm read."""
    port, log = recorder
    officer = Client("127.0.0.1", port)
    pages = [
        Page(name="queue", title="Queue, default", user="swhalen", path="/cases/"),
        Page(name="table", title="Table", user="swhalen", path="/cases/?x=1", headers={"HX-Request": "true"}),
    ]
    writer = Writer(officer, [11, 12])
    result = measure_pages(
        port, pages, {"swhalen": officer}, rounds=2, warmup_rounds=1, writer=writer, log=lambda message: None
    )
    assert log[:6] == [
        "POST /cases/11/note/ True",
        "GET /cases/",
        "GET /cases/",
        "POST /cases/12/note/ True",
        "GET /cases/?x=1 true",
        "GET /cases/?x=1 true",
    ]
    assert len(log) == 3 * 6
    assert set(result) == {"warm", "first_read"}
    assert result["warm"]["queue"]["requests"] == result["first_read"]["queue"]["requests"] == 2
    assert result["first_read"]["table"]["queries_max"] == 3
    assert (writer.count, writer.errors) == (6, [])


def test_measure_pages_without_a_writer_is_warm_only(recorder):
    port, log = recorder
    client = Client("127.0.0.1", port)
    pages = [Page(name="queue", title="Queue, default", user="swhalen", path="/cases/")]
    result = measure_pages(port, pages, {"swhalen": client}, rounds=3, warmup_rounds=0, log=lambda message: None)
    assert set(result) == {"warm"} and result["warm"]["queue"]["requests"] == 3
    assert log == ["GET /cases/"] * 3


def test_a_refused_write_is_counted(recorder):
    port, _ = recorder
    writer = Writer(Client("127.0.0.1", port), [403])
    assert writer.write() is False
    assert writer.errors == ["HTTP 403 on /cases/403/note/"]


# --- The peer's requests and the generator's hash ------------------------------------------


def test_the_peer_rows_request_is_read_from_its_list_page():
    page = '<script> ajax: { "url": "/helpdesk/datatables_ticket_list/eyJmaWx0ZXJpbmciOiB7fX0=", } </script>'
    url = rows_url(page)
    assert url == "/helpdesk/datatables_ticket_list/eyJmaWx0ZXJpbmciOiB7fX0="
    assert rows_query(url, start=50) == url + "?draw=1&start=50&length=25"
    assert (last_start(1), last_start(25), last_start(26), last_start(1_000_000)) == (0, 0, 25, 999_975)
    assert last_start(0) == 0


def test_generated_event_hash_is_the_chain_hash():
    """people.scale writes events with event_hash; verify_audit_trail checks them with link_hash."""
    from datetime import UTC, datetime, timedelta

    from core.chain import GENESIS, link_hash
    from people.scale import event_hash

    at = datetime(2026, 3, 1, 9, 30, tzinfo=UTC) + timedelta(microseconds=5)
    content = {
        "case_id": 42,
        "at": at,
        "actor_id": None,
        "actor_label": "Generated",
        "action": "note",
        "from_status": "",
        "to_status": "",
        "note": "Supplier invoice brother-in-law é.",
        "rule_ids": [],
        "internal": True,
        "related_case_id": None,
    }
    canonical = {**content, "at": at.astimezone(UTC).isoformat(timespec="microseconds")}
    assert event_hash("cases_caseevent", 42, 3, GENESIS, canonical) == link_hash(
        "cases_caseevent", 42, 3, GENESIS, content
    )


def test_the_peer_run_merges_its_figures_into_the_main_report(result, tmp_path):
    """`make bench-peer` judges the 20× budget on its own run's figures, in the main report."""
    from bench.peer.run import merge

    peer = result.pop("peer")
    main_json = tmp_path / "performance.json"
    assert merge(main_json, peer) is None  # no main report yet
    result["budgets"] = report.evaluate(result)
    assert _verdicts(result["budgets"], "peer-20x")["queue against the peer's ticket list"] == "NOT MEASURED"
    main_json.write_text(json.dumps(result))
    merged = merge(main_json, peer)
    assert merged["peer"] == peer
    assert _verdicts(merged["budgets"], "peer-20x")["Queue, default against the peer's ticket list"] == "PASS"
