"""The ranking rules, tested directly with figures computed by hand."""

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from pdcompetition.domain import awards as aw
from pdcompetition.domain import ranking as r
from pdcompetition.domain.ranking import ApplicationInput, SheetInput, compute_ranking

T0 = datetime(2024, 11, 1, 9, 0, tzinfo=UTC)

# One criterion out of 100 with weight 1: a juror's total equals the score given.
ONE = (100, Decimal("1"))


def app(app_id, nomination=1, minutes=0, number=None):
    return ApplicationInput(app_id, nomination, T0 + timedelta(minutes=minutes), number or app_id)


def sheet(app_id, juror_id, total, status="submitted"):
    return SheetInput(app_id, juror_id, status, [(total, *ONE)])


def test_weighted_total_of_a_sheet_and_mean_over_jurors():
    criteria = [(10, Decimal("1")), (10, Decimal("2")), (5, Decimal("1"))]
    # Juror 1: (0.8x1 + 0.6x2 + 1.0x1) / 4 x 100 = 75; juror 2: (0.2 + 0.8 + 0.2) / 4 x 100 = 30.
    sheets = [
        SheetInput(1, 1, "submitted", [(8, *criteria[0]), (6, *criteria[1]), (5, *criteria[2])]),
        SheetInput(1, 2, "submitted", [(2, *criteria[0]), (4, *criteria[1]), (1, *criteria[2])]),
    ]
    result = compute_ranking([app(1)], sheets, threshold=50)
    scored = result.applications[1]
    assert [t.raw for t in scored.totals] == pytest.approx([75.0, 30.0])
    assert scored.raw_mean == pytest.approx(52.5)
    assert scored.score == pytest.approx(52.5)
    assert scored.normalized_mean is None
    assert scored.rank == 1
    # Each criterion's share adds up to the total: 20 + 30 + 25.
    shares = r.contributions([(8, *criteria[0]), (6, *criteria[1]), (5, *criteria[2])])
    assert shares == pytest.approx([20.0, 30.0, 25.0])


def test_ranking_per_nomination_highest_first():
    apps = [app(1, 1), app(2, 1), app(3, 2), app(4, 2)]
    sheets = [sheet(1, 7, 60), sheet(2, 7, 85), sheet(3, 7, 40), sheet(4, 7, 90)]
    result = compute_ranking(apps, sheets)
    assert [a.id for a in result.nominations[1]] == [2, 1]
    assert [a.id for a in result.nominations[2]] == [4, 3]
    assert [a.rank for a in result.nominations[2]] == [1, 2]
    assert all(a.tie is None for a in result.applications.values())


def test_unsubmitted_sheets_are_listed_apart_not_ranked():
    apps = [app(1), app(2), app(3), app(4)]
    sheets = [
        sheet(1, 7, 90),
        sheet(1, 8, 90, status="draft"),  # one draft keeps the application out
        sheet(2, 7, 50),
        sheet(3, 7, 70),
        SheetInput(3, 8, "not_started"),
        SheetInput(4, 9, "submitted", [(None, *ONE)]),  # a submitted sheet with a gap
    ]
    result = compute_ranking(apps, sheets)
    assert [a.id for a in result.nominations[1]] == [2]
    pending = {a.id: a.pending for a in result.pending}
    assert pending == {1: [(8, r.DRAFT)], 3: [(8, r.NOT_STARTED)], 4: [(9, r.INCOMPLETE)]}
    assert result.applications[1].rank is None


def test_application_without_jurors_is_pending():
    result = compute_ranking([app(1)], [])
    assert result.pending[0].pending == [(None, r.NO_JURORS)]
    assert result.nominations == {}


