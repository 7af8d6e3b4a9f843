"""Public pages: home, about and edition pages, archive, jury, committee, partners, SEO files."""

import os

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user

from ..auth.views import _safe_next
from ..domain.stages import applications_open, edition_stage
from ..extensions import db
from ..i18n import LANGUAGE_COOKIE
from ..models import Partner
from . import logos, services

bp = Blueprint("public", __name__)


@bp.route("/")
def home():
    edition = services.current_edition()
    return render_template(
        "public/home.html",
        edition=edition,
        stage=edition_stage(edition) if edition else None,
        accepting=bool(edition and applications_open(edition)),
        next_dates=services.next_dates(edition) if edition else [],
        events=services.upcoming_events(limit=3),
        results_url=services.results_url(edition) if edition else None,
    )


@bp.route("/about")
def about():
    """What the competition is, with the current edition's rules and nominations."""
    edition = services.current_edition()
    return render_template(
        "public/edition.html", edition=edition, about=True, **_edition_context(edition)
    )


@bp.route("/editions/<int:ordinal>")
def edition(ordinal: int):
    edition = services.get_public_edition(ordinal)
    return render_template(
        "public/edition.html", edition=edition, about=False, **_edition_context(edition)
    )


def _edition_context(edition) -> dict:
    if edition is None:
        return {"stage": None, "entry": None, "results_url": None}
    return {
        "stage": edition_stage(edition),
        "entry": services.archive_entries([edition])[0],
        "results_url": services.results_url(edition),
        "accepting": applications_open(edition),
    }


@bp.route("/archive")
def archive():
    entries = services.archive_entries(services.public_editions())
    return render_template("public/archive.html", entries=entries)


@bp.route("/committee")
def committee():
    return render_template("public/committee.html", members=services.committee())


@bp.route("/jury-members")
def jury():
    return render_template("public/jury.html", juries=services.published_juries())


@bp.route("/partners")
def partners():
    return render_template("public/partners.html", partners=services.partners())


@bp.route("/logos/<name>")
def logo(name: str):
    """A partner's logo, by its random name; unpublished partners' only for organizers."""
    if not logos.LOGO_NAME.match(name):
        abort(404)
    partner = db.session.scalar(db.select(Partner).where(Partner.logo_name == name))
    if partner is None or not (partner.is_published or services.is_organizer()):
        abort(404)
    if not os.path.exists(os.path.join(logos.logo_folder(), name)):
        abort(404)
    # The name changes with every upload, so the file may be cached for long.
    return send_from_directory(logos.logo_folder(), name, mimetype="image/png", max_age=86400 * 30)


@bp.route("/robots.txt")
def robots():
    body = render_template("public/robots.txt")
    return current_app.response_class(body, mimetype="text/plain")


@bp.route("/sitemap.xml")
def sitemap():
    body = render_template(
        "public/sitemap.xml",
        editions=services.sitemap_editions(),
        events=services.sitemap_events(),
    )
    response = make_response(body)
    response.mimetype = "application/xml"
    return response


@bp.route("/language", methods=["POST"])
def set_language():
    """The language form: remembered in a cookie, and in the profile when signed in."""
    return _remember_language(request.form.get("language", ""), request.form.get("next"))


@bp.route("/language/<lang>")
def switch_language(lang):
    """The RU/EN links in the header. A plain link carries no per-session token, so pages
    for visitors are the same for everyone and can be cached."""
    return _remember_language(lang, request.args.get("next"))


def _remember_language(language: str, next_url: str | None):
    response = redirect(_safe_next(next_url) if next_url else url_for("public.home"))
    if language in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        session.pop("locale", None)
        if current_user.is_authenticated and current_user.locale != language:
            current_user.locale = language
            db.session.commit()
    return response
