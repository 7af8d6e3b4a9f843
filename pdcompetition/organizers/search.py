"""Case-insensitive text search that treats Cyrillic alike on SQLite and PostgreSQL.

SQLite's lower() and LIKE fold ASCII letters only, so «ПЕТРОВА» would not find «Петрова».
On SQLite every connection gets a Python function `pdc_fold`; on PostgreSQL lower() folds
every letter of a UTF-8 database. Both also read «ё» as «е», as Russian readers do.
"""

import sqlite3

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ..extensions import db

_installed = False


def fold(text: str | None) -> str | None:
    """The form text is compared in: lower case, «ё» read as «е»."""
    if text is None:
        return None
    return text.lower().replace("ё", "е")


def _register_on_connect(dbapi_connection, connection_record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.create_function("pdc_fold", 1, fold, deterministic=True)


def install_sqlite_functions() -> None:
    """Give every new SQLite connection the `pdc_fold` function (once per process)."""
    global _installed
    if not _installed:
        event.listen(Engine, "connect", _register_on_connect)
        _installed = True


def folded(column) -> sa.ColumnElement:
    """A SQL expression of `column` in folded form, for the current database."""
    if db.engine.dialect.name == "sqlite":
        return sa.func.pdc_fold(column)
    return sa.func.replace(sa.func.lower(column), "ё", "е")


def matches_any(columns, query: str) -> sa.ColumnElement:
    """Rows where every word of `query` occurs in one of `columns`, ignoring case."""
    words = [fold(word) for word in query.split() if word]
    conditions = [
        sa.or_(*(folded(column).contains(word, autoescape=True) for column in columns))
        for word in words
    ]
    return sa.and_(sa.true(), *conditions)
