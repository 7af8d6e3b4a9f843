"""The applicant's pages: my applications, starting one, its sections, submission, withdrawal."""

from functools import wraps

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError

from ..domain import application_content, deadlines, eligibility, field_merge
from ..domain.application_states import EDITABLE_STATES
from ..errors import render_error
from ..extensions import db, limiter
from ..models import Application, ApplicationState
from ..public.services import current_edition
from . import access, forms, pending, sections, services, summary
from .messages import refusal_message

bp = Blueprint("applications", __name__)


def applicant_required(view):
    """Signed in with a confirmed email address (the address is where we write)."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.email_confirmed_at is None:
            return render_template("applications/confirm_first.html"), 403
        return view(*args, **kwargs)

    return wrapped


@bp.route("/")
@login_required
def index():
    edition = current_edition()
    offer = None
    if edition is not None and deadlines.can_start(edition):
        mine = services.applications_in_edition(current_user, edition)
        offer = edition if eligibility.may_start_another(edition, mine) else None
    return render_template(
        "applications/index.html", applications=services.my_applications(current_user),
        offer=offer,
    )


@bp.route("/new", methods=["GET", "POST"])
@applicant_required
def start():
    edition = current_edition()
    form = forms.StartForm()
    if edition is None or not deadlines.can_start(edition):
        return render_template("applications/start.html", edition=edition, form=None)
    mine = services.applications_in_edition(current_user, edition)
    if not eligibility.may_start_another(edition, mine):
        active = next(a for a in mine if eligibility.counts(a))
        flash(_("You already have an application in this edition: continue with it."), "info")
        return redirect(url_for(".overview", application_id=active.id))
    if form.validate_on_submit():
        try:
            application = services.start_application(current_user, edition)
        except services.Refused as refused:
            flash(refusal_message(refused), "error")
            return redirect(url_for(".index"))
        db.session.commit()
        return redirect(url_for(".edit_section", application_id=application.id, section="person"))
    return render_template(
        "applications/start.html", edition=edition, form=form, mine=mine,
        jury_member=services.is_jury_member(current_user, edition),
    )


def overview_context(application: Application) -> dict:
    """What the overview and status page shows."""
    owner = access.is_owner(current_user, application)
    steps = step_context(application)
    section_done = steps["section_done"]
    return {
        **steps,
        "application": application,
        "is_owner": owner,
        "editable": owner and deadlines.can_edit(application),
        "deadline": deadlines.edit_deadline(application),
        "progress": (sum(section_done.values()), len(section_done)),
        "first_todo": next((s for s, done in section_done.items() if not done), None),
        "section_titles": sections.SECTION_TITLES,
        "can_withdraw": owner and services.can_withdraw(application),
    }


def step_context(application: Application) -> dict:
    """The step list with each section's completeness, for the progress indicator."""
    return {
        "steps": sections.STEPS,
        "titles": sections.SECTION_TITLES,
        "section_done": {
            s: not application_content.section_problems(application, s)
            for s in application_content.SECTIONS
        },
    }


@bp.route("/<int:application_id>")
@login_required
def overview(application_id):
    application = access.get_application(application_id)
    return render_template("applications/overview.html", **overview_context(application))


def _same_site() -> bool:
    """True unless the browser says the post came from another site (then nothing is kept,
    so a foreign page cannot plant text in someone's form)."""
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("Origin")
    return origin is None or origin.rstrip("/") == request.host_url.rstrip("/")


def _keep_typed_text(application_id: int, section: str):
    """The session ended (or its form token did): keep what was posted, then log in again."""
    application = db.session.get(Application, application_id)
    mine = application is not None and (
        not current_user.is_authenticated or application.owner_id == current_user.id
    )
    data = sections.stash_data(request.form, section)
    token = pending.stash(application_id, section, data, store=mine and _same_site())
    target = url_for(".edit_section", application_id=application_id, section=section,
                     restore=token)
    if current_user.is_authenticated:
        flash(_("The form had expired. Your text is back in it: check it and save again."),
              "warning")
        return redirect(target)
    flash(_("Your session has ended. Log in again: what you typed is kept and will be back "
            "in the form."), "warning")
    return redirect(url_for("auth.login", next=target))


@bp.errorhandler(CSRFError)
def csrf_failed(error):
    args = request.view_args or {}
    section = args.get("section")
    if request.endpoint == "applications.edit_section" and section in application_content.SECTIONS:
        return _keep_typed_text(args["application_id"], section)
    return render_error(
        400,
        _("The form has expired or was sent from another page. "
          "Go back, reload the page and send it again."),
    )


def render_section(application, section, form, *, conflicts=None, check=False, locked=False):
    """The section page; with `check`, what stops the submission is marked on the fields."""
    if check:
        for problem in application_content.section_problems(application, section):
            form[problem.field].errors = [sections.problem_message(problem)]
    others = {
        name: (summary.display_value(application, name),
               sections.to_form_value(name, getattr(application, name)) or "")
        for name in (conflicts or {})
    }
    return render_template(
        "applications/section.html", application=application, section=section, form=form,
        conflicts=others, locked=locked, language_notes=_language_notes(application, section),
        **step_context(application),
    )


def _language_notes(application, section) -> dict:
    return {
        problem.field: sections.problem_message(problem)
        for problem in application_content.section_problems(application, section)
        if problem.code == "language"
    }


