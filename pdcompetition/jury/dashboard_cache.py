"""The juror's dashboard, rendered once per change instead of once per request.

Jurors keep the dashboard open and come back to it after every sheet, so on a judging
evening it is most of the jury's traffic, and rendering a few hundred rows is the
costly part. What the page shows changes only when someone commits a change to the
tables below. Every such commit increments a generation counter in Redis (a number all
app processes read); a page rendered at generation g is served again from this
process's memory, with no database work, while the counter still reads g and the page
is less than a minute old (or until a judging deadline on it passes, whichever is
first).

The key holds everything else the bytes depend on: the signed session's user id with
its nonce (a new password changes the nonce, and the commit that changes it moves the
generation), the session's CSRF secret, the language inputs, host and path. A request
whose session carries flash messages or a pending remember cookie is rendered normally,
and a render that modified the session is not kept.

Without REDIS_URL there is no counter every process can see, so the page is rendered on
every request, as before.
"""

import hashlib
import logging
from datetime import datetime

import redis
import sqlalchemy as sa
from flask import Flask, current_app, g, has_app_context, request, session

from ..domain.moscow_time import now_utc
from ..extensions import db
from ..i18n import LANGUAGE_COOKIE
from ..models import (
    Application,
    Assignment,
    ConflictDeclaration,
    Criterion,
    CustomCountry,
    Edition,
    JuryMember,
    Nomination,
    Score,
    ScoreSheet,
    User,
    UserRole,
)
from ..page_cache import PageCache

log = logging.getLogger(__name__)

ENDPOINT = "jury.dashboard"
MAX_AGE_SECONDS = 60
MAX_ENTRIES = 2048
# Everything the dashboard reads, directly or through the signed-in account.
WATCHED = (Application, Assignment, ConflictDeclaration, Criterion, CustomCountry, Edition,
           JuryMember, Nomination, Score, ScoreSheet, User, UserRole)
CHANGED = "pdc_jury_dashboard_changed"


def generation_key(app: Flask) -> str:
    """One counter per database, so two sites sharing a Redis never mix their pages."""
    database = hashlib.sha256(app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()
    return f"pdc:jury-dashboard-generation:{database[:16]}"


def _enabled(app: Flask) -> bool:
    return bool(app.config.get("REDIS_URL")) and app.config.get("JURY_DASHBOARD_CACHE", True)


class DashboardCache:
    """This process's rendered dashboards and its link to the shared counter."""

    def __init__(self, app: Flask):
        self.redis = redis.Redis.from_url(app.config["REDIS_URL"], socket_timeout=0.5,
                                          socket_connect_timeout=0.5)
        self.key = generation_key(app)
        # Keyed with the generation too: a page of an older generation is never found
        # again and goes when the map is next emptied.
        self.pages = PageCache(MAX_ENTRIES)

    def generation(self) -> int | None:
        """The current counter, or None when Redis cannot be asked (then: no caching)."""
        try:
            value = self.redis.get(self.key)
            if value is None:
                self.redis.set(self.key, 1, nx=True)
                value = self.redis.get(self.key)
            return int(value)
        except (redis.RedisError, ValueError, TypeError):
            log.warning("jury dashboard cache: Redis unavailable", exc_info=True)
            return None

    def bump(self) -> None:
        try:
            self.redis.incr(self.key)
        except redis.RedisError:
            # Pages already kept expire within MAX_AGE_SECONDS.
            log.warning("jury dashboard cache: could not move the generation", exc_info=True)


def allow_dashboard_cache(deadlines: list[datetime | None]) -> None:
    """Called by the dashboard view: the page may be kept until the next of `deadlines`
    (the text around a judging deadline changes when it passes) or a minute at most."""
    now = now_utc()
    upcoming = [(moment - now).total_seconds() for moment in deadlines if moment and moment > now]
    g._jury_dashboard_fresh_for = min([MAX_AGE_SECONDS, *upcoming])


def _page_key():
    if "_flashes" in session or "_remember" in session or "_user_id" not in session:
        return None
    return (
        request.host,
        request.path,
        request.query_string,
        session["_user_id"],
        session.get("csrf_token"),
        session.get("locale"),
        request.cookies.get(LANGUAGE_COOKIE),
        request.headers.get("Accept-Language", ""),
    )


def register(app: Flask) -> None:
    """Install the cache (before the extensions, so a hit skips their work)."""
    _watch_commits()
    if not _enabled(app):
        return
    cache = DashboardCache(app)
    app.extensions["pdc_jury_dashboard_cache"] = cache

    @app.before_request
    def serve_kept_dashboard():
        if request.method != "GET" or request.endpoint != ENDPOINT:
            return None
        key = _page_key()
        if key is None:
            return None
        generation = cache.generation()
        if generation is None:
            return None
        key = (*key, generation)
        page = cache.pages.get(key)
        if page is not None:
            body, content_type = page
            response = app.response_class(body, content_type=content_type)
            response.headers["X-Page-Cache"] = "hit"
            response.headers["Cache-Control"] = "private, no-cache"
            return response
        # Read before the view reads anything: a commit after this point moves the
        # counter past the generation the page is kept under.
        g._jury_dashboard_pending = key
        return None

    @app.after_request
    def keep_rendered_dashboard(response):
        key = g.pop("_jury_dashboard_pending", None)
        fresh_for = g.pop("_jury_dashboard_fresh_for", None)
        if key is None:
            return response
        response.headers["Cache-Control"] = "private, no-cache"
        if (fresh_for and fresh_for > 0 and response.status_code == 200
                and not session.modified and not response.direct_passthrough
                and "_flashes" not in session):
            cache.pages.put(key, fresh_for, (response.get_data(), response.content_type))
        return response


_watching = False


def _watch_commits() -> None:
    """Move the generation after every committed change to a watched table."""
    global _watching
    if _watching:
        return
    _watching = True

    @sa.event.listens_for(db.session, "after_flush")
    def note_flushed_changes(session, flush_context):
        for obj in (*session.new, *session.dirty, *session.deleted):
            if isinstance(obj, WATCHED):
                session.info[CHANGED] = True
                return

    @sa.event.listens_for(db.session, "do_orm_execute")
    def note_bulk_changes(state):
        if state.is_insert or state.is_update or state.is_delete:
            mapper = state.bind_mapper
            if mapper is None or issubclass(mapper.class_, WATCHED):
                state.session.info[CHANGED] = True

    @sa.event.listens_for(db.session, "after_commit")
    def move_generation(session):
        # after_commit also fires when a savepoint is released: wait for the real commit.
        if session.in_nested_transaction() or not session.info.pop(CHANGED, False):
            return
        if has_app_context():
            cache = current_app.extensions.get("pdc_jury_dashboard_cache")
            if cache is not None:
                cache.bump()

    @sa.event.listens_for(db.session, "after_rollback")
    def forget_rolled_back(session):
        if not session.in_nested_transaction():
            session.info.pop(CHANGED, None)
