"""The organizers' tools: set up editions, watch their figures, screen applications."""

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

bp = Blueprint("organizers", __name__)


class RecordIdConverter(IntegerConverter):
    """A database id in a URL: larger numbers than a column holds are simply not found
    (instead of an overflow error from the database)."""

    def __init__(self, map, *args, **kwargs):
        super().__init__(map, min=1, max=2**31 - 1)


def add_edition_tab(app: Flask, endpoint: str, label, order: int = 50) -> None:
    """Put a tab on every edition's management pages; the endpoint takes `edition_id`.

    Other features (the jury, results) add their own tabs here from their register step.
    """
    app.extensions.setdefault("pdc_edition_tabs", []).append((order, endpoint, label))


def register(app: Flask) -> None:
    """Register the blueprint under /manage, its header link and its edition tabs."""
    from ..models import Role
    from ..navigation import NavItem, add_nav_item
    from . import editions_views, items_views, screening_views  # noqa: F401  (routes)
    from .search import install_sqlite_functions

    install_sqlite_functions()
    app.url_map.converters.setdefault("id", RecordIdConverter)
    app.register_blueprint(bp, url_prefix="/manage")
    add_nav_item(app, NavItem("organizers.editions", _l("Management"), roles=(Role.ORGANIZER,),
                              order=60))
    add_edition_tab(app, "organizers.overview", _l("Overview"), order=10)
    add_edition_tab(app, "organizers.edit_edition", _l("Settings"), order=20)
    add_edition_tab(app, "organizers.nominations", _l("Nominations"), order=30)
    add_edition_tab(app, "organizers.criteria", _l("Criteria"), order=40)
    add_edition_tab(app, "organizers.applications", _l("Applications"), order=50)

    @app.context_processor
    def inject_edition_tabs():
        return {"edition_tabs": lambda: sorted(app.extensions.get("pdc_edition_tabs", []),
                                               key=lambda tab: tab[0])}
