"""The jury's members: invitations by signed link, profiles, caps, pools, publication.

Services only flush; the view commits once.
"""

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from .. import audit
from ..auth.tokens import make_signed_token, read_signed_token
from ..domain.moscow_time import now_utc
from ..extensions import db
from ..mail.outbox import queue_mail
from ..models import (
    Assignment,
    Edition,
    JurorInvitation,
    JurorProfile,
    JuryMember,
    Nomination,
    Role,
    User,
    normalize_email,
)

TOKEN_PURPOSE = "juror-invitation"
DEFAULT_MAX_AGE = 14 * 24 * 3600  # two weeks


class MemberError(Exception):
    """A refused change, with a message for the organizer."""


def invitation_max_age() -> int:
    return int(current_app.config.get("JUROR_INVITATION_MAX_AGE", DEFAULT_MAX_AGE))


def jury_members(edition: Edition) -> list[JuryMember]:
    """The jury in its public order, with users, profiles and pools (constant queries)."""
    return list(db.session.scalars(
        sa.select(JuryMember)
        .where(JuryMember.edition_id == edition.id)
        .options(selectinload(JuryMember.user).selectinload(User.juror_profile),
                 selectinload(JuryMember.nominations))
        .order_by(JuryMember.position, JuryMember.id)
    ))


def pending_invitations(edition: Edition) -> list[JurorInvitation]:
    return list(db.session.scalars(
        sa.select(JurorInvitation)
        .where(JurorInvitation.edition_id == edition.id, JurorInvitation.accepted_at.is_(None))
        .order_by(JurorInvitation.created_at.desc(), JurorInvitation.id.desc())
    ))


def invite(edition: Edition, email: str, full_name: str, locale: str,
           actor: User) -> JurorInvitation:
    """Mail a signed invitation link; refused for someone already on this jury."""
    email = normalize_email(email)
    member = db.session.scalar(
        sa.select(JuryMember).join(JuryMember.user)
        .where(JuryMember.edition_id == edition.id, User.email == email)
    )
    if member is not None:
        raise MemberError(_l("%(email)s is already on this edition's jury.", email=email))
    invitation = JurorInvitation(edition_id=edition.id, email=email, full_name=full_name.strip(),
                                 locale=locale, invited_by_id=actor.id)
    db.session.add(invitation)
    db.session.flush()
    send_invitation(invitation)
    audit.record("jury.invited", invitation, actor=actor, data={"email": email})
    return invitation


def invitation_link(invitation: JurorInvitation) -> str:
    token = make_signed_token(TOKEN_PURPOSE, {"inv": invitation.id, "email": invitation.email})
    return url_for("jury_admin.accept_invitation", token=token, _external=True)


def send_invitation(invitation: JurorInvitation) -> None:
    """(Re)send the invitation mail in the invitee's language."""
    edition = db.session.get(Edition, invitation.edition_id)
    queue_mail(invitation.email, "juror_invitation", invitation.locale,
               invitation=invitation, edition=edition, link=invitation_link(invitation),
               days=invitation_max_age() // (24 * 3600))


def revoke_invitation(invitation: JurorInvitation, actor: User) -> None:
    """Withdraw an invitation that was not accepted; its link stops working."""
    if invitation.accepted_at is not None:
        raise MemberError(_l("This invitation has already been accepted."))
    audit.record("jury.invitation_revoked", invitation, actor=actor,
                 data={"email": invitation.email})
    db.session.delete(invitation)
    db.session.flush()


def read_invitation(token: str) -> JurorInvitation | None:
    """The open invitation a link points to; None when invalid, expired, used or revoked."""
    data = read_signed_token(TOKEN_PURPOSE, token, invitation_max_age())
    if not isinstance(data, dict):
        return None
    invitation = db.session.get(JurorInvitation, data.get("inv"))
    if invitation is None or invitation.email != data.get("email"):
        return None
    if invitation.accepted_at is not None:
        return None
    return invitation


def find_account(invitation: JurorInvitation) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == invitation.email))


