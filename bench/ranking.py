"""Ranking benchmark: 10,000 applications x 3 jurors x 10 criteria, normalized, in one pass.

    .venv/bin/python bench/ranking.py

Builds the data in memory as the results service hands it to the domain (integer scores,
each criterion's weight converted from the database's Decimal to a float once), then
times `domain.ranking.compute_ranking` with normalization on.
Prints `name: value` lines; the headline figure, `ranking_seconds` (the median of five
runs), is last. Exits 1 when it misses the target of 1 s.
"""

import random
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pdcompetition.domain.ranking import (  # noqa: E402
    ApplicationInput,
    SheetInput,
    compute_ranking,
)

APPLICATIONS = 10_000
JURORS_PER_APPLICATION = 3
CRITERIA = 10
JURORS = 60
NOMINATIONS = 4
REPEATS = 5
TARGET_SECONDS = 1.0


def build(seed: int = 2024):
    """Applications, and three submitted sheets of ten criteria each, with lenient and harsh
    jurors so that normalization has something to do."""
    rng = random.Random(seed)
    criteria = [(rng.choice((5, 10, 10, 20)),
                 float(Decimal(rng.choice(("0.5", "1", "1.5", "2"))))) for _ in range(CRITERIA)]
    leniency = {j: rng.uniform(-0.25, 0.25) for j in range(1, JURORS + 1)}
    start = datetime(2024, 9, 1, tzinfo=UTC)
    applications, sheets = [], []
    for app_id in range(1, APPLICATIONS + 1):
        applications.append(ApplicationInput(
            app_id, app_id % NOMINATIONS, start + timedelta(seconds=rng.randrange(5_000_000)),
            app_id,
        ))
        quality = rng.random()
        for juror in rng.sample(range(1, JURORS + 1), JURORS_PER_APPLICATION):
            bias = leniency[juror]
            scores = []
            for max_score, weight in criteria:
                value = round(max_score * min(1.0, max(0.0, quality + bias + rng.gauss(0, 0.1))))
                scores.append((value, max_score, weight))
            sheets.append(SheetInput(app_id, juror, "submitted", scores))
    return applications, sheets


def main() -> int:
    applications, sheets = build()
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = compute_ranking(applications, sheets, normalize=True, threshold=30)
        timings.append(time.perf_counter() - started)
    ranked = sum(len(items) for items in result.nominations.values())
    print(f"applications: {APPLICATIONS}")
    print(f"jurors_per_application: {JURORS_PER_APPLICATION}")
    print(f"criteria: {CRITERIA}")
    print(f"score_values: {APPLICATIONS * JURORS_PER_APPLICATION * CRITERIA}")
    print(f"ranked: {ranked}")
    print(f"divergent: {len(result.divergent)}")
    print(f"ties_broken: {sum(1 for a in result.applications.values() if a.tie)}")
    print(f"repeats: {REPEATS}")
    print(f"ranking_seconds_best: {min(timings):.3f}")
    median = sorted(timings)[len(timings) // 2]
    print(f"ranking_seconds: {median:.3f}")
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