def test_tie_broken_by_earlier_submission():
    # Same score 75; application 2 was submitted 5 minutes before application 1.
    apps = [app(1, minutes=10), app(2, minutes=5), app(3, minutes=0)]
    sheets = [sheet(1, 7, 75), sheet(2, 7, 75), sheet(3, 7, 60)]
    result = compute_ranking(apps, sheets)
    ranked = result.nominations[1]
    assert [(a.id, a.rank) for a in ranked] == [(2, 1), (1, 2), (3, 3)]
    tie = result.applications[1].tie
    assert tie is result.applications[2].tie
    assert tie.application_ids == (2, 1)
    assert tie.rule == r.SUBMITTED_EARLIER
    assert tie.score == 75.0
    assert result.applications[3].tie is None


def test_tie_compared_at_the_precision_shown():
    # 80.004 and 80.001 both show as 80.00: a tie, so the earlier submission wins
    # even though its unrounded mean is lower.
    fine = (100000, Decimal("1"))
    apps = [app(1, minutes=0), app(2, minutes=1)]
    sheets = [
        SheetInput(1, 7, "submitted", [(80001, *fine)]),
        SheetInput(2, 7, "submitted", [(80004, *fine)]),
    ]
    result = compute_ranking(apps, sheets)
    assert [a.id for a in result.nominations[1]] == [1, 2]
    assert result.applications[1].tie.application_ids == (1, 2)


def test_tie_at_the_same_moment_falls_back_to_the_number():
    apps = [app(1, minutes=0, number=12), app(2, minutes=0, number=3)]
    sheets = [sheet(1, 7, 50), sheet(2, 7, 50)]
    result = compute_ranking(apps, sheets)
    assert [a.id for a in result.nominations[1]] == [2, 1]
    assert result.applications[1].tie.rule == r.LOWER_NUMBER


def test_divergence_above_threshold_is_flagged():
    apps = [app(1), app(2), app(3)]
    sheets = [
        sheet(1, 7, 20), sheet(1, 8, 60), sheet(1, 9, 45),  # 60 - 20 = 40 > 30
        sheet(2, 7, 20), sheet(2, 8, 50),  # exactly 30: not more than the threshold
        sheet(3, 7, 90),  # a single juror: nothing to compare
    ]
    result = compute_ranking(apps, sheets, threshold=Decimal("30"))
    flagged = result.applications[1].divergence
    assert flagged.low_juror_id == 7 and flagged.high_juror_id == 8
    assert flagged.difference == pytest.approx(40.0)
    assert flagged.threshold == 30.0
    assert result.applications[2].divergence is None
    assert result.applications[3].divergence is None
    assert [a.id for a in result.divergent] == [1]
    # A lower threshold flags the second one too.
    lower = compute_ranking(apps, sheets, threshold=25)
    assert {a.id for a in lower.divergent} == {1, 2}


def test_normalization_cancels_lenient_and_harsh_jurors():
    # Juror 7 is lenient (90, 70: mean 80, sd 10), juror 8 harsh (30, 10: mean 20, sd 10).
    # Pool of all totals {90, 70, 30, 10}: mean 50, variance (1600+400+400+1600)/4 = 1000.
    apps = [app(1, minutes=0), app(2, minutes=1), app(3, minutes=2), app(4, minutes=3)]
    sheets = [sheet(1, 7, 90), sheet(2, 7, 70), sheet(3, 8, 30), sheet(4, 8, 10)]
    result = compute_ranking(apps, sheets, normalize=True)
    assert result.pool_mean == pytest.approx(50.0)
    assert result.pool_std == pytest.approx(math.sqrt(1000))
    lenient = result.jurors[7]
    assert (lenient.count, lenient.mean, lenient.std, lenient.method) == (2, 80.0, 10.0, r.ZSCORE)
    high, low = 50 + math.sqrt(1000), 50 - math.sqrt(1000)  # z = +1 and z = -1
    assert result.applications[1].totals[0].z == pytest.approx(1.0)
    assert result.applications[1].normalized_mean == pytest.approx(high)
    assert result.applications[3].normalized_mean == pytest.approx(high)
    assert result.applications[2].normalized_mean == pytest.approx(low)
    assert result.applications[4].normalized_mean == pytest.approx(low)
    # Both columns are kept; the ranking uses the normalized one: 1 and 3 tie on it.
    assert result.applications[3].raw_mean == pytest.approx(30.0)
    ranked = result.nominations[1]
    assert [a.id for a in ranked] == [1, 3, 2, 4]
    assert result.applications[3].tie.application_ids == (1, 3)


