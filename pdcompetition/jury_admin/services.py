"""Who judges what: conflicts, eligible jurors, manual and automatic assignment.

Services only flush; the view commits once. Others call `assign_juror`, `unassign_juror`,
`eligible_jurors` and `run_auto_assignment` (e.g. the results' "extra juror" button).
"""

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import audit
from ..domain.assignment import ApplicationSpec, AssignmentProblem, JurorSpec, solve
from ..domain.conflicts import ConflictIndex, ConflictReason
from ..domain.moscow_time import now_utc
from ..extensions import db
from ..models import (
    Application,
    ApplicationState,
    ApplicationStatusChange,
    Assignment,
    AssignmentConstraint,
    AssignmentSource,
    ConflictDeclaration,
    Edition,
    JuryMember,
    PairRule,
    ScoreSheet,
    User,
)


class AssignmentError(Exception):
    """A refused change, with a message for the organizer."""


@dataclass
class JuryState:
    """An edition's accepted applications, jury, assignments and pair rules, loaded once."""

    edition: Edition
    applications: list[Application]
    members: list[JuryMember]
    assignments: list[Assignment]
    rules: dict[tuple[int, int], PairRule]
    declarations: dict[tuple[int, int], ConflictDeclaration]
    sheets: dict = field(default_factory=dict)  # assignment id -> SheetStatus of its sheet
    accepted_ids: set[int] = field(default_factory=set)  # every accepted application
    _conflicts: dict | None = None

    @property
    def started(self) -> set[int]:
        """Assignments whose juror has started a score sheet."""
        return set(self.sheets)

    @property
    def member_by_user(self) -> dict[int, JuryMember]:
        return {m.user_id: m for m in self.members}

    def conflicts(self) -> dict[tuple[int, int], list[ConflictReason]]:
        """Every conflicted (application, juror) pair with its reasons, declared ones included."""
        if self._conflicts is None:
            self._conflicts = conflict_map(self.edition, self.applications, self.members,
                                           self.declarations)
        return self._conflicts

    def loads(self) -> dict[int, int]:
        """Assignments per juror on the edition's accepted applications."""
        counts: dict[int, int] = defaultdict(int)
        for assignment in self.assignments:
            if assignment.application_id in self.accepted_ids:
                counts[assignment.juror_id] += 1
        return counts


def load_state(edition: Edition, application_ids: list[int] | None = None) -> JuryState:
    """Load what the assignment needs in a constant number of queries."""
    app_query = (
        sa.select(Application)
        .where(Application.edition_id == edition.id,
               Application.state == ApplicationState.ACCEPTED)
        .options(selectinload(Application.nomination))
        .order_by(Application.number, Application.id)
    )
    if application_ids is not None:
        app_query = app_query.where(Application.id.in_(application_ids))
    applications = list(db.session.scalars(app_query))
    members = list(db.session.scalars(
        sa.select(JuryMember)
        .where(JuryMember.edition_id == edition.id)
        .options(selectinload(JuryMember.user).selectinload(User.juror_profile),
                 selectinload(JuryMember.nominations))
        .order_by(JuryMember.position, JuryMember.id)
    ))
    in_edition = sa.select(Application.id).where(Application.edition_id == edition.id)
    assignments = list(db.session.scalars(
        sa.select(Assignment).where(Assignment.application_id.in_(in_edition))
        .order_by(Assignment.id)
    ))
    sheets = {row[0]: row[1] for row in db.session.execute(
        sa.select(ScoreSheet.assignment_id, ScoreSheet.status).join(ScoreSheet.assignment)
        .where(Assignment.application_id.in_(in_edition))
    )}
    rules = {
        (c.application_id, c.juror_id): c.rule
        for c in db.session.scalars(
            sa.select(AssignmentConstraint)
            .where(AssignmentConstraint.application_id.in_(in_edition))
        )
    }
    declarations = {
        (d.application_id, d.juror_id): d
        for d in db.session.scalars(
            sa.select(ConflictDeclaration)
            .where(ConflictDeclaration.application_id.in_(in_edition))
        )
    }
    accepted_ids = set(db.session.scalars(sa.select(Application.id).where(
        Application.edition_id == edition.id, Application.state == ApplicationState.ACCEPTED)))
    return JuryState(edition, applications, members, assignments, rules, declarations, sheets,
                     accepted_ids)


