"""The benchmark harness's pure parts (statistics, budgets, the reports), with a
made-up result: milliseconds, no database, no server. The benchmark itself runs
with `make bench`, never in the test suite."""

from __future__ import annotations

import json

import pytest

from bench import config, markdown, report, stats
from bench.client import Client


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


def test_quick_plan_is_smaller_and_the_growth_keeps_the_roster():
    full, quick = config.plan_for(quick=False), config.plan_for(quick=True)
    assert (full.small.cases, full.large.cases, full.large.events) == (10_000, 100_000, 1_000_000)
    assert (quick.small.cases, quick.large.cases, quick.large.events) == (2_000, 10_000, 100_000)
    step = full.large.minus(full.small)
    assert (step.cases, step.events, step.people, step.certifications) == (90_000, 900_000, config.GROWTH_PEOPLE, 0)
    with pytest.raises(ValueError):
        config.plan_for(quick=True, cases_small=5_000, cases_large=1_000)


def test_client_keeps_cookies_and_forgets_deleted_ones():
    client = Client("127.0.0.1", 1)
    client._remember("csrftoken=abc; Path=/; SameSite=Lax")
    client._remember("sessionid=xyz; HttpOnly; Path=/")
    assert client.cookies == {"csrftoken": "abc", "sessionid": "xyz"}
    client._remember('sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/')
    assert client.cookies == {"csrftoken": "abc"}


def _page(title, *, median, p95, queries, peer=None, budgeted=True, errors=0):
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


@pytest.fixture
def result():
    small = {
        "bare": _page("Bare Django view /healthz", median=2.0, p95=3.0, queries=0, budgeted=False),
        "queue": _page("Queue, default", median=20.0, p95=30.0, queries=5, peer="list"),
        "case": _page("Case page", median=30.0, p95=40.0, queries=11, peer="ticket"),
        "gift_save": _page("Log a gift: save (POST)", median=30.0, p95=35.0, queries=15),
    }
    large = {
        "bare": _page("Bare Django view /healthz", median=2.0, p95=3.0, queries=0, budgeted=False),
        "queue": _page("Queue, default", median=25.0, p95=45.0, queries=5, peer="list"),  # grows ×1.5
        "case": _page("Case page", median=60.0, p95=80.0, queries=11, peer="ticket"),  # over 50 ms
        "gift_save": _page("Log a gift: save (POST)", median=30.0, p95=36.0, queries=15, errors=2),
    }
    concurrent = {
        "paths": ["/cases/"],
        "clients": 8,
        "requests": 240,
        "completed": 240,
        "errors": 0,
        "error_examples": [],
        "statuses": {"200": 240},
        "ms": {"n": 240, "median": 90.0, "p95": 150.0, "max": 210.0},
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
        "pages": {"small": small, "large": large},
        "concurrency": {"large": {"queue": concurrent}},
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


def test_page_budgets_at_the_large_size(result):
    budgets = report.evaluate(result)
    assert _verdicts(budgets, "page-p95") == {
        "Queue, default": "PASS",
        "Case page": "FAIL",
        "Log a gift: save (POST)": "FAIL",  # under 50 ms but with errors
    }
    assert _verdicts(budgets, "page-queries") == {
        "Queue, default": "PASS",
        "Case page": "PASS",
        "Log a gift: save (POST)": "FAIL",
    }
    # The bare view is the baseline, never budgeted.
    assert not any(b["subject"].startswith("Bare") for b in budgets)


def test_peer_budgets_compare_our_p95_with_a_twentieth_of_the_peer(result):
    budgets = report.evaluate(result)
    assert _verdicts(budgets, "peer-20x") == {"Queue, default": "PASS", "Case page": "PASS"}
    limits = {b["subject"]: b["limit"] for b in budgets if b["id"] == "peer-20x"}
    assert limits["Queue, default"].startswith("p95 <= 64.5 ms")
    assert limits["Case page"].startswith("p95 <= 570 ms")


def test_growth_budget_is_the_p95_ratio(result):
    rows = report.growth(result)
    assert rows["queue"]["p95_ratio"] == 1.5
    assert rows["case"]["p95_ratio"] == 2.0
    assert _verdicts(report.evaluate(result), "growth") == {
        "Queue, default": "FAIL",
        "Case page": "FAIL",
        "Log a gift: save (POST)": "PASS",
    }


def test_job_budgets(result):
    budgets = {b["id"]: b["result"] for b in report.evaluate(result)}
    assert budgets["concurrent"] == "PASS"
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
    for key in ("certificates", "export", "reminders", "concurrency"):
        result[key] = {}
    del result["pages"]["small"]
    budgets = {b["id"]: b["result"] for b in report.evaluate(result)}
    for key in ("certificate", "export", "reminders", "concurrent", "growth"):
        assert budgets[key] == "NOT MEASURED"


def test_markdown_has_the_machine_sizes_tables_and_budgets(result):
    result["budgets"] = report.evaluate(result)
    text = markdown.markdown(result)
    assert text.startswith("# Performance")
    assert "2026-11-22T10:00:00+00:00" in text
    assert "Test CPU, 2 cores" in text
    assert "| large | 100,000 | 1,000,000 | 10,050 |" in text
    assert "## Pages at the large size" in text
    assert "## Scaling: small → large" in text
    assert "## Concurrent clients" in text
    assert "## Certificates" in text and "## Bulk export" in text and "## Reminders" in text
    assert "| page-p95 | Case page | p95 80.0 ms |" in text
    assert "| pages_large | 120.0 | 1.5 1.2 1.0 | 2.5 1.4 1.1 |" in text
    assert "**FAIL**" in text and "**PASS**" in text
    assert "A **quick** run" not in text
    result["mode"] = "quick"
    assert "A **quick** run" in markdown.markdown(result)


def test_text_table_and_files(result, tmp_path):
    result["budgets"] = report.evaluate(result)
    text = report.text(result)
    assert "LARGE: 100,000 cases" in text
    assert "Case page" in text and "×2.00 FAIL" in text
    json_path, md_path = tmp_path / "docs" / "performance.json", tmp_path / "docs" / "performance.md"
    report.write(result, json_path=json_path, md_path=md_path)
    assert json.loads(json_path.read_text())["pages"]["large"]["case"]["ms"]["p95"] == 80.0
    assert md_path.read_text().startswith("# Performance")
