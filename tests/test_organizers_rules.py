"""The rules that keep an edition coherent and the screening decisions, tested directly."""

from datetime import UTC, datetime, timedelta

import pytest

from pdcompetition.domain import edition_rules as rules
from pdcompetition.domain import screening_rules
from pdcompetition.models import ApplicationState as S

T0 = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def dates(open_=0, close=30, judging=60, results=70):
    """Key dates as day offsets from T0 (None leaves a date unset)."""

    def at(days):
        return None if days is None else T0 + timedelta(days=days)

    return {
        "applications_open_at": at(open_),
        "applications_close_at": at(close),
        "judging_close_at": at(judging),
        "results_publish_at": at(results),
    }


def test_dates_in_order_have_no_problems():
    assert rules.date_problems(dates()) == {}


def test_judging_may_close_when_applications_close_and_results_come_right_after():
    assert rules.date_problems(dates(close=30, judging=30, results=30)) == {}


def test_applications_must_close_strictly_after_they_open():
    problems = rules.date_problems(dates(open_=5, close=5))
    assert list(problems) == ["applications_close_at"]
    assert "later than “Applications open”" in str(problems["applications_close_at"])


def test_judging_before_close_is_refused():
    problems = rules.date_problems(dates(close=30, judging=29))
    assert list(problems) == ["judging_close_at"]
    assert "not be earlier than “Applications close”" in str(problems["judging_close_at"])


def test_results_before_judging_is_refused():
    problems = rules.date_problems(dates(judging=60, results=59))
    assert list(problems) == ["results_publish_at"]


def test_a_missing_date_is_skipped_and_the_nearest_earlier_one_is_used():
    problems = rules.date_problems(dates(close=None, judging=None, results=-1))
    assert list(problems) == ["results_publish_at"]
    assert "Applications open" in str(problems["results_publish_at"])
    assert rules.date_problems(dates(close=None, judging=None)) == {}


def test_an_active_edition_needs_its_three_dates():
    problems = rules.date_problems(dates(open_=None, close=None, judging=None), active=True)
    assert set(problems) == {
        "applications_open_at",
        "applications_close_at",
        "judging_close_at",
    }
    assert rules.date_problems(dates(results=None), active=True) == {}


@pytest.mark.parametrize(
    ("ordinal", "taken", "expected"),
    [
        (3, [1, 2], None),
        (2, [1, 2], "Edition II already exists."),
        (0, [], "The edition number must be 1 or more."),
        (None, [], "The edition number must be 1 or more."),
    ],
)
def test_ordinal_must_be_positive_and_unique(ordinal, taken, expected):
    problem = rules.ordinal_problem(ordinal, taken)
    assert (str(problem) if problem else None) == expected


def test_used_items_cannot_be_deleted():
    assert rules.can_delete(0)
    assert rules.deletion_problem(0) is None
    assert not rules.can_delete(4)
    assert "in use (4)" in str(rules.deletion_problem(4))


def test_max_score_cannot_drop_below_a_given_score():
    assert rules.max_score_problem(5, None) is None
    assert rules.max_score_problem(8, 8) is None
    assert "up to 9" in str(rules.max_score_problem(8, 9))


def test_deadline_changes_list_only_what_changed_in_date_order():
    before, after = dates(), dates(close=35, results=None)
    changes = rules.deadline_changes(before, after)
    assert [c.field for c in changes] == ["applications_close_at", "results_publish_at"]
    assert changes[0].old == T0 + timedelta(days=30)
    assert changes[0].new == T0 + timedelta(days=35)
    assert changes[1].new is None
    assert rules.deadline_changes(before, dates()) == []


def test_reorder_moves_one_place_and_stops_at_the_ends():
    assert rules.reorder([1, 2, 3], 2, -1) == [2, 1, 3]
    assert rules.reorder([1, 2, 3], 2, 1) == [1, 3, 2]
    assert rules.reorder([1, 2, 3], 1, -1) == [1, 2, 3]
    assert rules.reorder([1, 2, 3], 3, 1) == [1, 2, 3]
    assert rules.reorder([1, 2, 3], 9, 1) == [1, 2, 3]


@pytest.mark.parametrize(
    ("state", "decisions"),
    [
        (S.SUBMITTED, ["accept", "reject", "return"]),
        (S.ACCEPTED, ["reject"]),
        (S.REJECTED, ["reopen"]),
        (S.RETURNED, []),
        (S.DRAFT, []),
        (S.WITHDRAWN, []),
    ],
)
def test_available_decisions_follow_the_state_machine(state, decisions):
    assert screening_rules.available_decisions(state) == decisions


def test_reject_needs_a_reason():
    problems = screening_rules.decision_problems("reject", "  ", None, now=T0)
    assert list(problems) == ["comment"]
    assert screening_rules.decision_problems("reject", "Not an NGO", None, now=T0) == {}
    assert screening_rules.decision_problems("accept", "", None, now=T0) == {}


def test_return_needs_a_comment_and_a_future_deadline_before_judging_closes():
    check = screening_rules.decision_problems
    assert set(check("return", "", None, now=T0)) == {"comment", "changes_due_at"}
    assert "future" in str(check("return", "Fix it", T0, now=T0)["changes_due_at"])
    closes = T0 + timedelta(days=10)
    late = check("return", "Fix it", closes, now=T0, judging_close_at=closes)
    assert "before judging closes" in str(late["changes_due_at"])
    assert check("return", "Fix it", T0 + timedelta(days=3), now=T0, judging_close_at=closes) == {}
