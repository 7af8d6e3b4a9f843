"""Recording actions in the append-only audit log."""

from flask import has_request_context, request
from flask_login import current_user

from .extensions import db
from .models import AuditEntry


def record(
    action: str,
    obj=None,
    *,
    data: dict | None = None,
    actor=None,
    edition_id: int | None = None,
) -> AuditEntry:
    """Add an audit entry for `action` on `obj` by `actor` (the signed-in user by default)."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(
        action=action,
        actor_id=actor.id if actor is not None else None,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        edition_id=edition_id if edition_id is not None else getattr(obj, "edition_id", None),
        data=_jsonable(data or {}),
        ip_address=(request.remote_addr or "") if has_request_context() else "",
    )
    db.session.add(entry)
    return entry


def _jsonable(value):
    """Make values JSON-safe (dates, decimals, enums become strings)."""
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "value") and hasattr(value, "name"):  # an enum member
        return value.value
    return str(value)
