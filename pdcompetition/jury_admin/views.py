"""The jury's members: list, invitations and their acceptance, profiles, conflicts."""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from ..authz import get_or_404, organizer_required
from ..extensions import db, limiter
from ..formtools import whole_number
from ..models import Edition, EditionStatus, JurorInvitation
from . import bp, services
from . import members as jury
from .forms import AcceptExistingForm, AcceptNewForm, InviteForm, MemberForm
from .reasons import conflict_source

PREFIX = "/manage/editions/<int:edition_id>/jury"


def load_edition(edition_id: int) -> Edition:
    """The edition whose jury is managed (organizers manage every edition), or 404."""
    return get_or_404(Edition, edition_id)


def load_invitation(edition: Edition, invitation_id: int) -> JurorInvitation:
    invitation = db.session.get(JurorInvitation, invitation_id)
    if invitation is None or invitation.edition_id != edition.id:
        abort(404)
    return invitation


@bp.route("/manage/jury")
@organizer_required
def index():
    """The jury of the current edition: the newest active one, else the newest."""
    edition = db.session.scalar(
        sa.select(Edition).order_by((Edition.status == EditionStatus.ACTIVE).desc(),
                                    Edition.ordinal.desc()).limit(1)
    )
    if edition is None:
        flash(_("Create an edition first."), "info")
        return redirect(url_for("public.home"))
    return redirect(url_for("jury_admin.members", edition_id=edition.id))


def _render_members(edition, form, status=200):
    state = services.load_state(edition)
    return render_template(
        "jury_admin/members.html", edition=edition, form=form,
        members=state.members, loads=state.loads(),
        invitations=jury.pending_invitations(edition),
        conflict_counts=_conflict_counts(state),
    ), status


def _conflict_counts(state) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _app_id, juror_id in state.conflicts():
        counts[juror_id] = counts.get(juror_id, 0) + 1
    return counts


@bp.route(PREFIX)
@organizer_required
def members(edition_id):
    """The jury: members with their pools, caps and loads; pending invitations."""
    edition = load_edition(edition_id)
    return _render_members(edition, InviteForm(language="ru"))


@bp.route(PREFIX + "/invite", methods=["POST"])
@organizer_required
def invite(edition_id):
    """Invite a juror by email: a signed link that creates or links the account."""
    edition = load_edition(edition_id)
    form = InviteForm()
    if not form.validate_on_submit():
        return _render_members(edition, form, 400)
    try:
        invitation = jury.invite(edition, form.email.data, form.full_name.data or "",
                                    form.language.data, current_user)
    except jury.MemberError as exc:
        form.email.errors.append(str(exc))
        return _render_members(edition, form, 400)
    db.session.commit()
    flash(_("The invitation has been sent to %(email)s.", email=invitation.email), "success")
    return redirect(url_for("jury_admin.members", edition_id=edition.id))


@bp.route(PREFIX + "/invitations/<int:invitation_id>/<any(resend, revoke):action>",
          methods=["POST"])
@organizer_required
def invitation_action(edition_id, invitation_id, action):
    """Send an invitation again, or withdraw it."""
    edition = load_edition(edition_id)
    invitation = load_invitation(edition, invitation_id)
    try:
        if action == "resend":
            if invitation.accepted_at is not None:
                raise jury.MemberError(_("This invitation has already been accepted."))
            jury.send_invitation(invitation)
            message = _("The invitation has been sent again to %(email)s.",
                        email=invitation.email)
        else:
            jury.revoke_invitation(invitation, current_user)
            message = _("The invitation to %(email)s has been withdrawn.",
                        email=invitation.email)
    except jury.MemberError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("jury_admin.members", edition_id=edition.id))


def load_member(edition, member_id):
    member = jury.load_member(edition, member_id)
    if member is None:
        abort(404)
    return member


@bp.route(PREFIX + "/members/<int:member_id>", methods=["GET", "POST"])
@organizer_required
def edit_member(edition_id, member_id):
    """A juror's profile (public page, conflicts), cap, nomination pool and visibility."""
    edition = load_edition(edition_id)
    member = load_member(edition, member_id)
    profile = member.user.juror_profile
    data = {name: getattr(profile, name) for name in jury.PROFILE_FIELDS} if profile else {}
    data.update(max_applications=member.max_applications, is_public=member.is_public,
                position=member.position,
                nominations=[str(n.id) for n in member.nominations])
    form = MemberForm(data=data, nominations=edition.nominations)
    if form.validate_on_submit():
        values = dict(form.data)
        values["nominations"] = [n for n in map(whole_number, form.nominations.data or []) if n]
        jury.update_member(member, values, current_user)
        db.session.commit()
        flash(_("The juror's details have been saved."), "success")
        return redirect(url_for("jury_admin.members", edition_id=edition.id))
    return render_template("jury_admin/member.html", edition=edition, member=member, form=form)


@bp.route(PREFIX + "/members/<int:member_id>/remove", methods=["POST"])
@organizer_required
def remove_member(edition_id, member_id):
    """Take a juror off this edition's jury (refused while they have assignments)."""
    edition = load_edition(edition_id)
    member = load_member(edition, member_id)
    try:
        jury.remove_member(member, current_user)
    except jury.MemberError as exc:
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("%(name)s is no longer on the jury.", name=member.user.display_name), "success")
    return redirect(url_for("jury_admin.members", edition_id=edition.id))


@bp.route(PREFIX + "/publish", methods=["POST"])
@organizer_required
def publish(edition_id):
    """Show or hide the public jury page."""
    edition = load_edition(edition_id)
    published = request.form.get("published") == "1"
    jury.set_published(edition, published, current_user)
    db.session.commit()
    flash(_("The jury page is now public.") if published
          else _("The jury page is hidden from the public."), "success")
    return redirect(url_for("jury_admin.members", edition_id=edition.id))


@bp.route(PREFIX + "/conflicts")
@organizer_required
def conflicts(edition_id):
    """Every conflict with its source; declared ones awaiting reassignment come first."""
    edition = load_edition(edition_id)
    state = services.load_state(edition)
    rows = services.conflict_rows(state)
    return render_template("jury_admin/conflicts.html", edition=edition, rows=rows,
                           source=conflict_source)


@bp.route("/invitation/jury/<token>", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def accept_invitation(token):
    """The invitee's page: create the account or accept with the signed-in one."""
    invitation = jury.read_invitation(token)
    if invitation is None:
        return render_template("jury_admin/invitation_invalid.html"), 404
    account = jury.find_account(invitation)
    if account is None:
        form = AcceptNewForm(full_name=invitation.full_name)
        if current_user.is_authenticated:
            return render_template("jury_admin/invitation.html", invitation=invitation,
                                   wrong_user=True)
        if form.validate_on_submit():
            user = jury.accept(invitation, full_name=form.full_name.data,
                                  password=form.password.data)
            db.session.commit()
            login_user(user)
            return _welcome(invitation)
        return render_template("jury_admin/invitation.html", invitation=invitation, form=form,
                               new_account=True)
    if not current_user.is_authenticated or current_user.id != account.id:
        return render_template("jury_admin/invitation.html", invitation=invitation,
                               wrong_user=current_user.is_authenticated, needs_login=True)
    form = AcceptExistingForm()
    if form.validate_on_submit():
        jury.accept(invitation, current_user._get_current_object())
        db.session.commit()
        return _welcome(invitation)
    return render_template("jury_admin/invitation.html", invitation=invitation, form=form)


def _welcome(invitation):
    flash(_("Welcome to the jury of the competition!"), "success")
    endpoint = "jury.dashboard" if "jury.dashboard" in current_app.view_functions else (
        "public.home")
    return redirect(url_for(endpoint))
