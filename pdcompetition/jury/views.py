"""The jurors' pages: dashboard, declaration, scoring, conflicts; organizers read sheets."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..auth.views import _safe_next
from ..authz import juror_required, roles_required
from ..domain import score_rules
from ..extensions import db
from ..models import Role
from . import conflicts, forms, services
from .dashboard_cache import allow_dashboard_cache
from .presenters import format_number, scoring_context

bp = Blueprint("jury", __name__)


def load_member(edition_id: int):
    """The signed-in juror's seat in an active edition, or 404."""
    member = services.member_for(current_user, edition_id)
    if member is None:
        abort(404)
    return member


def load_assignment(application_id: int):
    """The signed-in juror's own assignment on a visible application, or 404."""
    found = services.load_assignment(current_user, application_id)
    if found is None:
        abort(404)
    return found


@bp.route("/")
@juror_required
def dashboard():
    members = services.open_memberships(current_user)
    confirmed_ids = [m.edition_id for m in members if m.coi_confirmed_at is not None]
    assignments = services.dashboard_assignments(current_user, confirmed_ids)
    by_edition = {m.edition_id: [] for m in members}
    for assignment in assignments:
        by_edition[assignment.application.edition_id].append(assignment)
    done = {
        edition_id: sum(1 for a in rows if sheet_is_submitted(a.score_sheet))
        for edition_id, rows in by_edition.items()
    }
    allow_dashboard_cache([deadline for m in members
                           for deadline in (m.edition.judging_close_at, m.edition.jury_closed_at)])
    return render_template(
        "jury/dashboard.html",
        members=members,
        by_edition=by_edition,
        done=done,
        sheet_state=services.sheet_state,
        closed_reason=score_rules.scoring_closed_reason,
    )


@bp.route("/editions/<int:edition_id>/declaration", methods=["GET", "POST"])
@juror_required
def declaration(edition_id):
    member = load_member(edition_id)
    form = forms.DeclarationForm()
    if member.coi_confirmed_at is None and form.validate_on_submit():
        services.confirm_declaration(member)
        db.session.commit()
        flash(_("Thank you. Your declaration is recorded."), "success")
        return redirect(_safe_next(request.args.get("next") or url_for("jury.dashboard")))
    return render_template("jury/declaration.html", member=member, form=form)


@bp.route("/editions/<int:edition_id>/next")
@juror_required
def next_unscored(edition_id):
    load_member(edition_id)
    after = request.args.get("after", type=int)
    application_id = services.next_unscored(current_user, edition_id, after)
    if application_id is None:
        flash(_("All your applications are scored and submitted."), "success")
        return redirect(url_for("jury.dashboard"))
    return redirect(url_for("jury.application", application_id=application_id))


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
@juror_required
def application(application_id):
    assignment, member = load_assignment(application_id)
    if member.coi_confirmed_at is None:
        return redirect(url_for("jury.declaration", edition_id=member.edition_id,
                                next=request.path))
    criteria = assignment.application.edition.active_criteria
    if request.method == "GET":
        form = forms.sheet_form(criteria, data=_stored_data(assignment.score_sheet, criteria))
        return render_template("jury/application.html", **scoring_context(assignment, form))
    form = forms.sheet_form(criteria)
    refused = score_rules.scoring_closed_reason(assignment.application.edition)
    if refused is not None:
        ctx = scoring_context(assignment, form, refused=refused)
        return render_template("jury/application.html", **ctx), 403
    sheet = assignment.score_sheet
    if forms.posted_version(request.form) != (sheet.version if sheet else 0):
        return _stale(application_id, form)
    return _save(assignment, criteria, form)


