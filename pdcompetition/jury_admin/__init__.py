"""Building an edition's jury: invitations, profiles, conflicts, assignment and progress."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("jury_admin", __name__)


def register(app: Flask) -> None:
    """Register the blueprint and the edition's "Jury" tab (its pages have their own sub-tabs)."""
    from . import assignment_views, views  # noqa: F401  (routes)

    app.register_blueprint(bp)
    try:
        from ..organizers import add_edition_tab
    except ImportError:  # the organizers' pages are optional for this feature
        return
    add_edition_tab(app, "jury_admin.members", _l("Jury"), order=60)
