"""How many applications a person may have in an edition: one, or one per nomination."""

from ..models.applications import ApplicationState as S

# A withdrawn application no longer takes the person's place.
_NOT_COUNTING = frozenset({S.WITHDRAWN})


def counts(application) -> bool:
    """True when the application takes up the person's place in the edition."""
    return application.state not in _NOT_COUNTING


def may_start_another(edition, existing) -> bool:
    """True when the person may start one more application in `edition`.

    `existing` holds the person's applications in that edition.
    """
    active = [a for a in existing if counts(a)]
    if edition.one_application_per_nomination:
        return len(active) < len(edition.active_nominations)
    return not active


def nomination_taken(application, nomination_id: int | None, existing) -> bool:
    """True when another of the person's applications already uses that nomination
    (only matters when the edition allows one application per nomination)."""
    if nomination_id is None or not application.edition.one_application_per_nomination:
        return False
    return any(
        other.id != application.id and counts(other) and other.nomination_id == nomination_id
        for other in existing
    )


def blocking_application(application, existing):
    """Another application of the same person that forbids submitting this one, or None.

    Drafts do not block (only one of two drafts can ever be submitted); submitted ones do,
    in the whole edition or, when the edition allows it, in the same nomination.
    """
    per_nomination = application.edition.one_application_per_nomination
    for other in existing:
        if other.id == application.id or not counts(other) or other.state == S.DRAFT:
            continue
        if not per_nomination or other.nomination_id == application.nomination_id:
            return other
    return None
