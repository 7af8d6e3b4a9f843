"""The jury's own pages: assigned applications, scoring, conflicts of interest."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def register(app: Flask) -> None:
    """Register the jury blueprint under /jury and its header link for jurors."""
    from ..models import Role
    from ..navigation import NavItem, add_nav_item
    from .views import bp

    app.register_blueprint(bp, url_prefix="/jury")
    add_nav_item(app, NavItem("jury.dashboard", _l("Jury room"), roles=(Role.JUROR,), order=50))
