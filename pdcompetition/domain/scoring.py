"""A juror's weighted total on the 0-100 scale, shared by the jury page and the ranking."""

from collections.abc import Iterable
from decimal import Decimal


def weighted_total(scores: Iterable[tuple[int | None, int, Decimal | float]]) -> float | None:
    """Sum of score / maximum x weight over the criteria, scaled to 100.

    `scores` holds (value, max_score, weight) per criterion; None when a value is missing.
    """
    total = 0.0
    weights = 0.0
    for value, max_score, weight in scores:
        if value is None:
            return None
        w = float(weight)
        total += value / max_score * w
        weights += w
    if weights == 0:
        return None
    return total / weights * 100
