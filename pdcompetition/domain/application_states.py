"""The application state machine: which transitions exist and who makes them."""

from ..models.applications import ApplicationState as S

# (from, to) -> who may make the transition.
TRANSITIONS: dict[tuple[S, S], str] = {
    (S.DRAFT, S.SUBMITTED): "applicant",
    (S.RETURNED, S.SUBMITTED): "applicant",  # resubmission after changes
    (S.DRAFT, S.WITHDRAWN): "applicant",
    (S.SUBMITTED, S.WITHDRAWN): "applicant",
    (S.RETURNED, S.WITHDRAWN): "applicant",
    (S.ACCEPTED, S.WITHDRAWN): "applicant",  # only before the jury starts (checked by caller)
    (S.SUBMITTED, S.ACCEPTED): "organizer",
    (S.SUBMITTED, S.REJECTED): "organizer",
    (S.SUBMITTED, S.RETURNED): "organizer",
    (S.ACCEPTED, S.REJECTED): "organizer",  # e.g. found ineligible later
    (S.REJECTED, S.SUBMITTED): "organizer",  # a rejection reversed on appeal
}

# States in which the applicant may still edit the content.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})


class TransitionNotAllowed(Exception):
    """Raised for a transition the state machine does not have."""

    def __init__(self, current: S, target: S):
        super().__init__(f"{current.value} -> {target.value}")
        self.current = current
        self.target = target


def can_transition(current: S, target: S, actor_kind: str) -> bool:
    """True when `actor_kind` ("applicant" or "organizer") may move current -> target."""
    return TRANSITIONS.get((current, target)) == actor_kind


def check_transition(current: S, target: S, actor_kind: str) -> None:
    """Raise TransitionNotAllowed unless the transition is allowed for the actor."""
    if not can_transition(current, target, actor_kind):
        raise TransitionNotAllowed(current, target)