def conflict_map(edition, applications, members, declarations) -> dict:
    """(application_id, juror_id) -> reasons: automatic ones, own application, declared.

    Jurors are indexed by organization, country and region, so only pairs that share
    something are compared (an edition has thousands of applications).
    """
    index = ConflictIndex(same_country=edition.conflict_same_country,
                          same_region=edition.conflict_same_region)
    jurors = {}
    by_key = defaultdict(set)
    for member in members:
        profile = member.user.juror_profile
        if profile is None:
            continue
        party = index.party(profile, several=True)
        jurors[member.user_id] = party
        for normalized, _name in party.organizations:
            by_key[("org", normalized)].add(member.user_id)
        by_key[("country", party.country)].add(member.user_id)
        by_key[("region", party.region)].add(member.user_id)
    member_ids = {m.user_id for m in members}
    found: dict[tuple[int, int], list[ConflictReason]] = {}
    for application in applications:
        party = index.party(application)
        suspects = set()
        for normalized, _name in party.organizations:
            suspects |= by_key.get(("org", normalized), set())
        if index.same_country and party.country:
            suspects |= by_key.get(("country", party.country), set())
        if index.same_region and party.region:
            suspects |= by_key.get(("region", party.region), set())
        for juror_id in suspects:
            reasons = index.between(jurors[juror_id], party)
            if reasons:
                found[(application.id, juror_id)] = reasons
        if application.owner_id in member_ids:
            found.setdefault((application.id, application.owner_id), []).insert(
                0, ConflictReason("applicant"))
    for (app_id, juror_id), declaration in declarations.items():
        found.setdefault((app_id, juror_id), []).append(
            ConflictReason("declared", declaration.reason)
        )
    return found


@dataclass
class ConflictRow:
    application: Application
    juror: User
    reasons: list[ConflictReason]
    assignment: Assignment | None
    declaration: ConflictDeclaration | None
    started: bool = False

    @property
    def awaiting_reassignment(self) -> bool:
        """Declared by the juror and not yet resolved by the organizers."""
        return self.declaration is not None and self.declaration.resolved_at is None


def conflict_rows(state: JuryState) -> list[ConflictRow]:
    """Every conflicted pair of the edition; declared ones awaiting reassignment first."""
    apps = {a.id: a for a in state.applications}
    users = {m.user_id: m.user for m in state.members}
    assigned = {(a.application_id, a.juror_id): a for a in state.assignments}
    rows = []
    for (app_id, juror_id), reasons in state.conflicts().items():
        if app_id not in apps or juror_id not in users:
            continue
        assignment = assigned.get((app_id, juror_id))
        rows.append(ConflictRow(
            apps[app_id], users[juror_id], reasons, assignment,
            state.declarations.get((app_id, juror_id)),
            assignment is not None and assignment.id in state.sheets,
        ))
    rows.sort(key=lambda r: (not r.awaiting_reassignment, r.application.number or 0,
                             r.application.id, r.juror.display_name.casefold()))
    return rows


def may_judge_nomination(member: JuryMember, application: Application) -> bool:
    """A juror's pool: listed nominations only, or every nomination when none is listed."""
    if not member.nominations:
        return True
    return application.nomination_id in {n.id for n in member.nominations}


def _candidates(state: JuryState, application: Application) -> list[tuple[User, int]]:
    conflicts = state.conflicts()
    loads = state.loads()
    taken = {a.juror_id for a in state.assignments if a.application_id == application.id}
    out = []
    for member in state.members:
        user_id = member.user_id
        pair = (application.id, user_id)
        if user_id in taken or pair in conflicts or state.rules.get(pair) == PairRule.FORBID:
            continue
        if not may_judge_nomination(member, application):
            continue
        load = loads.get(user_id, 0)
        if member.max_applications is not None and load >= member.max_applications:
            continue
        out.append((member.user, load))
    out.sort(key=lambda pair: (pair[1], pair[0].display_name.casefold(), pair[0].id))
    return out


def eligible_jurors(application: Application) -> list[User]:
    """Jury members who may take this application now, the least loaded first.

    Without conflicts (automatic or declared) or a forbid, within their nomination pool,
    under their cap, and not already assigned to it.
    """
    if application.state != ApplicationState.ACCEPTED:
        return []
    state = load_state(application.edition, [application.id])
    return [user for user, _load in _candidates(state, application)]


def _mark_jury_review(application_ids, actor: User | None) -> None:
    """The applicant's status shows "under jury review" from the first juror on (once)."""
    ids = set(application_ids)
    if not ids:
        return
    already = set(db.session.scalars(
        sa.select(ApplicationStatusChange.application_id).where(
            ApplicationStatusChange.application_id.in_(ids),
            ApplicationStatusChange.kind == "jury_review",
        )
    ))
    rows = [
        {"application_id": app_id, "state": ApplicationState.ACCEPTED, "kind": "jury_review",
         "actor_id": actor.id if actor is not None else None, "at": now_utc()}
        for app_id in sorted(ids - already)
    ]
    if rows:
        db.session.execute(sa.insert(ApplicationStatusChange), rows)


