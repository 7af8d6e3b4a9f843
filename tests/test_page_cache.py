"""The page cache serves visitors without a session, and never anything personal or embargoed."""

from datetime import timedelta

import pytest

from pdcompetition.models import ApplicationState, Award, AwardKind, Role

from . import factories


@pytest.fixture
def app_config():
    return {"PAGE_CACHE_ENABLED": True}


def test_visitors_get_the_cached_home_page(client, db):
    factories.make_edition(ordinal=3)
    db.session.commit()
    first = client.get("/")
    second = client.get("/")
    assert "X-Page-Cache" not in first.headers
    assert second.headers["X-Page-Cache"] == "hit"
    assert second.get_data() == first.get_data()
    assert "Cookie" in second.headers["Vary"]
    assert second.headers["Content-Security-Policy"]  # security headers still added
    assert "Set-Cookie" not in second.headers


def test_each_language_has_its_own_page(client, db):
    factories.make_edition(ordinal=3)
    db.session.commit()
    client.get("/", headers={"Accept-Language": "ru"})
    english = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    client.set_cookie("pdc_lang", "en")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)


def test_signed_in_users_never_get_or_fill_the_cache(app, client, auth, db):
    factories.make_edition(ordinal=3)
    user = factories.make_user(full_name="Личное Имя")
    db.session.commit()
    auth.login(user)
    mine = client.get("/")
    assert "Личное Имя" in mine.get_data(as_text=True)
    assert "X-Page-Cache" not in client.get("/").headers
    visitor = app.test_client()
    page = visitor.get("/").get_data(as_text=True)
    assert "Личное Имя" not in page


def test_embargoed_results_page_is_not_cached(client, db, frozen_time):
    now = factories.now()
    frozen_time(now)
    edition = factories.make_edition(ordinal=3)
    application = factories.make_application(edition, state=ApplicationState.ACCEPTED,
                                             full_name="Победитель Конкурса")
    db.session.add(Award(application=application, edition_id=edition.id,
                         nomination_id=application.nomination_id, kind=AwardKind.WINNER))
    edition.jury_closed_at = now
    edition.results_approved_at = now
    edition.results_publish_at = now + timedelta(minutes=5)
    db.session.commit()
    before = client.get("/editions/3/results")
    assert "Победитель Конкурса" not in before.get_data(as_text=True)
    frozen_time(now + timedelta(minutes=5))
    after = client.get("/editions/3/results")
    assert "Победитель Конкурса" in after.get_data(as_text=True)
    assert client.get("/editions/3/results").headers.get("X-Page-Cache") == "hit"


def test_language_links_remember_the_choice(client, auth, db):
    response = client.get("/language/en?next=/archive")
    assert response.status_code == 302 and response.headers["Location"] == "/archive"
    assert "pdc_lang=en" in response.headers["Set-Cookie"]
    assert '<html lang="en">' in client.get("/archive").get_data(as_text=True)
    user = factories.make_user(Role.APPLICANT, locale="ru")
    db.session.commit()
    auth.login(user)
    client.get("/language/en?next=/")
    db.session.refresh(user)
    assert user.locale == "en"
    assert client.get("/language/xx?next=//evil.example").headers["Location"] == "/"
