"""The Alembic chain upgrades and downgrades on SQLite and PostgreSQL and matches the models."""

import os
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from pdcompetition import PROJECT_ROOT, create_app
from pdcompetition.config import normalize_database_url
from pdcompetition.extensions import db

from .conftest import TEST_DATABASE_URL, make_test_config

MIGRATIONS = str(PROJECT_ROOT / "migrations")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """A database with nothing in it, made for this test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    if not TEST_DATABASE_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    admin_url = normalize_database_url(TEST_DATABASE_URL)
    name = f"pdc_migrations_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def table_names(app) -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def test_upgrade_check_downgrade(empty_database, tmp_path):
    app = create_app(make_test_config(tmp_path, empty_database))
    with app.app_context():
        upgrade(directory=MIGRATIONS, revision="head")
        tables = table_names(app)
        assert {"users", "editions", "applications", "score_sheets", "audit_entries",
                "outbox_messages", "alembic_version"} <= tables
        assert set(db.metadata.tables) <= tables

        # `flask db check`: the models and the migrations describe the same schema.
        from alembic.autogenerate import compare_metadata
        from alembic.migration import MigrationContext

        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"

        downgrade(directory=MIGRATIONS, revision="base")
        assert table_names(app) <= {"alembic_version"}
        upgrade(directory=MIGRATIONS, revision="head")  # and back up again
        assert set(db.metadata.tables) <= table_names(app)
        db.engine.dispose()


def test_single_head():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config(os.path.join(MIGRATIONS, "alembic.ini"))
    config.set_main_option("script_location", MIGRATIONS)
    heads = ScriptDirectory.from_config(config).get_heads()
    assert len(heads) == 1, f"the migration chain has several heads: {heads}"
