"""Organizers' pages: events, their attendees and the attendee lists for download."""

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..authz import get_or_404
from ..extensions import db
from ..models import Event, RegistrationStatus
from . import bp, forms, services


@bp.route("/")
def index():
    return render_template("public_admin/index.html")


@bp.route("/events")
def events():
    page = services.events_page(request.args.get("page", 1, type=int))
    counts = services.registration_counts([event.id for event in page.items])
    return render_template(
        "public_admin/events.html", page=page, counts=counts, Status=RegistrationStatus
    )


def _event_form(event: Event | None = None):
    data = services.event_form_data(event) if event and request.method == "GET" else {}
    form = forms.EventForm(data=data) if data else forms.EventForm()
    form.setup(services.editions_for_select(), services.all_partners())
    return form


@bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    form = _event_form()
    if form.validate_on_submit():
        event = services.save_event(None, form)
        db.session.commit()
        flash(_("The event has been created."), "success")
        return redirect(url_for("events.detail", event_id=event.id))
    return render_template("public_admin/event_form.html", form=form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    event = get_or_404(Event, event_id)
    form = _event_form(event)
    if form.validate_on_submit():
        services.save_event(event, form)
        db.session.commit()
        flash(_("The event has been saved."), "success")
        return redirect(url_for("events.detail", event_id=event.id))
    return render_template("public_admin/event_form.html", form=form, event=event)


@bp.route("/events/<int:event_id>/delete", methods=["POST"])
def delete_event(event_id: int):
    event = get_or_404(Event, event_id)
    services.delete_event(event)
    db.session.commit()
    flash(_("The event has been deleted."), "info")
    return redirect(url_for("public_admin.events"))


@bp.route("/events/<int:event_id>/attendees")
def attendees(event_id: int):
    event = get_or_404(Event, event_id)
    return render_template(
        "public_admin/attendees.html", event=event, registrations=services.attendees(event)
    )


@bp.route("/events/<int:event_id>/attendees.<any(csv, xlsx):fmt>")
def export_attendees(event_id: int, fmt: str):
    event = get_or_404(Event, event_id)
    headers = ["№", _("Name"), _("Email"), _("Status"), _("Registered (Moscow time)")]
    rows = services.attendee_rows(services.attendees(event), headers)
    if fmt == "csv":
        body, mimetype = services.rows_to_csv(rows), "text/csv; charset=utf-8"
    else:
        body = services.rows_to_xlsx(rows, _("Attendees"))
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = make_response(body)
    response.headers["Content-Type"] = mimetype
    response.headers["Content-Disposition"] = (
        f'attachment; filename="event-{event.id}-attendees.{fmt}"'
    )
    return response
