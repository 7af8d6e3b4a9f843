"""Registering to attend an event: seats, the waiting list, mails with a calendar file."""

from urllib.parse import urlsplit

from flask import abort, url_for

from ..domain.events import Outcome, promotions, registration_outcome
from ..domain.moscow_time import now_utc
from ..extensions import db
from ..i18n import country_name
from ..mail.outbox import queue_mail
from ..models import Event, EventRegistration, RegistrationStatus
from . import ics
from .services import is_organizer

STATUS = {
    Outcome.REGISTERED: RegistrationStatus.REGISTERED,
    Outcome.WAITLISTED: RegistrationStatus.WAITLISTED,
}


def get_visible_event(event_id: int) -> Event:
    """A published event (organizers also see unpublished ones), or 404."""
    event = db.session.get(Event, event_id)
    if event is None or not (event.is_published or is_organizer()):
        abort(404)
    return event


def lock_published_event(event_id: int) -> Event:
    """The published event, its row locked until commit: registrations to one event queue up
    here, so the seat count read after the lock is the truth (PostgreSQL; SQLite has one writer)."""
    event = db.session.scalar(
        db.select(Event)
        .where(Event.id == event_id, Event.is_published.is_(True))
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if event is None:
        abort(404)
    return event


def count(event: Event, status: RegistrationStatus) -> int:
    return db.session.scalar(
        db.select(db.func.count(EventRegistration.id)).where(
            EventRegistration.event_id == event.id, EventRegistration.status == status
        )
    )


def registration_of(event: Event, user) -> EventRegistration | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(
        db.select(EventRegistration).where(
            EventRegistration.event_id == event.id, EventRegistration.user_id == user.id
        )
    )


def waitlist_position(registration: EventRegistration) -> int:
    """1 for the first person in line."""
    return 1 + db.session.scalar(
        db.select(db.func.count(EventRegistration.id)).where(
            EventRegistration.event_id == registration.event_id,
            EventRegistration.status == RegistrationStatus.WAITLISTED,
            db.or_(
                EventRegistration.created_at < registration.created_at,
                db.and_(
                    EventRegistration.created_at == registration.created_at,
                    EventRegistration.id < registration.id,
                ),
            ),
        )
    )


def register(event: Event, user) -> EventRegistration:
    """Give the user a seat or a place in line; the event must be locked by the caller.

    Raises domain.events.RegistrationRefused when it is closed, started or full."""
    existing = registration_of(event, user)
    if existing is not None and existing.status != RegistrationStatus.CANCELLED:
        return existing
    outcome = registration_outcome(
        registration_open=event.registration_open,
        starts_at=event.starts_at,
        now=now_utc(),
        capacity=event.capacity,
        registered=count(event, RegistrationStatus.REGISTERED),
        waitlist_enabled=event.waitlist_enabled,
    )
    registration = existing or EventRegistration(event=event, user=user)
    registration.status = STATUS[outcome]
    registration.created_at = now_utc()  # back of the line after a cancellation
    db.session.add(registration)
    db.session.flush()
    send_registration_mail(registration)
    return registration


def cancel(event: Event, user) -> EventRegistration | None:
    """Cancel the user's registration and give a freed seat to the next in line."""
    registration = registration_of(event, user)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return None
    registration.status = RegistrationStatus.CANCELLED
    db.session.flush()
    promote_waitlisted(event)
    return registration


def promote_waitlisted(event: Event) -> list[EventRegistration]:
    """Move people from the waiting list into free seats, first come first served."""
    if event.starts_at <= now_utc():
        return []
    waiting = count(event, RegistrationStatus.WAITLISTED)
    number = promotions(event.capacity, count(event, RegistrationStatus.REGISTERED), waiting)
    if not number:
        return []
    promoted = list(
        db.session.scalars(
            db.select(EventRegistration)
            .where(
                EventRegistration.event_id == event.id,
                EventRegistration.status == RegistrationStatus.WAITLISTED,
            )
            .order_by(EventRegistration.created_at, EventRegistration.id)
            .limit(number)
        )
    )
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
    db.session.flush()
    for registration in promoted:
        send_registration_mail(registration, promoted=True)
    return promoted


def _in(obj, field: str, locale: str) -> str:
    """A translated field in a given language (mails go out in the recipient's)."""
    return (getattr(obj, f"{field}_{locale}", "") if locale != "ru" else "") or getattr(
        obj, f"{field}_ru"
    )


def calendar_file(event: Event, locale: str) -> bytes:
    """The event as an .ics file, texts in `locale`."""
    url = url_for("events.detail", event_id=event.id, _external=True)
    place = [event.venue, _in(event, "city", locale), country_name(event.country_code, locale)]
    host = urlsplit(url).hostname or "pdcompetition"
    return ics.event_calendar(
        uid=f"event-{event.id}@{host}",
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        summary=_in(event, "title", locale),
        description="\n\n".join(p for p in (_in(event, "description", locale), url) if p),
        location=", ".join(p for p in place if p),
        url=url,
        stamp=now_utc(),
    )


def calendar_name(event: Event) -> str:
    return f"event-{event.id}.ics"


def send_registration_mail(registration: EventRegistration, promoted: bool = False) -> None:
    """Tell the person where they stand; a seat comes with the calendar file."""
    user, event = registration.user, registration.event
    locale = user.locale
    attachment = None
    if registration.status == RegistrationStatus.REGISTERED:
        attachment = (calendar_name(event), "text/calendar", calendar_file(event, locale))
    queue_mail(
        user.email,
        "event_registration",
        locale,
        attachment=attachment,
        user=user,
        event=event,
        title=_in(event, "title", locale),
        city=_in(event, "city", locale),
        country=country_name(event.country_code, locale),
        waitlisted=registration.status == RegistrationStatus.WAITLISTED,
        promoted=promoted,
        event_url=url_for("events.detail", event_id=event.id, _external=True),
    )
