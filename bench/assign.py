"""Jury assignment benchmark: 2,000 applications, 60 jurors, K=3, 5% random conflicts.

    .venv/bin/python bench/assign.py

Builds the instance in memory at the level the service hands to the domain (no database),
then times `domain.assignment.solve` with the strict balance rule. Prints `name: value`
lines; the headline figure, `assign_seconds`, is last.
"""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pdcompetition.domain.assignment import (  # noqa: E402
    ApplicationSpec,
    AssignmentProblem,
    JurorSpec,
    solve,
)

APPLICATIONS = 2_000
JURORS = 60
PER_APPLICATION = 3
CONFLICT_RATE = 0.05
NOMINATIONS = 4
REPEATS = 3
TARGET_SECONDS = 5.0


def build(seed: int = 2024) -> AssignmentProblem:
    """Every juror may judge every nomination; 5% of the pairs are conflicted at random."""
    rng = random.Random(seed)
    applications = [
        ApplicationSpec(i, f"III-{i:04d}", 1 + i % NOMINATIONS)
        for i in range(1, APPLICATIONS + 1)
    ]
    jurors = [JurorSpec(1000 + j, f"Juror {j}") for j in range(JURORS)]
    conflicts = {
        (a.id, j.id)
        for a in applications
        for j in jurors
        if rng.random() < CONFLICT_RATE
    }
    return AssignmentProblem(
        applications=applications,
        jurors=jurors,
        per_application=PER_APPLICATION,
        conflicts=conflicts,
        nominations={n: f"Nomination {n}" for n in range(1, NOMINATIONS + 1)},
    )


def main() -> None:
    problem = build()
    timings = []
    result = None
    for _ in range(REPEATS):
        started = time.perf_counter()
        result = solve(problem)
        timings.append(time.perf_counter() - started)
    assert result is not None and result.ok, result.problems if result else None
    loads = list(result.loads.values())
    print(f"applications: {APPLICATIONS}")
    print(f"jurors: {JURORS}")
    print(f"jurors_per_application: {PER_APPLICATION}")
    print(f"conflicted_pairs: {len(problem.conflicts)}")
    print(f"assignments: {len(result.new_pairs)}")
    print(f"load_min: {min(loads)}")
    print(f"load_max: {max(loads)}")
    print(f"flows_solved: {result.flows_solved}")
    print(f"repeats: {REPEATS}")
    print(f"assign_seconds: {min(timings):.3f}")
    if min(timings) > TARGET_SECONDS:
        sys.exit(f"assign_seconds above the target of {TARGET_SECONDS} s")


if __name__ == "__main__":
    main()
