"""Events pages: the list, one event, registering to attend and the calendar file."""

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.events import RegistrationRefused, is_over, seats_left
from ..domain.moscow_time import now_utc
from ..extensions import db, limiter
from ..i18n import current_language
from ..models import RegistrationStatus
from . import registration as reg
from . import services

bp = Blueprint("events", __name__)


@bp.route("/events")
def index():
    page = request.args.get("page", 1, type=int)
    return render_template(
        "public/events.html",
        upcoming=services.upcoming_events(),
        past=services.past_events(max(page, 1)),
    )


@bp.route("/events/<int:event_id>")
def detail(event_id: int):
    event = reg.get_visible_event(event_id)
    mine = reg.registration_of(event, current_user)
    registered = reg.count(event, RegistrationStatus.REGISTERED)
    now = now_utc()
    return render_template(
        "public/event.html",
        event=event,
        mine=mine,
        registered=registered,
        seats_left=seats_left(event.capacity, registered),
        started=event.starts_at <= now,
        over=is_over(event.starts_at, event.ends_at, now),
        position=reg.waitlist_position(mine)
        if mine and mine.status == RegistrationStatus.WAITLISTED
        else None,
    )


REFUSALS = {
    "closed": lambda: _("Registration for this event is closed."),
    "started": lambda: _("The event has already started; registration is over."),
    "full": lambda: _("Sorry, all seats are taken."),
}


@bp.route("/events/<int:event_id>/register", methods=["POST"])
@login_required
# Limited per account, not per address: a whole conference hall may share one address.
@limiter.limit("20 per hour", key_func=lambda: f"event-registration:{current_user.get_id()}")
def register(event_id: int):
    event = reg.lock_published_event(event_id)
    try:
        registration = reg.register(event, current_user)
    except RegistrationRefused as refused:
        db.session.rollback()
        flash(REFUSALS[refused.reason](), "error")
        return redirect(url_for("events.detail", event_id=event_id))
    db.session.commit()
    if registration.status == RegistrationStatus.WAITLISTED:
        flash(
            _(
                "All seats are taken: you are on the waiting list. We will write if a seat frees."
            ),
            "warning",
        )
    else:
        flash(_("You are registered. We have sent you a mail with a calendar file."), "success")
    return redirect(url_for("events.detail", event_id=event_id))


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
@login_required
def cancel(event_id: int):
    event = reg.lock_published_event(event_id)
    if reg.cancel(event, current_user) is not None:
        flash(_("Your registration has been cancelled."), "info")
    db.session.commit()
    return redirect(url_for("events.detail", event_id=event_id))


@bp.route("/events/<int:event_id>/calendar.ics")
def calendar(event_id: int):
    event = reg.get_visible_event(event_id)
    data = reg.calendar_file(event, current_language())
    response = make_response(data)
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{reg.calendar_name(event)}"'
    return response
