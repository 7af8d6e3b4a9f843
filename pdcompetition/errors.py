"""Error pages in the UI language, for browsers; a page never shows a traceback."""

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .transactions import rollback_quietly

log = logging.getLogger(__name__)

# Largest body we read and discard so the browser sees the 413 page, not a reset connection.
_DRAIN_LIMIT = 256 * 1024 * 1024


def _drain_request_body() -> None:
    stream = request.environ.get("wsgi.input")
    length = request.content_length or 0
    if stream is None or not length or length > _DRAIN_LIMIT:
        return
    remaining = length
    try:
        while remaining > 0:
            chunk = stream.read(min(remaining, 1024 * 1024))
            if not chunk:
                break
            remaining -= len(chunk)
    except OSError:
        pass


# Shown only when the normal error page cannot be rendered; both languages at once, since
# choosing one needs the user's saved preference.
FALLBACK_500_PAGE = """<!doctype html>
<html lang="ru">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ошибка на нашей стороне · Something went wrong</title></head>
<body>
<h1>Что-то пошло не так на нашей стороне</h1>
<p>Ничего из уже сохранённого не потеряно. Подождите минуту и обновите страницу.</p>
<h2 lang="en">Something went wrong on our side</h2>
<p lang="en">Nothing you saved before is lost. Please wait a minute and reload the page.</p>
</body>
</html>
"""


def render_error(code: int, message: str | None = None):
    """The error page for `code` with an optional explanation."""
    titles = {
        400: _("The request could not be processed"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("This action is not allowed here"),
        413: _("The upload is too large"),
        429: _("Too many attempts"),
        500: _("Something went wrong on our side"),
    }
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=titles.get(code, titles[400]),
            message=message,
        ),
        code,
    )


def register(app: Flask) -> None:
    """Install handlers for HTTP errors, CSRF failures, oversized bodies and crashes."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _(
                "The form has expired or was sent from another page. "
                "Go back, reload the page and send it again."
            ),
        )

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        _drain_request_body()
        limit_mb = app.config["UPLOAD_MAX_FILE_BYTES"] // (1024 * 1024)
        return render_error(
            413,
            _(
                "The file is larger than %(limit)s MB. Nothing you typed was lost: "
                "go back and attach a smaller file.",
                limit=limit_mb,
            ),
        )

    @app.errorhandler(429)
    def rate_limited(error):
        return render_error(429, _("Too many attempts. Please wait a minute and try again."))

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code)

    if app.testing:
        return  # let tests see the traceback; they assert that no request ends in a 500

    @app.errorhandler(Exception)
    def unexpected(error):
        log.exception("unhandled error on %s", request.path)
        rollback_quietly()
        try:
            return render_error(500)
        except Exception:
            # The database itself is gone (the page would load the signed-in user):
            # a plain page in both languages, still no traceback.
            log.exception("the error page could not be rendered")
            return app.response_class(FALLBACK_500_PAGE, status=500, mimetype="text/html")
