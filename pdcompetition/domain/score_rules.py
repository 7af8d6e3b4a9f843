"""What a juror may put in a score sheet, and when: the rules the server holds.

Plain functions with no request context. Messages are lazy translations, rendered in the
juror's language next to the field they concern.
"""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from .moscow_time import now_utc
from .scoring import weighted_total

# Only applications admitted to the jury are scored (see ApplicationState.ACCEPTED).
JUDGEABLE_STATE_VALUES = frozenset({"accepted"})


def score_field(criterion_id: int) -> str:
    """The form field name of the score on one criterion."""
    return f"score_{criterion_id}"


def comment_field(criterion_id: int) -> str:
    """The form field name of the comment on one criterion."""
    return f"comment_{criterion_id}"


def scoring_closed_reason(edition, now: datetime | None = None):
    """Why the edition's score sheets are read-only now, or None while jurors may score.

    The organizers' closing of the jury ends scoring at once; otherwise the judging
    deadline does (none set yet: scoring stays open until the organizers close the jury).
    """
    now = now or now_utc()
    if edition.jury_closed_at is not None and edition.jury_closed_at <= now:
        return _l("The organizers have closed the jury: score sheets can no longer be changed.")
    if edition.judging_close_at is not None and now >= edition.judging_close_at:
        return _l("The judging deadline has passed: score sheets can no longer be changed.")
    return None


def scoring_refusal(
    edition, *, assigned: bool, conflict_declared: bool, now: datetime | None = None
):
    """Why this juror may not change this score sheet, or None when they may."""
    if conflict_declared:
        return _l("You declared a conflict of interest on this application; you cannot score it.")
    if not assigned:
        return _l("This application is not assigned to you.")
    return scoring_closed_reason(edition, now)


def parse_score(raw) -> tuple[int | None, object | None]:
    """A typed score as an integer (None when empty) and an error message when it is not one."""
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None, None
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isdecimal():
        return None, _l("Enter a whole number, without fractions or letters.")
    if len(digits) > 9:  # far out of any range; int() of huge strings is slow or refused
        return (-(10**9) if text[0] == "-" else 10**9), None
    return int(text), None


@dataclass
class SheetCheck:
    """The outcome of checking a typed score sheet."""

    values: dict[int, int | None] = field(default_factory=dict)
    comments: dict[int, str] = field(default_factory=dict)
    field_errors: dict[str, list] = field(default_factory=dict)
    form_errors: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.field_errors and not self.form_errors

    def add(self, name: str, message) -> None:
        self.field_errors.setdefault(name, []).append(message)


def check_sheet(
    criteria,
    raw_scores: dict[int, str],
    raw_comments: dict[int, str],
    *,
    edition_id: int,
    submit: bool,
) -> SheetCheck:
    """Check typed scores against the edition's active criteria.

    `criteria` are the criteria the sheet is scored on (the edition's active ones);
    `raw_scores` and `raw_comments` map criterion ids, as sent, to the typed text.
    A draft may leave values empty; submitting needs every value, and an extreme
    score (0 or the maximum) needs a comment saying why.
    """
    check = SheetCheck()
    by_id = {
        c.id: c for c in criteria if c.edition_id == edition_id and c.archived_at is None
    }
    if set(raw_scores) - set(by_id) or set(raw_comments) - set(by_id):
        check.form_errors.append(
            _l(
                "The form holds a criterion that is not among this edition's current criteria "
                "(it was removed or belongs to another edition). Your other values are kept: "
                "check them and save again."
            )
        )
    for criterion_id, criterion in by_id.items():
        name = score_field(criterion_id)
        comment = (raw_comments.get(criterion_id) or "").strip()
        check.comments[criterion_id] = comment
        value, error = parse_score(raw_scores.get(criterion_id))
        check.values[criterion_id] = value
        if error is not None:
            check.add(name, error)
        elif value is None:
            if submit:
                check.add(name, _l("Give a score on this criterion before submitting."))
        elif not 0 <= value <= criterion.max_score:
            check.add(
                name,
                _l("The score must be from 0 to %(max)s.", max=criterion.max_score),
            )
        elif submit and value in (0, criterion.max_score) and not comment:
            check.add(
                comment_field(criterion_id),
                _l(
                    "A score of %(value)s is an extreme score: explain it in a comment.",
                    value=value,
                ),
            )
    return check


def sheet_total(criteria, values: dict[int, int | None]) -> float | None:
    """The weighted total (0-100) of the values on the given criteria, None while incomplete."""
    return weighted_total((values.get(c.id), c.max_score, c.weight) for c in criteria)


def sheet_changes(
    old: dict[int, tuple[int | None, str]], new: dict[int, tuple[int | None, str]]
) -> dict[int, dict]:
    """Per criterion id, the old and new (value, comment) where they differ; for the audit."""
    changes = {}
    for criterion_id in sorted(set(old) | set(new)):
        before = old.get(criterion_id, (None, ""))
        after = new.get(criterion_id, (None, ""))
        if before != after:
            changes[criterion_id] = {
                "old": before[0],
                "new": after[0],
                "old_comment": before[1],
                "new_comment": after[1],
            }
    return changes
