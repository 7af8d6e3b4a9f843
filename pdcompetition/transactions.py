"""One commit per request: services flush, the view commits, any error rolls back."""

from flask import Flask

from .extensions import db


def register_rollback(app: Flask) -> None:
    """Roll back whatever a failed request left in the session."""

    @app.teardown_request
    def rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()
