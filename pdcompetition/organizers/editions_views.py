"""Editions: the list, creating and editing one, and its overview with figures and charts."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..authz import organizer_required
from ..domain.edition_rules import ordinal_problem
from ..domain.stages import edition_stage
from ..extensions import db
from ..i18n import country_name, region_name
from ..models import ApplicationState, Edition
from . import bp, services
from .charts import bar_chart, column_chart
from .forms import EditionForm
from .overview import edition_overview


@bp.route("/")
@organizer_required
def editions():
    """Every edition with its stage and number of applications."""
    rows = services.list_editions()
    return render_template("organizers/editions.html", rows=rows, stage=edition_stage)


def _save(edition, form) -> Edition | None:
    """Save and commit; None (with the reason on the form) when another organizer took
    the same edition number between the check and the save."""
    try:
        saved = services.save_edition(edition, form)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        form.ordinal.errors.append(ordinal_problem(form.ordinal.data, [form.ordinal.data]))
        return None
    return saved


@bp.route("/editions/new", methods=["GET", "POST"])
@organizer_required
def new_edition():
    """Create an edition; its nominations and criteria are added next."""
    latest = db.session.scalar(db.select(Edition).order_by(Edition.ordinal.desc()).limit(1))
    defaults = {"ordinal": latest.ordinal + 1 if latest else 1,
                "year": latest.year + 1 if latest else None}
    form = EditionForm(data=defaults)
    if form.validate_on_submit() and (edition := _save(None, form)):
        flash(_("Edition %(number)s created. Now add its nominations and criteria.",
                number=edition.roman), "success")
        return redirect(url_for("organizers.nominations", edition_id=edition.id))
    return render_template("organizers/edition_form.html", form=form, edition=None)


@bp.route("/editions/<id:edition_id>/edit", methods=["GET", "POST"])
@organizer_required
def edit_edition(edition_id):
    """Change an edition's texts, dates, forum and settings."""
    edition = services.load_edition(edition_id)
    form = EditionForm(data=services.edition_form_data(edition), edition=edition)
    if form.validate_on_submit() and _save(edition, form):
        flash(_("The edition has been saved."), "success")
        return redirect(url_for("organizers.edit_edition", edition_id=edition.id))
    return render_template("organizers/edition_form.html", form=form, edition=edition)


@bp.route("/editions/<id:edition_id>")
@organizer_required
def overview(edition_id):
    """The edition's figures as numbers and charts."""
    edition = services.load_edition(edition_id)
    figures = edition_overview(edition)
    return render_template(
        "organizers/overview.html",
        edition=edition,
        stage=edition_stage(edition),
        figures=figures,
        charts=_charts(edition, figures),
        states=[s for s in ApplicationState if s != ApplicationState.DRAFT],
    )


def _charts(edition, figures) -> dict:
    """The overview's charts, with names in the UI language."""
    not_stated = _("Not stated")
    nominations = [(n.name, figures.nomination_totals.get(n.id, 0)) for n in edition.nominations]
    if figures.nomination_totals.get(None):
        nominations.append((_("No nomination"), figures.nomination_totals[None]))
    return {
        "nominations": bar_chart(nominations),
        "countries": bar_chart([(country_name(code) or not_stated, n)
                                for code, n in figures.by_country]),
        "regions": bar_chart([(region_name(code) or not_stated, n)
                              for code, n in figures.by_region]),
        "days": column_chart(figures.per_day),
    }
