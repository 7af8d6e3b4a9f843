"""What a juror works on: their seats, assignments, score sheets and declared conflicts.

Services only flush; the view commits once.
"""

import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, lazyload, load_only, selectinload

from .. import audit
from ..domain import score_rules
from ..domain.moscow_time import now_utc
from ..extensions import db
from ..models import (
    Application,
    ApplicationState,
    Assignment,
    AuditEntry,
    ConflictDeclaration,
    Edition,
    EditionStatus,
    JuryMember,
    Nomination,
    Score,
    ScoreSheet,
    SheetStatus,
    User,
)


class SheetState(enum.Enum):
    """A juror's own progress on one assignment, as the dashboard shows it."""

    NOT_STARTED = "not_started"
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def title(self) -> str:
        return {
            SheetState.NOT_STARTED: _l("Not started"),
            SheetState.DRAFT: _l("Draft"),
            SheetState.SUBMITTED: _l("Submitted"),
        }[self]


def sheet_state(sheet: ScoreSheet | None) -> SheetState:
    """Not started (no sheet yet), draft or submitted."""
    if sheet is None:
        return SheetState.NOT_STARTED
    return SheetState.SUBMITTED if sheet.status == SheetStatus.SUBMITTED else SheetState.DRAFT


class StaleSheet(Exception):
    """The sheet changed (another tab or device) since the form was opened."""


class ScoringRefused(Exception):
    """The actor may not change this sheet now; the message says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _check_may_score(assignment: Assignment, actor: User) -> None:
    """The rules of domain/score_rules.py, checked again where the sheet is written.

    The edition row is read with a share lock until the save commits: closing the jury
    updates that row, so it waits for saves already past this check, and a save that
    comes after the close reads the closed state. No save lands after a confirmed close.
    """
    edition = db.session.scalars(
        sa.select(Edition)
        .where(Edition.id == assignment.application.edition_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    ).one()
    conflict = db.session.scalar(
        sa.select(ConflictDeclaration.id).where(
            ConflictDeclaration.application_id == assignment.application_id,
            ConflictDeclaration.juror_id == actor.id,
        )
    )
    refusal = score_rules.scoring_refusal(
        edition,
        assigned=assignment.juror_id == actor.id,
        conflict_declared=conflict is not None,
    )
    if refusal is not None:
        raise ScoringRefused(refusal)


def _no_conflict():
    """SQL condition: the juror of the assignment has not declared a conflict on it."""
    return ~sa.exists().where(
        ConflictDeclaration.application_id == Assignment.application_id,
        ConflictDeclaration.juror_id == Assignment.juror_id,
    )


def _visible_assignments(user_id: int):
    """The user's assignments they may see: accepted applications of active editions,
    where they hold a jury seat and have declared no conflict."""
    return (
        sa.select(Assignment)
        .join(Assignment.application)
        .join(Application.edition)
        .join(
            JuryMember,
            sa.and_(JuryMember.edition_id == Edition.id, JuryMember.user_id == user_id),
        )
        .where(
            Assignment.juror_id == user_id,
            Application.state == ApplicationState.ACCEPTED,
            Edition.status == EditionStatus.ACTIVE,
            _no_conflict(),
        )
    )


def open_memberships(user: User) -> list[JuryMember]:
    """The user's jury seats in active editions, newest edition first."""
    return list(
        db.session.scalars(
            sa.select(JuryMember)
            .join(JuryMember.edition)
            .where(JuryMember.user_id == user.id, Edition.status == EditionStatus.ACTIVE)
            .options(contains_eager(JuryMember.edition))
            .order_by(Edition.ordinal.desc())
        )
    )


def member_for(user: User, edition_id: int) -> JuryMember | None:
    """The user's seat in an active edition's jury, if they hold one."""
    return db.session.scalar(
        sa.select(JuryMember)
        .join(JuryMember.edition)
        .where(
            JuryMember.user_id == user.id,
            JuryMember.edition_id == edition_id,
            Edition.status == EditionStatus.ACTIVE,
        )
        .options(contains_eager(JuryMember.edition))
    )


def _in_dashboard_order(query):
    return query.outerjoin(Application.nomination).order_by(
        Application.edition_id,
        Nomination.position,
        Nomination.id,
        Application.number,
        Application.id,
    )