def _resolve_declarations(edition: Edition, application_ids) -> None:
    """Declared conflicts are resolved once their assignment is gone and K jurors remain."""
    ids = set(application_ids)
    if not ids:
        return
    db.session.flush()
    open_ones = list(db.session.scalars(
        sa.select(ConflictDeclaration).where(
            ConflictDeclaration.application_id.in_(ids),
            ConflictDeclaration.resolved_at.is_(None),
        )
    ))
    if not open_ones:
        return
    pairs = {tuple(row) for row in db.session.execute(
        sa.select(Assignment.application_id, Assignment.juror_id)
        .where(Assignment.application_id.in_(ids))
    )}
    declared = {(d.application_id, d.juror_id) for d in db.session.scalars(
        sa.select(ConflictDeclaration).where(ConflictDeclaration.application_id.in_(ids)))}
    for declaration in open_ones:
        pair = (declaration.application_id, declaration.juror_id)
        valid = sum(1 for p in pairs if p[0] == pair[0] and p not in declared)
        if pair not in pairs and valid >= edition.jurors_per_application:
            declaration.resolved_at = now_utc()


def _check_open(edition: Edition) -> None:
    if edition.jury_closed_at is not None:
        raise AssignmentError(_l("The jury of this edition is closed: assignments are final."))


def assign_juror(
    application: Application,
    juror: User,
    actor: User,
    source: AssignmentSource = AssignmentSource.MANUAL,
) -> Assignment:
    """Assign a juror to an application after checking every rule; raises AssignmentError."""
    edition = application.edition
    _check_open(edition)
    if application.state != ApplicationState.ACCEPTED:
        raise AssignmentError(_l("Only accepted applications go to the jury."))
    state = load_state(edition, [application.id])
    member = state.member_by_user.get(juror.id)
    if member is None:
        raise AssignmentError(_l("%(name)s is not on this edition's jury.",
                                 name=juror.display_name))
    pair = (application.id, juror.id)
    if any(a.application_id == application.id and a.juror_id == juror.id
           for a in state.assignments):
        raise AssignmentError(_l("%(name)s is already assigned to this application.",
                                 name=juror.display_name))
    if pair in state.conflicts():
        raise AssignmentError(_l("%(name)s has a conflict of interest with this application.",
                                 name=juror.display_name))
    if state.rules.get(pair) == PairRule.FORBID:
        raise AssignmentError(_l("This pair is forbidden. Remove the forbid first."))
    if not may_judge_nomination(member, application):
        raise AssignmentError(_l("%(name)s judges only other nominations.",
                                 name=juror.display_name))
    load = state.loads().get(juror.id, 0)
    if member.max_applications is not None and load >= member.max_applications:
        raise AssignmentError(_l("%(name)s has reached the cap of %(cap)s applications.",
                                 name=juror.display_name, cap=member.max_applications))
    assignment = Assignment(application_id=application.id, juror_id=juror.id, source=source,
                            created_by_id=actor.id if actor is not None else None)
    db.session.add(assignment)
    db.session.flush()
    _mark_jury_review([application.id], actor)
    _resolve_declarations(edition, [application.id])
    audit.record("jury.assigned", assignment, actor=actor, edition_id=edition.id,
                 data={"application_id": application.id, "juror_id": juror.id,
                       "source": source})
    return assignment


def unassign_juror(assignment: Assignment, actor: User) -> None:
    """Remove an assignment; refused once the juror has started a score sheet."""
    application = assignment.application
    _check_open(application.edition)
    started = db.session.scalar(
        sa.select(ScoreSheet.id).where(ScoreSheet.assignment_id == assignment.id)
    )
    if started is not None:
        raise AssignmentError(_l(
            "%(name)s has started scoring this application: the assignment cannot be removed.",
            name=assignment.juror.display_name,
        ))
    audit.record("jury.unassigned", assignment, actor=actor, edition_id=application.edition_id,
                 data={"application_id": application.id, "juror_id": assignment.juror_id})
    db.session.delete(assignment)
    db.session.flush()
    _resolve_declarations(application.edition, [application.id])


