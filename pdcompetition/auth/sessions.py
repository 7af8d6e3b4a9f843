"""Flask-Login glue: loading the user from the session cookie."""

from flask_babel import gettext as _

from ..extensions import db
from ..models import User


def load_user(session_id: str) -> User | None:
    """The cookie holds "<id>:<nonce>"; a changed nonce (new password) ends old sessions."""
    user_id, _sep, nonce = (session_id or "").partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_nonce != nonce or not user.is_active:
        return None
    return user


def login_message(_default: str) -> str:
    """The flash shown when a page needs a login, in the UI language."""
    return _("Please log in to open this page.")
