"""Assignment pages: the overview, one application's jurors and rules, auto-assign, progress."""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..authz import organizer_required
from ..extensions import db
from ..formtools import whole_number
from ..models import (
    Application,
    ApplicationState,
    Assignment,
    AssignmentSource,
    PairRule,
    User,
)
from . import bp, overview, progress, services
from .forms import AutoAssignForm, JurorChoiceForm, PairRuleForm, ReminderForm
from .reasons import conflict_source, explain
from .views import PREFIX, load_edition

PER_PAGE = 50


def load_application(edition, application_id) -> Application:
    """An accepted application of this edition, or 404."""
    application = db.session.get(Application, application_id)
    if (application is None or application.edition_id != edition.id
            or application.state != ApplicationState.ACCEPTED):
        abort(404)
    return application


@bp.route(PREFIX + "/assignments")
@organizer_required
def assignments(edition_id):
    """Accepted applications with their jurors; loads per juror; the auto-assign button."""
    edition = load_edition(edition_id)
    nomination_id = request.args.get("nomination", type=int)
    short_only = request.args.get("short") == "1"
    state = services.load_state(edition)
    summary = overview.assignment_overview(state, nomination_id, short_only)
    page = request.args.get("page", 1, type=int)
    start = (max(page, 1) - 1) * PER_PAGE
    return render_template(
        "jury_admin/assignments.html", edition=edition, overview=summary,
        rows=summary.rows[start:start + PER_PAGE], page=max(page, 1),
        pages=max(1, -(-len(summary.rows) // PER_PAGE)), nomination_id=nomination_id,
        short_only=short_only, form=AutoAssignForm(),
    )


@bp.route(PREFIX + "/assignments/<int:application_id>")
@organizer_required
def application(edition_id, application_id):
    """One application: its jurors, who else may take it, conflicts, pins and forbids."""
    edition = load_edition(edition_id)
    app = load_application(edition, application_id)
    return _render_application(edition, app)


def _render_application(edition, app, add_form=None, rule_form=None, status=200):
    state = services.load_state(edition, [app.id])
    detail = overview.application_detail(state, app)
    add_form = add_form or JurorChoiceForm(jurors=detail.eligible)
    rule_form = rule_form or PairRuleForm(jurors=[m.user for m in state.members])
    return render_template(
        "jury_admin/application.html", edition=edition, application=app, detail=detail,
        add_form=add_form, rule_form=rule_form, source=conflict_source,
    ), status


def _juror(juror_id) -> User | None:
    number = whole_number(juror_id)
    return db.session.get(User, number) if number is not None else None


@bp.route(PREFIX + "/assignments/<int:application_id>/add", methods=["POST"])
@organizer_required
def add_juror(edition_id, application_id):
    """Assign a juror by hand (every rule is checked again)."""
    edition = load_edition(edition_id)
    app = load_application(edition, application_id)
    form = JurorChoiceForm(jurors=services.eligible_jurors(app))
    if not form.validate_on_submit():
        return _render_application(edition, app, add_form=form, status=400)
    try:
        services.assign_juror(app, _juror(form.juror_id.data), current_user,
                              AssignmentSource.MANUAL)
    except services.AssignmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("jury_admin.application", edition_id=edition.id,
                                application_id=app.id))
    db.session.commit()
    flash(_("The juror has been assigned."), "success")
    return redirect(url_for("jury_admin.application", edition_id=edition.id,
                            application_id=app.id))


@bp.route(PREFIX + "/assignments/<int:application_id>/remove/<int:assignment_id>",
          methods=["POST"])
@organizer_required
def remove_juror(edition_id, application_id, assignment_id):
    """Remove a juror (refused once they started scoring)."""
    edition = load_edition(edition_id)
    app = load_application(edition, application_id)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.application_id != app.id:
        abort(404)
    try:
        services.unassign_juror(assignment, current_user)
    except services.AssignmentError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The juror has been removed from this application."), "success")
    return redirect(url_for("jury_admin.application", edition_id=edition.id,
                            application_id=app.id))


@bp.route(PREFIX + "/assignments/<int:application_id>/rule", methods=["POST"])
@organizer_required
def set_rule(edition_id, application_id):
    """Pin or forbid a juror on this application, or clear the rule (rule=none)."""
    edition = load_edition(edition_id)
    app = load_application(edition, application_id)
    state = services.load_state(edition, [app.id])
    if request.form.get("rule") == "none":
        juror = _juror(request.form.get("juror_id"))
        if juror is None or (app.id, juror.id) not in state.rules:
            abort(404)
        rule = None
    else:
        form = PairRuleForm(jurors=[m.user for m in state.members])
        if not form.validate_on_submit():
            return _render_application(edition, app, rule_form=form, status=400)
        juror, rule = _juror(form.juror_id.data), PairRule(form.rule.data)
    try:
        services.set_pair_rule(app, juror, rule, current_user)
    except services.AssignmentError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("The rule has been saved."), "success")
    return redirect(url_for("jury_admin.application", edition_id=edition.id,
                            application_id=app.id))


@bp.route(PREFIX + "/auto-assign", methods=["POST"])
@organizer_required
def auto_assign(edition_id):
    """Run the optimizer: complete the assignment, or change nothing and explain why."""
    edition = load_edition(edition_id)
    form = AutoAssignForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        outcome = services.run_auto_assignment(edition, current_user,
                                               strict_balance=not form.allow_uneven.data)
    except services.AssignmentError as exc:
        flash(str(exc), "error")
        return redirect(url_for("jury_admin.assignments", edition_id=edition.id))
    if outcome.result.ok:
        db.session.commit()
    else:
        db.session.rollback()
    users = {u.id: u for u in db.session.scalars(
        sa.select(User).where(User.id.in_(list(outcome.result.loads) or [0])))}
    return render_template(
        "jury_admin/auto_result.html", edition=edition, outcome=outcome,
        messages=[explain(r) for r in outcome.result.problems],
        warnings=[explain(r) for r in outcome.result.warnings],
        users=users, form=AutoAssignForm(allow_uneven=True),
    ), (200 if outcome.result.ok else 409)


@bp.route(PREFIX + "/progress", endpoint="progress")
@organizer_required
def progress_page(edition_id):
    """Each juror's done/total, each application's scored/assigned, overdue jurors."""
    edition = load_edition(edition_id)
    jurors, apps = progress.edition_progress(edition)
    return render_template("jury_admin/progress.html", edition=edition, jurors=jurors,
                           applications=apps, form=ReminderForm())


@bp.route(PREFIX + "/progress/remind", methods=["POST"])
@organizer_required
def remind(edition_id):
    """Mail a reminder to jurors with unfinished work (all, or the one given)."""
    edition = load_edition(edition_id)
    form = ReminderForm()
    if not form.validate_on_submit():
        abort(400)
    juror_id = request.form.get("juror_id", type=int)
    sent = progress.send_reminders(edition, current_user, juror_id)
    db.session.commit()
    if sent:
        flash(_("Reminders sent: %(count)s.", count=sent), "success")
    else:
        flash(_("Nobody has unfinished work: no reminder was sent."), "info")
    return redirect(url_for("jury_admin.progress", edition_id=edition.id))

