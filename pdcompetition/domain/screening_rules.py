"""Screening decisions: what each one does to an application and what it requires."""

from datetime import datetime

from flask_babel import lazy_gettext as _l

from ..models.applications import ApplicationState as S
from .application_states import can_transition

# decision -> the state it moves the application to.
DECISIONS: dict[str, S] = {
    "accept": S.ACCEPTED,
    "reject": S.REJECTED,
    "return": S.RETURNED,
    "reopen": S.SUBMITTED,  # a rejection reversed (e.g. on appeal)
}

DECISION_TITLES = {
    "accept": _l("Accept"),
    "reject": _l("Reject"),
    "return": _l("Return for changes"),
    "reopen": _l("Reverse the rejection"),
}


def available_decisions(state: S) -> list[str]:
    """The decisions the organizers may take on an application in `state`."""
    return [
        name for name, target in DECISIONS.items() if can_transition(state, target, "organizer")
    ]


def decision_problems(
    decision: str,
    comment: str,
    changes_due_at: datetime | None,
    *,
    now: datetime,
    judging_close_at: datetime | None = None,
) -> dict[str, str]:
    """Field -> message for what a decision lacks: a reason, a comment, a sensible deadline."""
    problems: dict[str, str] = {}
    comment = (comment or "").strip()
    if decision == "reject" and not comment:
        problems["comment"] = _l("Give the reason: the applicant will read it.")
    if decision == "return":
        if not comment:
            problems["comment"] = _l("Say what the applicant should change.")
        if changes_due_at is None:
            problems["changes_due_at"] = _l("Set the date by which the changes are due.")
        elif changes_due_at <= now:
            problems["changes_due_at"] = _l("The deadline must be in the future.")
        elif judging_close_at is not None and changes_due_at >= judging_close_at:
            problems["changes_due_at"] = _l("The deadline must be before judging closes.")
    return problems
