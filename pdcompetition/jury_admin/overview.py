"""What the assignment pages show: applications with their jurors, loads, one application."""

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from ..domain.conflicts import ConflictReason
from ..extensions import db
from ..models import Application, Assignment, JuryMember, PairRule, User
from .services import JuryState, _candidates


def users_by_id(state: JuryState) -> dict[int, User]:
    """Every juror appearing in the state (members and former members), one query at most."""
    users = {m.user_id: m.user for m in state.members}
    missing = {a.juror_id for a in state.assignments} - set(users)
    if missing:
        users.update({u.id: u for u in db.session.scalars(
            sa.select(User).where(User.id.in_(missing)))})
    return users


@dataclass
class AssignedJuror:
    assignment: Assignment
    juror: User
    sheet_status: object  # SheetStatus or None (not started)
    declared: bool
    conflicted: bool


@dataclass
class ApplicationRow:
    application: Application
    jurors: list[AssignedJuror]
    pins: list[User]
    forbids: list[User]
    needed: int

    @property
    def valid(self) -> int:
        """Jurors who will really judge it (declared conflicts await reassignment)."""
        return sum(1 for j in self.jurors if not j.declared and not j.conflicted)

    @property
    def short(self) -> bool:
        return self.valid < self.needed


@dataclass
class JurorLoad:
    member: JuryMember
    load: int
    pool: list[str]  # nomination names; empty: every nomination


@dataclass
class Overview:
    rows: list[ApplicationRow]
    loads: list[JurorLoad]
    total: int
    complete: int
    awaiting: int  # declared conflicts awaiting reassignment


def _rows(state: JuryState, applications) -> list[ApplicationRow]:
    users = users_by_id(state)
    conflicts = state.conflicts()
    by_app = defaultdict(list)
    for a in state.assignments:
        pair = (a.application_id, a.juror_id)
        by_app[a.application_id].append(AssignedJuror(
            a, users[a.juror_id], state.sheets.get(a.id), pair in state.declarations,
            pair in conflicts and pair not in state.declarations,
        ))
    rules = defaultdict(lambda: ([], []))
    for (app_id, juror_id), rule in state.rules.items():
        if juror_id in users:
            rules[app_id][0 if rule == PairRule.PIN else 1].append(users[juror_id])
    k = state.edition.jurors_per_application
    return [ApplicationRow(app, by_app[app.id], *rules[app.id], k) for app in applications]


def assignment_overview(state: JuryState, nomination_id: int | None = None,
                        short_only: bool = False) -> Overview:
    """Every accepted application with its jurors, and each juror's load and pool."""
    rows = _rows(state, state.applications)
    everything = rows
    if nomination_id:
        rows = [r for r in rows if r.application.nomination_id == nomination_id]
    if short_only:
        rows = [r for r in rows if r.short]
    loads = state.loads()
    juror_loads = [
        JurorLoad(m, loads.get(m.user_id, 0), [n.name for n in m.nominations])
        for m in state.members
    ]
    awaiting = sum(1 for d in state.declarations.values()
                   if d.resolved_at is None and d.application_id in state.accepted_ids)
    return Overview(rows, juror_loads, len(everything),
                    sum(1 for r in everything if not r.short), awaiting)


@dataclass
class ApplicationDetail:
    row: ApplicationRow
    eligible: list[User]
    loads: dict[int, int]
    conflicts: list[tuple[User, list[ConflictReason]]]
    rules: list[tuple[User, PairRule]]


def application_detail(state: JuryState, application: Application) -> ApplicationDetail:
    """One application's jurors, who else may take it, its conflicts and pair rules."""
    users = users_by_id(state)
    row = _rows(state, [application])[0]
    candidates = _candidates(state, application)
    conflicts = [
        (users[j], reasons) for (a, j), reasons in state.conflicts().items()
        if a == application.id and j in users
    ]
    conflicts.sort(key=lambda pair: pair[0].display_name.casefold())
    rules = [(users[j], rule) for (a, j), rule in state.rules.items()
             if a == application.id and j in users]
    return ApplicationDetail(row, [u for u, _ in candidates], state.loads(), conflicts, rules)