_LISTED_COLUMNS = (
    Application.id, Application.edition_id, Application.nomination_id, Application.number,
    Application.state, Application.project_title, Application.country_code,
    Application.region_code,
)


def dashboard_assignments(user: User, edition_ids: list[int]) -> list[Assignment]:
    """The user's visible assignments in these editions, with what the list shows, in one query."""
    if not edition_ids:
        return []
    query = _in_dashboard_order(
        _visible_assignments(user.id).where(Application.edition_id.in_(edition_ids))
    ).options(
        # Only the columns the list shows: long texts and dates would dominate the time.
        load_only(Assignment.id, Assignment.application_id, Assignment.juror_id),
        contains_eager(Assignment.application).load_only(*_LISTED_COLUMNS),
        contains_eager(Assignment.application).contains_eager(Application.nomination),
        joinedload(Assignment.score_sheet)
        .load_only(ScoreSheet.id, ScoreSheet.status, ScoreSheet.version)
        .options(lazyload(ScoreSheet.scores)),
    )
    return list(db.session.scalars(query).unique())


def load_assignment(user: User, application_id: int) -> tuple[Assignment, JuryMember] | None:
    """The user's assignment on an application, with everything the scoring page shows."""
    query = (
        _visible_assignments(user.id)
        .add_columns(JuryMember)
        .where(Assignment.application_id == application_id)
        .options(
            contains_eager(Assignment.application)
            .contains_eager(Application.edition)
            .selectinload(Edition.criteria),
            contains_eager(Assignment.application).joinedload(Application.nomination),
            contains_eager(Assignment.application).selectinload(Application.attachments),
            joinedload(Assignment.score_sheet),
        )
    )
    row = db.session.execute(query).unique().first()
    return (row[0], row[1]) if row else None


def next_unscored(user: User, edition_id: int, after_application_id: int | None = None):
    """The application id to score next: the first unsubmitted one after the given one in
    the dashboard's order, wrapping around; None when everything is submitted."""
    rows = db.session.execute(
        _in_dashboard_order(
            _visible_assignments(user.id)
            .with_only_columns(Assignment.application_id, ScoreSheet.status)
            .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
            .where(Application.edition_id == edition_id)
        )
    ).all()
    ids = [app_id for app_id, status in rows if status != SheetStatus.SUBMITTED]
    if after_application_id in ids:
        position = ids.index(after_application_id)
        ids = ids[position + 1 :] + ids[:position]
    return ids[0] if ids else None


def confirm_declaration(member: JuryMember) -> None:
    """Record that the juror confirmed the edition's conflict-of-interest declaration."""
    if member.coi_confirmed_at is None:
        member.coi_confirmed_at = now_utc()
        audit.record("jury.declaration_confirmed", member, edition_id=member.edition_id)
        db.session.flush()


def sheet_snapshot(sheet: ScoreSheet | None) -> dict[int, tuple[int | None, str]]:
    """Per criterion id, the stored (value, comment) of a sheet."""
    if sheet is None:
        return {}
    return {score.criterion_id: (score.value, score.comment) for score in sheet.scores}


def _claim_version(sheet: ScoreSheet, base_version: int) -> None:
    """Move the sheet to the next version only if it is still at `base_version`.

    One conditional UPDATE: on PostgreSQL it locks the row, so a concurrent save waits,
    then finds the version moved on and is refused instead of overwriting.
    """
    if sheet.version != base_version:
        raise StaleSheet()
    result = db.session.execute(
        sa.update(ScoreSheet)
        .where(ScoreSheet.id == sheet.id, ScoreSheet.version == base_version)
        .values(version=base_version + 1),
        execution_options={"synchronize_session": False},
    )
    if result.rowcount != 1:
        raise StaleSheet()
    sheet.version = base_version + 1


def _create_sheet(assignment: Assignment) -> ScoreSheet:
    """The first save creates the sheet; two first saves at once: the second is stale."""
    sheet = ScoreSheet(assignment_id=assignment.id, version=1)
    try:
        with db.session.begin_nested():
            db.session.add(sheet)
            db.session.flush()
    except IntegrityError:
        db.session.expire(assignment)
        raise StaleSheet() from None
    assignment.score_sheet = sheet
    return sheet


