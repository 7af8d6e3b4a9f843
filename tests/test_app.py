"""The app factory, configuration, home page, error pages and security headers."""

import pytest

from pdcompetition import create_app
from pdcompetition.config import normalize_database_url

from . import factories


def test_config_defaults_use_sqlite_in_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.instance_path in app.config["SQLALCHEMY_DATABASE_URI"]
    # The secret key is generated once and kept.
    assert len(app.config["SECRET_KEY"]) >= 32
    assert create_app({"TESTING": True}).config["SECRET_KEY"] == app.config["SECRET_KEY"]


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/x")
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://postgres@127.0.0.1:5432/x"


def test_redis_url_becomes_rate_limit_storage(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    app = create_app({"TESTING": True})
    assert app.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_normalize_database_url(given, expected):
    assert normalize_database_url(given) == expected


def test_home_in_russian_by_default(client, db):
    factories.make_edition(ordinal=3)
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Лидер общественной дипломатии" in page
    assert "Конкурс 3" in page


def test_home_follows_accept_language(client):
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Leader of Public Diplomacy" in page


def test_language_switch_is_remembered(client):
    response = client.post("/language", data={"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="en">' in page


def test_language_switch_refuses_foreign_redirect(client):
    response = client.post("/language", data={"language": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_saved_preference_wins_over_switch(client, auth, db):
    user = factories.make_user(locale="en")
    db.session.commit()
    auth.login(user)
    with client.session_transaction() as session:
        session["locale"] = "ru"
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("lang,text", [("ru", "Страница не найдена"), ("en", "Page not found")])
def test_404_page_in_ui_language(client, lang, text):
    response = client.get("/no-such-page", headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert text in response.get_data(as_text=True)


def test_security_headers(client):
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"]


def test_static_assets_are_local(client):
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.split("<body")[0].replace("http://localhost", "")
    for asset in ("/static/css/app.css", "/static/js/app.js"):
        response = client.get(asset)
        assert response.status_code == 200
        response.close()


def test_a_connection_dropped_after_the_page_is_ready_does_not_spoil_it(client, db,
                                                                         monkeypatch):
    """The closing rollback fails (the database dropped the connection): the page stands."""
    import sqlalchemy as sa

    real_close = type(db.session()).close
    failures = []

    def close_failing_once(session):
        if not failures:
            failures.append(True)
            raise sa.exc.OperationalError("ROLLBACK", {}, Exception("terminating connection"))
        return real_close(session)

    monkeypatch.setattr(type(db.session()), "close", close_failing_once)
    response = client.get("/about")
    assert response.status_code == 200 and failures
    assert client.get("/about").status_code == 200
