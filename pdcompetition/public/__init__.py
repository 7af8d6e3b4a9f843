"""Public pages: home, rules, archive, events, jury and committee, partners."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..navigation import NavItem, add_nav_item


def register(app: Flask) -> None:
    """The events blueprint and the public links in the header (the home blueprint is core)."""
    from .events import bp as events_bp

    app.register_blueprint(events_bp)
    # Four links keep the header on two lines on a phone; the committee and the partners
    # are linked from the About page and the footer of every page.
    for order, endpoint, label in (
        (10, "public.about", _l("About")),
        (14, "events.index", _l("Events")),
        (18, "public.archive", _l("Archive")),
        (22, "public.jury", _l("Jury")),
    ):
        add_nav_item(app, NavItem(endpoint, label, order=order))