def set_pair_rule(application: Application, juror: User, rule: PairRule | None,
                  actor: User) -> None:
    """Pin or forbid a juror on an application, or clear the rule (rule=None)."""
    existing = db.session.scalar(sa.select(AssignmentConstraint).where(
        AssignmentConstraint.application_id == application.id,
        AssignmentConstraint.juror_id == juror.id,
    ))
    if rule == PairRule.PIN:
        state = load_state(application.edition, [application.id])
        if (application.id, juror.id) in state.conflicts():
            raise AssignmentError(_l("%(name)s has a conflict of interest with this application: "
                                     "the pair cannot be pinned.", name=juror.display_name))
        if juror.id not in state.member_by_user:
            raise AssignmentError(_l("%(name)s is not on this edition's jury.",
                                     name=juror.display_name))
    if rule == PairRule.FORBID:
        assigned = db.session.scalar(sa.select(Assignment.id).where(
            Assignment.application_id == application.id, Assignment.juror_id == juror.id))
        if assigned is not None:
            raise AssignmentError(_l("%(name)s is assigned to this application: remove the "
                                     "assignment before forbidding the pair.",
                                     name=juror.display_name))
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
    if rule is not None:
        db.session.add(AssignmentConstraint(application_id=application.id, juror_id=juror.id,
                                            rule=rule, created_by_id=actor.id))
    audit.record("jury.pair_rule", application, actor=actor,
                 data={"juror_id": juror.id, "rule": rule.value if rule else "none"})
    db.session.flush()


@dataclass
class AutoAssignment:
    """What one run of the automatic assignment did or why it could not."""

    result: object  # domain.assignment.AssignmentResult
    created: int = 0
    removed: int = 0
    kept_conflicted: list[Assignment] = field(default_factory=list)
    applications: int = 0
    jurors: int = 0


def build_problem(state: JuryState) -> tuple[AssignmentProblem, list[Assignment], list]:
    """The domain problem; also the assignments to drop (conflicted or forbidden, not
    started) and those kept although conflicted (scoring started)."""
    conflicts = state.conflicts()
    accepted = {a.id for a in state.applications}
    drop, kept_conflicted, kept = [], [], set()
    for assignment in state.assignments:
        pair = (assignment.application_id, assignment.juror_id)
        if assignment.application_id not in accepted:
            continue
        bad = pair in conflicts or state.rules.get(pair) == PairRule.FORBID
        if bad and assignment.id not in state.sheets:
            drop.append(assignment)
            continue
        if bad:
            kept_conflicted.append(assignment)
        kept.add(pair)
    problem = AssignmentProblem(
        applications=[ApplicationSpec(a.id, a.display_number, a.nomination_id)
                      for a in state.applications],
        jurors=[
            JurorSpec(
                m.user_id,
                m.user.display_name,
                frozenset(n.id for n in m.nominations) or None,
                m.max_applications,
            )
            for m in state.members
        ],
        per_application=state.edition.jurors_per_application,
        assigned=kept,
        pins={p for p, rule in state.rules.items() if rule == PairRule.PIN},
        conflicts=set(conflicts),
        forbidden={p for p, rule in state.rules.items() if rule == PairRule.FORBID},
        nominations={n.id: n.name for n in state.edition.nominations},
    )
    return problem, drop, kept_conflicted


def run_auto_assignment(edition: Edition, actor: User, *,
                        strict_balance: bool = True) -> AutoAssignment:
    """Complete the assignment of every accepted application, or change nothing and say why."""
    _check_open(edition)
    state = load_state(edition)
    problem, drop, kept_conflicted = build_problem(state)
    result = solve(problem, strict_balance=strict_balance)
    outcome = AutoAssignment(result, kept_conflicted=kept_conflicted,
                             applications=len(state.applications), jurors=len(state.members))
    if not result.ok:
        return outcome
    pins = problem.pins
    touched = set()
    for assignment in drop:
        touched.add(assignment.application_id)
        db.session.delete(assignment)
    db.session.flush()
    if result.new_pairs:
        # One multi-row insert: an edition's first run creates thousands of assignments.
        now = now_utc()
        db.session.execute(sa.insert(Assignment), [
            {"application_id": app_id, "juror_id": juror_id, "created_by_id": actor.id,
             "created_at": now,
             "source": AssignmentSource.MANUAL if (app_id, juror_id) in pins
             else AssignmentSource.AUTOMATIC}
            for app_id, juror_id in result.new_pairs
        ])
        touched.update(app_id for app_id, _ in result.new_pairs)
    outcome.created, outcome.removed = len(result.new_pairs), len(drop)
    _mark_jury_review({app_id for app_id, _ in result.new_pairs}, actor)
    _resolve_declarations(edition, touched)
    audit.record("jury.auto_assigned", edition, actor=actor, edition_id=edition.id,
                 data={"created": outcome.created, "removed": outcome.removed,
                       "balanced": result.balanced})
    return outcome
