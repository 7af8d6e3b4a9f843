"""Declaring a conflict of interest on an assigned application."""

import sqlalchemy as sa

from .. import audit
from ..extensions import db
from ..mail.outbox import queue_mail
from ..models import Assignment, ConflictDeclaration, Role, User, UserRole
from .services import sheet_snapshot


def declare_conflict(assignment: Assignment, reason: str, actor: User) -> ConflictDeclaration:
    """Record the juror's conflict of interest: the application leaves their list, their
    sheet is discarded (its values kept in the audit log) and the organizers are told."""
    application = assignment.application
    sheet = assignment.score_sheet
    declaration = ConflictDeclaration(
        application_id=application.id, juror_id=actor.id, reason=reason.strip()
    )
    db.session.add(declaration)
    data = {"application_id": application.id, "reason": declaration.reason}
    if sheet is not None:
        data["discarded_sheet"] = {
            "status": sheet.status,
            "version": sheet.version,
            "values": {str(cid): value for cid, (value, _c) in sheet_snapshot(sheet).items()},
        }
        db.session.delete(sheet)
    db.session.flush()
    audit.record(
        "jury.conflict_declared", declaration, data=data, actor=actor,
        edition_id=application.edition_id,
    )
    for organizer in _organizers():
        queue_mail(
            organizer.email, "jury_conflict_declared", organizer.locale,
            organizer=organizer, juror=actor, application=application, reason=declaration.reason,
        )
    return declaration


def _organizers() -> list[User]:
    return list(
        db.session.scalars(
            sa.select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.ORGANIZER, User.is_active_account.is_(True))
            .order_by(User.id)
        )
    )
