"""A server-rendered SVG of the Board's composition over time (BOARD-1, BOARD-2).

No JavaScript and no inline style (the Content-Security-Policy forbids both):
the template draws <rect> elements whose sizes are computed here. One step per
roster change: the grey bar is the number of directors, the green one the
independent directors; a red strip above marks the days a rule was broken.
"""

from __future__ import annotations

from datetime import date

from policy.board import assess_board

LEFT, RIGHT, TOP, BOTTOM = 36, 12, 34, 28
WIDTH, PLOT_HEIGHT = 760, 180
STRIP = 8
DIRECTORS, INDEPENDENT, BREACH_1, BREACH_2 = "#adb5bd", "#198754", "#b02a37", "#d63384"


def board_chart(history: list, until: date, since: date | None = None, *, width: int = WIDTH, ticks: int = 8) -> dict:
    """`history`: the compositions at each change date (governance.selectors.history).
    `width` and `ticks`: a narrower drawing for phones keeps its text readable."""
    steps = [c for c in history if since is None or c.day >= since]
    if since is not None:
        earlier = [c for c in history if c.day < since]
        if earlier:  # the composition in force on `since`
            steps.insert(0, type(earlier[-1])(since, earlier[-1].directors, earlier[-1].audit_committee))
    if not steps:
        return {"segments": []}
    start, end = steps[0].day, until
    span = max((end - start).days, 1)
    plot_width = width - LEFT - RIGHT
    top = max(max(len(c.directors) for c in steps), 1) + 1

    def x(day: date) -> float:
        return round(LEFT + plot_width * (day - start).days / span, 1)

    def y(count: int) -> float:
        return round(TOP + PLOT_HEIGHT * (1 - count / top), 1)

    segments = []
    for index, composition in enumerate(steps):
        last = steps[index + 1].day if index + 1 < len(steps) else end
        if last <= composition.day and index + 1 < len(steps):
            continue
        board, audit = assess_board(composition)
        n, ind = len(composition.directors), composition.independent_directors
        x0, x1 = x(composition.day), x(max(last, composition.day))
        bar = max(round(x1 - x0, 1), 0.5)
        segments.append(
            {
                "day": composition.day,
                "x": x0,
                "width": bar,
                "directors": n,
                "independent": ind,
                "audit": len(composition.audit_committee),
                "y_total": y(n),
                "h_total": round(y(0) - y(n), 1),
                "y_ind": y(ind),
                "h_ind": round(y(0) - y(ind), 1),
                "board_ok": board.passed,
                "audit_ok": audit.passed,
            }
        )
    years = list(range(start.year + 1, end.year + 1))
    every = max(1, -(-len(years) // ticks))
    ticks = [{"x": x(date(year, 1, 1)), "label": year} for year in years[::every]]
    grid = [{"y": y(count), "label": count} for count in range(0, top + 1, 2 if top > 8 else 1)]
    return {
        "width": width,
        "height": TOP + PLOT_HEIGHT + BOTTOM,
        "segments": segments,
        "ticks": ticks,
        "grid": grid,
        "left": LEFT,
        "right": width - RIGHT,
        "baseline": y(0),
        "label_y": y(0) + 18,
        "strip_1": TOP - 2 * STRIP - 6,
        "strip_2": TOP - STRIP - 4,
        "strip": STRIP,
        "colours": {"directors": DIRECTORS, "independent": INDEPENDENT, "b1": BREACH_1, "b2": BREACH_2},
        "legend": [
            {"legend": "Directors", "fill": DIRECTORS},
            {"legend": "Independent directors", "fill": INDEPENDENT},
            {"legend": "No independent majority (BOARD-1)", "fill": BREACH_1},
            {"legend": "Audit committee short (BOARD-2)", "fill": BREACH_2},
        ],
        "start": start,
        "end": end,
    }
