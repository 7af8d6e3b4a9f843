"""Typed text that outlives an ended session: kept on the server, given back after login.

When a section is posted by someone whose session has ended (logged out elsewhere, password
changed, cookie lost, form token expired), the text is written to a small file named by a
random token; the token goes into the new session and into the login's return address.
Only the same browser (the token is in its session) and only the application's owner (the
form's loader checks it) get the text back. Files older than MAX_AGE are removed.
"""

import json
import re
import secrets
import time
from pathlib import Path

from flask import current_app, session

SESSION_KEY = "pdc_pending_forms"
MAX_AGE = 3 * 24 * 3600
MAX_PER_SESSION = 5
MAX_FILES = 20000  # a flood of anonymous posts must not fill the disk
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def folder() -> Path:
    configured = current_app.config.get("PENDING_FORMS_FOLDER")
    upload_folder = Path(current_app.config["UPLOAD_FOLDER"])
    path = Path(configured) if configured else upload_folder / ".pending"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _path(token: str) -> Path | None:
    return folder() / f"{token}.json" if _TOKEN.fullmatch(token or "") else None


def _cleanup(directory: Path) -> int:
    """Remove expired files; returns how many remain."""
    remaining = 0
    cutoff = time.time() - MAX_AGE
    for path in directory.glob("*.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
            else:
                remaining += 1
        except OSError:
            continue
    return remaining


def stash(application_id: int, section: str, data: dict, *, store: bool = True) -> str:
    """Keep `data` for the application's section; returns the token (always, so the answer
    does not reveal whether the application exists; nothing is written unless `store`)."""
    token = secrets.token_urlsafe(24)
    session[SESSION_KEY] = [*session.get(SESSION_KEY, [])[-(MAX_PER_SESSION - 1):], token]
    if store:
        directory = folder()
        if _cleanup(directory) < MAX_FILES:
            payload = {"application_id": application_id, "section": section, "data": data}
            _path(token).write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    return token


def restore(token: str | None, application_id: int, section: str) -> dict | None:
    """The kept data for this browser, application and section, or None."""
    if not token or token not in session.get(SESSION_KEY, []):
        return None
    path = _path(token)
    if path is None or not path.exists():
        return None
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("application_id") != application_id or payload.get("section") != section:
        return None
    return payload.get("data") or None


def discard(token: str | None) -> None:
    """Forget kept data once it has been saved."""
    path = _path(token or "")
    if path is not None:
        path.unlink(missing_ok=True)
    tokens = session.get(SESSION_KEY)
    if tokens and token in tokens:
        session[SESSION_KEY] = [t for t in tokens if t != token]
