"""Applicant operations: start, save, attach, submit, withdraw. They flush; the view commits."""

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit
from ..domain import application_content, deadlines, eligibility, field_merge
from ..domain.application_states import EDITABLE_STATES, check_transition
from ..domain.moscow_time import now_utc
from ..extensions import db
from ..mail.outbox import queue_mail
from ..models import (
    Application,
    ApplicationState,
    ApplicationStatusChange,
    Assignment,
    Attachment,
    JuryMember,
    Role,
)
from . import access, uploads


class Refused(Exception):
    """The operation is not possible now; `reason` is a code the view turns into a message."""

    def __init__(self, reason: str, other: Application | None = None):
        super().__init__(reason)
        self.reason = reason
        self.other = other


class StaleApplication(Exception):
    """Another save changed the application between reading and writing it."""


def my_applications(user) -> list[Application]:
    """All of a person's applications across editions, newest edition first, eager-loaded."""
    from ..models import Edition

    return list(
        db.session.scalars(
            db.select(Application)
            .join(Application.edition)
            .where(Application.owner_id == user.id)
            .options(selectinload(Application.edition), selectinload(Application.nomination))
            .order_by(Edition.ordinal.desc(), Application.id)
        )
    )


def applications_in_edition(user, edition) -> list[Application]:
    return list(
        db.session.scalars(
            db.select(Application)
            .where(Application.owner_id == user.id, Application.edition_id == edition.id)
            .order_by(Application.id)
        )
    )


def is_jury_member(user, edition) -> bool:
    return db.session.scalar(
        db.select(JuryMember.id).where(
            JuryMember.edition_id == edition.id, JuryMember.user_id == user.id
        )
    ) is not None


def start_application(user, edition) -> Application:
    """A new draft for `edition`, prefilled from the account; Refused when not allowed."""
    if not deadlines.can_start(edition, now_utc()):
        raise Refused("closed")
    if is_jury_member(user, edition):
        raise Refused("jury_member")
    access.lock_user(user)
    existing = applications_in_edition(user, edition)
    if not eligibility.may_start_another(edition, existing):
        active = [a for a in existing if eligibility.counts(a)]
        raise Refused("exists", other=active[0] if active else None)
    application = Application(
        edition=edition, owner=user, state=ApplicationState.DRAFT,
        full_name=user.full_name or "", email=user.email,
    )
    user.grant(Role.APPLICANT)
    db.session.add(application)
    db.session.flush()
    audit.record("application.created", application, actor=user)
    return application


def current_values(application: Application, names) -> dict:
    return {name: getattr(application, name) for name in names}


