"""Signed, expiring links for email confirmation, password reset and invitations."""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..extensions import db
from ..models import User


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"pdc-{purpose}")


def _password_fingerprint(user: User) -> str:
    # Changes whenever the password does, so a reset link works only once.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def make_confirmation_token(user: User) -> str:
    return _serializer("confirm").dumps({"uid": user.id, "email": user.email})


def read_confirmation_token(token: str) -> User | None:
    """The user a valid confirmation link belongs to, or None if invalid or expired."""
    try:
        data = _serializer("confirm").loads(
            token, max_age=current_app.config["EMAIL_TOKEN_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        return None
    return user


def make_reset_token(user: User) -> str:
    return _serializer("reset").dumps({"uid": user.id, "pw": _password_fingerprint(user)})


def read_reset_token(token: str) -> User | None:
    """The user of a valid, unused, unexpired reset link, or None."""
    try:
        data = _serializer("reset").loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("uid")) if isinstance(data, dict) else None
    if user is None or data.get("pw") != _password_fingerprint(user):
        return None
    return user


def make_signed_token(purpose: str, payload) -> str:
    """A signed token for another feature (e.g. juror invitations)."""
    return _serializer(purpose).dumps(payload)


def read_signed_token(purpose: str, token: str, max_age: int):
    """The payload of a valid token, or None."""
    try:
        return _serializer(purpose).loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
