"""When an applicant may start, edit, submit and withdraw: Moscow deadlines on the server clock."""

from datetime import datetime

from ..models.applications import ApplicationState as S
from .application_states import EDITABLE_STATES, can_transition
from .moscow_time import now_utc
from .stages import applications_open


def can_start(edition, now: datetime | None = None) -> bool:
    """A new application may be started while the edition accepts applications."""
    return applications_open(edition, now)


def edit_deadline(application) -> datetime | None:
    """The moment after which the applicant can no longer change or submit the application."""
    if application.state == S.RETURNED and application.changes_due_at is not None:
        return application.changes_due_at
    if application.state in EDITABLE_STATES:
        return application.edition.applications_close_at
    return None


def can_edit(application, now: datetime | None = None) -> bool:
    """True while the applicant may change the content.

    A draft follows the edition's deadline; an application returned for changes follows
    the deadline the organizers set (the edition's when they set none). After that,
    whatever the browser says, nothing changes.
    """
    now = now or now_utc()
    if application.state == S.DRAFT:
        return applications_open(application.edition, now)
    if application.state == S.RETURNED:
        if application.changes_due_at is None:
            return applications_open(application.edition, now)
        return now < application.changes_due_at
    return False


def can_submit(application, now: datetime | None = None) -> bool:
    """Submission (and resubmission) is allowed exactly while editing is."""
    return can_edit(application, now) and can_transition(
        application.state, S.SUBMITTED, "applicant"
    )


def can_withdraw(application, jury_started: bool) -> bool:
    """The applicant may withdraw until the jury starts on the application."""
    return not jury_started and can_transition(application.state, S.WITHDRAWN, "applicant")