def _bump_version(application: Application) -> None:
    """Move to the next version only if nobody else did meanwhile (atomic on every backend)."""
    result = db.session.execute(
        sa.update(Application)
        .where(Application.id == application.id, Application.version == application.version)
        .values(version=application.version + 1)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StaleApplication()
    set_committed_value(application, "version", application.version + 1)


def save_section(
    application: Application, values: dict, posted_version: int | None, base: dict[str, str]
) -> field_merge.Merge:
    """Write a section's values; never overwrite blindly what another tab or device saved.

    With the version the form was shown at, every changed value is written. With an older
    one, the values are merged per field: what only this save changed is written, what only
    the other save changed is kept, and fields both changed come back as conflicts.
    """
    stored = current_values(application, values)
    if posted_version == application.version:
        result = field_merge.Merge(
            apply={
                name: value
                for name, value in values.items()
                if field_merge.fingerprint(value) != field_merge.fingerprint(stored[name])
            }
        )
    else:
        result = field_merge.merge(base, values, stored)
    if result.apply:
        _bump_version(application)
        for name, value in result.apply.items():
            setattr(application, name, value)
        db.session.flush()
    return result


def nomination_taken(application: Application, nomination_id: int | None) -> bool:
    existing = applications_in_edition(application.owner, application.edition)
    return eligibility.nomination_taken(application, nomination_id, existing)


def give_consent(application: Application) -> None:
    if application.consent_given_at is None:
        application.consent_given_at = now_utc()


def _record(application: Application, state: ApplicationState, actor, kind: str = "") -> None:
    application.history.append(
        ApplicationStatusChange(state=state, kind=kind, actor_id=actor.id, at=now_utc())
    )


def assign_number(application: Application) -> None:
    """Give the next number in the edition at the first submission.

    Two submissions at the same moment may pick the same number; the unique constraint
    stops the second, which then retries with the next one inside a savepoint.
    """
    if application.number is not None:
        return
    db.session.flush()
    for _attempt in range(20):
        highest = db.session.scalar(
            db.select(sa.func.max(Application.number)).where(
                Application.edition_id == application.edition_id
            )
        )
        try:
            with db.session.begin_nested():
                application.number = (highest or 0) + 1
        except IntegrityError:
            continue
        return
    raise RuntimeError("could not assign an application number")


def submit(application: Application, actor, posted_version: int | None) -> bool:
    """Submit (or resubmit) the application; True for a resubmission. Refused with the reason
    when it was already submitted, changed meanwhile, late, incomplete or a duplicate."""
    if application.state not in EDITABLE_STATES:
        raise Refused("already_submitted")
    if posted_version != application.version:
        raise Refused("changed")
    if not deadlines.can_submit(application, now_utc()):
        raise Refused("deadline")
    if application_content.submission_problems(application):
        raise Refused("incomplete")
    if application.consent_given_at is None:
        raise Refused("consent")
    access.lock_user(application.owner)
    existing = applications_in_edition(application.owner, application.edition)
    other = eligibility.blocking_application(application, existing)
    if other is not None:
        raise Refused("duplicate", other=other)

    resubmission = application.state == ApplicationState.RETURNED
    check_transition(application.state, ApplicationState.SUBMITTED, "applicant")
    _bump_version(application)
    now = now_utc()
    application.state = ApplicationState.SUBMITTED
    application.submitted_at = application.submitted_at or now
    application.last_submitted_at = now
    _record(application, ApplicationState.SUBMITTED, actor, "resubmitted" if resubmission else "")
    assign_number(application)
    audit.record(
        "application.resubmitted" if resubmission else "application.submitted",
        application, actor=actor, data={"number": application.display_number},
    )
    owner = application.owner
    queue_mail(
        owner.email, "application_submitted", owner.locale,
        application=application, user=owner, resubmitted=resubmission,
        status_url=url_for("applications.overview", application_id=application.id, _external=True),
    )
    return resubmission


def jury_started(application: Application) -> bool:
    """The jury has started on an application once anyone is assigned to it."""
    return db.session.scalar(
        db.select(Assignment.id).where(Assignment.application_id == application.id).limit(1)
    ) is not None


def can_withdraw(application: Application) -> bool:
    return deadlines.can_withdraw(application, jury_started(application))


def withdraw(application: Application, actor) -> None:
    """Withdraw the application before the jury starts; its place in the edition is freed."""
    if not can_withdraw(application):
        raise Refused("not_withdrawable")
    check_transition(application.state, ApplicationState.WITHDRAWN, "applicant")
    _bump_version(application)
    application.state = ApplicationState.WITHDRAWN
    _record(application, ApplicationState.WITHDRAWN, actor)
    audit.record("application.withdrawn", application, actor=actor)
    if application.number is not None:  # a draft never reached the organizers: no mail
        owner = application.owner
        queue_mail(
            owner.email, "application_withdrawn", owner.locale, application=application,
            user=owner,
        )


def attachments_total(application: Application) -> int:
    return sum(attachment.size for attachment in application.attachments)


def max_files() -> int:
    return int(current_app.config.get("UPLOAD_MAX_FILES", 10))


def add_attachment(application: Application, file_storage) -> Attachment:
    """Check, store and attach an uploaded file; UploadRejected tells why it was refused."""
    config = current_app.config
    if len(application.attachments) >= max_files():
        raise uploads.UploadRejected(
            _("At most %(count)s files can be attached. Remove one to attach another.",
              count=max_files())
        )
    room = max(config["UPLOAD_MAX_TOTAL_BYTES"] - attachments_total(application), 0)
    too_large = None
    if room < config["UPLOAD_MAX_FILE_BYTES"]:
        too_large = _(
            "The documents of one application may take up to %(total)s together; "
            "%(left)s is left. Attach a smaller file or remove one.",
            total=uploads.human_size(config["UPLOAD_MAX_TOTAL_BYTES"]),
            left=uploads.human_size(room),
        )
    stored = uploads.store_upload(
        file_storage, min(config["UPLOAD_MAX_FILE_BYTES"], room), too_large
    )
    attachment = Attachment(
        application=application,
        original_name=uploads.display_name(file_storage.filename, stored.content_type),
        stored_name=stored.stored_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_at=now_utc(),
    )
    db.session.add(attachment)
    try:
        _bump_version(application)
        db.session.flush()
    except Exception:
        uploads.remove_stored(stored.stored_name)
        raise
    audit.record(
        "application.attachment_added", application,
        data={"attachment_id": attachment.id, "name": attachment.original_name,
              "size": attachment.size, "sha256": attachment.sha256},
    )
    return attachment


def remove_attachment(application: Application, attachment: Attachment) -> str:
    """Detach a document; returns the stored name to delete from disk after the commit."""
    stored_name = attachment.stored_name
    audit.record(
        "application.attachment_removed", application,
        data={"attachment_id": attachment.id, "name": attachment.original_name},
    )
    application.attachments.remove(attachment)
    _bump_version(application)
    db.session.flush()
    return stored_name
