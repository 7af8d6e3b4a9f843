"""Fixtures: an app on SQLite and on PostgreSQL, clients, logins, mail, frozen time.

Each test request runs in its own app context, as in production: a fresh `g` and its own
database session, so a view that forgets to commit fails its test. Test code must
`db.session.commit()` what it set up before making requests; after each request the test's
session is expired, so the objects a test holds show what the request stored.

Database tests run once per backend. PostgreSQL is used when TEST_DATABASE_URL is set
(on CI it must be: a missing server fails the run instead of skipping silently). Each
test session gets its own PostgreSQL database, so parallel runs do not collide.
"""

import os
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask import has_app_context
from flask.testing import FlaskClient
from hypothesis import settings as hypothesis_settings

from pdcompetition import create_app
from pdcompetition.config import normalize_database_url
from pdcompetition.extensions import db as _db

from . import factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

BACKENDS = ["sqlite", "postgresql"]

# Property-based tests: the same examples on every CI run (a failure can be reproduced
# from the log); locally new examples each run. Each test sets its own example count.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True, database=None)
hypothesis_settings.load_profile(
    "ci" if ON_CI else os.environ.get("HYPOTHESIS_PROFILE", "default")
)


def pytest_configure(config):
    if ON_CI and not TEST_DATABASE_URL:
        raise pytest.UsageError("CI needs TEST_DATABASE_URL pointing at PostgreSQL")


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    admin_url = normalize_database_url(TEST_DATABASE_URL)
    name = f"pdc_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin_url).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": name},
        )
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


_pg_schema_ready = set()


def make_test_config(tmp_path, database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "MAIL_SERVER": None,
        "MAIL_SEND_ON_COMMIT": False,
        "SERVER_NAME": None,
        # Each test sees what it just changed; tests/test_page_cache.py turns it on.
        "PAGE_CACHE_ENABLED": False,
        "JURY_DASHBOARD_CACHE": False,  # tests/test_jury_dashboard_cache.py turns it on
    }
    config.update(overrides)
    return config


class IsolatedClient(FlaskClient):
    """A test client whose requests do not share `g` or the session with the test."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():  # the test's own session sees what the request committed
            _db.session.expire_all()
        return response


def _reset_postgres(app) -> None:
    """Empty every table (much faster than dropping and creating the schema per test)."""
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"] not in _pg_schema_ready:
            _db.drop_all()
            _db.create_all()
            _pg_schema_ready.add(app.config["SQLALCHEMY_DATABASE_URI"])
        else:
            tables = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
            with _db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def database_url(backend, tmp_path, request):
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def app_config():
    """Override in a test module to change the app's configuration."""
    return {}


@pytest.fixture
def app(database_url, backend, tmp_path, app_config):
    """The app with an empty schema, on the backend of this parametrization."""
    overrides = dict(app_config)
    if backend == "postgresql":
        # A test that forgot to commit must fail fast, not wait forever on a row lock.
        overrides.setdefault(
            "SQLALCHEMY_ENGINE_OPTIONS",
            {"pool_pre_ping": True,
             "connect_args": {"options": "-c lock_timeout=10000 -c statement_timeout=120000"}},
        )
    app = create_app(make_test_config(tmp_path, database_url, **overrides))
    app.test_client_class = IsolatedClient
    if backend == "postgresql":
        _reset_postgres(app)
    else:
        with app.app_context():
            _db.create_all()
    with app.app_context():
        yield app
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log a test client in and out as a given user."""

    def __init__(self, client):
        self._client = client

    def login(self, user, password: str = factories.PASSWORD):
        response = self._client.post(
            "/auth/login", data={"email": user.email, "password": password}
        )
        assert response.status_code == 302, "login failed"
        return response

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def outbox(db):
    """The mails queued so far, as a fresh list each call."""
    from pdcompetition.models import OutboxMessage

    def read():
        return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))

    return read


@pytest.fixture
def frozen_time():
    """Freeze the clock: `frozen_time(datetime(...))` moves it; returns the traveller."""
    import time_machine

    active = []

    def travel(moment: datetime, tick: bool = False):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        while active:
            active.pop().stop()
        traveller = time_machine.travel(moment, tick=tick)
        traveller.start()
        active.append(traveller)
        return traveller

    yield travel
    while active:
        active.pop().stop()


@pytest.fixture
def smtp_server():
    """A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""
    from .smtp import RecordingSMTPServer

    server = RecordingSMTPServer()
    server.start()
    yield server
    server.stop()
