"""Who may see an application and its documents: one loader per object, checks included."""

from flask import abort
from flask_login import current_user

from ..extensions import db
from ..models import Application, Assignment, Attachment, ConflictDeclaration, Role, User


def _for_update(query):
    """Lock the row on PostgreSQL so concurrent writes to it wait (SQLite serializes anyway)."""
    if db.engine.dialect.name == "postgresql":
        return query.with_for_update().execution_options(populate_existing=True)
    return query


def is_owner(user, application: Application) -> bool:
    return user.is_authenticated and application.owner_id == user.id


def is_organizer(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ORGANIZER)


def is_assigned_juror(user, application: Application) -> bool:
    """True for a juror assigned to the application who has not declared a conflict."""
    if not user.is_authenticated:
        return False
    assigned = db.session.scalar(
        db.select(Assignment.id).where(
            Assignment.application_id == application.id, Assignment.juror_id == user.id
        )
    )
    if assigned is None:
        return False
    conflict = db.session.scalar(
        db.select(ConflictDeclaration.id).where(
            ConflictDeclaration.application_id == application.id,
            ConflictDeclaration.juror_id == user.id,
        )
    )
    return conflict is None


def can_view(user, application: Application) -> bool:
    """The application itself, its print view and PDF: the owner and the organizers."""
    return is_owner(user, application) or is_organizer(user)


def can_download(user, application: Application) -> bool:
    """Its documents: also the jurors assigned to it, unless they declared a conflict."""
    return can_view(user, application) or is_assigned_juror(user, application)


def get_application(application_id: int, *, owner_only: bool = False, lock: bool = False):
    """The application if the signed-in user may see it (only its owner when `owner_only`),
    otherwise 404, so another person's application does not even show that it exists."""
    query = db.select(Application).where(Application.id == application_id)
    application = db.session.scalar(_for_update(query) if lock else query)
    if application is None:
        abort(404)
    allowed = is_owner(current_user, application) if owner_only else can_view(
        current_user, application
    )
    if not allowed:
        abort(404)
    return application


def get_attachment(attachment_id: int) -> Attachment:
    """A document the signed-in user may download, otherwise 404."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not can_download(current_user, attachment.application):
        abort(404)
    return attachment


def lock_user(user) -> None:
    """Serialize one person's starts and submissions (the one-application rule) on PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        db.session.scalar(_for_update(db.select(User).where(User.id == user.id)))