def save_sheet(
    assignment: Assignment,
    criteria,
    check: score_rules.SheetCheck,
    overall_comment: str,
    *,
    base_version: int,
    submit: bool,
    actor: User,
) -> ScoreSheet:
    """Store checked values as a draft or submitted sheet, from the version the form showed.

    Raises ScoringRefused when the actor may not score it, StaleSheet when the stored sheet
    is no longer that version. Every change to a submitted sheet is audited.
    """
    _check_may_score(assignment, actor)
    sheet = assignment.score_sheet
    old = sheet_snapshot(sheet)
    old_comment = sheet.overall_comment if sheet is not None else ""
    was_submitted = sheet is not None and sheet.status == SheetStatus.SUBMITTED
    if sheet is None:
        if base_version != 0:
            raise StaleSheet()
        sheet = _create_sheet(assignment)
    else:
        _claim_version(sheet, base_version)

    stored = {score.criterion_id: score for score in sheet.scores}
    for criterion in criteria:
        value, comment = check.values[criterion.id], check.comments[criterion.id]
        if criterion.id in stored:
            stored[criterion.id].value, stored[criterion.id].comment = value, comment
        else:
            sheet.scores.append(Score(criterion_id=criterion.id, value=value, comment=comment))
    sheet.overall_comment = overall_comment.strip()
    sheet.updated_at = now_utc()
    if submit or was_submitted:
        sheet.status = SheetStatus.SUBMITTED
        if not was_submitted:
            sheet.submitted_at = now_utc()
    db.session.flush()

    if sheet.status == SheetStatus.SUBMITTED:
        _audit_sheet(assignment, sheet, criteria, old, old_comment, was_submitted, actor)
    return sheet


def _audit_sheet(assignment, sheet, criteria, old, old_comment, was_submitted, actor) -> None:
    names = {criterion.id: criterion.name_ru for criterion in criteria}
    new = sheet_snapshot(sheet)
    changes = score_rules.sheet_changes(old, new)
    if was_submitted and not changes and old_comment == sheet.overall_comment:
        return  # saved again without a change: nothing to keep
    if not was_submitted:  # the submission itself: every value, so the log alone tells it
        changes = {
            cid: {
                "old": old.get(cid, (None, ""))[0], "new": value,
                "old_comment": old.get(cid, (None, ""))[1], "new_comment": comment,
            }
            for cid, (value, comment) in sorted(new.items())
        }
    data = {
        "application_id": assignment.application_id,
        "juror_id": assignment.juror_id,
        "version": sheet.version,
        "criteria": {
            str(criterion_id): {**change, "criterion": names.get(criterion_id, "")}
            for criterion_id, change in changes.items()
        },
    }
    if old_comment != sheet.overall_comment:
        data["overall_comment"] = {"old": old_comment, "new": sheet.overall_comment}
    action = "jury.sheet_changed" if was_submitted else "jury.sheet_submitted"
    audit.record(
        action, sheet, data=data, actor=actor, edition_id=assignment.application.edition_id
    )


def reload_sheet(assignment_id: int) -> ScoreSheet | None:
    """The sheet as stored now (after a stale save), bypassing what the session remembers."""
    return db.session.scalar(
        sa.select(ScoreSheet)
        .where(ScoreSheet.assignment_id == assignment_id)
        .options(selectinload(ScoreSheet.scores))
        .execution_options(populate_existing=True)
    )


def load_sheet_for_reading(sheet_id: int) -> ScoreSheet | None:
    """A sheet with its application, juror and scores, for the organizers' read-only view."""
    return db.session.scalar(
        sa.select(ScoreSheet)
        .where(ScoreSheet.id == sheet_id)
        .options(
            joinedload(ScoreSheet.assignment).joinedload(Assignment.juror),
            joinedload(ScoreSheet.assignment)
            .joinedload(Assignment.application)
            .options(
                joinedload(Application.edition).selectinload(Edition.criteria),
                joinedload(Application.nomination),
            ),
        )
    )


def sheet_history(sheet: ScoreSheet) -> list[AuditEntry]:
    """The audited changes of a sheet, oldest first."""
    return list(
        db.session.scalars(
            sa.select(AuditEntry)
            .where(AuditEntry.object_type == "ScoreSheet", AuditEntry.object_id == sheet.id)
            .options(joinedload(AuditEntry.actor))
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )
