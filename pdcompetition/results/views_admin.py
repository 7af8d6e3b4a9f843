"""The organizers' results pages under /manage: ranking, awards, approval, publication."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from ..authz import admin_required, get_or_404, organizer_required
from ..domain.moscow_time import now_utc
from ..domain.stages import edition_stage, results_are_public
from ..extensions import db
from ..i18n import current_language
from ..models import Application, Edition, Nomination
from . import certificates, exports, presenters, publication, services
from .extra_juror import assign_extra_juror
from .forms import ConfirmForm, ReopenForm, award_decisions, awards_form, reason_field

bp = Blueprint("results_admin", __name__)

SIMULTANEOUS = _l("Another organizer changed the results at the same moment. "
                  "Check the page and try again.")


def load_edition(edition_id: int) -> Edition:
    """The edition, for the organizers (the decorator has checked the role)."""
    return get_or_404(Edition, edition_id)


def load_application(edition: Edition, application_id: int) -> Application:
    """An application of this edition, or 404."""
    application = db.session.get(Application, application_id)
    if application is None or application.edition_id != edition.id:
        abort(404)
    return application


def load_nomination(edition: Edition, nomination_id: int) -> Nomination:
    nomination = db.session.get(Nomination, nomination_id)
    if nomination is None or nomination.edition_id != edition.id:
        abort(404)
    return nomination


def _back(edition: Edition, anchor: str = ""):
    return redirect(url_for("results_admin.dashboard", edition_id=edition.id) + anchor)


def _run(edition: Edition, action, success: str, *args):
    """Run a service, commit once, and tell the organizer what happened."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(edition, current_user, *args)
        db.session.commit()
    except services.ResultsError as error:
        db.session.rollback()
        flash(str(error), "error")
    except IntegrityError:
        db.session.rollback()
        flash(SIMULTANEOUS, "error")
    else:
        publication.invalidate_due_cache()
        flash(success, "success")
    return _back(edition)


@bp.route("/results")
@organizer_required
def index():
    editions = db.session.scalars(db.select(Edition).order_by(Edition.ordinal.desc())).all()
    return render_template("results/admin/index.html", editions=editions, stage=edition_stage)


@bp.route("/editions/<int:edition_id>/results")
@organizer_required
def dashboard(edition_id: int):
    edition = load_edition(edition_id)
    loaded = services.load_ranking(edition)
    return render_template(
        "results/admin/dashboard.html", edition=edition, loaded=loaded, form=ConfirmForm(),
        public=results_are_public(edition), stage=edition_stage(edition),
        reopen_form=ReopenForm(), now=now_utc(),
    )


@bp.route("/editions/<int:edition_id>/results/close-jury", methods=["POST"])
@organizer_required
def close_jury(edition_id: int):
    return _run(load_edition(edition_id), services.close_jury,
                _("The jury is closed: score sheets can no longer be changed."))


@bp.route("/editions/<int:edition_id>/results/reopen-jury", methods=["POST"])
@organizer_required
def reopen_jury(edition_id: int):
    return _run(load_edition(edition_id), services.reopen_jury,
                _("The jury is open again: jurors can change their score sheets."))


@bp.route("/editions/<int:edition_id>/results/approve", methods=["POST"])
@organizer_required
def approve(edition_id: int):
    return _run(load_edition(edition_id), services.approve_results,
                _("The results are approved and locked. They will be published at the set moment."))


@bp.route("/editions/<int:edition_id>/results/publish", methods=["POST"])
@organizer_required
def publish(edition_id: int):
    edition = load_edition(edition_id)

    def publish_and_announce(edition, actor):
        services.publish_now(edition, actor)
        publication.announce(edition)

    return _run(edition, publish_and_announce,
                _("The results are published. Every applicant is being notified by mail."))


@bp.route("/editions/<int:edition_id>/results/reopen", methods=["GET", "POST"])
@admin_required
def reopen(edition_id: int):
    edition = load_edition(edition_id)
    form = ReopenForm()
    if form.validate_on_submit():
        try:
            services.reopen_results(edition, current_user, form.reason.data.strip())
        except services.ResultsError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _back(edition)
        db.session.commit()
        flash(_("The results are reopened. Approve them again when the changes are done."),
              "success")
        return _back(edition)
    return render_template("results/admin/reopen.html", edition=edition, form=form)


def _decisions_with_reasons(form, loaded, nomination_id: int, ids):
    """(decisions or None, departures): None when a departure lacks its written reason,
    which is then marked next to its field."""
    decisions = award_decisions(form, ids)
    chosen = {app_id: kind for app_id, (kind, _reason) in decisions.items() if kind}
    departures = loaded.departures(nomination_id, chosen)
    missing = [app_id for app_id in departures if not decisions[app_id][1]]
    for app_id in missing:
        form[reason_field(app_id)].errors = [
            _("This award departs from the ranking: write the reason.")
        ]
    return (None if missing else decisions), departures


