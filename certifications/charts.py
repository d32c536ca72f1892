"""A server-rendered SVG bar chart for the campaign dashboard.

No JavaScript and no inline style (the Content-Security-Policy forbids both):
the template draws <rect> elements whose sizes are SVG attributes computed here.
"""

from __future__ import annotations

LABEL_WIDTH = 170
BAR_WIDTH = 420
ROW_HEIGHT = 30
BAR_HEIGHT = 18
TOP = 8

# (key, legend, fill) in drawing order; colours keep 4.5:1 against white text.
SEGMENTS = (
    ("signed", "Signed", "#198754"),
    ("on_time", "Pending", "#6c757d"),
    ("overdue", "Overdue", "#b02a37"),
    ("lapsed", "Not signed (closed)", "#495057"),
)


def department_chart(departments: list[dict]) -> dict:
    """One horizontal stacked bar per department, scaled to the largest department."""
    largest = max((row["total"] for row in departments), default=0) or 1
    rows = []
    for index, row in enumerate(departments):
        values = {
            "signed": row["signed"],
            "on_time": row["pending"] - row["overdue"],
            "overdue": row["overdue"],
            "lapsed": row["lapsed"],
        }
        y = TOP + index * ROW_HEIGHT
        x = LABEL_WIDTH
        segments = []
        for key, legend, fill in SEGMENTS:
            width = round(BAR_WIDTH * values[key] / largest, 1)
            if values[key]:
                segments.append({"x": x, "width": width, "fill": fill, "legend": legend, "value": values[key]})
            x += width
        rows.append(
            {
                "label": row["department"],
                "y": y,
                "bar_y": y + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                "text_y": y + ROW_HEIGHT // 2 + 5,
                "segments": segments,
                "total": row["total"],
                "signed": row["signed"],
                "end_x": x + 6,
            }
        )
    return {
        "rows": rows,
        "width": LABEL_WIDTH + BAR_WIDTH + 80,
        "height": TOP * 2 + len(rows) * ROW_HEIGHT,
        "label_x": LABEL_WIDTH - 8,
        "bar_height": BAR_HEIGHT,
        "legend": [{"legend": legend, "fill": fill} for _, legend, fill in SEGMENTS],
    }
