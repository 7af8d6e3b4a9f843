"""Writes behind the organizers' pages for the public face; they flush, the view commits."""

import csv
import io
from datetime import datetime

from openpyxl import Workbook
from sqlalchemy.orm import joinedload, selectinload

from .. import audit
from ..domain.moscow_time import from_moscow, to_moscow
from ..extensions import db
from ..models import (
    ArchiveWinner,
    AwardKind,
    CommitteeMember,
    Edition,
    EditionStatus,
    Event,
    EventKind,
    EventRegistration,
    Partner,
    RegistrationStatus,
)
from ..public import logos
from ..public.registration import promote_waitlisted

EVENT_FIELDS = (
    "title_ru",
    "title_en",
    "description_ru",
    "description_en",
    "city_ru",
    "city_en",
    "country_code",
    "venue",
    "speakers_ru",
    "speakers_en",
    "capacity",
    "waitlist_enabled",
    "registration_open",
    "is_published",
    "announces_results",
)
TEXT_FIELDS = {
    "title_ru",
    "title_en",
    "city_ru",
    "city_en",
    "venue",
    "full_name_ru",
    "full_name_en",
    "role_ru",
    "role_en",
    "organization_ru",
    "organization_en",
    "name_ru",
    "name_en",
    "url",
    "full_name",
    "organization",
    "nomination_ru",
    "nomination_en",
}


def _clean(name: str, value):
    """Trim text; a field left out of the form is empty text, not NULL (capacity may be)."""
    if value is None:
        return None if name == "capacity" else 0 if name == "position" else ""
    if name in TEXT_FIELDS and isinstance(value, str):
        return value.strip()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return value


def editions_for_select() -> list[Edition]:
    return list(db.session.scalars(db.select(Edition).order_by(Edition.ordinal.desc())))


def all_partners() -> list[Partner]:
    return list(db.session.scalars(db.select(Partner).order_by(Partner.position, Partner.name_ru)))


def events_page(page: int):
    query = (
        db.select(Event)
        .order_by(Event.starts_at.desc(), Event.id.desc())
        .options(selectinload(Event.edition))
    )
    return db.paginate(query, page=page, per_page=30, error_out=False)