@bp.route("/<int:application_id>/edit/<section>", methods=["GET", "POST"])
@limiter.limit("60 per hour", methods=["POST"], exempt_when=lambda: current_user.is_authenticated)
def edit_section(application_id, section):
    if section not in application_content.SECTIONS:
        abort(404)
    if not current_user.is_authenticated:
        if request.method == "POST":
            return _keep_typed_text(application_id, section)
        return current_app.login_manager.unauthorized()
    posted = request.method == "POST"
    application = access.get_application(application_id, owner_only=True, lock=posted)
    if posted:
        return _save_section(application, section)
    if not deadlines.can_edit(application):
        flash(_("This application can no longer be changed."), "info")
        return redirect(url_for(".overview", application_id=application.id))
    token = request.args.get("restore")
    restored = pending.restore(token, application.id, section)
    form = sections.build_form(section, application, restored)
    if restored:
        form.restore.data = token
        flash(_("The text you typed before your session ended is back in the form. "
                "Check it and save."), "info")
    return render_section(application, section, form, check=request.args.get("check") == "1")


def _save_section(application, section):
    form = sections.build_form(section, application, posted=True)
    if not deadlines.can_edit(application):
        form.validate()
        flash(_("This application can no longer be changed: the deadline has passed or it has "
                "been submitted. Your text is shown below so you can copy it."), "error")
        return render_section(application, section, form, locked=True), 409
    form.validate()
    if section == "nomination" and not form.nomination_id.errors:
        chosen = sections.values_from(form, section)["nomination_id"]
        if services.nomination_taken(application, chosen):
            form.nomination_id.errors.append(
                _("You already have an application in this nomination. Choose another one.")
            )
    values = sections.values_from(form, section)
    base = field_merge.decode_base(form.base.data)
    try:
        result = services.save_section(application, values, form.posted_version(), base)
    except services.StaleApplication:
        db.session.rollback()
        flash(_("The application was saved in another window at the same moment. "
                "Your text is still here: save again."), "warning")
        return render_section(application, section, form), 409
    db.session.commit()
    if form.errors or result.conflicts:
        return _show_what_is_left(application, section, form, result)
    pending.discard(form.restore.data)
    if result.kept:
        flash(_("Saved. Changes made meanwhile in another window to other fields were kept."),
              "success")
    else:
        flash(_("Saved."), "success")
    step = sections.next_step(section) if request.form.get("action") == "next" else section
    endpoint, args = sections.step_endpoint(step)
    return redirect(url_for(endpoint, application_id=application.id, **args))


def _show_what_is_left(application, section, form, result):
    """After a partial save: the form continues from the stored version, shows what another
    tab changed meanwhile, and keeps the person's text where it was not saved."""
    sections.reset_hidden(form, section, application)
    sections.show_stored(form, result.kept, application)
    if result.conflicts:
        flash(_("This section was also changed in another window or on another device. "
                "Where you both changed a field, your text is in the field and the other "
                "version is shown under it: choose and save again."), "warning")
    if form.errors:
        flash(_("Saved, except the fields marked below: correct them and save again."),
              "warning")
    return render_section(application, section, form, conflicts=result.conflicts)


@bp.route("/<int:application_id>/submit", methods=["GET", "POST"])
@applicant_required
def submit(application_id):
    posted = request.method == "POST"
    application = access.get_application(application_id, owner_only=True, lock=posted)
    if application.state not in EDITABLE_STATES:
        if posted and application.state == ApplicationState.SUBMITTED:
            flash(_("Your application has already been submitted."), "info")
            return redirect(url_for(".confirmation", application_id=application.id))
        return redirect(url_for(".overview", application_id=application.id))
    form = forms.SubmitForm(
        version=str(application.version), consent=application.consent_given_at is not None
    )
    status = 200
    if form.validate_on_submit():
        if deadlines.can_edit(application):
            if form.consent.data:
                services.give_consent(application)
            else:
                application.consent_given_at = None
        try:
            services.submit(application, current_user, form.posted_version())
        except services.Refused as refused:
            db.session.commit()  # the consent given stays
            flash(refusal_message(refused), "error")
            form.version.data = str(application.version)
            status = 422
        else:
            db.session.commit()
            return redirect(url_for(".confirmation", application_id=application.id))
    return render_template("applications/review.html", **review_context(application, form)), status


def review_context(application, form) -> dict:
    problems = [
        (problem, sections.field_label(problem.section, problem.field),
         sections.problem_message(problem))
        for problem in application_content.submission_problems(application)
    ]
    return {
        **overview_context(application), "form": form, "problems": problems,
        "summary_rows": summary.rows(application),
        "resubmission": application.state == ApplicationState.RETURNED,
    }


@bp.route("/<int:application_id>/submitted")
@login_required
def confirmation(application_id):
    application = access.get_application(application_id, owner_only=True)
    if application.state != ApplicationState.SUBMITTED:
        return redirect(url_for(".overview", application_id=application.id))
    return render_template("applications/confirmation.html", application=application)


@bp.route("/<int:application_id>/withdraw", methods=["GET", "POST"])
@applicant_required
def withdraw(application_id):
    posted = request.method == "POST"
    application = access.get_application(application_id, owner_only=True, lock=posted)
    if not services.can_withdraw(application):
        flash(refusal_message(services.Refused("not_withdrawable")), "error")
        return redirect(url_for(".overview", application_id=application.id))
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        services.withdraw(application, current_user)
        db.session.commit()
        flash(_("Your application has been withdrawn."), "success")
        return redirect(url_for(".overview", application_id=application.id))
    return render_template("applications/withdraw.html", application=application, form=form)
