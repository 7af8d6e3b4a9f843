"""Account operations; they flush, the view commits."""

from flask import url_for

from .. import audit
from ..extensions import db
from ..mail.outbox import queue_mail
from ..models import Role, User, normalize_email, utcnow
from . import tokens


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(db.select(User).where(User.email == normalize_email(email)))


def register_user(full_name: str, email: str, password: str, locale: str) -> User | None:
    """Create an applicant account and mail the confirmation link.

    For an address already registered nothing is created; its owner is told by mail, so
    the page never reveals whether an account exists. Returns the new user or None.
    """
    existing = find_user_by_email(email)
    if existing is not None:
        queue_mail(
            existing.email,
            "account_exists",
            existing.locale,
            user=existing,
            login_url=url_for("auth.login", _external=True),
            reset_url=url_for("auth.forgot_password", _external=True),
        )
        return None
    user = User(full_name=full_name.strip(), email=normalize_email(email), locale=locale)
    user.set_password(password)
    user.grant(Role.APPLICANT)
    db.session.add(user)
    db.session.flush()
    audit.record("user.registered", user, actor=user)
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    token = tokens.make_confirmation_token(user)
    queue_mail(
        user.email,
        "confirm_email",
        user.locale,
        user=user,
        confirm_url=url_for("auth.confirm_email", token=token, _external=True),
    )


def confirm_email(user: User) -> None:
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record("user.email_confirmed", user, actor=user)


def authenticate(email: str, password: str) -> User | None:
    """The user with these credentials, or None (same answer for unknown email and bad password)."""
    user = find_user_by_email(email)
    if user is None:
        # Spend the same time as a real check so timing does not reveal unknown addresses.
        User(password_hash=_DUMMY_HASH).check_password(password)
        return None
    if not user.check_password(password):
        return None
    return user


_DUMMY_HASH = (
    "scrypt:32768:8:1$Fu8UHgVyWvith9QM$151f90f082b2527bef54fa124f3fbc48dc7c67a2f5049fb1e1248cad"
    "9a793b8b2435ac96944a7106b7512f267db2b5ba5374c195eedad99e6f9f7c9afd001f06"
)


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address has an account; say nothing either way."""
    user = find_user_by_email(email)
    if user is None:
        return
    token = tokens.make_reset_token(user)
    queue_mail(
        user.email,
        "reset_password",
        user.locale,
        user=user,
        reset_url=url_for("auth.reset_password", token=token, _external=True),
    )
    audit.record("user.password_reset_requested", user, actor=user)


def change_password(user: User, new_password: str) -> None:
    """Set a new password; every other session of the user ends."""
    user.set_password(new_password)
    audit.record("user.password_changed", user, actor=user)
    queue_mail(user.email, "password_changed", user.locale, user=user)


def grant_role(user: User, role: Role, actor: User) -> None:
    user.grant(role)
    audit.record("user.role_granted", user, actor=actor, data={"role": role.value})


def revoke_role(user: User, role: Role, actor: User) -> None:
    user.revoke(role)
    audit.record("user.role_revoked", user, actor=actor, data={"role": role.value})
