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


SIZES = ("small", "large")


def arm_pages(result: dict, size: str, arm: str) -> dict:
    """The pages measured at `size` in `arm` ("warm" or "first_read")."""
    return ((result.get("pages") or {}).get(size) or {}).get(arm) or {}


def _ratio(large, small) -> float | None:
    return round(large / small, 2) if small and large else None


def growth(result: dict, arm: str = "warm") -> dict[str, dict]:
    """Per page of one arm: p95 and median at both sizes and the large/small ratios."""
    small, large = arm_pages(result, "small", arm), arm_pages(result, "large", arm)
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
            "p95_ratio": _ratio(p95_large, p95_small),
            "median_small": med_small,
            "median_large": med_large,
            "median_ratio": _ratio(med_large, med_small),
            "queries_small": before.get("queries_max"),
            "queries_large": page.get("queries_max"),
        }
    return rows


def peer_ratio(ours: float | None, peer: float | None) -> float | None:
    """How many times faster we are: the peer's time over ours."""
    if not ours or peer is None:
        return None
    return round(peer / ours, 1)


def evaluate(result: dict) -> list[dict]:
    """Every budget of issue 12 with what was measured and PASS, FAIL or NOT MEASURED."""
    budgets: list[dict] = []

    def add(budget_id: str, subject: str, measured: str, limit: str, ok: bool | None) -> None:
        budgets.append(
            {"id": budget_id, "subject": subject, "measured": measured, "limit": limit, "result": _verdict(ok)}
        )

    for size in SIZES:
        for arm in config.ARMS:
            where = f"{size}, {config.ARM_TITLES[arm]}"
            pages = _budgeted(arm_pages(result, size, arm))
            for _name, page in pages:
                p95, errors = page["ms"].get("p95"), page.get("errors", 0)
                measured = f"p95 {_num(p95)} ms" + (f", {errors} errors" if errors else "")
                add(
                    "page-p95",
                    f"{page['title']} ({where})",
                    measured,
                    f"p95 <= {config.PAGE_P95_MS:g} ms, no error",
                    None if p95 is None else p95 <= config.PAGE_P95_MS and not errors,
                )
            for _name, page in pages:
                queries = page.get("queries_max")
                add(
                    "page-queries",
                    f"{page['title']} ({where})",
                    f"{_num(queries)} queries (most seen)",
                    f"<= {config.PAGE_MAX_QUERIES} queries",
                    None if queries is None else queries <= config.PAGE_MAX_QUERIES,
                )
    writes = result.get("writes") or {}
    for size in SIZES:
        if arm_pages(result, size, "first_read"):
            run = writes.get(size) or {}
            add(
                "first-read-writes",
                f"Writes before the first reads ({size})",
                f"{_num(run.get('count'))} notes posted, {_num(run.get('errors'))} failed",
                "every write succeeds (else the arm measured warm pages)",
                None if not run else run.get("errors") == 0,
            )
    grown = False
    for arm in config.ARMS:
        for row in growth(result, arm).values():
            if not row["budgeted"]:
                continue
            grown = True
            worst = max((r for r in (row["p95_ratio"], row["median_ratio"]) if r is not None), default=None)
            add(
                "growth",
                f"{row['title']} ({config.ARM_TITLES[arm]})",
                f"p95 {_num(row['p95_small'])} → {_num(row['p95_large'])} ms ×{_num(row['p95_ratio'], 2)}; "
                f"median {_num(row['median_small'])} → {_num(row['median_large'])} ms ×{_num(row['median_ratio'], 2)}",
                f"large / small <= {config.GROWTH_MAX:g} (p95 and median)",
                None if worst is None else worst <= config.GROWTH_MAX,
            )
    if not grown:
        add("growth", "All pages", "one size only", f"large / small <= {config.GROWTH_MAX:g}", None)

    peer = result.get("peer") or {}
    pairs = peer.get("pairs") or {}
    for name, (view, _path) in config.PEER_VIEWS.items():
        pair = pairs.get(name)
        if not pair:
            add(
                "peer-20x",
                f"{name} against the peer's {view}",
                "not measured",
                f">= {config.PEER_FACTOR}× at p95",
                None,
            )
            continue
        ours, theirs = pair["ours"]["ms"].get("p95"), pair["peer"]["ms"].get("p95")
        ratio = peer_ratio(ours, theirs)
        errors = pair["ours"].get("errors", 0) + pair["peer"].get("errors", 0)
        add(
            "peer-20x",
            f"{pair['title']} against the peer's {view}",
            f"p95 {_num(ours)} ms against {_num(theirs)} ms: ×{_num(ratio)}" + (f", {errors} errors" if errors else ""),
            f">= {config.PEER_FACTOR}× faster at p95, same run, interleaved",
            None if ratio is None else ratio >= config.PEER_FACTOR and not errors,
        )

    queue = ((result.get("concurrency") or {}).get("large") or {}).get("queue")
    if queue:
        p95, errors = queue["ms"].get("p95"), queue["errors"]
        add(
            "concurrent",
            f"Queue, {queue['clients']} concurrent clients",
            f"p95 {_num(p95)} ms, {errors} errors in {queue['requests']} requests",
            f"{config.CONCURRENT_CLIENTS} clients, no error, p95 <= {config.CONCURRENT_P95_MS:g} ms",
            p95 is not None
            and errors == 0
            and p95 <= config.CONCURRENT_P95_MS
            and queue["clients"] >= config.CONCURRENT_CLIENTS,
        )
    else:
        add(
            "concurrent",
            "Queue, concurrent clients",
            "not measured",
            f"{config.CONCURRENT_CLIENTS} clients, no error, p95 <= {config.CONCURRENT_P95_MS:g} ms",
            None,
        )

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
            f"<= {config.REMINDER_MAX_S:g} s with two dispatchers at once (budget set for 10,000 people), "
            "no duplicate, none missing",
            # Issue 12 sets the budget for two dispatchers running at once.
            (double or single)["seconds"] <= config.REMINDER_MAX_S and duplicates == 0 and missing == 0,
        )
    else:
        add("reminders", "Reminders", "not measured", f"<= {config.REMINDER_MAX_S:g} s, no duplicate", None)
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


