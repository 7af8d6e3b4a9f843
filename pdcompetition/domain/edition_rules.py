"""Rules that keep an edition coherent: dates in order, a unique ordinal, used items kept."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l

# The edition's key moments, in the order they must happen.
DEADLINE_FIELDS = (
    "applications_open_at",
    "applications_close_at",
    "judging_close_at",
    "results_publish_at",
)

DATE_LABELS = {
    "applications_open_at": _l("Applications open"),
    "applications_close_at": _l("Applications close"),
    "judging_close_at": _l("Judging closes"),
    "results_publish_at": _l("Results announced at the forum"),
}

# Dates an active edition cannot run without (the forum may be fixed later).
REQUIRED_WHEN_ACTIVE = ("applications_open_at", "applications_close_at", "judging_close_at")


def date_problems(dates: dict[str, datetime | None], *, active: bool = False) -> dict[str, str]:
    """Field -> message for each date that is missing (when `active`) or out of order.

    Applications must close strictly after they open; judging may close the moment
    applications do at the earliest, and results cannot be announced before judging closes.
    Each date is compared with the nearest earlier date that is set.
    """
    problems: dict[str, str] = {}
    if active:
        for field in REQUIRED_WHEN_ACTIVE:
            if dates.get(field) is None:
                problems[field] = _l("An active edition needs this date.")
    previous: str | None = None
    for field in DEADLINE_FIELDS:
        value = dates.get(field)
        if value is None:
            continue
        if previous is not None and field not in problems:
            earlier = dates[previous]
            strict = previous == "applications_open_at"
            if (value <= earlier) if strict else (value < earlier):
                message = (
                    _l("Must be later than “%(other)s”.", other=DATE_LABELS[previous])
                    if strict
                    else _l("Must not be earlier than “%(other)s”.", other=DATE_LABELS[previous])
                )
                problems[field] = message
        previous = field
    return problems


def ordinal_problem(ordinal: int | None, taken: Iterable[int]) -> str | None:
    """Why `ordinal` cannot be used, given the ordinals of the other editions (None if fine)."""
    if ordinal is None or ordinal < 1:
        return _l("The edition number must be 1 or more.")
    if ordinal in set(taken):
        from ..models.editions import roman

        return _l("Edition %(number)s already exists.", number=roman(ordinal))
    return None


def can_delete(uses: int) -> bool:
    """A nomination or criterion may be deleted only while nothing refers to it."""
    return uses == 0


def deletion_problem(uses: int) -> str | None:
    """Why an item in use cannot be deleted (it is archived instead)."""
    if can_delete(uses):
        return None
    return _l(
        "It is already in use (%(uses)s), so it cannot be deleted. Archive it instead: "
        "it stays on existing applications and scores but is no longer offered.",
        uses=uses,
    )


def max_score_problem(new_max: int, highest_given: int | None) -> str | None:
    """A criterion's maximum cannot drop below a score jurors have already given."""
    if highest_given is not None and new_max < highest_given:
        return _l(
            "Jurors have already given scores up to %(score)s on this criterion; "
            "the maximum cannot be lower.",
            score=highest_given,
        )
    return None


@dataclass(frozen=True)
class DeadlineChange:
    """One date of an edition that changed, for the audit log."""

    field: str
    old: datetime | None
    new: datetime | None


def deadline_changes(
    before: dict[str, datetime | None], after: dict[str, datetime | None]
) -> list[DeadlineChange]:
    """The key dates that differ between two versions of an edition, in date order."""
    return [
        DeadlineChange(field, before.get(field), after.get(field))
        for field in DEADLINE_FIELDS
        if before.get(field) != after.get(field)
    ]


def reorder(ids: list[int], moved_id: int, direction: int) -> list[int]:
    """The ids with `moved_id` swapped one place up (-1) or down (+1); unchanged at the ends."""
    ids = list(ids)
    if moved_id not in ids:
        return ids
    index = ids.index(moved_id)
    target = index + direction
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
    return ids