def _save_awards(loaded, nomination_id: int, decisions) -> None:
    try:
        changes = services.save_awards(loaded, nomination_id, decisions, current_user)
        db.session.commit()
    except services.ResultsError as error:
        db.session.rollback()
        flash(str(error), "error")
    except IntegrityError:
        db.session.rollback()
        flash(SIMULTANEOUS, "error")
    else:
        flash(_("Awards saved (%(count)s changes).", count=changes), "success")


@bp.route("/editions/<int:edition_id>/results/nominations/<int:nomination_id>",
          methods=["GET", "POST"])
@organizer_required
def nomination(edition_id: int, nomination_id: int):
    edition = load_edition(edition_id)
    nomination = load_nomination(edition, nomination_id)
    loaded = services.load_ranking(edition)
    rows = loaded.ranked(nomination.id) + loaded.pending_in(nomination.id)
    ids = [row.id for row in rows]
    current = {i: (a.kind.value, a.departure_reason) for i, a in loaded.awards.items()}
    form = awards_form(ids, current, request.form if request.method == "POST" else None)
    editable = edition.jury_closed_at is not None and not services.results_locked(edition)
    departures = loaded.departures(nomination.id)
    if request.method == "POST" and not editable:
        flash(_("Awards can be recorded once the jury is closed and until the results "
                "are approved."), "error")
    elif request.method == "POST" and form.validate_on_submit():
        decisions, departures = _decisions_with_reasons(form, loaded, nomination.id, ids)
        if decisions is not None:
            _save_awards(loaded, nomination.id, decisions)
            return redirect(url_for(".nomination", edition_id=edition.id,
                                    nomination_id=nomination.id))
    return render_template(
        "results/admin/nomination.html", edition=edition, nomination=nomination, loaded=loaded,
        rows=rows, form=form, editable=editable, departures=departures,
    )


@bp.route("/editions/<int:edition_id>/results/applications/<int:application_id>")
@organizer_required
def explain(edition_id: int, application_id: int):
    edition = load_edition(edition_id)
    application = load_application(edition, application_id)
    loaded = services.load_ranking(edition)
    scored = loaded.ranking.applications.get(application.id)
    if scored is None:
        abort(404)  # not admitted to the jury: there is no score to explain
    return render_template(
        "results/admin/explain.html", edition=edition, application=application, loaded=loaded,
        scored=scored, sheets=services.sheets_of(application), form=ConfirmForm(),
    )


@bp.route("/editions/<int:edition_id>/results/applications/<int:application_id>/extra-juror",
          methods=["POST"])
@organizer_required
def extra_juror(edition_id: int, application_id: int):
    edition = load_edition(edition_id)
    application = load_application(edition, application_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        juror = assign_extra_juror(application, current_user)
    except services.ResultsError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(juror)s is assigned to application %(number)s as an extra juror.",
                juror=juror.display_name, number=application.display_number), "success")
    if request.form.get("back") == "explain":
        return redirect(url_for(".explain", edition_id=edition.id, application_id=application.id))
    return _back(edition, "#divergent")


@bp.route("/editions/<int:edition_id>/results/preview")
@organizer_required
def preview(edition_id: int):
    edition = load_edition(edition_id)
    body = render_template("results/_public_body.html", **presenters.public_results(edition))
    return render_template("results/public.html", edition=edition, body=Markup(body),
                           preview=True)


EXPORT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "csv": "text/csv; charset=utf-8"}


@bp.route("/editions/<int:edition_id>/results/export/<any(applications, scores, ranking):kind>"
          ".<any(xlsx, csv):fmt>")
@organizer_required
def export(edition_id: int, kind: str, fmt: str):
    edition = load_edition(edition_id)
    name = f"edition-{edition.ordinal}-{kind}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"',
               "Cache-Control": "no-store"}
    if fmt == "xlsx":
        return Response(exports.to_xlsx(exports.ROWS[kind](edition), kind),
                        mimetype=EXPORT_TYPES[fmt], headers=headers)
    delimiter = ";" if current_language() == "ru" else ","
    return Response(stream_with_context(exports.to_csv(_streamed_rows(edition.id, kind),
                                                       delimiter)),
                    content_type=EXPORT_TYPES[fmt], headers=headers)


def _streamed_rows(edition_id: int, kind: str):
    """The export's rows, read while the CSV streams.

    The request's session is closed when the view returns, detaching what the view loaded,
    so the stream loads the edition again in the session it runs in.
    """
    yield from exports.ROWS[kind](db.session.get(Edition, edition_id))


@bp.route("/editions/<int:edition_id>/results/certificates.zip")
@organizer_required
def certificates_zip(edition_id: int):
    edition = load_edition(edition_id)
    data = certificates.certificates_zip(edition)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="edition-{edition.ordinal}-certificates.zip"',
        "Cache-Control": "no-store",
    })
