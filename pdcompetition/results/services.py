"""Results: loading the ranking, closing the jury, awards, approval. Services only flush."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import audit
from ..domain import awards as award_rules
from ..domain.moscow_time import now_utc
from ..domain.ranking import (
    ApplicationInput,
    Ranking,
    SheetInput,
    compute_ranking,
    contributions,
)
from ..domain.scoring import weighted_total
from ..domain.stages import results_are_public
from ..extensions import db
from ..models import (
    Application,
    ApplicationState,
    Assignment,
    Award,
    AwardKind,
    ConflictDeclaration,
    Edition,
    Score,
    ScoreSheet,
    SheetStatus,
    User,
)


class ResultsError(Exception):
    """A refused results action; the message is shown to the organizer."""


@dataclass
class EditionRanking:
    """The domain ranking with the records the pages show next to its figures."""

    edition: Edition
    ranking: Ranking
    applications: dict[int, Application]
    jurors: dict[int, User]
    awards: dict[int, Award]
    conflicts: dict[int, list[int]] = field(default_factory=dict)  # application -> jurors

    def ranked(self, nomination_id) -> list:
        return self.ranking.nominations.get(nomination_id, [])

    def pending_in(self, nomination_id) -> list:
        return [a for a in self.ranking.pending if a.application.nomination_id == nomination_id]

    def departures(self, nomination_id, awards: dict[int, str] | None = None) -> dict[int, str]:
        """Why awards in a nomination depart from the ranking (current awards by default)."""
        if awards is None:
            awards = {
                app_id: award.kind.value
                for app_id, award in self.awards.items()
                if self.applications[app_id].nomination_id == nomination_id
            }
        ranked_ids = [item.id for item in self.ranked(nomination_id)]
        return award_rules.departures(ranked_ids, awards)


def awards_query(edition: Edition):
    """The edition's awards that stand: those of applications still admitted to the jury
    (an award left on an application rejected later is ignored everywhere)."""
    return (
        db.select(Award)
        .join(Application, Application.id == Award.application_id)
        .where(Award.edition_id == edition.id, Application.state == ApplicationState.ACCEPTED)
    )


def award_of(application: Application) -> Award | None:
    """The application's award, if it stands."""
    if application.state != ApplicationState.ACCEPTED:
        return None
    return db.session.scalar(db.select(Award).where(Award.application_id == application.id))


def ranked_applications(edition: Edition):
    """SQL condition: the applications the ranking covers (the edition's accepted ones)."""
    return (Application.edition_id == edition.id) & (
        Application.state == ApplicationState.ACCEPTED
    )


def score_values(*conditions) -> dict[int, dict[int, int | None]]:
    """sheet id -> {criterion id: value} for the sheets whose application, assignment or
    sheet meets `conditions`, in one query."""
    values: dict[int, dict[int, int | None]] = {}
    for sheet_id, criterion_id, value in db.session.execute(
        db.select(Score.sheet_id, Score.criterion_id, Score.value)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .join(Application, Application.id == Assignment.application_id)
        .where(*conditions)
    ):
        values.setdefault(sheet_id, {})[criterion_id] = value
    return values