def _save(assignment, criteria, form):
    """Check the posted sheet; store it, or show the messages next to the fields."""
    submit = bool(form.submit.data) or sheet_is_submitted(assignment.score_sheet)
    scores, comments = forms.posted_criterion_values(request.form)
    check = score_rules.check_sheet(
        criteria, scores, comments, edition_id=assignment.application.edition_id, submit=submit
    )
    form_ok = form.validate()
    for name, messages in check.field_errors.items():
        form[name].errors = list(form[name].errors) + messages
    if not form_ok or not check.ok:
        ctx = scoring_context(assignment, form, form_errors=check.form_errors)
        return render_template("jury/application.html", **ctx)
    try:
        services.save_sheet(
            assignment, criteria, check, form.overall_comment.data or "",
            base_version=forms.posted_version(request.form), submit=submit, actor=current_user,
        )
    except services.StaleSheet:
        return _stale(assignment.application_id, form)
    except services.ScoringRefused as refused:
        db.session.rollback()
        ctx = scoring_context(assignment, form, refused=refused.message)
        return render_template("jury/application.html", **ctx), 403
    db.session.commit()
    return _after_save(assignment, submit)


def sheet_is_submitted(sheet) -> bool:
    return services.sheet_state(sheet) == services.SheetState.SUBMITTED


def _stored_data(sheet, criteria) -> dict:
    """Form data from the stored sheet (empty fields for criteria not scored yet)."""
    stored = {s.criterion_id: s for s in sheet.scores} if sheet else {}
    data = {"overall_comment": sheet.overall_comment if sheet else ""}
    for criterion in criteria:
        score = stored.get(criterion.id)
        value = score.value if score else None
        data[score_rules.score_field(criterion.id)] = "" if value is None else str(value)
        data[score_rules.comment_field(criterion.id)] = score.comment if score else ""
    return data


def _stale(application_id: int, form):
    """Someone saved the sheet meanwhile: keep what was typed, show the stored values."""
    db.session.rollback()
    assignment, _member = load_assignment(application_id)
    stored = services.reload_sheet(assignment.id)
    ctx = scoring_context(assignment, form, stale_sheet=stored or False)
    return render_template("jury/application.html", **ctx), 409


def _after_save(assignment, submitted: bool):
    if not submitted:
        flash(_("Draft saved."), "success")
        return redirect(url_for("jury.application", application_id=assignment.application_id))
    flash(_("Your scores are submitted. You can still change them until the deadline."),
          "success")
    return redirect(url_for(
        "jury.next_unscored", edition_id=assignment.application.edition_id,
        after=assignment.application_id,
    ))


@bp.route("/applications/<int:application_id>/conflict", methods=["GET", "POST"])
@juror_required
def conflict(application_id):
    assignment, member = load_assignment(application_id)
    if member.coi_confirmed_at is None:
        return redirect(url_for("jury.declaration", edition_id=member.edition_id,
                                next=request.path))
    form = forms.ConflictForm()
    refused = score_rules.scoring_closed_reason(assignment.application.edition)
    if refused is None and form.validate_on_submit():
        conflicts.declare_conflict(assignment, form.reason.data, current_user)
        db.session.commit()
        flash(_("Your conflict of interest is recorded. The organizers will assign the "
                "application to another juror."), "success")
        return redirect(url_for("jury.dashboard"))
    status = 403 if refused is not None and request.method == "POST" else 200
    return render_template(
        "jury/conflict.html", assignment=assignment, form=form, refused=refused
    ), status


@bp.route("/sheets/<int:sheet_id>")
@roles_required(Role.ORGANIZER, Role.JUROR)
def sheet(sheet_id):
    """Organizers read any sheet; a juror is sent to their own, others' do not exist."""
    found = services.load_sheet_for_reading(sheet_id)
    if found is None:
        abort(404)
    if not current_user.has_role(Role.ORGANIZER):
        if found.assignment.juror_id != current_user.id:
            abort(404)
        return redirect(url_for("jury.application",
                                application_id=found.assignment.application_id))
    edition = found.assignment.application.edition
    scores = {score.criterion_id: score for score in found.scores}
    return render_template(
        "jury/sheet.html",
        sheet=found,
        sheet_scores=scores,
        criteria=edition.active_criteria,
        criterion_names={c.id: c.name for c in edition.criteria},
        total=score_rules.sheet_total(
            edition.active_criteria, {cid: s.value for cid, s in scores.items()}
        ),
        history=services.sheet_history(found),
        format_number=format_number,
    )
