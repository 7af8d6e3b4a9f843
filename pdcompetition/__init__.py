"""pdcompetition: the platform of the International Competition «Leader of Public Diplomacy»."""

import os
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Create the app: defaults, environment, then `config` overrides (tests pass theirs)."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder="static",
    )
    os.makedirs(app.instance_path, exist_ok=True)

    from .config import load_config

    app.config.from_mapping(load_config(app.instance_path))
    app.config.from_pyfile("config.py", silent=True)
    if config:
        app.config.update(config)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PROJECT_ROOT / "translations"))
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    from .routing import DatabaseIdConverter

    app.url_map.converters["int"] = DatabaseIdConverter
    from . import page_cache
    from .jury import dashboard_cache

    page_cache.register(app)  # first, so a cached page skips every other hook
    dashboard_cache.register(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    from . import models  # noqa: F401  (the whole schema, for Alembic)
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    from .auth.sessions import load_user, login_message

    login_manager.user_loader(load_user)
    login_manager.localize_callback = login_message


def register_blueprints(app: Flask) -> None:
    """Each feature is a blueprint in its own package."""
    from flask_babel import lazy_gettext as _l

    from .admin.views import bp as admin_bp
    from .auth.views import bp as auth_bp
    from .models import Role
    from .navigation import NavItem, add_nav_item
    from .public.views import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    add_nav_item(
        app, NavItem("admin.users", _l("Administration"), roles=(Role.ORGANIZER,), order=90)
    )

    # Feature blueprints register here as they are built.
    from . import features

    features.register(app)


def register_errorhandlers(app: Flask) -> None:
    from .errors import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    from .mail.outbox import register_delivery_hook
    from .sanitize import register_input_cleaning
    from .security import register_security_headers
    from .transactions import register_rollback

    register_input_cleaning(app)
    register_rollback(app)
    register_security_headers(app)
    register_delivery_hook(app)


def register_template_helpers(app: Flask) -> None:
    from . import navigation
    from .i18n import register_template_helpers as register_i18n

    register_i18n(app)
    navigation.register(app)


def register_commands(app: Flask) -> None:
    from .cli import pdc

    app.cli.add_command(pdc)
