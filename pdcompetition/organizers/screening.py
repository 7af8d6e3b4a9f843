"""Screening: the list of an edition's applications and the organizers' decisions on them."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import abort, current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload, selectinload

from .. import audit
from ..domain.application_states import can_transition, check_transition
from ..domain.geography import RUSSIA
from ..domain.screening_rules import DECISIONS
from ..extensions import db
from ..formtools import whole_number
from ..mail.outbox import queue_mail
from ..models import Application, ApplicationState, ApplicationStatusChange, Edition
from .search import matches_any

SEARCHED_COLUMNS = (Application.full_name, Application.organization, Application.project_title)

# sort key -> (title, columns); a leading "-" in the request means descending.
SORTS = {
    "number": (_l("Number"), (Application.number,)),
    "name": (_l("Name"), (Application.full_name,)),
    "organization": (_l("Organization"), (Application.organization,)),
    "title": (_l("Project"), (Application.project_title,)),
    "country": (_l("Country"), (Application.country_code, Application.region_code)),
    "nomination": (_l("Nomination"), (Application.nomination_id,)),
    "state": (_l("State"), (Application.state,)),
    "submitted": (_l("Submitted"), (Application.last_submitted_at,)),
}
DEFAULT_SORT = "number"

# decision -> the mail the applicant gets.
DECISION_MAILS = {
    "accept": "application_accepted",
    "reject": "application_rejected",
    "return": "application_returned",
    "reopen": "application_reopened",
}


@dataclass
class Filters:
    """What the screening list is narrowed to and ordered by."""

    q: str = ""
    state: ApplicationState | None = None
    nomination_id: int | None = None
    country: str = ""
    region: str = ""
    sort: str = DEFAULT_SORT
    per_page: int = 25

    @classmethod
    def from_form(cls, form) -> "Filters":
        """Filters from a validated ScreeningFilterForm; unknown values are ignored."""
        states = {s.value: s for s in ApplicationState if s != ApplicationState.DRAFT}
        sort = form.sort.data or DEFAULT_SORT
        nomination = form.nomination.data or ""
        per_page = form.per_page.data or "25"
        return cls(
            q=(form.q.data or "").strip()[:200],
            state=states.get(form.state.data or ""),
            nomination_id=whole_number(nomination),
            country=(form.country.data or "")[:8],
            region=(form.region.data or "")[:8],
            sort=sort if sort.lstrip("-") in SORTS else DEFAULT_SORT,
            per_page=int(per_page) if per_page in ("25", "50", "100") else 25,
        )


def screenable(edition: Edition):
    """Applications of the edition the organizers screen: all but drafts."""
    return sa.and_(
        Application.edition_id == edition.id, Application.state != ApplicationState.DRAFT
    )


def screening_select(edition: Edition, filters: Filters) -> sa.Select:
    """The list query, with what the rows show loaded eagerly (no query per row)."""
    stmt = (
        db.select(Application)
        .where(screenable(edition))
        .options(joinedload(Application.nomination))
    )
    if filters.q:
        stmt = stmt.where(matches_any(SEARCHED_COLUMNS, filters.q))
    if filters.state is not None:
        stmt = stmt.where(Application.state == filters.state)
    if filters.nomination_id is not None:
        stmt = stmt.where(Application.nomination_id == filters.nomination_id)
    if filters.country:
        stmt = stmt.where(Application.country_code == filters.country)
    if filters.region:
        stmt = stmt.where(Application.region_code == filters.region)
    descending = filters.sort.startswith("-")
    columns = SORTS[filters.sort.lstrip("-")][1]
    order = [c.desc().nulls_last() if descending else c.asc().nulls_last() for c in columns]
    return stmt.order_by(*order, Application.id.desc() if descending else Application.id)


def present_geography(edition: Edition) -> tuple[list[str], list[str]]:
    """Country codes and Russian region codes that occur among the screenable applications."""
    rows = db.session.execute(
        db.select(Application.country_code, Application.region_code)
        .where(screenable(edition))
        .group_by(Application.country_code, Application.region_code)
    ).all()
    countries = sorted({country for country, _region in rows if country})
    regions = sorted({region for country, region in rows if country == RUSSIA and region})
    return countries, regions


def load_application(application_id: int, *, lock: bool = False) -> Application:
    """An application the organizers may screen (drafts are the applicant's own): else 404.

    With `lock`, the row is locked until the commit, so two organizers deciding at once
    are serialized and the second sees the first one's decision.
    """
    stmt = db.select(Application).where(
        Application.id == application_id, Application.state != ApplicationState.DRAFT
    )
    if lock:
        stmt = stmt.with_for_update(of=Application).execution_options(populate_existing=True)
    else:
        stmt = stmt.options(
            joinedload(Application.edition),
            joinedload(Application.nomination),
            joinedload(Application.owner),
            selectinload(Application.attachments),
            selectinload(Application.history).joinedload(ApplicationStatusChange.actor),
        )
    application = db.session.scalar(stmt)
    if application is None:
        abort(404)
    return application


def applicant_url(application: Application) -> str:
    """Where the applicant reads their application's status (the home page as a fallback)."""
    if "applications.overview" in current_app.view_functions:
        return url_for("applications.overview", application_id=application.id, _external=True)
    return url_for("public.home", _external=True)


def decide(
    application: Application,
    decision: str,
    *,
    actor,
    comment: str = "",
    changes_due_at: datetime | None = None,
) -> None:
    """Take a decision: new state, history entry, audit entry and a mail to the applicant.

    Raises TransitionNotAllowed when the state machine has no such move.
    """
    target = DECISIONS[decision]
    check_transition(application.state, target, "organizer")
    previous = application.state
    comment = (comment or "").strip()
    application.state = target
    application.decision_comment = comment
    application.changes_due_at = changes_due_at if decision == "return" else None
    application.version += 1
    # Added by id: appending to `history` would load the whole history of every application.
    db.session.add(ApplicationStatusChange(
        application_id=application.id, state=target, comment=comment, actor_id=actor.id,
        kind="reopened" if decision == "reopen" else "",
    ))
    audit.record(
        f"application.{decision}",
        application,
        actor=actor,
        data={
            "number": application.display_number,
            "from": previous,
            "to": target,
            "comment": comment,
            "changes_due_at": changes_due_at.isoformat() if changes_due_at else None,
        },
    )
    owner = application.owner
    queue_mail(
        owner.email,
        DECISION_MAILS[decision],
        owner.locale,
        user=owner,
        application=application,
        edition=application.edition,
        comment=comment,
        changes_due_at=application.changes_due_at,
        link=applicant_url(application),
    )
    db.session.flush()


@dataclass
class BulkResult:
    done: list[Application]
    skipped: list[Application]


def bulk_decide(edition: Edition, ids: list[int], decision: str, *, actor, comment: str = "",
                changes_due_at: datetime | None = None) -> BulkResult:
    """Apply one decision to the selected applications of the edition; skip the ones it
    does not fit (for example accepting an already rejected application)."""
    applications = db.session.scalars(
        db.select(Application)
        .where(screenable(edition), Application.id.in_(ids))
        .order_by(Application.number, Application.id)
        .with_for_update(of=Application)
        .execution_options(populate_existing=True)
    ).all()
    owners = {a.owner_id for a in applications}
    if owners:  # one query for every applicant the mails go to
        from ..models import User

        db.session.scalars(db.select(User).where(User.id.in_(owners))).all()
    result = BulkResult([], [])
    target = DECISIONS[decision]
    for application in applications:
        if can_transition(application.state, target, "organizer"):
            decide(application, decision, actor=actor, comment=comment,
                   changes_due_at=changes_due_at)
            result.done.append(application)
        else:
            result.skipped.append(application)
    return result
