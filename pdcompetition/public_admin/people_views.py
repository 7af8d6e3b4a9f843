"""Organizers' pages: the organizing committee and the partners with their logos."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..authz import get_or_404
from ..extensions import db
from ..models import CommitteeMember, Partner
from ..public.logos import InvalidImage
from . import bp, forms, services

MEMBER_FIELDS = (
    "full_name_ru",
    "full_name_en",
    "role_ru",
    "role_en",
    "organization_ru",
    "organization_en",
    "country_code",
    "position",
    "is_published",
)
PARTNER_FIELDS = ("name_ru", "name_en", "url", "position", "is_published")


@bp.route("/committee")
def committee():
    return render_template("public_admin/committee.html", members=services.committee_members())


@bp.route("/committee/new", methods=["GET", "POST"])
@bp.route("/committee/<int:member_id>/edit", methods=["GET", "POST"])
def edit_member(member_id: int | None = None):
    member = get_or_404(CommitteeMember, member_id) if member_id else None
    form = forms.CommitteeMemberForm(obj=member)
    form.set_country_choices()
    if form.validate_on_submit():
        services.save_simple(member or CommitteeMember(), form, MEMBER_FIELDS)
        db.session.commit()
        flash(_("The committee member has been saved."), "success")
        return redirect(url_for("public_admin.committee"))
    return render_template("public_admin/member_form.html", form=form, member=member)


@bp.route("/committee/<int:member_id>/delete", methods=["POST"])
def delete_member(member_id: int):
    services.delete_object(get_or_404(CommitteeMember, member_id))
    db.session.commit()
    flash(_("The committee member has been removed."), "info")
    return redirect(url_for("public_admin.committee"))


@bp.route("/partners")
def partners():
    return render_template("public_admin/partners.html", partners=services.all_partners())


@bp.route("/partners/new", methods=["GET", "POST"])
@bp.route("/partners/<int:partner_id>/edit", methods=["GET", "POST"])
def edit_partner(partner_id: int | None = None):
    partner = get_or_404(Partner, partner_id) if partner_id else None
    form = forms.PartnerForm(obj=partner)
    if form.validate_on_submit():
        target = partner or Partner()
        upload = form.logo.data.read() if form.logo.data else None
        try:
            services.replace_logo(target, upload, form.remove_logo.data)
        except InvalidImage:
            form.logo.errors.append(
                _("This file is not an image we can use. Upload a PNG, JPEG, GIF or WebP logo.")
            )
        else:
            services.save_simple(target, form, PARTNER_FIELDS)
            db.session.commit()
            flash(_("The partner has been saved."), "success")
            return redirect(url_for("public_admin.partners"))
    return render_template("public_admin/partner_form.html", form=form, partner=partner)


@bp.route("/partners/<int:partner_id>/delete", methods=["POST"])
def delete_partner(partner_id: int):
    services.delete_object(get_or_404(Partner, partner_id))
    db.session.commit()
    flash(_("The partner has been removed."), "info")
    return redirect(url_for("public_admin.partners"))
