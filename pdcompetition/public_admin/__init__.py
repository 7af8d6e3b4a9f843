"""Organizers' editing of the public face: events and attendees, committee, partners, archive."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

from ..authz import organizer_required
from ..models import Role
from ..navigation import NavItem, add_nav_item

bp = Blueprint("public_admin", __name__, url_prefix="/manage/public")


@bp.before_request
@organizer_required
def require_organizer():
    """Every page here is for organizers (and admins) only."""


def register(app: Flask) -> None:
    # The route modules attach their views to `bp`; import them before registering it.
    from . import archive_views, event_views, people_views  # noqa: F401

    app.register_blueprint(bp)
    add_nav_item(
        app, NavItem("public_admin.index", _l("Public pages"), roles=(Role.ORGANIZER,), order=68)
    )
