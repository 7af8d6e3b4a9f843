"""Organizers' pages: figures and winners of archived editions."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..domain.moscow_time import to_moscow
from ..extensions import db
from ..models import ArchiveWinner, Edition, EditionStatus
from . import bp, forms, services


def get_archived_edition(edition_id: int) -> Edition:
    """An archived edition (the others compute their figures from applications), or 404."""
    edition = db.session.get(Edition, edition_id)
    if edition is None or edition.status != EditionStatus.ARCHIVED:
        abort(404)
    return edition


def get_winner(edition: Edition, winner_id: int) -> ArchiveWinner:
    winner = db.session.get(ArchiveWinner, winner_id)
    if winner is None or winner.edition_id != edition.id:
        abort(404)
    return winner


@bp.route("/archive")
def archive():
    return render_template("public_admin/archive.html", editions=services.archived_editions())


@bp.route("/archive/<int:edition_id>", methods=["GET", "POST"])
def archive_edition(edition_id: int):
    edition = get_archived_edition(edition_id)
    form = forms.ArchiveFiguresForm(
        obj=edition,
        results_announced_at=to_moscow(edition.results_published_at).replace(tzinfo=None)
        if edition.results_published_at
        else None,
    )
    form.setup()
    if form.validate_on_submit():
        services.save_archive_figures(edition, form)
        db.session.commit()
        flash(_("The figures of the edition have been saved."), "success")
        return redirect(url_for("public_admin.archive_edition", edition_id=edition.id))
    return render_template(
        "public_admin/archive_edition.html",
        edition=edition,
        form=form,
        winners=services.archive_winners(edition),
    )


@bp.route("/archive/<int:edition_id>/winners/new", methods=["GET", "POST"])
@bp.route("/archive/<int:edition_id>/winners/<int:winner_id>/edit", methods=["GET", "POST"])
def edit_winner(edition_id: int, winner_id: int | None = None):
    edition = get_archived_edition(edition_id)
    winner = get_winner(edition, winner_id) if winner_id else None
    form = forms.ArchiveWinnerForm(obj=winner, kind=winner.kind.value if winner else None)
    form.setup()
    if form.validate_on_submit():
        services.save_winner(winner or ArchiveWinner(edition_id=edition.id), form)
        db.session.commit()
        flash(_("The winner has been saved."), "success")
        return redirect(url_for("public_admin.archive_edition", edition_id=edition.id))
    return render_template(
        "public_admin/winner_form.html", form=form, edition=edition, winner=winner
    )


@bp.route("/archive/<int:edition_id>/winners/<int:winner_id>/delete", methods=["POST"])
def delete_winner(edition_id: int, winner_id: int):
    edition = get_archived_edition(edition_id)
    services.delete_object(get_winner(edition, winner_id))
    db.session.commit()
    flash(_("The winner has been removed."), "info")
    return redirect(url_for("public_admin.archive_edition", edition_id=edition.id))
