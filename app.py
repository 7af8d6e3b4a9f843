"""WSGI entry point: `gunicorn app:app`, `flask --app app run`."""

from pdcompetition import create_app

app = create_app()