def accept(invitation: JurorInvitation, user: User | None = None, *, full_name: str = "",
           password: str = "") -> User:
    """Accept: create the account (or use `user`), make them a juror of the edition."""
    if user is None:
        user = User(email=invitation.email, full_name=full_name.strip(),
                    locale=invitation.locale, email_confirmed_at=now_utc())
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        audit.record("user.registered", user, actor=user, data={"via": "juror_invitation"})
    elif user.email_confirmed_at is None:
        user.email_confirmed_at = now_utc()  # the mailed link proves the address
    if Role.JUROR not in user.roles:
        user.grant(Role.JUROR)
        audit.record("user.role_granted", user, actor=user, data={"role": Role.JUROR.value})
    if user.juror_profile is None:
        db.session.add(JurorProfile(user=user))
    exists = db.session.scalar(sa.select(JuryMember).where(
        JuryMember.edition_id == invitation.edition_id, JuryMember.user_id == user.id))
    if exists is None:
        last = db.session.scalar(sa.select(sa.func.max(JuryMember.position)).where(
            JuryMember.edition_id == invitation.edition_id)) or 0
        db.session.add(JuryMember(edition_id=invitation.edition_id, user_id=user.id,
                                  position=last + 1))
    invitation.accepted_at = now_utc()
    invitation.accepted_user_id = user.id
    db.session.flush()
    audit.record("jury.invitation_accepted", invitation, actor=user,
                 data={"user_id": user.id})
    return user


def load_member(edition: Edition, member_id: int) -> JuryMember | None:
    """A member of this edition's jury (another edition's member is not found)."""
    return db.session.scalar(
        sa.select(JuryMember)
        .where(JuryMember.id == member_id, JuryMember.edition_id == edition.id)
        .options(selectinload(JuryMember.user).selectinload(User.juror_profile),
                 selectinload(JuryMember.nominations))
    )


PROFILE_FIELDS = ("country_code", "region_code", "organization", "position_ru", "position_en",
                  "languages", "bio_ru", "bio_en")


def update_member(member: JuryMember, data: dict, actor: User) -> None:
    """Save the profile, cap, pool, public flag and order from the organizers' form."""
    user = member.user
    profile = user.juror_profile
    if profile is None:
        profile = JurorProfile(user=user)
        db.session.add(profile)
    before = {name: getattr(profile, name) for name in PROFILE_FIELDS}
    for name in PROFILE_FIELDS:
        setattr(profile, name, (data.get(name) or "").strip())
    if profile.country_code != "RU":
        profile.region_code = ""
    nomination_ids = set(data.get("nominations") or [])
    member.nominations = list(db.session.scalars(
        sa.select(Nomination).where(Nomination.edition_id == member.edition_id,
                                    Nomination.id.in_(nomination_ids))
    )) if nomination_ids else []
    member.max_applications = data.get("max_applications")
    member.is_public = bool(data.get("is_public"))
    member.position = data.get("position") or 0
    db.session.flush()
    audit.record("jury.member_updated", member, actor=actor, data={
        "cap": member.max_applications,
        "nominations": sorted(n.id for n in member.nominations),
        "is_public": member.is_public,
        "changed": sorted(n for n in PROFILE_FIELDS if before[n] != getattr(profile, n)),
    })


def remove_member(member: JuryMember, actor: User) -> None:
    """Take a juror off the jury; refused while they hold assignments in the edition."""
    from ..models import Application

    held = db.session.scalar(
        sa.select(sa.func.count(Assignment.id)).join(Assignment.application)
        .where(Application.edition_id == member.edition_id,
               Assignment.juror_id == member.user_id)
    )
    if held:
        raise MemberError(_l("%(name)s still has %(count)s assignments: remove them first.",
                             name=member.user.display_name, count=held))
    audit.record("jury.member_removed", member, actor=actor, data={"user_id": member.user_id})
    db.session.delete(member)
    db.session.flush()


def set_published(edition: Edition, published: bool, actor: User) -> None:
    """Show or hide the public jury page of the edition."""
    edition.jury_published = published
    audit.record("jury.published" if published else "jury.unpublished", edition, actor=actor)
    db.session.flush()
