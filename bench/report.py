"""Budgets, the printed table and the files (docs/performance.json, and the
Markdown of `bench.markdown`).

Pure functions of the result dictionary that `bench.run` builds, so the test
suite can check them with a made-up result in milliseconds.
"""

from __future__ import annotations

import json
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


def write(result: dict, *, json_path: Path | None, md_path: Path | None) -> None:
    from bench.markdown import markdown

    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    if md_path:
        md_path.parent.mkdir(parents=True, exist_ok=True)
        name = json_path.name if json_path else "performance.json"
        md_path.write_text(markdown(result, json_name=name), encoding="utf-8")
