"""Configuration: safe defaults, then environment variables, then the caller's overrides."""

import os
import secrets
from pathlib import Path


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain postgresql:// URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: str) -> str:
    """Read the secret key kept in the instance folder, generating it on first start."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: str) -> dict:
    """Build the configuration mapping from defaults and the environment."""
    env = os.environ
    database_url = env.get("DATABASE_URL") or (
        "sqlite:///" + os.path.join(instance_path, "pdcompetition.sqlite3")
    )
    redis_url = env.get("REDIS_URL")
    max_file = int(env.get("UPLOAD_MAX_FILE_MB", "10")) * 1024 * 1024
    max_total = int(env.get("UPLOAD_MAX_TOTAL_MB", "25")) * 1024 * 1024
    return {
        "SECRET_KEY": env.get("SECRET_KEY") or instance_secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Uploads live outside the static folder, under the instance folder by default.
        "UPLOAD_FOLDER": env.get("UPLOAD_FOLDER") or os.path.join(instance_path, "uploads"),
        "UPLOAD_MAX_FILE_BYTES": max_file,
        "UPLOAD_MAX_TOTAL_BYTES": max_total,
        # The whole request may carry a file plus the form around it.
        "MAX_CONTENT_LENGTH": max_file + 1024 * 1024,
        "MAIL_SERVER": env.get("MAIL_SERVER"),  # unset: mails are written to the log
        "MAIL_PORT": int(env.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": env.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": env.get("MAIL_DEFAULT_SENDER", "noreply@pdcompetition.local"),
        "MAIL_MAX_ATTEMPTS": int(env.get("MAIL_MAX_ATTEMPTS", "8")),
        # Mail is sent at the end of the request that queued it; a CLI sender retries the rest.
        "MAIL_SEND_ON_COMMIT": _env_bool("MAIL_SEND_ON_COMMIT", True),
        # Public pages for visitors without a session are kept in memory briefly.
        "PAGE_CACHE_ENABLED": _env_bool("PAGE_CACHE_ENABLED", True),
        # Jurors' dashboards are kept per session until a change (needs REDIS_URL).
        "JURY_DASHBOARD_CACHE": _env_bool("JURY_DASHBOARD_CACHE", True),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Moscow",
        "LANGUAGES": ("ru", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", False),
        "WTF_CSRF_TIME_LIMIT": None,  # a long application form must not expire its token
        "EMAIL_TOKEN_MAX_AGE": 3 * 24 * 3600,
        "PASSWORD_RESET_MAX_AGE": 2 * 3600,
        "INVITATION_MAX_AGE": 30 * 24 * 3600,
        "PREFERRED_URL_SCHEME": env.get("PREFERRED_URL_SCHEME", "http"),
        "SERVER_NAME": env.get("SERVER_NAME"),
    }
