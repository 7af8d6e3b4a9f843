"""Public results pages, certificate verification and the applicant's own result."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from ..domain.stages import results_are_public
from ..extensions import db, limiter
from ..models import Application, CertificateKind, Edition, EditionStatus
from ..page_cache import allow_page_cache
from . import certificates, presenters, services
from .forms import VerifyForm

bp = Blueprint("results", __name__)


def load_public_edition(ordinal: int) -> Edition:
    """An edition the public may know about (drafts are the organizers' business)."""
    edition = db.session.scalar(
        db.select(Edition).where(Edition.ordinal == ordinal, Edition.status != EditionStatus.DRAFT)
    )
    if edition is None:
        abort(404)
    return edition


def load_own_application(application_id: int) -> Application:
    """The signed-in user's application once its results are public (organizers: always).

    Anyone else, or anyone before the moment, gets 404: not even its existence shows.
    """
    application = db.session.get(Application, application_id)
    if application is None or not presenters.can_see_result(application, current_user):
        abort(404)
    return application


@bp.route("/results")
def index():
    editions = [
        e for e in db.session.scalars(
            db.select(Edition).where(Edition.status != EditionStatus.DRAFT)
            .order_by(Edition.ordinal.desc())
        )
        if results_are_public(e)
    ]
    return render_template("results/index.html", editions=editions)


@bp.route("/editions/<int:ordinal>/results")
def edition_results(ordinal: int):
    edition = load_public_edition(ordinal)
    if not results_are_public(edition):
        return render_template("results/embargo.html", edition=edition)
    allow_page_cache()  # published results never change
    body = presenters.cached_body(edition, lambda: render_template(
        "results/_public_body.html", **presenters.public_results(edition)
    ))
    return render_template("results/public.html", edition=edition, body=Markup(body))


@bp.route("/verify")
def verify_form():
    form = VerifyForm(request.args)
    if request.args and form.validate():
        return redirect(url_for(".verify", code=certificates.normalize_code(form.code.data)))
    return render_template("results/verify.html", form=form, certificate=None, looked_up=False)


@bp.route("/verify/<code>")
@limiter.limit("30 per minute")
def verify(code: str):
    certificate = certificates.find_by_code(code)
    # Before publication a genuine code answers exactly like an unknown one.
    if certificate is None or not results_are_public(certificate.application.edition):
        certificate = None
    form = VerifyForm(data={"code": code})
    award = services.award_of(certificate.application) if certificate else None
    return render_template("results/verify.html", form=form, certificate=certificate,
                           award=award, looked_up=True), 200 if certificate else 404


@bp.route("/results/applications/<int:application_id>")
@login_required
def my_result(application_id: int):
    application = load_own_application(application_id)
    return render_template("results/my_result.html", application=application)


@bp.route("/results/applications/<int:application_id>/certificates/"
          "<any(diploma, participation):kind>.pdf")
@login_required
def certificate(application_id: int, kind: str):
    application = load_own_application(application_id)
    found = next((c for c in certificates.certificates_of(application)
                  if c.kind == CertificateKind(kind)), None)
    if found is None:
        abort(404)
    return Response(certificates.render_certificate(found), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{certificates.file_name(found)}"',
        "Cache-Control": "private, no-store",
    })