def load_ranking(edition: Edition) -> EditionRanking:
    """Everything the ranking needs in five queries, whatever the number of applications."""
    in_edition = ranked_applications(edition)
    applications = {
        a.id: a
        for a in db.session.scalars(
            db.select(Application)
            .where(in_edition)
            .options(selectinload(Application.nomination))
            .order_by(Application.id)
        )
    }
    conflicts: dict[int, list[int]] = {}
    for app_id, juror_id in db.session.execute(
        db.select(ConflictDeclaration.application_id, ConflictDeclaration.juror_id)
        .join(Application, Application.id == ConflictDeclaration.application_id)
        .where(in_edition)
    ):
        conflicts.setdefault(app_id, []).append(juror_id)
    assignments = db.session.execute(
        db.select(Assignment.application_id, Assignment.juror_id, ScoreSheet.id,
                  ScoreSheet.status)
        .join(Application, Application.id == Assignment.application_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(in_edition)
        .order_by(Assignment.id)
    ).all()
    values = score_values(in_edition, ScoreSheet.status == SheetStatus.SUBMITTED)
    # Weights as floats once per criterion, not once per score (weighted_total is the hot loop).
    criteria = [(c.id, c.max_score, float(c.weight)) for c in edition.active_criteria]

    def sheets():
        for app_id, juror_id, sheet_id, status in assignments:
            if juror_id in conflicts.get(app_id, ()):
                continue  # a declared conflict: this juror's sheet is not expected
            if sheet_id is None:
                yield SheetInput(app_id, juror_id, "not_started")
            elif status != SheetStatus.SUBMITTED:
                yield SheetInput(app_id, juror_id, "draft")
            else:
                given = values.get(sheet_id, {})
                yield SheetInput(app_id, juror_id, "submitted",
                                 [(given.get(cid), top, weight) for cid, top, weight in criteria])

    ranking = compute_ranking(
        [ApplicationInput(a.id, a.nomination_id, a.submitted_at, a.number)
         for a in applications.values()],
        sheets(),
        normalize=edition.normalize_scores,
        threshold=edition.divergence_threshold,
    )
    juror_ids = {row[1] for row in assignments}
    jurors = {
        u.id: u for u in db.session.scalars(db.select(User).where(User.id.in_(juror_ids)))
    } if juror_ids else {}
    awards = {
        award.application_id: award
        for award in db.session.scalars(awards_query(edition))
    }
    return EditionRanking(edition, ranking, applications, jurors, awards, conflicts)


def sheets_of(application: Application) -> list[dict]:
    """Each juror's sheet on one application, criterion by criterion, for the explanation."""
    assignments = db.session.scalars(
        db.select(Assignment)
        .where(Assignment.application_id == application.id)
        .options(selectinload(Assignment.score_sheet).selectinload(ScoreSheet.scores),
                 selectinload(Assignment.juror))
        .order_by(Assignment.id)
    ).all()
    criteria = application.edition.active_criteria
    out = []
    for assignment in assignments:
        sheet = assignment.score_sheet
        given = {s.criterion_id: s for s in sheet.scores} if sheet else {}
        scores = [(given[c.id].value if c.id in given else None, c.max_score, c.weight)
                  for c in criteria]
        shares = contributions(scores)
        submitted = sheet is not None and sheet.status == SheetStatus.SUBMITTED
        out.append({
            "juror": assignment.juror,
            "assignment": assignment,
            "sheet": sheet,
            "submitted": submitted,
            "rows": [
                {"criterion": c, "value": value, "share": share,
                 "comment": given[c.id].comment if c.id in given else ""}
                for c, (value, _max, _weight), share in zip(criteria, scores, shares, strict=True)
            ],
            "total": weighted_total(scores) if submitted else None,
        })
    return out


# Closing the jury and locking the results.


def results_locked(edition: Edition) -> bool:
    """Approved results cannot change until an administrator reopens them."""
    return edition.results_approved_at is not None


def close_jury(edition: Edition, actor: User) -> None:
    """No more score changes: jurors' sheets become read-only."""
    if edition.jury_closed_at is not None:
        raise ResultsError(_l("The jury is already closed."))
    edition.jury_closed_at = now_utc()
    audit.record("results.jury_closed", edition, actor=actor, edition_id=edition.id)
    db.session.flush()


def reopen_jury(edition: Edition, actor: User) -> None:
    """Let jurors change their sheets again (only while the results are not approved)."""
    if edition.jury_closed_at is None:
        raise ResultsError(_l("The jury is not closed."))
    if results_locked(edition):
        raise ResultsError(_l("The results are approved; the jury cannot be reopened."))
    edition.jury_closed_at = None
    audit.record("results.jury_reopened", edition, actor=actor, edition_id=edition.id)
    db.session.flush()


def save_awards(
    loaded: EditionRanking,
    nomination_id: int,
    decisions: dict[int, tuple[str | None, str]],
    actor: User,
) -> int:
    """Record the awards of one nomination: {application id: (kind or None, reason)}.

    The caller has checked that every departure from the ranking carries a reason.
    Returns the number of changes; each one is in the audit log.
    """
    edition = loaded.edition
    if edition.jury_closed_at is None:
        raise ResultsError(_l("Close the jury before recording awards."))
    if results_locked(edition):
        raise ResultsError(_l("The results are approved and locked."))
    wanted = {app_id: kind for app_id, (kind, _reason) in decisions.items() if kind}
    departures = loaded.departures(nomination_id, wanted)
    ranks = {item.id: item.rank for item in loaded.ranked(nomination_id)}
    changes = 0
    for app_id, (kind, reason) in decisions.items():
        application = loaded.applications[app_id]
        existing = loaded.awards.get(app_id)
        reason = (reason or "").strip()
        data = {"application": application.display_number, "rank": ranks.get(app_id),
                "departure": departures.get(app_id, ""), "reason": reason}
        if not kind:
            if existing is not None:
                audit.record("results.award_removed", existing, actor=actor,
                             data={**data, "kind": existing.kind.value})
                db.session.delete(existing)
                del loaded.awards[app_id]
                changes += 1
            continue
        new_kind = AwardKind(kind)
        if existing is not None and existing.kind == new_kind and (
            existing.departure_reason == reason
        ):
            continue
        if existing is None:
            existing = Award(application_id=app_id, edition_id=edition.id,
                             nomination_id=application.nomination_id)
            db.session.add(existing)
            loaded.awards[app_id] = existing
            action, old = "results.award_recorded", None
        else:
            action, old = "results.award_changed", existing.kind.value
        existing.kind = new_kind
        existing.departure_reason = reason
        existing.decided_by_id = actor.id
        existing.decided_at = now_utc()
        db.session.flush()
        audit.record(action, existing, actor=actor,
                     data={**data, "kind": kind, "previous_kind": old})
        changes += 1
    db.session.flush()
    return changes


def approve_results(edition: Edition, actor: User) -> None:
    """Lock the awards; they go public at the publication moment (or on "Publish now")."""
    if edition.jury_closed_at is None:
        raise ResultsError(_l("Close the jury before approving the results."))
    if results_locked(edition):
        raise ResultsError(_l("The results are already approved."))
    count = len(db.session.scalars(awards_query(edition)).all())
    if not count:
        raise ResultsError(_l("Record at least one award before approving the results."))
    now = now_utc()
    if (edition.results_published_at is None and edition.results_publish_at is not None
            and edition.results_publish_at <= now):
        raise ResultsError(_l(
            "The publication moment has already passed: approving now would publish the "
            "results at once. Set a new announcement moment in the edition settings first."
        ))
    edition.results_approved_at = now
    audit.record("results.approved", edition, actor=actor, edition_id=edition.id,
                 data={"awards": count})
    from .certificates import issue_certificates

    issue_certificates(edition)
    db.session.flush()


def reopen_results(edition: Edition, actor: User, reason: str) -> None:
    """An administrator unlocks approved results, with the reason in the audit log."""
    if not actor.is_admin:
        raise ResultsError(_l("Only an administrator can reopen approved results."))
    if not results_locked(edition):
        raise ResultsError(_l("The results are not approved."))
    edition.results_approved_at = None
    audit.record("results.reopened", edition, actor=actor, edition_id=edition.id,
                 data={"reason": reason, "were_public": edition.results_published_at is not None})
    db.session.flush()


def publish_now(edition: Edition, actor: User) -> None:
    """The organizer's button at the forum: results public from this moment."""
    if not results_locked(edition):
        raise ResultsError(_l("Approve the results before publishing them."))
    if results_are_public(edition):
        raise ResultsError(_l("The results are already published."))
    edition.results_published_at = now_utc()
    audit.record("results.published", edition, actor=actor, edition_id=edition.id,
                 data={"how": "publish_now"})
    db.session.flush()


def update_settings(edition: Edition, actor: User, **values) -> None:
    """Change the results settings of an edition, each change in the audit log."""
    changed = {}
    for name, value in values.items():
        old = getattr(edition, name)
        if old != value:
            changed[name] = {"old": old, "new": value}
            setattr(edition, name, value)
    if changed:
        audit.record("results.settings_changed", edition, actor=actor,
                     edition_id=edition.id, data=changed)
    db.session.flush()
