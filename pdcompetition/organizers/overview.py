"""An edition's figures: applications by state, nomination, country, region and day.

Each figure is one GROUP BY query, whatever the number of applications.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from ..domain.geography import RUSSIA
from ..extensions import db
from ..models import Application, ApplicationState, Edition

# The Moscow offset; Russia has kept UTC+3 all year since 2014, so SQLite can add it.
MOSCOW_OFFSET = "+3 hours"


@dataclass
class Overview:
    by_state: dict[ApplicationState, int]
    # (nomination id or None, state) -> count
    by_nomination_state: dict[tuple[int | None, ApplicationState], int]
    by_country: list[tuple[str, int]]
    by_region: list[tuple[str, int]]
    per_day: list[tuple[date, int]]
    total_submitted: int = 0
    nomination_totals: dict[int | None, int] = field(default_factory=dict)

    @property
    def drafts(self) -> int:
        return self.by_state.get(ApplicationState.DRAFT, 0)

    @property
    def country_count(self) -> int:
        """Countries the applications come from, Russia included."""
        return sum(1 for code, _n in self.by_country if code)

    @property
    def region_count(self) -> int:
        return sum(1 for code, _n in self.by_region if code)


def _moscow_day(column) -> sa.ColumnElement:
    """The calendar day in Moscow of a stored UTC moment, computed by the database."""
    if db.engine.dialect.name == "sqlite":
        return sa.func.date(column, MOSCOW_OFFSET)
    return sa.func.date(sa.func.timezone("Europe/Moscow", column))


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def fill_days(counts: dict[date, int]) -> list[tuple[date, int]]:
    """Every day from the first to the last with a count, zero where nothing came in."""
    if not counts:
        return []
    first, last = min(counts), max(counts)
    days = (last - first).days
    return [(first + timedelta(days=n), counts.get(first + timedelta(days=n), 0))
            for n in range(days + 1)]


def edition_overview(edition: Edition) -> Overview:
    """The edition's figures; drafts are counted by state only, the rest excludes them."""
    mine = Application.edition_id == edition.id
    submitted = sa.and_(mine, Application.state != ApplicationState.DRAFT)

    by_state = dict(db.session.execute(
        db.select(Application.state, sa.func.count()).where(mine).group_by(Application.state)
    ).all())
    by_nomination_state = {
        (nomination_id, state): count
        for nomination_id, state, count in db.session.execute(
            db.select(Application.nomination_id, Application.state, sa.func.count())
            .where(submitted)
            .group_by(Application.nomination_id, Application.state)
        )
    }
    count = sa.func.count().label("n")
    by_country = db.session.execute(
        db.select(Application.country_code, count)
        .where(submitted)
        .group_by(Application.country_code)
        .order_by(count.desc(), Application.country_code)
    ).all()
    by_region = db.session.execute(
        db.select(Application.region_code, count)
        .where(submitted, Application.country_code == RUSSIA)
        .group_by(Application.region_code)
        .order_by(count.desc(), Application.region_code)
    ).all()
    day = _moscow_day(Application.submitted_at).label("day")
    per_day = db.session.execute(
        db.select(day, count)
        .where(submitted, Application.submitted_at.is_not(None))
        .group_by(day)
    ).all()

    nomination_totals: dict[int | None, int] = {}
    for (nomination_id, _state), n in by_nomination_state.items():
        nomination_totals[nomination_id] = nomination_totals.get(nomination_id, 0) + n
    return Overview(
        by_state=by_state,
        by_nomination_state=by_nomination_state,
        by_country=[(code, n) for code, n in by_country],
        by_region=[(code, n) for code, n in by_region],
        per_day=fill_days({_as_date(d): n for d, n in per_day}),
        total_submitted=sum(n for s, n in by_state.items() if s != ApplicationState.DRAFT),
        nomination_totals=nomination_totals,
    )
