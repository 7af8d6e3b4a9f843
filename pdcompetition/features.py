"""The registry of feature blueprints (applicants, organizers, jury, results, public pages).

Kept apart from the factory so each feature adds one line here without touching it.
"""

from flask import Flask


def register(app: Flask) -> None:
    """Register every feature blueprint that exists."""
    from .applications import register as register_applications

    register_applications(app)

    from . import public

    public.register(app)

    from .jury import register as register_jury

    register_jury(app)

    from .organizers import register as register_organizers

    register_organizers(app)

    from . import public_admin

    public_admin.register(app)

    from .jury_admin import register as register_jury_admin

    register_jury_admin(app)

    from .results import register as register_results

    register_results(app)
