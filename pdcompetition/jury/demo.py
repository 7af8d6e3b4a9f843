"""Demo jury work: the demo jurors assigned to the accepted applications, a few sheets started.

Idempotent: assignments and sheets are created only where missing, never over a declared
conflict of interest.
"""

import sqlalchemy as sa

from ..domain.moscow_time import now_utc
from ..extensions import db
from ..models import (
    Application,
    ApplicationState,
    Assignment,
    AssignmentSource,
    ConflictDeclaration,
    JuryMember,
    Score,
    ScoreSheet,
    SheetStatus,
    User,
)

DEMO_JURORS = ["juror1", "juror2", "juror3"]

# (juror, position among the accepted applications, status, scores per criterion)
DEMO_SHEETS = [
    ("juror1", 0, SheetStatus.SUBMITTED, [8, 9, 7, 8, 4]),
    ("juror1", 1, SheetStatus.SUBMITTED, [7, 6, 8, 7, 3]),
    ("juror1", 2, SheetStatus.DRAFT, [9, None, None, None, None]),
    ("juror2", 0, SheetStatus.SUBMITTED, [9, 8, 8, 9, 4]),
    ("juror2", 3, SheetStatus.DRAFT, [6, 7, None, None, None]),
]

COMMENTS = [
    "Проект прямо отвечает задачам укрепления доверия между народами.",
    "Результаты подтверждены цифрами и публикациями.",
    "Партнёрства устойчивые, есть совместные мероприятия за рубежом.",
    "Роль заявителя в проекте очевидна.",
    "Опыт можно перенести в другие регионы.",
]


def seed_jury_work(edition) -> None:
    """Assign the three demo jurors to every accepted application and start a few sheets."""
    domain = "demo.pdcompetition.ru"
    emails = [f"{key}@{domain}" for key in DEMO_JURORS]
    jurors = {
        user.email.split("@")[0]: user
        for user in db.session.scalars(sa.select(User).where(User.email.in_(emails)))
    }
    seated = set(db.session.scalars(
        sa.select(JuryMember.user_id).where(JuryMember.edition_id == edition.id)))
    applications = list(db.session.scalars(
        sa.select(Application)
        .where(Application.edition_id == edition.id,
               Application.state == ApplicationState.ACCEPTED)
        .order_by(Application.number, Application.id)))
    conflicts = set(db.session.execute(
        sa.select(ConflictDeclaration.application_id, ConflictDeclaration.juror_id)).all())
    existing = {
        (a.application_id, a.juror_id): a
        for a in db.session.scalars(sa.select(Assignment).join(Assignment.application)
                                    .where(Application.edition_id == edition.id))
    }
    for juror in jurors.values():
        if juror.id not in seated:
            continue
        for application in applications:
            key = (application.id, juror.id)
            if key not in existing and key not in conflicts:
                existing[key] = Assignment(application=application, juror=juror,
                                           source=AssignmentSource.MANUAL)
                db.session.add(existing[key])
    db.session.flush()
    _seed_sheets(edition, jurors, applications, existing, conflicts)


def _seed_sheets(edition, jurors, applications, assignments, conflicts) -> None:
    criteria = edition.active_criteria
    for key, position, status, values in DEMO_SHEETS:
        juror = jurors.get(key)
        if juror is None or position >= len(applications):
            continue
        assignment = assignments.get((applications[position].id, juror.id))
        if assignment is None or (applications[position].id, juror.id) in conflicts:
            continue
        member = db.session.scalar(sa.select(JuryMember).where(
            JuryMember.edition_id == edition.id, JuryMember.user_id == juror.id))
        if member.coi_confirmed_at is None:
            member.coi_confirmed_at = now_utc()
        if db.session.scalar(sa.select(ScoreSheet.id).where(
                ScoreSheet.assignment_id == assignment.id)) is not None:
            continue
        sheet = ScoreSheet(
            assignment_id=assignment.id, status=status,
            overall_comment="Сильная заявка с понятными результатами."
            if status == SheetStatus.SUBMITTED else "",
            submitted_at=now_utc() if status == SheetStatus.SUBMITTED else None,
        )
        for criterion, value, comment in zip(criteria, values, COMMENTS, strict=False):
            sheet.scores.append(Score(criterion_id=criterion.id, value=value,
                                      comment=comment if value is not None else ""))
        db.session.add(sheet)
    db.session.flush()
