"""The ranking: juror totals, optional normalization, divergence and the tie-break.

Pure functions over plain data (no Flask, no database), so the figures the organizers see
can be recomputed at any time and tested by hand.

Rules (also in the README, "Results"):

- A juror's total for an application is `scoring.weighted_total` of their submitted sheet:
  the sum of score / maximum x weight over the edition's criteria, divided by the sum of
  the weights, times 100 (0-100).
- An application is ranked only when every assignment it has (conflicts of interest
  declared by a juror aside) carries a submitted, complete sheet; otherwise it is listed
  apart as pending, with the reason per juror.
- Its raw score is the mean of its jurors' totals.
- Normalization (per edition, optional) cancels lenient and harsh jurors. For juror j with
  n_j >= 2 submitted totals, mean m_j and population standard deviation s_j, a total t
  becomes z = (t - m_j) / s_j, mapped back to the 0-100 scale as
  M + z x S, clamped to [0, 100], where M and S are the mean and population standard
  deviation of all submitted totals in the edition (so normalized figures read like raw
  ones). A juror with a single sheet keeps the raw total (one sheet tells nothing about
  leniency). A juror whose totals are all equal (s_j = 0) gets z = 0, i.e. M, for each.
  The normalized score of an application is the mean of its jurors' normalized totals,
  and the ranking uses it instead of the raw score.
- Divergence: when the highest and lowest raw totals of one application differ by more
  than the edition's threshold (points of 100), it is flagged.
- Ranking per nomination by score, highest first. Scores are compared at the precision
  shown (two decimals). Equal scores: the application submitted earlier ranks higher;
  equal submission moments too: the lower application number.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from .scoring import weighted_total

DECIMALS = 2  # the precision shown and the one at which scores are compared

# Why a juror's sheet does not count (yet) towards an application's score.
NOT_STARTED = "not_started"
DRAFT = "draft"
INCOMPLETE = "incomplete"  # submitted but a criterion has no value
NO_JURORS = "no_jurors"

# How a juror's totals were normalized.
ZSCORE = "zscore"
KEPT = "kept"  # a single sheet: the raw total is kept
FLAT = "flat"  # all totals equal: each becomes the pool mean

# Tie-break rules.
SUBMITTED_EARLIER = "submitted_earlier"
LOWER_NUMBER = "lower_number"


@dataclass(frozen=True, slots=True)
class ApplicationInput:
    """What the ranking needs to know about an application."""

    id: int
    nomination_id: int | None
    submitted_at: datetime | None
    number: int | None = None


@dataclass(frozen=True, slots=True)
class SheetInput:
    """One assignment of a juror to an application, with the sheet's scores if any.

    `scores` holds (value, max_score, weight) per criterion of the edition; `status` is
    "submitted", "draft" or "not_started". Assignments with a declared conflict of
    interest are not given to the ranking at all.
    """

    application_id: int
    juror_id: int
    status: str
    scores: Sequence[tuple[int | None, int, Decimal | float]] = ()


@dataclass(slots=True)
class JurorTotal:
    juror_id: int
    raw: float
    normalized: float | None = None
    z: float | None = None


@dataclass(slots=True)
class JurorStats:
    """A juror's distribution of totals, the basis of their normalization."""

    juror_id: int
    count: int = 0
    total: float = 0.0
    total_sq: float = 0.0
    mean: float = 0.0
    std: float = 0.0
    method: str = KEPT


@dataclass(frozen=True, slots=True)
class Divergence:
    low_juror_id: int
    high_juror_id: int
    difference: float
    threshold: float


@dataclass(frozen=True, slots=True)
class TieBreak:
    """A group of applications with equal scores, in the order the tie-break put them."""

    score: float
    application_ids: tuple[int, ...]
    rule: str


@dataclass(slots=True)
class ScoredApplication:
    application: ApplicationInput
    totals: list[JurorTotal] = field(default_factory=list)
    pending: list[tuple[int | None, str]] = field(default_factory=list)
    raw_mean: float | None = None
    normalized_mean: float | None = None
    divergence: Divergence | None = None
    rank: int | None = None
    tie: TieBreak | None = None

    @property
    def id(self) -> int:
        return self.application.id

    @property
    def is_ranked(self) -> bool:
        return not self.pending and bool(self.totals)

    @property
    def score(self) -> float | None:
        """The figure the ranking uses: normalized mean when computed, raw mean otherwise."""
        return self.normalized_mean if self.normalized_mean is not None else self.raw_mean


@dataclass(slots=True)
class Ranking:
    normalized: bool
    threshold: float
    pool_mean: float = 0.0
    pool_std: float = 0.0
    jurors: dict[int, JurorStats] = field(default_factory=dict)
    applications: dict[int, ScoredApplication] = field(default_factory=dict)
    # nomination id -> ranked applications, best first
    nominations: dict[int | None, list[ScoredApplication]] = field(default_factory=dict)
    pending: list[ScoredApplication] = field(default_factory=list)

    @property
    def divergent(self) -> list[ScoredApplication]:
        return [a for a in self.applications.values() if a.divergence is not None]


