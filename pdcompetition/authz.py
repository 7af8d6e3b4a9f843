"""The one way views authorize: role decorators, and loaders that check access to an object."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .models import Role


def roles_required(*roles: Role):
    """Let through signed-in users holding any of `roles` (admins always); others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


organizer_required = roles_required(Role.ORGANIZER)
admin_required = roles_required(Role.ADMIN)
juror_required = roles_required(Role.JUROR)


def get_or_404(model, object_id):
    """Load an object or answer 404 (also for ids no id column can hold, e.g. from a form)."""
    from .extensions import db

    if isinstance(object_id, int) and not 0 < object_id < 2**31:
        abort(404)
    obj = db.session.get(model, object_id)
    if obj is None:
        abort(404)
    return obj
