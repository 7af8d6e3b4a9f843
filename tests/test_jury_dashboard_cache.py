"""The juror's dashboard kept per session until a committed change (generation in Redis)."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g

from pdcompetition.jury.dashboard_cache import MAX_AGE_SECONDS, allow_dashboard_cache
from pdcompetition.models import ConflictDeclaration, Role, ScoreSheet, SheetStatus
from pdcompetition.models.users import new_session_nonce

from . import factories
from .jury_helpers import setup_jury

REDIS_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def app_config():
    return {"REDIS_URL": REDIS_URL, "JURY_DASHBOARD_CACHE": True}


@pytest.fixture(autouse=True)
def own_generation(app, monkeypatch):
    """Each test counts from its own key, whatever other tests did on the same Redis."""
    cache = app.extensions["pdc_jury_dashboard_cache"]
    key, redis = f"pdc:test:{uuid.uuid4().hex}", cache.redis
    monkeypatch.setattr(cache, "key", key)
    yield cache
    redis.delete(key)


def statements(db):
    """A list that collects every SQL statement run while it is in use."""
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    return seen, lambda: sa.event.remove(db.engine, "before_cursor_execute", record)


def dashboard(client):
    response = client.get("/jury/")
    assert response.status_code == 200
    return response


def warm(client):
    """The first visit after signing in puts the CSRF secret into the session (not kept)."""
    assert "X-Page-Cache" not in dashboard(client).headers
    return dashboard(client)


def test_second_visit_is_served_without_the_database(client, auth, db):
    jury = setup_jury(db, n=3)
    auth.login(jury.juror)
    first = warm(client)
    assert "X-Page-Cache" not in first.headers
    seen, stop = statements(db)
    try:
        second = dashboard(client)
    finally:
        stop()
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.get_data() == first.get_data()
    assert seen == []
    assert second.headers["Cache-Control"] == "private, no-cache"
    assert "Content-Security-Policy" in second.headers


def change_sheet(db, jury):
    factories.make_sheet(jury.assignments[0], [5, 5, 5], status=SheetStatus.SUBMITTED)


def change_nomination(db, jury):
    jury.edition.nominations[0].name_ru = "Переименованная номинация"
    jury.edition.nominations[0].name_en = "Renamed nomination"


def change_edition(db, jury):
    jury.edition.title_ru = "Новое название издания"
    jury.edition.title_en = "Renamed edition"


def close_jury(db, jury):
    jury.edition.jury_closed_at = factories.now() - timedelta(seconds=1)


def declare_conflict(db, jury):
    db.session.add(ConflictDeclaration(application_id=jury.applications[0].id,
                                       juror_id=jury.juror.id, reason="Мой брат"))


def new_assignment(db, jury):
    from pdcompetition.models import ApplicationState

    application = factories.make_application(jury.edition, state=ApplicationState.ACCEPTED,
                                             project_title="Новый проект")
    factories.assign(application, jury.juror)


def bulk_update(db, jury):
    factories.make_sheet(jury.assignments[0], [1, 1, 1], status=SheetStatus.DRAFT)
    db.session.commit()
    db.session.execute(sa.update(ScoreSheet).values(status=SheetStatus.SUBMITTED))


@pytest.mark.parametrize("change, shows", [
    (change_sheet, "Submitted: 1 of 3"),
    (change_nomination, "Renamed nomination"),
    (change_edition, "Renamed edition"),
    (close_jury, "The organizers have closed the jury"),
    (declare_conflict, "Submitted: 0 of 2"),
    (new_assignment, "Новый проект"),
    (bulk_update, "Submitted: 1 of 3"),
])
def test_every_committed_change_shows_at_once(client, auth, db, change, shows):
    jury = setup_jury(db, n=3)
    jury.juror.locale = "en"
    db.session.commit()
    auth.login(jury.juror)
    warm(client)
    assert dashboard(client).headers["X-Page-Cache"] == "hit"
    change(db, jury)
    db.session.commit()
    page = dashboard(client)
    assert "X-Page-Cache" not in page.headers
    assert shows in page.get_data(as_text=True)


def test_a_rolled_back_change_or_a_savepoint_does_not_count(client, auth, db, own_generation):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    warm(client)
    before = own_generation.generation()
    jury.edition.title_ru = "Не сохранится"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert own_generation.generation() == before
    with db.session.begin_nested():
        jury.edition.title_ru = "Сохранится"
    assert own_generation.generation() == before  # the savepoint is not the commit
    db.session.commit()
    assert own_generation.generation() == before + 1


def test_pages_are_never_shared_between_jurors(app, auth, db):
    first = setup_jury(db, n=2)
    second = setup_jury(db, n=1, edition=first.edition,
                        juror=factories.make_juror(email="second@example.org"))
    second.applications[0].project_title = "Только для второго"
    db.session.commit()
    one, two = app.test_client(), app.test_client()
    type(auth)(one).login(first.juror)
    type(auth)(two).login(second.juror)
    for _ in range(2):
        mine = dashboard(one).get_data(as_text=True)
        theirs = dashboard(two).get_data(as_text=True)
        assert "Только для второго" not in mine and "Только для второго" in theirs


def test_a_new_password_ends_the_kept_session(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    warm(client)
    assert dashboard(client).headers["X-Page-Cache"] == "hit"
    jury.juror.session_nonce = new_session_nonce()  # what a password change does
    db.session.commit()
    response = client.get("/jury/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_a_revoked_juror_is_not_served_the_kept_page(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    warm(client)
    jury.juror.revoke(Role.JUROR)
    db.session.commit()
    assert client.get("/jury/").status_code == 403


def test_flash_messages_are_never_served_from_or_kept_in_the_cache(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    warm(client)
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Сообщение только один раз")]
    page = dashboard(client)
    assert "X-Page-Cache" not in page.headers
    assert "Сообщение только один раз" in page.get_data(as_text=True)
    again = dashboard(client)
    assert "Сообщение только один раз" not in again.get_data(as_text=True)


def test_a_new_language_choice_shows_at_once(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    assert 'lang="ru"' in warm(client).get_data(as_text=True)
    jury.juror.locale = "en"
    db.session.commit()
    english = dashboard(client).get_data(as_text=True)
    assert 'lang="en"' in english and "My applications to score" in english


def test_without_redis_every_request_is_rendered(app, client, auth, db, monkeypatch):
    cache = app.extensions["pdc_jury_dashboard_cache"]
    monkeypatch.setattr(cache, "redis", type(cache.redis).from_url(
        "redis://127.0.0.1:1/0", socket_timeout=0.2, socket_connect_timeout=0.2))
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    for _ in range(2):
        assert "X-Page-Cache" not in dashboard(client).headers
    jury.edition.title_ru = "Commit works without Redis"
    db.session.commit()  # the bump fails quietly


def test_a_page_is_kept_until_the_next_deadline_at_most(app):
    with app.test_request_context("/jury/"):
        now = factories.now()
        allow_dashboard_cache([None, now - timedelta(hours=1), now + timedelta(seconds=20)])
        assert 18 < g._jury_dashboard_fresh_for <= 20
        allow_dashboard_cache([now + timedelta(days=3)])
        assert g._jury_dashboard_fresh_for == MAX_AGE_SECONDS
