"""The applicant's journey: drafts in sections, documents, submission, status and withdrawal."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def register(app: Flask) -> None:
    """Register the blueprint at /applications and its "My applications" header link."""
    from ..navigation import NavItem, add_nav_item
    from . import views, views_files  # noqa: F401  (views_files adds its routes to the blueprint)

    app.register_blueprint(views.bp, url_prefix="/applications")
    add_nav_item(app, NavItem("applications.index", _l("My applications"), signed_in=True,
                              order=40))
