"""The jury's progress for organizers: per juror, per application, overdue, reminders."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.orm import selectinload

from .. import audit
from ..domain.moscow_time import now_utc
from ..extensions import db
from ..mail.outbox import queue_mail
from ..models import (
    Application,
    ApplicationState,
    Assignment,
    AuditEntry,
    ConflictDeclaration,
    Edition,
    JuryMember,
    ScoreSheet,
    SheetStatus,
    User,
)

DEFAULT_DUE_SOON_DAYS = 3


@dataclass
class JurorProgress:
    member: JuryMember
    total: int = 0
    submitted: int = 0
    drafts: int = 0
    last_reminded_at: datetime | None = None
    status: str = "done"  # done, on_track, due_soon, overdue, idle (nothing assigned)

    @property
    def unfinished(self) -> int:
        return self.total - self.submitted


@dataclass
class ApplicationProgress:
    application: Application
    assigned: int = 0
    scored: int = 0
    declared: int = 0  # declared conflicts awaiting reassignment


def _status(total: int, submitted: int, deadline: datetime | None, now: datetime) -> str:
    if total == 0:
        return "idle"
    if submitted >= total:
        return "done"
    if deadline is not None and now >= deadline:
        return "overdue"
    days = current_app.config.get("JURY_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS)
    if deadline is not None and now >= deadline - timedelta(days=days):
        return "due_soon"
    return "on_track"


def edition_progress(edition: Edition) -> tuple[list[JurorProgress], list[ApplicationProgress]]:
    """Each juror's done/total and each accepted application's scored/assigned."""
    now = now_utc()
    members = list(db.session.scalars(
        sa.select(JuryMember).where(JuryMember.edition_id == edition.id)
        .options(selectinload(JuryMember.user))
        .order_by(JuryMember.position, JuryMember.id)
    ))
    applications = list(db.session.scalars(
        sa.select(Application)
        .where(Application.edition_id == edition.id,
               Application.state == ApplicationState.ACCEPTED)
        .options(selectinload(Application.nomination))
        .order_by(Application.number, Application.id)
    ))
    accepted = sa.select(Application.id).where(
        Application.edition_id == edition.id, Application.state == ApplicationState.ACCEPTED)
    declared = {tuple(row) for row in db.session.execute(
        sa.select(ConflictDeclaration.application_id, ConflictDeclaration.juror_id)
        .where(ConflictDeclaration.application_id.in_(accepted))
    )}
    rows = db.session.execute(
        sa.select(Assignment.application_id, Assignment.juror_id, ScoreSheet.status)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(Assignment.application_id.in_(accepted))
    ).all()
    by_juror = defaultdict(lambda: [0, 0, 0])
    by_app = defaultdict(lambda: [0, 0, 0])
    for app_id, juror_id, status in rows:
        if (app_id, juror_id) in declared:
            by_app[app_id][2] += 1
            continue  # awaiting reassignment: not the juror's work any more
        counts = by_juror[juror_id]
        counts[0] += 1
        by_app[app_id][0] += 1
        if status == SheetStatus.SUBMITTED:
            counts[1] += 1
            by_app[app_id][1] += 1
        elif status == SheetStatus.DRAFT:
            counts[2] += 1
    reminded = last_reminders(edition)
    jurors = []
    for member in members:
        total, submitted, drafts = by_juror[member.user_id]
        jurors.append(JurorProgress(
            member, total, submitted, drafts, reminded.get(member.user_id),
            _status(total, submitted, edition.judging_close_at, now),
        ))
    apps = [ApplicationProgress(a, *by_app[a.id]) for a in applications]
    return jurors, apps


def last_reminders(edition: Edition) -> dict[int, datetime]:
    """When each juror was last reminded (from the audit log)."""
    rows = db.session.execute(
        sa.select(AuditEntry.object_id, sa.func.max(AuditEntry.at))
        .where(AuditEntry.edition_id == edition.id, AuditEntry.action == "jury.reminder_sent")
        .group_by(AuditEntry.object_id)
    ).all()
    return {user_id: at for user_id, at in rows if user_id is not None}


def send_reminders(edition: Edition, actor: User, juror_id: int | None = None) -> int:
    """Mail every juror with unfinished work (or just one); returns how many were mailed."""
    jurors, _apps = edition_progress(edition)
    sent = 0
    for row in jurors:
        if row.unfinished <= 0 or (juror_id is not None and row.member.user_id != juror_id):
            continue
        user = row.member.user
        queue_mail(
            user.email, "juror_reminder", user.locale, user=user, edition=edition,
            unfinished=row.unfinished, total=row.total, deadline=edition.judging_close_at,
            overdue=row.status == "overdue", link=_jury_link(),
        )
        audit.record("jury.reminder_sent", user, actor=actor, edition_id=edition.id,
                     data={"unfinished": row.unfinished, "total": row.total})
        sent += 1
    db.session.flush()
    return sent


def _jury_link() -> str:
    endpoint = "jury.dashboard" if "jury.dashboard" in current_app.view_functions else (
        "public.home")
    return url_for(endpoint, _external=True)
