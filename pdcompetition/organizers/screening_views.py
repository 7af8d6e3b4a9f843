"""Screening pages: the filtered list with bulk decisions, and one application in full."""

from datetime import datetime, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..authz import organizer_required
from ..domain.geography import region_choices
from ..domain.moscow_time import MOSCOW, from_moscow, now_utc
from ..domain.screening_rules import DECISION_TITLES, available_decisions, decision_problems
from ..extensions import db
from ..formtools import choices
from ..i18n import country_name, current_language
from ..models import ApplicationState
from . import bp, services
from .forms import BulkDecisionForm, DecisionForm, ScreeningFilterForm
from .screening import (
    SORTS,
    Filters,
    bulk_decide,
    decide,
    load_application,
    present_geography,
    screening_select,
)


def _filter_form(edition) -> ScreeningFilterForm:
    """The filter form read from the query string, offering only values that occur."""
    form = ScreeningFilterForm(formdata=request.args)
    countries, regions = present_geography(edition)
    regions_named = dict(region_choices(current_language()))
    form.state.choices = choices(
        ((s.value, s.title) for s in ApplicationState if s != ApplicationState.DRAFT),
        blank=_("Any"))
    form.nomination.choices = choices(((n.id, n.name) for n in edition.nominations),
                                      blank=_("Any"))
    form.country.choices = choices(
        sorted(((c, country_name(c)) for c in countries), key=lambda p: p[1].casefold()),
        blank=_("Any"))
    form.region.choices = choices(
        sorted(((r, regions_named.get(r, r)) for r in regions), key=lambda p: p[1].casefold()),
        blank=_("Any"))
    form.sort.choices = choices(
        [(key, title) for key, (title, _cols) in SORTS.items()]
        + [("-" + key, _("%(field)s, descending", field=title))
           for key, (title, _cols) in SORTS.items()])
    return form


def _default_due() -> datetime:
    """A week from now, at the end of that day in Moscow."""
    day = (now_utc() + timedelta(days=7)).astimezone(MOSCOW)
    return day.replace(hour=23, minute=59, second=0, microsecond=0)


def _moment(field) -> datetime | None:
    return from_moscow(field.data) if field.data else None


def _check_decision(form, decision: str, edition) -> bool:
    """Add the decision's own requirements (reason, comment, deadline) to the form errors."""
    problems = decision_problems(decision, form.comment.data, _moment(form.changes_due_at),
                                 now=now_utc(), judging_close_at=edition.judging_close_at)
    for name, message in problems.items():
        getattr(form, name).errors.append(message)
    return not problems


@bp.route("/editions/<id:edition_id>/applications", methods=["GET", "POST"])
@organizer_required
def applications(edition_id):
    """The screening list; a POST applies one decision to the selected applications."""
    edition = services.load_edition(edition_id)
    filter_form = _filter_form(edition)
    filters = Filters.from_form(filter_form)
    bulk = BulkDecisionForm(prefix="bulk", data={"changes_due_at": _default_due()})
    bulk.decision.choices = choices(DECISION_TITLES.items(), blank="")
    if bulk.validate_on_submit() and _check_decision(bulk, bulk.decision.data, edition):
        if not bulk.selected.data:
            flash(_("Select the applications first."), "error")
        else:
            result = bulk_decide(edition, bulk.selected.data, bulk.decision.data,
                                 actor=current_user, comment=bulk.comment.data,
                                 changes_due_at=_moment(bulk.changes_due_at))
            db.session.commit()
            _flash_bulk(result)
            return redirect(request.full_path)
    page = db.paginate(screening_select(edition, filters), per_page=filters.per_page,
                       error_out=False, max_per_page=100)
    return render_template("organizers/applications.html", edition=edition, page=page,
                           filter_form=filter_form, filters=filters, bulk=bulk, sorts=SORTS)


def _flash_bulk(result) -> None:
    if result.done:
        flash(_("Decision applied to %(count)s applications.", count=len(result.done)),
              "success")
    if result.skipped:
        numbers = ", ".join(a.display_number for a in result.skipped)
        flash(_("Skipped, the decision does not fit their state: %(numbers)s.", numbers=numbers),
              "warning")


def _decision_forms(application, failed: tuple[str, DecisionForm] | None = None) -> dict:
    forms = {
        decision: DecisionForm(prefix=decision, formdata=None,
                               data={"changes_due_at": _default_due()})
        for decision in available_decisions(application.state)
    }
    if failed is not None:
        forms[failed[0]] = failed[1]
    return forms


def _render_application(application, failed=None, status=200):
    can_download = "applications.attachment" in current_app.view_functions
    return render_template(
        "organizers/application.html",
        application=application,
        edition=application.edition,
        forms=_decision_forms(application, failed),
        titles=DECISION_TITLES,
        can_download=can_download,
    ), status


@bp.route("/applications/<id:application_id>")
@organizer_required
def application(application_id):
    """One application in full: fields, attachments, history and the decisions left."""
    return _render_application(load_application(application_id))


@bp.route("/applications/<id:application_id>/<any(accept, reject, return, reopen):decision>",
          methods=["POST"])
@organizer_required
def decide_application(application_id, decision):
    """Accept, reject, return for changes or reopen one application."""
    application = load_application(application_id, lock=True)
    form = DecisionForm(prefix=decision)
    if decision not in available_decisions(application.state):
        flash(_("This decision does not fit the application's state (%(state)s).",
                state=application.state.title), "error")
        return redirect(url_for("organizers.application", application_id=application.id))
    if form.validate_on_submit() and _check_decision(form, decision, application.edition):
        decide(application, decision, actor=current_user, comment=form.comment.data,
               changes_due_at=_moment(form.changes_due_at))
        db.session.commit()
        flash(_("Application %(number)s: %(state)s. The applicant has been notified.",
                number=application.display_number, state=application.state.title), "success")
        return redirect(url_for("organizers.application", application_id=application.id))
    return _render_application(load_application(application_id), (decision, form), 400)
