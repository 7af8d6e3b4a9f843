"""One click after diverging scores: assign one more juror without a conflict.

The choice and the checks belong to the jury administration (`jury_admin.services`): it
knows every conflict rule, nomination pool, cap and forbid; the least loaded eligible
juror is taken.
"""

from flask_babel import lazy_gettext as _l

from .. import audit
from ..extensions import db
from ..jury_admin import services as jury_services
from ..models import Application, AssignmentSource, User
from .services import ResultsError


def assign_extra_juror(application: Application, actor: User) -> User:
    """Assign one more juror to an application with diverging scores; returns the juror."""
    if application.edition.jury_closed_at is not None:
        raise ResultsError(_l("The jury is closed: no juror can be added any more."))
    candidates = jury_services.eligible_jurors(application)
    if not candidates:
        raise ResultsError(_l(
            "No juror without a conflict is available for this application: "
            "invite another juror or raise a cap."
        ))
    juror = candidates[0]
    try:
        jury_services.assign_juror(application, juror, actor, AssignmentSource.DIVERGENCE)
    except jury_services.AssignmentError as error:
        raise ResultsError(str(error)) from error
    audit.record("results.extra_juror_assigned", application, actor=actor,
                 data={"juror_id": juror.id, "application": application.display_number})
    db.session.flush()
    return juror