def compute_ranking(
    applications: Iterable[ApplicationInput],
    sheets: Iterable[SheetInput],
    *,
    normalize: bool = False,
    threshold: float | Decimal = 30,
) -> Ranking:
    """Score, normalize, check and rank in one pass over the sheets (see the module rules)."""
    ranking = Ranking(normalized=normalize, threshold=float(threshold))
    scored = ranking.applications
    for application in applications:
        scored[application.id] = ScoredApplication(application)

    # The one pass over the data: totals, per-juror and pooled sums.
    jurors = ranking.jurors
    pool_n, pool_sum, pool_sq = 0, 0.0, 0.0
    for sheet in sheets:
        target = scored.get(sheet.application_id)
        if target is None:
            continue
        if sheet.status != "submitted":
            target.pending.append((sheet.juror_id, DRAFT if sheet.status == DRAFT else NOT_STARTED))
            continue
        total = weighted_total(sheet.scores) if sheet.scores else None
        if total is None:
            target.pending.append((sheet.juror_id, INCOMPLETE))
            continue
        target.totals.append(JurorTotal(sheet.juror_id, total))
        stats = jurors.get(sheet.juror_id)
        if stats is None:
            stats = jurors[sheet.juror_id] = JurorStats(sheet.juror_id)
        stats.count += 1
        stats.total += total
        stats.total_sq += total * total
        pool_n += 1
        pool_sum += total
        pool_sq += total * total

    if pool_n:
        ranking.pool_mean = pool_sum / pool_n
        ranking.pool_std = _std(pool_n, pool_sum, pool_sq)
    for stats in jurors.values():
        stats.mean = stats.total / stats.count
        stats.std = _std(stats.count, stats.total, stats.total_sq)
        if stats.count < 2:
            stats.method = KEPT
        elif stats.std == 0.0:
            stats.method = FLAT
        else:
            stats.method = ZSCORE

    by_nomination = ranking.nominations
    for item in scored.values():
        _aggregate(item, ranking)
        if item.is_ranked:
            by_nomination.setdefault(item.application.nomination_id, []).append(item)
        else:
            if not item.totals and not item.pending:
                item.pending.append((None, NO_JURORS))
            ranking.pending.append(item)

    for items in by_nomination.values():
        _rank(items)
    ranking.pending.sort(key=lambda a: (a.application.number or 0, a.id))
    return ranking


def normalize_total(raw: float, stats: JurorStats, pool_mean: float, pool_std: float):
    """(z, normalized) for one raw total of a juror, by the module's documented mapping."""
    if stats.method == KEPT:
        return None, raw
    z = 0.0 if stats.method == FLAT else (raw - stats.mean) / stats.std
    return z, min(100.0, max(0.0, pool_mean + z * pool_std))


def contributions(scores: Sequence[tuple[int | None, int, Decimal | float]]) -> list[float]:
    """Each criterion's share of the weighted total, in points of 100 (they add up to it)."""
    weights = sum(float(weight) for _value, _max, weight in scores)
    if not weights:
        return [0.0 for _ in scores]
    return [
        (value or 0) / max_score * float(weight) / weights * 100
        for value, max_score, weight in scores
    ]


def display(value: float | None) -> float | None:
    """A score at the precision shown and compared."""
    return None if value is None else round(value, DECIMALS)


def _std(n: int, total: float, total_sq: float) -> float:
    variance = total_sq / n - (total / n) ** 2
    # Rounding can leave a tiny negative or a hair above zero for equal values.
    if variance <= 1e-9:
        return 0.0
    return math.sqrt(variance)


def _aggregate(item: ScoredApplication, ranking: Ranking) -> None:
    totals = item.totals
    if not totals:
        return
    raws = [t.raw for t in totals]
    item.raw_mean = sum(raws) / len(raws)
    if ranking.normalized:
        for entry in totals:
            entry.z, entry.normalized = normalize_total(
                entry.raw, ranking.jurors[entry.juror_id], ranking.pool_mean, ranking.pool_std
            )
        item.normalized_mean = sum(t.normalized for t in totals) / len(totals)
    if len(totals) >= 2:
        low = min(totals, key=lambda t: t.raw)
        high = max(totals, key=lambda t: t.raw)
        difference = high.raw - low.raw
        # Rounded like the figures shown; only near-threshold values need the rounding.
        if difference > ranking.threshold and round(difference, DECIMALS) > ranking.threshold:
            item.divergence = Divergence(
                low.juror_id, high.juror_id, difference, ranking.threshold
            )


def _rank(items: list[ScoredApplication]) -> None:
    shown = {item.id: display(item.score) for item in items}

    def order(item: ScoredApplication):
        app = item.application
        # A missing submission moment sorts last (aware and naive moments never meet).
        moment = app.submitted_at.timestamp() if app.submitted_at is not None else float("inf")
        return (-shown[item.id], moment, app.number if app.number is not None else app.id,
                app.id)

    items.sort(key=order)
    groups: dict[float, list[ScoredApplication]] = {}
    for position, item in enumerate(items, 1):
        item.rank = position
        groups.setdefault(shown[item.id], []).append(item)
    for score, group in groups.items():
        if len(group) < 2:
            continue
        moments = [g.application.submitted_at for g in group]
        rule = SUBMITTED_EARLIER if len(set(moments)) == len(moments) else LOWER_NUMBER
        tie = TieBreak(score, tuple(g.id for g in group), rule)
        for g in group:
            g.tie = tie