def registration_counts(event_ids) -> dict[tuple[int, RegistrationStatus], int]:
    """(event id, status) -> number of registrations, in one query for a list page."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        db.select(EventRegistration.event_id, EventRegistration.status, db.func.count())
        .where(EventRegistration.event_id.in_(event_ids))
        .group_by(EventRegistration.event_id, EventRegistration.status)
    )
    return {(event_id, status): number for event_id, status, number in rows}


def event_form_data(event: Event) -> dict:
    """What the edit form starts with: Moscow wall-clock times, partner ids."""
    data = {name: getattr(event, name) for name in EVENT_FIELDS}
    data.update(
        edition_id=str(event.edition_id or ""),
        kind=event.kind.value,
        starts_at=_wall_clock(event.starts_at),
        ends_at=_wall_clock(event.ends_at),
        partner_ids=[partner.id for partner in event.partners],
    )
    return data


def _wall_clock(moment: datetime | None) -> datetime | None:
    return to_moscow(moment).replace(tzinfo=None) if moment else None


def save_event(event: Event | None, form) -> Event:
    """Create or update an event from the form; a raised capacity lets the waiting list in."""
    created = event is None
    event = event or Event()
    for name in EVENT_FIELDS:
        setattr(event, name, _clean(name, getattr(form, name).data))
    event.kind = EventKind(form.kind.data)
    event.edition_id = int(form.edition_id.data) if form.edition_id.data else None
    event.starts_at = from_moscow(form.starts_at.data)
    event.ends_at = from_moscow(form.ends_at.data) if form.ends_at.data else None
    chosen = set(form.partner_ids.data or [])
    event.partners = [partner for partner in all_partners() if partner.id in chosen]
    db.session.add(event)
    db.session.flush()
    if event.announces_results and event.edition_id:
        # One forum announces an edition's results; the flag moves to this event.
        for other in db.session.scalars(
            db.select(Event).where(
                Event.edition_id == event.edition_id,
                Event.announces_results.is_(True),
                Event.id != event.id,
            )
        ):
            other.announces_results = False
    promote_waitlisted(event)
    audit.record(
        "event.created" if created else "event.updated", event, data={"title": event.title_ru}
    )
    return event


def delete_event(event: Event) -> None:
    audit.record("event.deleted", event, data={"title": event.title_ru})
    db.session.delete(event)
    db.session.flush()


def attendees(event: Event) -> list[EventRegistration]:
    """Registrations of the event: seats first, then the waiting list in order, cancelled last."""
    order = db.case(
        (EventRegistration.status == RegistrationStatus.REGISTERED, 0),
        (EventRegistration.status == RegistrationStatus.WAITLISTED, 1),
        else_=2,
    )
    return list(
        db.session.scalars(
            db.select(EventRegistration)
            .where(EventRegistration.event_id == event.id)
            .order_by(order, EventRegistration.created_at, EventRegistration.id)
            .options(joinedload(EventRegistration.user))
        )
    )


def _safe_cell(value: str) -> str:
    """Spreadsheets run cells starting with = + - @ as formulas; names must not."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def attendee_rows(registrations, headers) -> list[list[str]]:
    rows = [list(headers)]
    for number, registration in enumerate(registrations, 1):
        rows.append(
            [
                str(number),
                _safe_cell(registration.user.display_name),
                _safe_cell(registration.user.email),
                str(registration.status.title),
                to_moscow(registration.created_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return rows


def rows_to_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    # The BOM makes Excel open Cyrillic text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def rows_to_xlsx(rows, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(row)
    for column, width in zip("ABCDE", (5, 36, 36, 22, 18), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def committee_members() -> list[CommitteeMember]:
    return list(
        db.session.scalars(
            db.select(CommitteeMember).order_by(
                CommitteeMember.position, CommitteeMember.full_name_ru
            )
        )
    )


def save_simple(obj, form, fields) -> None:
    """Copy form fields onto a committee member, partner or archive winner and flush."""
    for name in fields:
        setattr(obj, name, _clean(name, getattr(form, name).data))
    db.session.add(obj)
    db.session.flush()
    audit.record(f"{type(obj).__name__.lower()}.saved", obj)


def delete_object(obj) -> None:
    audit.record(f"{type(obj).__name__.lower()}.deleted", obj)
    if isinstance(obj, Partner):
        logos.delete_logo(obj.logo_name)
    db.session.delete(obj)
    db.session.flush()


def replace_logo(partner: Partner, data: bytes | None, remove: bool) -> None:
    """Store a new logo (checked and re-encoded) or remove the old one.

    Raises logos.InvalidImage; the old logo stays until the new one is stored."""
    if data:
        name = logos.save_logo(data)
        logos.delete_logo(partner.logo_name)
        partner.logo_name = name
    elif remove and partner.logo_name:
        logos.delete_logo(partner.logo_name)
        partner.logo_name = ""


def archived_editions() -> list[Edition]:
    return list(
        db.session.scalars(
            db.select(Edition)
            .where(Edition.status == EditionStatus.ARCHIVED)
            .order_by(Edition.ordinal.desc())
        )
    )


def archive_winners(edition: Edition) -> list[ArchiveWinner]:
    return list(
        db.session.scalars(
            db.select(ArchiveWinner)
            .where(ArchiveWinner.edition_id == edition.id)
            .order_by(ArchiveWinner.position, ArchiveWinner.id)
        )
    )


def save_archive_figures(edition: Edition, form) -> None:
    edition.archive_region_count = form.archive_region_count.data
    edition.archive_country_count = form.archive_country_count.data
    edition.archive_country_codes = sorted(form.archive_country_codes.data or [])
    if form.results_announced_at.data:
        moment = from_moscow(form.results_announced_at.data)
        # An archived edition's results were announced long ago: they are simply public.
        edition.results_publish_at = edition.results_published_at = moment
        edition.results_approved_at = edition.results_approved_at or moment
        # Nobody on the platform took part, so there is nobody to mail the results to.
        edition.results_mailed_at = edition.results_mailed_at or moment
    db.session.flush()
    audit.record(
        "edition.archive_figures",
        edition,
        edition_id=edition.id,
        data={
            "regions": edition.archive_region_count,
            "countries": edition.archive_country_count,
            "codes": edition.archive_country_codes,
        },
    )


def save_winner(winner: ArchiveWinner, form) -> None:
    winner.kind = AwardKind(form.kind.data)
    save_simple(
        winner,
        form,
        ("full_name", "organization", "country_code", "nomination_ru", "nomination_en", "position"),
    )
