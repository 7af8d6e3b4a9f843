"""Results: ranking, awards, embargoed publication at the forum, certificates and exports."""

from flask import Flask
from flask_babel import lazy_gettext as _l


def register(app: Flask) -> None:
    """Blueprints, header links, the edition tab, the applicant partial's helper, the hook."""
    from flask_login import current_user

    from ..cli import pdc
    from ..navigation import NavItem, add_nav_item
    from . import presenters
    from .publication import publish_due_command, register_publication_hook
    from .views_admin import bp as admin_bp
    from .views_public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(admin_bp, url_prefix="/manage")
    add_nav_item(app, NavItem("results.index", _l("Results"), order=25))
    try:
        from ..organizers import add_edition_tab
    except ImportError:  # the organizers' pages are a separate feature
        pass
    else:
        add_edition_tab(app, "results_admin.dashboard", _l("Results"), order=80)
    pdc.add_command(publish_due_command)
    register_publication_hook(app)

    @app.context_processor
    def inject_applicant_result():
        # templates/results/_applicant_result.html calls it with the application in context.
        return {"applicant_result": lambda application: presenters.applicant_result(
            application, current_user)}
