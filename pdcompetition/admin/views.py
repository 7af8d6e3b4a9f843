"""Administration pages for organizers and admins."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..authz import get_or_404, organizer_required
from ..extensions import db
from ..mail.outbox import deliver_due
from ..models import AuditEntry, CustomCountry, MailStatus, OutboxMessage, Role, User, utcnow
from . import forms, services

bp = Blueprint("admin", __name__)


@bp.route("/users")
@organizer_required
def users():
    search = forms.UserSearchForm(request.args)
    page = services.search_users(search.q.data or "", request.args.get("page", 1, type=int))
    return render_template(
        "admin/users.html", page=page, search=search, role_form=forms.RoleChangeForm(),
        roles=list(Role),
    )


@bp.route("/users/<int:user_id>/roles", methods=["POST"])
@organizer_required
def change_role(user_id):
    user = get_or_404(User, user_id)
    form = forms.RoleChangeForm()
    if not form.validate_on_submit() or form.action.data not in ("grant", "revoke"):
        abort(400)
    try:
        services.change_role(user, Role(form.role.data), form.action.data == "grant", current_user)
    except services.ActionRefused as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(_("Roles of %(email)s have been updated.", email=user.email), "success")
    return redirect(request.referrer if _is_local(request.referrer) else url_for("admin.users"))


def _is_local(url: str | None) -> bool:
    return bool(url) and url.startswith(request.host_url)


@bp.route("/countries", methods=["GET", "POST"])
@organizer_required
def countries():
    form = forms.CustomCountryForm()
    if form.validate_on_submit():
        services.save_custom_country(
            form.code.data, form.name_ru.data, form.name_en.data, current_user
        )
        db.session.commit()
        flash(_("The country has been saved."), "success")
        return redirect(url_for("admin.countries"))
    rows = db.session.scalars(db.select(CustomCountry).order_by(CustomCountry.code)).all()
    return render_template("admin/countries.html", form=form, countries=rows)


@bp.route("/countries/<code>/delete", methods=["POST"])
@organizer_required
def delete_country(code):
    country = get_or_404(CustomCountry, code)
    try:
        services.delete_custom_country(country, current_user)
    except services.ActionRefused as refused:
        flash(str(refused), "error")
    else:
        db.session.commit()
        flash(_("The country has been deleted."), "success")
    return redirect(url_for("admin.countries"))


@bp.route("/audit")
@organizer_required
def audit_log():
    action = (request.args.get("action") or "").strip()[:64]
    select = db.select(AuditEntry).options(db.joinedload(AuditEntry.actor))
    if action:
        select = select.where(AuditEntry.action.like(f"{action}%"))
    page = db.paginate(
        select.order_by(AuditEntry.id.desc()),
        page=request.args.get("page", 1, type=int), per_page=100, error_out=False,
    )
    return render_template("admin/audit.html", page=page, action=action)


@bp.route("/outbox")
@organizer_required
def outbox():
    status = request.args.get("status", "")
    select = db.select(OutboxMessage)
    if status in {s.value for s in MailStatus}:
        select = select.where(OutboxMessage.status == MailStatus(status))
    page = db.paginate(
        select.order_by(OutboxMessage.id.desc()),
        page=request.args.get("page", 1, type=int), per_page=100, error_out=False,
    )
    return render_template("admin/outbox.html", page=page, status=status, statuses=list(MailStatus))


@bp.route("/outbox/retry", methods=["POST"])
@organizer_required
def retry_outbox():
    """Put failed mails back in the queue and try to send everything due now."""
    failed = db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.status == MailStatus.FAILED)
    ).all()
    for message in failed:
        message.status = MailStatus.PENDING
        message.attempts = 0
        message.next_attempt_at = utcnow()
    db.session.commit()
    sent, failures = deliver_due()
    flash(_("Sent: %(sent)s. Failed attempts: %(failed)s.", sent=sent, failed=failures), "info")
    return redirect(url_for("admin.outbox"))
