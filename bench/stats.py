"""Summary statistics of timings. Pure Python, tested in milliseconds."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("median of no values")
    return float(statistics.median(values))


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank percentile: the smallest value with at least p% of the
    values at or below it (p95 of 60 timings is the 57th fastest). No
    interpolation, so the result is always a timing that was measured."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 < p <= 100:
        raise ValueError("p must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(p / 100 * len(ordered))
    return float(ordered[rank - 1])


def p95(values: Sequence[float]) -> float:
    return percentile(values, 95)


def summary(values: Sequence[float]) -> dict[str, float | int]:
    """n, median, p95, min, max and mean, rounded to 0.1 (milliseconds)."""
    if not values:
        return {"n": 0}
    return {
        "n": len(values),
        "median": round(median(values), 1),
        "p95": round(p95(values), 1),
        "min": round(min(values), 1),
        "max": round(max(values), 1),
        "mean": round(statistics.fmean(values), 1),
    }


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 2)
