"""Creating and changing editions and their forum; every change goes to the audit log."""

from decimal import Decimal

from .. import audit
from ..authz import get_or_404
from ..domain.edition_rules import DEADLINE_FIELDS, deadline_changes
from ..domain.moscow_time import from_moscow
from ..extensions import db
from ..models import Application, Edition, EditionStatus, Event, EventKind

# Form fields copied onto the edition as they are.
TEXT_FIELDS = ("title_ru", "title_en", "description_ru", "description_en", "rules_ru", "rules_en")
SETTING_FIELDS = (
    "one_application_per_nomination",
    "jurors_per_application",
    "blind_review",
    "conflict_same_country",
    "conflict_same_region",
    "normalize_scores",
    "divergence_threshold",
    "applicant_feedback",
)
FORM_DATES = ("applications_open_at", "applications_close_at", "judging_close_at")


def load_edition(edition_id: int) -> Edition:
    """The edition to manage, or 404 (organizers manage every edition)."""
    return get_or_404(Edition, edition_id)


def list_editions() -> list[tuple[Edition, int]]:
    """Every edition, newest first, with its number of submitted applications (one query)."""
    from ..models import ApplicationState

    submitted = (
        db.select(Application.edition_id, db.func.count(Application.id).label("n"))
        .where(Application.state != ApplicationState.DRAFT)
        .group_by(Application.edition_id)
        .subquery()
    )
    rows = db.session.execute(
        db.select(Edition, db.func.coalesce(submitted.c.n, 0))
        .outerjoin(submitted, submitted.c.edition_id == Edition.id)
        .order_by(Edition.ordinal.desc())
    ).all()
    return [(edition, count) for edition, count in rows]


def edition_form_data(edition: Edition) -> dict:
    """The values an edition's form starts with."""
    data = {name: getattr(edition, name) for name in (*TEXT_FIELDS, *SETTING_FIELDS)}
    data.update({name: getattr(edition, name) for name in FORM_DATES})
    data.update(ordinal=edition.ordinal, year=edition.year, status=edition.status.value)
    forum = edition.forum_event
    if forum is not None:
        data.update(
            forum_title_ru=forum.title_ru,
            forum_title_en=forum.title_en,
            forum_city_ru=forum.city_ru,
            forum_city_en=forum.city_en,
            forum_venue=forum.venue,
            forum_starts_at=forum.starts_at,
        )
    return data


def _clean(value):
    return value.strip() if isinstance(value, str) else value


def _snapshot(edition: Edition) -> dict:
    names = ("ordinal", "year", "status", *TEXT_FIELDS, *SETTING_FIELDS, *DEADLINE_FIELDS)
    return {name: getattr(edition, name) for name in names}


def save_edition(edition: Edition | None, form) -> Edition:
    """Create an edition or apply the form to one; log what changed, each deadline apart."""
    creating = edition is None
    if creating:
        edition = Edition(ordinal=form.ordinal.data, year=form.year.data, title_ru="")
        db.session.add(edition)
    before = {} if creating else _snapshot(edition)

    edition.ordinal = form.ordinal.data
    edition.year = form.year.data
    edition.status = EditionStatus(form.status.data)
    for name in (*TEXT_FIELDS, *SETTING_FIELDS):
        setattr(edition, name, _clean(getattr(form, name).data))
    edition.divergence_threshold = Decimal(form.divergence_threshold.data)
    for name in FORM_DATES:
        moment = getattr(form, name).data
        setattr(edition, name, from_moscow(moment) if moment else None)
    _save_forum(edition, form)
    db.session.flush()

    if creating:
        audit.record("edition.created", edition, edition_id=edition.id,
                     data={"ordinal": edition.ordinal, "year": edition.year})
        return edition
    after = _snapshot(edition)
    for change in deadline_changes(before, after):
        audit.record(
            "edition.deadline_changed",
            edition,
            edition_id=edition.id,
            data={
                "field": change.field,
                "old": change.old.isoformat() if change.old else None,
                "new": change.new.isoformat() if change.new else None,
            },
        )
    changed = {
        name: {"old": before[name], "new": after[name]}
        for name in after
        if name not in DEADLINE_FIELDS and before[name] != after[name]
        and name not in TEXT_FIELDS
    }
    changed_texts = [name for name in TEXT_FIELDS if before[name] != after[name]]
    if changed or changed_texts:
        audit.record("edition.updated", edition, edition_id=edition.id,
                     data={"changes": changed, "texts": changed_texts})
    return edition


def _save_forum(edition: Edition, form) -> None:
    """Keep the forum event that announces the results in step with the form.

    Its start is the announcement moment, so the results embargo follows it.
    """
    forum = edition.forum_event
    if not form.has_forum:
        if forum is not None:
            # The event stays (people may have registered); it no longer sets the embargo.
            forum.announces_results = False
        edition.results_publish_at = None
        return
    if forum is None:
        forum = Event(kind=EventKind.FORUM, announces_results=True, country_code="RU")
        edition.events.append(forum)
    forum.title_ru = form.forum_title_ru.data.strip()
    forum.title_en = (form.forum_title_en.data or "").strip()
    forum.city_ru = (form.forum_city_ru.data or "").strip()
    forum.city_en = (form.forum_city_en.data or "").strip()
    forum.venue = (form.forum_venue.data or "").strip()
    forum.starts_at = from_moscow(form.forum_starts_at.data)
    edition.results_publish_at = forum.starts_at
