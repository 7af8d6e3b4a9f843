"""Nominations and criteria of an edition, edited in the browser; copied from a past edition."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..authz import organizer_required
from ..domain.edition_rules import deletion_problem, max_score_problem
from ..extensions import db
from ..formtools import choices
from ..models import Edition
from . import bp, services, structure
from .forms import CopyStructureForm, CriterionForm, NominationForm
from .structure import CRITERIA, KINDS, NOMINATIONS

KIND_PATH = "<any(nominations, criteria):kind>"


def _form_class(kind):
    return CriterionForm if kind is CRITERIA else NominationForm


def load_item(edition_id: int, kind_name: str, item_id: int):
    """The edition and one of its nominations or criteria; 404 if it belongs elsewhere."""
    edition = services.load_edition(edition_id)
    kind = KINDS[kind_name]
    item = db.session.get(kind.model, item_id)
    if item is None or item.edition_id != edition.id:
        abort(404)
    return edition, kind, item


def _copy_form(edition: Edition) -> CopyStructureForm:
    others = db.session.scalars(
        db.select(Edition).where(Edition.id != edition.id).order_by(Edition.ordinal.desc())
    )
    form = CopyStructureForm(prefix="copy")
    form.source.choices = choices(
        ((e.id, f"{e.roman} ({e.year}) {e.title}") for e in others),
        blank=_("Choose an edition"),
    )
    return form


def _items_page(edition_id: int, kind):
    edition = services.load_edition(edition_id)
    form = _form_class(kind)()
    if form.validate_on_submit():
        item = structure.add_item(kind, edition, form)
        db.session.commit()
        flash(_("“%(name)s” added.", name=item.name_ru), "success")
        return redirect(url_for(f"organizers.{kind.name}", edition_id=edition.id))
    return render_template(
        "organizers/items.html",
        edition=edition,
        kind=kind,
        items=getattr(edition, kind.name),
        uses=structure.uses_by_item(kind, edition),
        form=form,
        copy_form=_copy_form(edition),
    )


@bp.route("/editions/<id:edition_id>/nominations", methods=["GET", "POST"])
@organizer_required
def nominations(edition_id):
    """The edition's nominations, with a form to add one."""
    return _items_page(edition_id, NOMINATIONS)


@bp.route("/editions/<id:edition_id>/criteria", methods=["GET", "POST"])
@organizer_required
def criteria(edition_id):
    """The edition's scoring criteria, with a form to add one."""
    return _items_page(edition_id, CRITERIA)


@bp.route(f"/editions/<id:edition_id>/{KIND_PATH}/<id:item_id>/edit", methods=["GET", "POST"])
@organizer_required
def edit_item(edition_id, kind, item_id):
    """Edit a nomination or criterion (a criterion's maximum stays above given scores)."""
    edition, kind, item = load_item(edition_id, kind, item_id)
    form = _form_class(kind)(obj=item)
    if form.validate_on_submit():
        problem = (
            max_score_problem(form.max_score.data, structure.highest_score_given(item))
            if kind is CRITERIA else None
        )
        if problem:
            form.max_score.errors.append(problem)
        else:
            structure.update_item(kind, item, form)
            db.session.commit()
            flash(_("“%(name)s” saved.", name=item.name_ru), "success")
            return redirect(url_for(f"organizers.{kind.name}", edition_id=edition.id))
    return render_template("organizers/item_form.html", edition=edition, kind=kind, item=item,
                           form=form)


@bp.route(f"/editions/<id:edition_id>/{KIND_PATH}/<id:item_id>/move", methods=["POST"])
@organizer_required
def move_item(edition_id, kind, item_id):
    """Move a nomination or criterion one place up or down."""
    edition, kind, item = load_item(edition_id, kind, item_id)
    structure.move_item(kind, edition, item, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for(f"organizers.{kind.name}", edition_id=edition.id))


@bp.route(f"/editions/<id:edition_id>/{KIND_PATH}/<id:item_id>/archive", methods=["POST"])
@organizer_required
def archive_item(edition_id, kind, item_id):
    """Archive a nomination or criterion, or bring an archived one back."""
    edition, kind, item = load_item(edition_id, kind, item_id)
    archive = request.form.get("archive") != "0"
    structure.set_archived(kind, item, archive)
    db.session.commit()
    if archive:
        flash(_("“%(name)s” archived.", name=item.name_ru), "success")
    else:
        flash(_("“%(name)s” restored.", name=item.name_ru), "success")
    return redirect(url_for(f"organizers.{kind.name}", edition_id=edition.id))


@bp.route(f"/editions/<id:edition_id>/{KIND_PATH}/<id:item_id>/delete", methods=["POST"])
@organizer_required
def delete_item(edition_id, kind, item_id):
    """Delete a nomination or criterion nothing refers to; a used one must be archived."""
    edition, kind, item = load_item(edition_id, kind, item_id)
    name = item.name_ru
    if structure.delete_item(kind, item):
        db.session.commit()
        flash(_("“%(name)s” deleted.", name=name), "success")
    else:
        uses = structure.uses_by_item(kind, edition).get(item.id, 0)
        flash(str(deletion_problem(uses)), "error")
    return redirect(url_for(f"organizers.{kind.name}", edition_id=edition.id))


@bp.route("/editions/<id:edition_id>/copy-structure", methods=["POST"])
@organizer_required
def copy_structure(edition_id):
    """Copy the nominations and criteria of a past edition in one click."""
    edition = services.load_edition(edition_id)
    form = _copy_form(edition)
    back = request.form.get("back") if request.form.get("back") in KINDS else "nominations"
    if not form.validate_on_submit():
        flash(_("Choose the edition to copy from."), "error")
        return redirect(url_for(f"organizers.{back}", edition_id=edition.id))
    source = services.load_edition(int(form.source.data))
    nominations_copied, criteria_copied = structure.copy_structure(source, edition)
    db.session.commit()
    flash(_("Copied from edition %(number)s: nominations: %(nominations)s, criteria: %(criteria)s.",
            number=source.roman, nominations=nominations_copied, criteria=criteria_copied),
          "success")
    return redirect(url_for(f"organizers.{back}", edition_id=edition.id))