def test_normalization_of_a_juror_with_one_sheet_or_equal_totals():
    # Juror 7: 90, 70 (z-scores); juror 8: a single sheet (kept raw);
    # juror 9: 40 and 40 (no spread, both become the pool mean).
    apps = [app(i) for i in range(1, 6)]
    sheets = [
        sheet(1, 7, 90), sheet(2, 7, 70), sheet(3, 8, 55), sheet(4, 9, 40), sheet(5, 9, 40),
    ]
    result = compute_ranking(apps, sheets, normalize=True)
    # Pool {90, 70, 55, 40, 40}: mean 59.
    assert result.pool_mean == pytest.approx(59.0)
    assert result.jurors[8].method == r.KEPT
    assert result.jurors[9].method == r.FLAT
    assert result.applications[3].normalized_mean == pytest.approx(55.0)
    assert result.applications[3].totals[0].z is None
    assert result.applications[4].normalized_mean == pytest.approx(59.0)
    assert result.applications[5].totals[0].z == 0.0


def test_normalized_total_is_clamped_to_the_scale():
    stats = r.JurorStats(1, count=3, mean=50.0, std=10.0, method=r.ZSCORE)
    assert r.normalize_total(80.0, stats, pool_mean=80.0, pool_std=20.0) == (3.0, 100.0)
    assert r.normalize_total(20.0, stats, pool_mean=40.0, pool_std=20.0) == (-3.0, 0.0)


def test_the_same_data_gives_the_same_figures():
    apps = [app(i, minutes=i) for i in range(1, 30)]
    sheets = [sheet(i, 100 + (i * j) % 5, (i * 37 + j * 11) % 101) for i in range(1, 30)
              for j in range(3)]
    first = compute_ranking(apps, sheets, normalize=True, threshold=25)
    second = compute_ranking(list(reversed(apps)), list(reversed(sheets)), normalize=True,
                             threshold=25)
    assert [(a.id, a.score) for a in first.nominations[1]] == [
        (a.id, pytest.approx(a.score)) for a in second.nominations[1]
    ]


# Awards and the ranking (domain/awards.py).


def test_awards_following_the_ranking_need_no_reason():
    ranked = [11, 12, 13, 14, 15]
    given = {11: "winner", 12: "second", 13: "third", 14: "laureate", 15: "special_mention"}
    assert aw.departures(ranked, given) == {}
    assert aw.suggested_awards(ranked) == {11: "winner", 12: "second", 13: "third"}
    # Fewer awards than places is no departure either.
    assert aw.departures(ranked, {11: "winner"}) == {}


def test_place_given_to_another_rank_departs():
    ranked = [11, 12, 13]
    assert aw.departures(ranked, {12: "winner", 11: "second"}) == {
        12: aw.PLACE_MISMATCH, 11: aw.PLACE_MISMATCH,
    }
    # Two winners: the second one departs (ex aequo needs a reason).
    assert aw.departures(ranked, {11: "winner", 12: "winner"}) == {12: aw.PLACE_MISMATCH}


def test_higher_ranked_application_getting_less_makes_a_departure():
    ranked = [11, 12, 13, 14]
    # 12 gets nothing while 13 is a laureate.
    assert aw.departures(ranked, {11: "winner", 13: "laureate"}) == {13: aw.HIGHER_GETS_LESS}
    # 12 is only a laureate while 13 takes 3rd place.
    assert aw.departures(ranked, {11: "winner", 12: "laureate", 13: "third"}) == {
        13: aw.HIGHER_GETS_LESS
    }


def test_unranked_application_awarded_departs_but_a_mention_never_does():
    ranked = [11, 12]
    assert aw.departures(ranked, {11: "winner", 99: "laureate"}) == {99: aw.UNRANKED}
    assert aw.departures(ranked, {99: "special_mention", 12: "special_mention"}) == {}