def page_rows(result: dict, size: str, arm: str = "warm") -> list[list[str]]:
    pages = arm_pages(result, size, arm)
    rows_growth = growth(result, arm)
    rows = []
    for name, page in pages.items():
        ms = page["ms"]
        p95 = ms.get("p95")
        budgeted = page.get("budgeted")
        grow = rows_growth.get(name, {})
        ratios = [r for r in (grow.get("p95_ratio"), grow.get("median_ratio")) if r is not None]
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
                ""
                if not ratios or size != "large"
                else f"×{_num(grow.get('p95_ratio'), 2)} / ×{_num(grow.get('median_ratio'), 2)} "
                f"{_verdict(max(ratios) <= config.GROWTH_MAX) if budgeted else ''}".strip(),
            ]
        )
    return rows


def both_arms_rows(result: dict, size: str) -> list[list[str]]:
    """Side by side: each page's median and p95 warm and on the first read after a write."""
    warm, first = arm_pages(result, size, "warm"), arm_pages(result, size, "first_read")
    rows = []
    for name, page in warm.items():
        other = first.get(name)
        ok_warm = page["ms"].get("p95") is not None and page["ms"]["p95"] <= config.PAGE_P95_MS
        ok_first = other is not None and other["ms"].get("p95") is not None and other["ms"]["p95"] <= config.PAGE_P95_MS
        queries = [q for q in (page.get("queries_max"), (other or {}).get("queries_max")) if q is not None]
        rows.append(
            [
                page["title"],
                _num(page["ms"].get("median")),
                _num(page["ms"].get("p95")),
                _num(other["ms"].get("median")) if other else ("(a write)" if first else "–"),
                _num(other["ms"].get("p95")) if other else "",
                _num(max(queries)) if queries else "–",
                str(page.get("errors", 0) + ((other or {}).get("errors") or 0)),
                ""
                if not page.get("budgeted")
                else _verdict(ok_warm and (other is None or ok_first) and not page.get("errors")),
            ]
        )
    return rows


ARMS_HEADER = [
    "page",
    "warm median",
    "warm p95",
    "first-read median",
    "first-read p95",
    "queries",
    "errors",
    "p95≤50",
]

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
    "growth p95 / median",
]


def peer_rows(result: dict) -> list[list[str]]:
    rows = []
    for name, pair in ((result.get("peer") or {}).get("pairs") or {}).items():
        ours, theirs = pair["ours"]["ms"], pair["peer"]["ms"]
        ratio = peer_ratio(ours.get("p95"), theirs.get("p95"))
        rows.append(
            [
                pair["title"],
                config.PEER_VIEWS.get(name, ("?", ""))[0],
                _num(ours.get("median")),
                _num(ours.get("p95")),
                _num(theirs.get("median")),
                _num(theirs.get("p95")),
                f"×{_num(peer_ratio(ours.get('median'), theirs.get('median')))}",
                f"×{_num(ratio)}",
                str(pair["ours"].get("errors", 0) + pair["peer"].get("errors", 0)),
                _verdict(None if ratio is None else ratio >= config.PEER_FACTOR),
            ]
        )
    return rows


PEER_HEADER = [
    "our page",
    "the peer's view",
    "ours median",
    "ours p95",
    "peer median",
    "peer p95",
    "× median",
    "× p95",
    "errors",
    f"≥{config.PEER_FACTOR}×",
]


def text(result: dict) -> str:
    out = []
    sizes = result.get("sizes", {})
    for size in SIZES:
        if arm_pages(result, size, "warm"):
            out.append(
                f"\n{size.upper()}: {_sizes_text(sizes.get(size))}, one client, warm and first read after a write"
            )
            out.append(_table(ARMS_HEADER, both_arms_rows(result, size)))
    if peer_rows(result):
        out.append("\n" + peer_text(result["peer"]))
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


def peer_text(peer: dict) -> str:
    """The comparison alone, for the terminal of `make bench-peer`."""
    head = (
        f"AGAINST {peer.get('peer_name', 'the peer')} {' / Django '.join(peer.get('peer_version') or [])}: "
        f"{_num(peer.get('tickets'))} tickets, {_num(peer.get('followups'))} followups, "
        f"{_num(peer.get('users'))} users "
        f"against our {_sizes_text(peer.get('ours_size'))}; {peer.get('rounds')} rounds interleaved, "
        f"load average {peer.get('load_start')} at the start, {peer.get('load_end')} at the end"
    )
    return head + "\n" + _table(PEER_HEADER, peer_rows({"peer": peer}))


def write(result: dict, *, json_path: Path | None, md_path: Path | None) -> None:
    from bench.markdown import markdown

    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(result, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    if md_path:
        md_path.parent.mkdir(parents=True, exist_ok=True)
        name = json_path.name if json_path else "performance.json"
        md_path.write_text(markdown(result, json_name=name), encoding="utf-8")
