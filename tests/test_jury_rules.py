"""The score sheet rules, tested directly (no database, no request)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from pdcompetition.domain import score_rules as rules

NOW = datetime(2024, 11, 20, 12, 0, tzinfo=UTC)


def criterion(cid, max_score=10, weight="1", edition_id=1, archived=False):
    return SimpleNamespace(
        id=cid,
        max_score=max_score,
        weight=Decimal(weight),
        edition_id=edition_id,
        archived_at=NOW if archived else None,
    )


def edition(judging_in=timedelta(days=3), closed=False):
    return SimpleNamespace(
        judging_close_at=NOW + judging_in if judging_in is not None else None,
        jury_closed_at=NOW - timedelta(hours=1) if closed else None,
    )


CRITERIA = [criterion(1, 10), criterion(2, 5, "2")]


def check(scores, comments=None, submit=False, criteria=CRITERIA):
    return rules.check_sheet(criteria, scores, comments or {}, edition_id=1, submit=submit)


@pytest.mark.parametrize(
    ("raw", "value", "has_error"),
    [
        ("7", 7, False),
        (" 0 ", 0, False),
        ("", None, False),
        (None, None, False),
        ("+4", 4, False),
        ("-1", -1, False),
        ("7.5", None, True),
        ("7,5", None, True),
        ("семь", None, True),
        ("1e3", None, True),
        ("²", None, True),
        ("99999999999999999999", 10**9, False),
    ],
)
def test_parse_score(raw, value, has_error):
    parsed, error = rules.parse_score(raw)
    assert parsed == value
    assert (error is not None) is has_error


def test_valid_complete_sheet_passes_and_keeps_values():
    result = check({1: "7", 2: "3"}, {1: " good ", 2: ""}, submit=True)
    assert result.ok
    assert result.values == {1: 7, 2: 3}
    assert result.comments == {1: "good", 2: ""}


@pytest.mark.parametrize("raw", ["11", "-1", "100"])
def test_score_above_maximum_or_negative_is_refused(raw):
    result = check({1: raw, 2: "3"})
    assert not result.ok
    assert "score_1" in result.field_errors
    assert "0" in str(result.field_errors["score_1"][0])
    assert "10" in str(result.field_errors["score_1"][0])


def test_maximum_is_per_criterion():
    assert not check({1: "7", 2: "6"}).ok  # criterion 2 goes to 5
    assert check({1: "10", 2: "5"}, {1: "why", 2: "why"}, submit=True).ok


def test_non_integer_is_refused_next_to_the_field():
    result = check({1: "7.5", 2: "3"})
    assert list(result.field_errors) == ["score_1"]


def test_draft_may_leave_values_empty_but_submit_may_not():
    assert check({1: "", 2: "3"}).ok
    assert check({}).ok
    result = check({1: "", 2: "3"}, submit=True)
    assert list(result.field_errors) == ["score_1"]


@pytest.mark.parametrize(("scores", "field"), [({1: "0", 2: "3"}, "comment_1"),
                                                ({1: "5", 2: "5"}, "comment_2")])
def test_extreme_score_needs_a_comment_on_submit(scores, field):
    result = check(scores, submit=True)
    assert list(result.field_errors) == [field]
    assert check(scores, {1: "Объяснение", 2: "Объяснение"}, submit=True).ok
    # A draft may be saved before the comment is written.
    assert check(scores).ok


def test_whitespace_is_not_a_comment():
    assert not check({1: "0", 2: "3"}, {1: "   "}, submit=True).ok


def test_criterion_of_another_edition_is_refused():
    foreign = [*CRITERIA, criterion(3, edition_id=2)]
    result = check({1: "7", 2: "3", 3: "4"}, criteria=foreign)
    assert result.form_errors
    assert 3 not in result.values


def test_unknown_criterion_is_refused():
    result = check({1: "7", 2: "3", 99: "4"})
    assert result.form_errors
    assert result.values == {1: 7, 2: 3}  # what was typed is kept


def test_archived_criterion_is_refused_and_not_required():
    criteria = [*CRITERIA, criterion(3, archived=True)]
    assert check({1: "7", 2: "3"}, criteria=criteria, submit=True).ok
    assert check({1: "7", 2: "3", 3: "2"}, criteria=criteria).form_errors


def test_scoring_open_before_deadline():
    assert rules.scoring_closed_reason(edition(), NOW) is None
    assert rules.scoring_closed_reason(edition(judging_in=None), NOW) is None


def test_scoring_closed_at_the_deadline_and_after():
    assert rules.scoring_closed_reason(edition(timedelta(0)), NOW) is not None
    assert rules.scoring_closed_reason(edition(timedelta(seconds=-1)), NOW) is not None


def test_scoring_closed_once_the_jury_is_closed_even_before_deadline():
    reason = rules.scoring_closed_reason(edition(closed=True), NOW)
    assert "closed the jury" in str(reason)


def test_refusal_for_conflict_and_unassigned():
    ed = edition()
    assert rules.scoring_refusal(ed, assigned=True, conflict_declared=False, now=NOW) is None
    conflict = rules.scoring_refusal(ed, assigned=True, conflict_declared=True, now=NOW)
    assert "conflict of interest" in str(conflict)
    unassigned = rules.scoring_refusal(ed, assigned=False, conflict_declared=False, now=NOW)
    assert "not assigned" in str(unassigned)
    late = rules.scoring_refusal(
        edition(timedelta(days=-1)), assigned=True, conflict_declared=False, now=NOW
    )
    assert "deadline" in str(late)


def test_sheet_total_is_weighted_and_none_while_incomplete():
    assert rules.sheet_total(CRITERIA, {1: 10, 2: 5}) == pytest.approx(100)
    # 5/10 weight 1 and 5/5 weight 2: (0.5 + 2) / 3
    assert rules.sheet_total(CRITERIA, {1: 5, 2: 5}) == pytest.approx(250 / 3)
    assert rules.sheet_total(CRITERIA, {1: 5, 2: None}) is None


def test_sheet_changes_lists_only_what_differs():
    old = {1: (5, "a"), 2: (3, "")}
    new = {1: (6, "a"), 2: (3, ""), 3: (2, "new")}
    assert rules.sheet_changes(old, new) == {
        1: {"old": 5, "new": 6, "old_comment": "a", "new_comment": "a"},
        3: {"old": None, "new": 2, "old_comment": "", "new_comment": "new"},
    }
    assert rules.sheet_changes(old, old) == {}
