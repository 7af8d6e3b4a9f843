"""Whole pages for visitors who are not signed in, kept in each process's memory briefly.

Public pages are read far more than they change: the results page above all, which is
immutable once published and read by everyone at the moment of the announcement. A
visitor without a session gets the same bytes as every other visitor in the same
language, so the page is rendered once and served from memory for a few seconds (the
home page) or minutes (published results). Nothing personal is ever stored: a request
that carries a session or a remember cookie, or a response that touched the session,
is neither served from nor put into the cache.
"""

import threading
import time

from flask import Flask, g, request, session

from .i18n import visitor_locale

# Endpoint -> seconds a page stays fresh. Results are cached only once published
# (the view calls allow_page_cache), so the embargo never rides on a cached page.
CACHED_PAGES = {
    "public.home": 30,
    "public.about": 300,
    "public.archive": 60,
    "public.edition": 60,
    "results.edition_results": 300,
}
NEEDS_PERMISSION = {"results.edition_results"}
MAX_ENTRIES = 1024


class PageCache:
    """A small thread-safe map of keys, e.g. (path, query, language), to rendered pages
    that expire after their own number of seconds."""

    def __init__(self, max_entries: int = MAX_ENTRIES):
        self._entries: dict = {}
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def get(self, key):
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, key, ttl: float, page) -> None:
        with self._lock:
            if len(self._entries) >= self._max_entries:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + ttl, page)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def allow_page_cache() -> None:
    """Called by a view in NEEDS_PERMISSION when what it rendered may be cached."""
    g._page_cache_allowed = True


def clear_page_cache(app: Flask) -> None:
    """Drop this process's cached pages (other processes expire theirs by TTL)."""
    app.extensions["pdc_page_cache"].clear()


def _visitor_without_session(app: Flask) -> bool:
    cookies = request.cookies
    return app.config["SESSION_COOKIE_NAME"] not in cookies and "remember_token" not in cookies


def register(app: Flask) -> None:
    """Install the cache; registered before the extensions so a hit skips their work."""
    cache = PageCache()
    app.extensions["pdc_page_cache"] = cache

    @app.before_request
    def serve_cached_page():
        if request.method != "GET" or not app.config.get("PAGE_CACHE_ENABLED", True):
            return None
        ttl = CACHED_PAGES.get(request.endpoint or "")
        if ttl is None or not _visitor_without_session(app):
            return None
        key = (request.path, request.query_string, visitor_locale())
        page = cache.get(key)
        if page is not None:
            body, content_type = page
            response = app.response_class(body, content_type=content_type)
            response.headers["X-Page-Cache"] = "hit"
            response.vary.update(("Cookie", "Accept-Language"))
            return response
        g._page_cache_key = (key, ttl)
        return None

    @app.after_request
    def keep_rendered_page(response):
        pending = g.pop("_page_cache_key", None)
        if pending is None:
            return response
        response.vary.update(("Cookie", "Accept-Language"))
        permitted = request.endpoint not in NEEDS_PERMISSION or g.get("_page_cache_allowed")
        if (response.status_code == 200 and permitted and not session.modified
                and not response.direct_passthrough and "Set-Cookie" not in response.headers):
            key, ttl = pending
            cache.put(key, ttl, (response.get_data(), response.content_type))
        return response
