"""One commit per request: services flush, the view commits, any error rolls back."""

import logging

from flask import Flask

from .extensions import db

log = logging.getLogger(__name__)


def rollback_quietly() -> None:
    """Roll back the request's session; a connection the database dropped makes the
    rollback itself fail, which is logged, not raised (the pool replaces the connection)."""
    try:
        db.session.rollback()
    except Exception:
        log.warning("rollback failed", exc_info=True)


def register_rollback(app: Flask) -> None:
    """Roll back whatever a failed request left in the session, and close it safely."""

    @app.teardown_request
    def rollback_on_error(exc):
        if exc is not None:
            rollback_quietly()

    # Registered after Flask-SQLAlchemy's, so it runs first. A connection the database
    # dropped after the response was ready fails its closing rollback; that must not
    # turn a good page into the server's bare 500.
    @app.teardown_appcontext
    def close_session(exc):
        try:
            db.session.remove()
        except Exception:
            log.warning("closing the session failed", exc_info=True)
            try:
                db.session.remove()  # the dead connection is invalidated by now
            except Exception:
                db.session.registry.clear()
