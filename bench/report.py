"""Budgets, the printed table, docs/performance.json and docs/performance.md.

Pure functions of the result dictionary that `bench.run` builds, so the test
suite can check them with a made-up result in milliseconds.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from bench import config

PASS, FAIL, MISSING = "PASS", "FAIL", "NOT MEASURED"


def _num(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.{digits}f}"


def _verdict(ok: bool | None) -> str:
    return MISSING if ok is None else (PASS if ok else FAIL)


def _sizes_text(sizes: dict | None) -> str:
    if not sizes:
        return "–"
    return f"{sizes['cases']:,} cases, {sizes['events']:,} events, {sizes['people']:,} people"


def _budgeted(pages: dict) -> list[tuple[str, dict]]:
    return [(name, page) for name, page in pages.items() if page.get("budgeted")]


def growth(result: dict) -> dict[str, dict]:
    """Per page: p95 and median at both sizes and the large/small ratios."""
    small = result.get("pages", {}).get("small") or {}
    large = result.get("pages", {}).get("large") or {}
    rows = {}
    for name, page in large.items():
        before = small.get(name)
        if not before:
            continue
        p95_small, p95_large = before["ms"].get("p95"), page["ms"].get("p95")
        med_small, med_large = before["ms"].get("median"), page["ms"].get("median")
        rows[name] = {
            "title": page["title"],
            "budgeted": page.get("budgeted", True),
            "p95_small": p95_small,
            "p95_large": p95_large,
            "p95_ratio": round(p95_large / p95_small, 2) if p95_small and p95_large else None,
            "median_small": med_small,
            "median_large": med_large,
            "median_ratio": round(med_large / med_small, 2) if med_small and med_large else None,
            "queries_small": before.get("queries_max"),
            "queries_large": page.get("queries_max"),
        }
    return rows


def evaluate(result: dict) -> list[dict]:
    """Every budget of issue 6 with what was measured and PASS, FAIL or NOT MEASURED."""
    budgets: list[dict] = []

    def add(budget_id: str, subject: str, measured: str, limit: str, ok: bool | None) -> None:
        budgets.append(
            {"id": budget_id, "subject": subject, "measured": measured, "limit": limit, "result": _verdict(ok)}
        )

    large = result.get("pages", {}).get("large") or {}
    for _name, page in _budgeted(large):
        p95, errors = page["ms"].get("p95"), page.get("errors", 0)
        measured = f"p95 {_num(p95)} ms" + (f", {errors} errors" if errors else "")
        add(
            "page-p95",
            page["title"],
            measured,
            f"p95 <= {config.PAGE_P95_MS:g} ms, no error",
            None if p95 is None else p95 <= config.PAGE_P95_MS and not errors,
        )
    for _name, page in _budgeted(large):
        queries = page.get("queries_max")
        add(
            "page-queries",
            page["title"],
            f"{_num(queries)} queries (most seen)",
            f"<= {config.PAGE_MAX_QUERIES} queries",
            None if queries is None else queries <= config.PAGE_MAX_QUERIES,
        )
    for _name, page in _budgeted(large):
        if not page.get("peer"):
            continue
        label, _, peer_ms = config.PEER[page["peer"]]
        limit = peer_ms / config.PEER_FACTOR
        p95 = page["ms"].get("p95")
        add(
            "peer-20x",
            page["title"],
            f"p95 {_num(p95)} ms",
            f"p95 <= {limit:g} ms ({label} / {config.PEER_FACTOR})",
            None if p95 is None else p95 <= limit,
        )
    for row in growth(result).values():
        if not row["budgeted"]:
            continue
        ratio = row["p95_ratio"]
        add(
            "growth",
            row["title"],
            f"p95 {_num(row['p95_small'])} → {_num(row['p95_large'])} ms: ×{_num(ratio, 2)}",
            f"p95 large / small <= {config.GROWTH_MAX:g}",
            None if ratio is None else ratio <= config.GROWTH_MAX,
        )
    if not growth(result):
        add("growth", "All pages", "small size not measured", f"p95 large / small <= {config.GROWTH_MAX:g}", None)

    queue = ((result.get("concurrency") or {}).get("large") or {}).get("queue")
    if queue:
        p95, errors = queue["ms"].get("p95"), queue["errors"]
        add(
            "concurrent",
            f"Queue, {queue['clients']} concurrent clients",
            f"p95 {_num(p95)} ms, {errors} errors in {queue['requests']} requests",
            f"no error, p95 <= {config.CONCURRENT_P95_MS:g} ms",
            p95 is not None and errors == 0 and p95 <= config.CONCURRENT_P95_MS,
        )
    else:
        add("concurrent", "Queue, concurrent clients", "not measured", "no error, p95 <= 200 ms", None)

    certificates = result.get("certificates") or {}
    median = (certificates.get("one_process") or {}).get("median_ms")
    add(
        "certificate",
        "Certificate render and sign, one process",
        f"median {_num(median)} ms",
        f"median <= {config.CERT_MEDIAN_MS:g} ms",
        None if median is None else median <= config.CERT_MEDIAN_MS,
    )

    export = result.get("export") or {}
    peak = export.get("peak_mb")
    complete = export.get("certificates") == export.get("requested") and export.get("status") == "done"
    add(
        "export",
        f"Bulk export of {_num(export.get('requested'))} certificates",
        f"worker peak {_num(peak)} MB, {_num(export.get('seconds'))} s"
        + ("" if complete or peak is None else f", {_num(export.get('certificates'))} exported"),
        f"peak <= {config.EXPORT_PEAK_MB:g} MB (budget set for 10,000), all exported",
        None if peak is None else peak <= config.EXPORT_PEAK_MB and complete,
    )

    reminders = result.get("reminders") or {}
    single, double = reminders.get("one_dispatcher"), reminders.get("two_dispatchers")
    if single:
        duplicates = single["duplicates"] + (double["duplicates"] if double else 0)
        missing = single["missing"] + (double["missing"] if double else 0)
        add(
            "reminders",
            f"Reminders for {_num(single['people'])} people ({_num(single['expected'])} messages)",
            f"{_num(single['seconds'])} s with one dispatcher"
            + (f", {_num(double['seconds'])} s with two" if double else "")
            + f"; {duplicates} duplicates, {missing} missing",
            f"<= {config.REMINDER_MAX_S:g} s (budget set for 10,000 people), no duplicate, none missing",
            single["seconds"] <= config.REMINDER_MAX_S and duplicates == 0 and missing == 0,
        )
    else:
        add("reminders", "Reminders", "not measured", "<= 60 s, no duplicate", None)
    return budgets


# --- Text for the terminal -----------------------------------------------------------


def _table(header: list[str], rows: list[list[str]], *, align_left: int = 1) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells):
        return "  ".join(
            str(cell).ljust(width) if i < align_left else str(cell).rjust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        )

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)])


def page_rows(result: dict, size: str) -> list[list[str]]:
    pages = result.get("pages", {}).get(size) or {}
    rows_growth = growth(result)
    rows = []
    for name, page in pages.items():
        ms = page["ms"]
        p95 = ms.get("p95")
        budgeted = page.get("budgeted")
        peer = ""
        if budgeted and page.get("peer"):
            limit = config.PEER[page["peer"]][2] / config.PEER_FACTOR
            peer = f"{_verdict(p95 is not None and p95 <= limit)} ≤{limit:g}"
        grow = rows_growth.get(name, {}).get("p95_ratio")
        rows.append(
            [
                page["title"],
                _num(ms.get("median")),
                _num(p95),
                _num(page.get("queries_max")),
                _num(page["app_ms"].get("median")),
                _num(page.get("ratio_to_bare"), 1),
                str(page.get("errors", 0)),
                _verdict(p95 is not None and p95 <= config.PAGE_P95_MS and not page.get("errors")) if budgeted else "",
                _verdict(page.get("queries_max") is not None and page["queries_max"] <= config.PAGE_MAX_QUERIES)
                if budgeted
                else "",
                peer,
                ""
                if grow is None or size != "large"
                else f"×{grow:.2f} {_verdict(grow <= config.GROWTH_MAX) if budgeted else ''}".strip(),
            ]
        )
    return rows


PAGE_HEADER = [
    "page",
    "median ms",
    "p95 ms",
    "queries",
    "app ms",
    "× bare",
    "errors",
    "p95≤50",
    "q≤12",
    "vs peer/20",
    "p95 growth",
]


def text(result: dict) -> str:
    out = []
    sizes = result.get("sizes", {})
    for size in ("small", "large"):
        if result.get("pages", {}).get(size):
            out.append(f"\n{size.upper()}: {_sizes_text(sizes.get(size))}, one client")
            out.append(_table(PAGE_HEADER, page_rows(result, size)))
    for size in ("small", "large"):
        for name, run in ((result.get("concurrency") or {}).get(size) or {}).items():
            out.append(
                f"{size} · {run['clients']} clients · {name}: {run['requests']} requests, {run['errors']} errors, "
                f"median {_num(run['ms'].get('median'))} ms, p95 {_num(run['ms'].get('p95'))} ms, "
                f"{_num(run.get('throughput_rps'))} req/s"
            )
    out.append("")
    out.extend(_jobs_lines(result))
    budgets = result.get("budgets") or evaluate(result)
    out.append("\nBUDGETS")
    out.append(
        _table(
            ["budget", "subject", "measured", "limit", "result"],
            [[b["id"], b["subject"], b["measured"], b["limit"], b["result"]] for b in budgets],
            align_left=5,
        )
    )
    counts = {verdict: sum(1 for b in budgets if b["result"] == verdict) for verdict in (PASS, FAIL, MISSING)}
    out.append(f"\n{counts[PASS]} PASS, {counts[FAIL]} FAIL, {counts[MISSING]} not measured")
    for error in result.get("errors", []):
        out.append(f"ERROR: {error}")
    return "\n".join(out)


def _jobs_lines(result: dict) -> list[str]:
    lines = []
    certificates = result.get("certificates") or {}
    one, two = certificates.get("one_process"), certificates.get("two_processes")
    if one:
        lines.append(
            f"Certificates (render + sign): one process {_num(one['per_second'], 2)}/s, "
            f"median {_num(one['median_ms'])} ms, p95 {_num(one['p95_ms'])} ms"
            + (f"; two processes {_num(two['per_second'], 2)}/s" if two else "")
        )
        if certificates.get("breakdown_ms"):
            parts = ", ".join(f"{k} {_num(v)} ms" for k, v in certificates["breakdown_ms"].items())
            lines.append(f"  one certificate, median of each step: {parts}")
    export = result.get("export") or {}
    if export.get("seconds") is not None:
        lines.append(
            f"Bulk export: {_num(export['certificates'])} certificates in {_num(export['seconds'])} s, "
            f"worker peak {_num(export['peak_mb'])} MB (before the export {_num(export['before_mb'])} MB), "
            f"ZIP {_num(export['zip_mb'])} MB"
        )
    reminders = result.get("reminders") or {}
    for key, label in (("one_dispatcher", "one dispatcher"), ("two_dispatchers", "two concurrent dispatchers")):
        run = reminders.get(key)
        if run:
            lines.append(
                f"Reminders, {label}: {_num(run['people'])} people, {_num(run['sent'])} of "
                f"{_num(run['expected'])} sent in {_num(run['seconds'])} s, {run['duplicates']} duplicates"
            )
    return lines


# --- Markdown for docs/performance.md ----------------------------------------------------


def _md_table(header: list[str], rows: list[list[str]]) -> str:
    def esc(cell) -> str:
        return str(cell).replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(result: dict, *, json_name: str = "performance.json") -> str:
    machine = result.get("machine", {})
    plan = result.get("plan", {})
    sizes = result.get("sizes", {})
    budgets = result.get("budgets") or evaluate(result)
    counts = {verdict: sum(1 for b in budgets if b["result"] == verdict) for verdict in (PASS, FAIL, MISSING)}
    quick = result.get("mode") == "quick"
    out = [
        "# Performance",
        "",
        f"Measured by `{result.get('command', 'python -m bench')}` on {result.get('started_at', '?')} "
        f"({result.get('mode', '?')} run, {_num((result.get('duration_s') or 0) / 60, 0)} minutes). "
        "Regenerate with `make bench` (the full run; most of its time goes into issuing the PDFs that the "
        "export copies) or `make bench-quick` (the same, smaller, in a few minutes).",
        "",
    ]
    if quick:
        out += [
            "> A **quick** run: the data is smaller than the sizes the budgets are set for, so PASS/FAIL "
            "here is indicative only.",
            "",
        ]
    out += [
        f"**{counts[PASS]} budgets pass, {counts[FAIL]} fail, {counts[MISSING]} not measured.**",
        "",
        "## Machine",
        "",
        _md_table(
            ["", ""],
            [
                ["CPU", f"{machine.get('cpu')}, {machine.get('cores')} cores"],
                ["Memory", f"{machine.get('memory_gb')} GB"],
                ["OS", machine.get("os", "")],
                ["PostgreSQL", machine.get("postgresql", "")],
                ["Python / Django", f"{machine.get('python')} / {machine.get('django')}"],
                [
                    "gunicorn / WeasyPrint / pyHanko",
                    f"{machine.get('gunicorn')} / {machine.get('weasyprint')} / {machine.get('pyhanko')}",
                ],
                [
                    "Code",
                    f"commit {machine.get('git_commit')}"
                    + (
                        f" with {machine['git_modified_files']} files changed in the working tree"
                        if machine.get("git_modified_files")
                        else ""
                    ),
                ],
                [
                    "Load average (1, 5, 15 min)",
                    f"{machine.get('load_at_start')} at the start, {machine.get('load_at_end')} at the end",
                ],
            ],
        ),
        "",
        "The app runs as in production: gunicorn with 2 sync workers on 127.0.0.1, `DEBUG=false`, "
        "PostgreSQL and Redis (cache, sessions), `QUERY_COUNT_HEADER=true` for the query counts.",
        "",
        "## Sizes",
        "",
        _md_table(
            ["size", "cases", "timeline events", "people", "certifications", "gift entries"],
            [
                [
                    size,
                    _num(sizes[size]["cases"]),
                    _num(sizes[size]["events"]),
                    _num(sizes[size]["people"]),
                    _num(sizes[size]["certifications"]),
                    _num(sizes[size]["gifts"]),
                ]
                for size in ("small", "large")
                if sizes.get(size)
            ],
        ),
        "",
        "Generated by `manage.py generate_scale_data` (small with seed "
        f"{plan.get('seed_small')}, then the difference with seed {plan.get('seed_large')}).",
        "",
        "## Method",
        "",
        f"- One client, round-robin: {plan.get('warmup_rounds')} warm-up rounds, then {plan.get('requests')} "
        "rounds, each requesting every page once (load that comes and goes touches every page alike).",
        "- A timing is the client's wall time of one request on a new connection (gunicorn's sync workers "
        "close each one), to the last byte of the body. *app ms* is the server's own time "
        "(`X-App-Time-Ms`), *queries* the most SQL queries seen for the page (`X-Query-Count`).",
        f"- p95 is the nearest-rank 95th percentile (of {plan.get('requests')} timings, the "
        f"{math.ceil(0.95 * (plan.get('requests') or 0))}th fastest); "
        "*× bare* is the page's median divided by the median of the bare view (`/healthz`, no database) "
        "measured in the same rounds.",
        "- Against django-helpdesk (issue 6): our **p95** is compared with the peer's figure divided by 20, "
        "also where the peer published only a median (ticket page 11.4 s → 570 ms, dashboard 2.3 s → 115 ms): "
        "the stricter reading.",
        "- Users: the queue, case page, inbox and officer's home as `swhalen` (compliance officer), the "
        "employee's home and the gift as `aalvarez`, the campaign dashboard as `jgrant` (HR), the report "
        "form without logging in. The case page is the report with the most timeline events; the campaign "
        "dashboard the open campaign with the most people.",
        "",
    ]
    for size in ("small", "large"):
        if not result.get("pages", {}).get(size):
            continue
        info = (result.get("targets") or {}).get(size) or {}
        out += [
            f"## Pages at the {size} size ({_sizes_text(sizes.get(size))})",
            "",
            _md_table(PAGE_HEADER, page_rows(result, size)),
            "",
        ]
        if info:
            out += [
                f"Case page: case {info.get('case_id')} ({_num(info.get('case_events'))} timeline events); "
                f"queue last page: {_num(info.get('last_page'))}; campaign dashboard: campaign "
                f"{info.get('campaign_id')} ({_num(info.get('campaign_obligations'))} people).",
                "",
            ]
    rows = growth(result)
    if rows:
        out += [
            "## Scaling: small → large",
            "",
            _md_table(
                ["page", "p95 small", "p95 large", "p95 ×", "median small", "median large", "median ×", "queries"],
                [
                    [
                        r["title"],
                        _num(r["p95_small"]),
                        _num(r["p95_large"]),
                        _num(r["p95_ratio"], 2),
                        _num(r["median_small"]),
                        _num(r["median_large"]),
                        _num(r["median_ratio"], 2),
                        f"{_num(r['queries_small'])} → {_num(r['queries_large'])}",
                    ]
                    for r in rows.values()
                ],
            ),
            "",
        ]
    concurrency = result.get("concurrency") or {}
    conc_rows = []
    for size in ("small", "large"):
        for name, run in (concurrency.get(size) or {}).items():
            conc_rows.append(
                [
                    size,
                    "queue (/cases/)" if name == "queue" else "mix of the officer's pages",
                    str(run["clients"]),
                    _num(run["requests"]),
                    str(run["errors"]),
                    _num(run["ms"].get("median")),
                    _num(run["ms"].get("p95")),
                    _num(run["ms"].get("max")),
                    _num(run.get("throughput_rps")),
                ]
            )
    if conc_rows:
        out += [
            "## Concurrent clients",
            "",
            "Each client is a thread with its own logged-in session (`swhalen`); all start together.",
            "",
            _md_table(
                ["size", "pages", "clients", "requests", "errors", "median ms", "p95 ms", "max ms", "req/s"],
                conc_rows,
            ),
            "",
        ]
    out += _md_jobs(result)
    out += [
        "## Budgets",
        "",
        _md_table(
            ["budget", "subject", "measured", "limit", "result"],
            [[b["id"], b["subject"], b["measured"], b["limit"], f"**{b['result']}**"] for b in budgets],
        ),
        "",
    ]
    phases = result.get("phases") or {}
    if phases:
        out += [
            "## Phases",
            "",
            f"Load average above {machine.get('cores')} (the cores) means other processes competed for the CPU: "
            "timings then include waiting for a core.",
            "",
            _md_table(
                ["phase", "seconds", "load average before", "load average after"],
                [
                    [
                        name,
                        _num(phase.get("seconds")),
                        " ".join(map(str, phase.get("load_before", []))),
                        " ".join(map(str, phase.get("load_after", []))),
                    ]
                    for name, phase in phases.items()
                    if isinstance(phase, dict)
                ],
            ),
            "",
        ]
    if result.get("errors"):
        out += ["## Errors", ""] + [f"- {error}" for error in result["errors"]] + [""]
    out += [
        f"Raw numbers: [{json_name}]({json_name}).",
        "",
    ]
    return "\n".join(out)


def _md_jobs(result: dict) -> list[str]:
    out = []
    certificates = result.get("certificates") or {}
    one, two = certificates.get("one_process"), certificates.get("two_processes")
    if one:
        rows = [
            [
                "1",
                _num(one["count"]),
                _num(one["per_second"], 2),
                _num(one["median_ms"]),
                _num(one["p95_ms"]),
            ]
        ]
        if two:
            rows.append(
                ["2", _num(two["count"]), _num(two["per_second"], 2), _num(two["median_ms"]), _num(two["p95_ms"])]
            )
        out += [
            "## Certificates",
            "",
            "Rendered and signed through the app's `certificate_context` and `render_signed_certificate` "
            "(WeasyPrint, pyHanko, the EC P-256 demo key), from certifications in the database, nothing stored; "
            "processes start together after a warm-up.",
            "",
            _md_table(["processes", "certificates", "per second", "median ms", "p95 ms"], rows),
            "",
        ]
        if certificates.get("breakdown_ms"):
            out += [
                "One certificate, median of each step: "
                + ", ".join(f"{k.replace('_', ' ')} {_num(v)} ms" for k, v in certificates["breakdown_ms"].items())
                + ".",
                "",
            ]
    export = result.get("export") or {}
    if export.get("seconds") is not None:
        issued = export.get("issue") or {}
        out += [
            "## Bulk export",
            "",
            f"A closed campaign with {_num(export['requested'])} signed certificates whose PDFs were issued "
            f"first with `certificate_issue_pdf` in 2 processes ({_num(issued.get('seconds'))} s, "
            f"{_num(issued.get('per_second'), 2)} PDFs/s, stored). Then HR's `export_request` and, in a "
            "fresh process standing in for the Celery worker, `export_build`.",
            "",
            _md_table(
                ["certificates", "seconds", "ZIP MB", "worker peak MB", "worker before export MB", "status"],
                [
                    [
                        _num(export["certificates"]),
                        _num(export["seconds"]),
                        _num(export["zip_mb"]),
                        _num(export["peak_mb"]),
                        _num(export["before_mb"]),
                        export.get("status", ""),
                    ]
                ],
            ),
            "",
        ]
    reminders = result.get("reminders") or {}
    rows = []
    for key, label in (("one_dispatcher", "1"), ("two_dispatchers", "2")):
        run = reminders.get(key)
        if run:
            rows.append(
                [
                    label,
                    _num(run["people"]),
                    ", ".join(run["steps"]),
                    _num(run["expected"]),
                    _num(run["sent"]),
                    _num(run["seconds"]),
                    _num(run.get("per_second")),
                    str(run["duplicates"]),
                    str(run["missing"]),
                ]
            )
    if rows:
        out += [
            "## Reminders",
            "",
            "An open campaign for the roster, assigned 10 days ago and due tomorrow, so three steps are due for "
            "each person; every other campaign closed. The beat's `reminders_dispatch()` runs in one process, "
            "then (on a second such campaign) in two at once. Mail goes to a backend that only counts messages "
            "(`bench.mailsink`). Duplicates: rows recorded twice for one (obligation, step) plus messages "
            "beyond the recorded rows.",
            "",
            _md_table(
                [
                    "dispatchers",
                    "people",
                    "steps due",
                    "expected",
                    "sent",
                    "seconds",
                    "messages/s",
                    "duplicates",
                    "missing",
                ],
                rows,
            ),
            "",
        ]
    return out


def write(result: dict, *, json_path: Path | None, md_path: Path | None) -> None:
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    if md_path:
        md_path.parent.mkdir(parents=True, exist_ok=True)
        name = json_path.name if json_path else "performance.json"
        md_path.write_text(markdown(result, json_name=name), encoding="utf-8")
