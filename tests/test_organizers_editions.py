"""Organizers set up editions in the browser: dates in Moscow time, the forum, the rules."""

from datetime import UTC, datetime

import pytest

from pdcompetition.domain.moscow_time import from_moscow
from pdcompetition.models import (
    AuditEntry,
    Edition,
    EditionStatus,
    Event,
    EventKind,
    Role,
)

from . import factories


@pytest.fixture
def organizer(db, auth):
    user = factories.make_user(Role.ORGANIZER, full_name="Наталья Орлова")
    db.session.commit()
    auth.login(user)
    return user


def edition_form(**overrides) -> dict:
    """A complete, valid edition form as the browser sends it (unchecked boxes are absent)."""
    data = {
        "ordinal": "4",
        "year": "2025",
        "status": "draft",
        "title_ru": "IV Международный конкурс «Лидер общественной дипломатии»",
        "title_en": "IV International Competition",
        "description_ru": "Описание",
        "description_en": "",
        "rules_ru": "1. Правила.",
        "rules_en": "",
        "applications_open_at": "2025-09-01T10:00",
        "applications_close_at": "2025-10-31T23:59",
        "judging_close_at": "2025-11-25T23:59",
        "forum_title_ru": "Екатерининский форум",
        "forum_title_en": "Catherine Forum",
        "forum_city_ru": "Москва",
        "forum_city_en": "Moscow",
        "forum_venue": "Гостиный двор",
        "forum_starts_at": "2025-12-12T15:00",
        "jurors_per_application": "3",
        "divergence_threshold": "30",
        "blind_review": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def audit_entries(db, action):
    return db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    ).all()


def test_editions_list_shows_each_edition_with_its_applications(client, db, organizer):
    edition = factories.make_edition(ordinal=3)
    factories.make_application(edition)
    factories.make_application(edition, state=factories.ApplicationState.DRAFT)
    db.session.commit()
    page = client.get("/manage/").get_data(as_text=True)
    assert "III (2024)" in page
    assert "Конкурс 3" in page
    assert f'href="/manage/editions/{edition.id}/applications">1</a>' in page  # drafts not counted


def test_create_edition_stores_moscow_dates_forum_and_settings(client, db, organizer):
    response = client.post("/manage/editions/new", data=edition_form())
    edition = db.session.scalar(db.select(Edition).where(Edition.ordinal == 4))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/editions/{edition.id}/nominations")
    # 10:00 in Moscow is 07:00 UTC.
    assert edition.applications_open_at == datetime(2025, 9, 1, 7, 0, tzinfo=UTC)
    assert edition.applications_close_at == from_moscow(datetime(2025, 10, 31, 23, 59))
    assert edition.blind_review is True and edition.conflict_same_country is False
    assert edition.jurors_per_application == 3
    forum = edition.forum_event
    assert forum.kind == EventKind.FORUM and forum.announces_results
    assert (forum.title_ru, forum.city_en, forum.venue) == (
        "Екатерининский форум", "Moscow", "Гостиный двор"
    )
    assert edition.results_publish_at == forum.starts_at == datetime(2025, 12, 12, 12, 0,
                                                                      tzinfo=UTC)
    created = audit_entries(db, "edition.created")
    assert len(created) == 1 and created[0].actor_id == organizer.id


def test_edit_form_shows_the_dates_in_moscow_time(client, db, organizer):
    client.post("/manage/editions/new", data=edition_form())
    edition = db.session.scalar(db.select(Edition).where(Edition.ordinal == 4))
    page = client.get(f"/manage/editions/{edition.id}/edit").get_data(as_text=True)
    assert 'value="2025-09-01T10:00"' in page
    assert 'value="2025-12-12T15:00"' in page
    assert 'value="Екатерининский форум"' in page


def test_invalid_edition_keeps_what_was_typed_and_explains_in_russian(client, db, organizer):
    factories.make_edition(ordinal=2)
    db.session.commit()
    response = client.post("/manage/editions/new", data=edition_form(
        ordinal="2",
        applications_close_at="2025-08-01T10:00",  # before opening
        forum_starts_at="2025-11-01T12:00",  # before judging closes
        jurors_per_application="0",
        title_en="Typed title",
    ))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Конкурс II уже есть." in page
    assert "Должно быть позже, чем «Начало приёма заявок»." in page
    assert "Не может быть раньше, чем «Работа жюри завершается»." in page
    assert 'id="jurors_per_application-error"' in page
    assert 'value="Typed title"' in page
    assert 'value="2025-08-01T10:00"' in page
    assert db.session.scalar(db.select(db.func.count(Edition.id))) == 1


def test_unparseable_date_and_forum_without_name_are_reported(client, db, organizer):
    page = client.post("/manage/editions/new", data=edition_form(
        applications_open_at="31.13.2025", forum_title_ru="",
    )).get_data(as_text=True)
    assert "Введите дату и время, например 2025-10-31 23:59." in page
    assert "Укажите название форума." in page
    assert 'value="31.13.2025"' in page


def test_active_edition_needs_its_dates(client, db, organizer):
    page = client.post("/manage/editions/new", data=edition_form(
        status="active", applications_open_at="", judging_close_at="",
        forum_starts_at="", forum_title_ru="", forum_title_en="", forum_city_ru="",
        forum_city_en="", forum_venue="",
    )).get_data(as_text=True)
    assert page.count("Для активного конкурса эта дата обязательна.") == 2


def test_changing_a_deadline_is_logged_with_old_and_new_values(client, db, organizer):
    client.post("/manage/editions/new", data=edition_form())
    edition = db.session.scalar(db.select(Edition).where(Edition.ordinal == 4))
    response = client.post(f"/manage/editions/{edition.id}/edit", data=edition_form(
        applications_close_at="2025-11-07T23:59", conflict_same_country="y",
    ))
    assert response.status_code == 302
    changes = audit_entries(db, "edition.deadline_changed")
    assert len(changes) == 1
    assert changes[0].data == {
        "field": "applications_close_at",
        "old": "2025-10-31T20:59:00+00:00",
        "new": "2025-11-07T20:59:00+00:00",
    }
    assert changes[0].actor_id == organizer.id
    updated = audit_entries(db, "edition.updated")
    assert updated[0].data["changes"]["conflict_same_country"] == {"old": False, "new": True}
    db.session.refresh(edition)
    assert edition.conflict_same_country is True


def test_moving_the_forum_moves_the_results_embargo(client, db, organizer):
    client.post("/manage/editions/new", data=edition_form())
    edition = db.session.scalar(db.select(Edition).where(Edition.ordinal == 4))
    client.post(f"/manage/editions/{edition.id}/edit",
                data=edition_form(forum_starts_at="2025-12-15T18:00", forum_city_ru="Пермь"))
    db.session.refresh(edition)
    assert edition.results_publish_at == from_moscow(datetime(2025, 12, 15, 18, 0))
    assert edition.forum_event.city_ru == "Пермь"
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 1
    logged = [e.data["field"] for e in audit_entries(db, "edition.deadline_changed")]
    assert logged == ["results_publish_at"]


def test_approved_results_cannot_be_announced_by_a_typing_mistake(client, db, organizer):
    dates = {"year": "2026", "applications_open_at": "2026-01-10T10:00",
             "applications_close_at": "2026-03-01T23:59", "judging_close_at": "2026-06-01T23:59"}
    client.post("/manage/editions/new",
                data=edition_form(**dates, forum_starts_at="2099-12-12T15:00"))
    edition = db.session.scalar(db.select(Edition).where(Edition.ordinal == 4))
    edition.results_approved_at = factories.now()
    db.session.commit()
    response = client.post(f"/manage/editions/{edition.id}/edit",
                           data=edition_form(**dates, forum_starts_at="2026-10-01T15:00"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Результаты утверждены" in page and 'value="2026-10-01T15:00"' in page
    db.session.refresh(edition)
    assert edition.results_publish_at == from_moscow(datetime(2099, 12, 12, 15, 0))
    # Another future moment is fine; once announced, a past moment is no news.
    assert client.post(f"/manage/editions/{edition.id}/edit", data=edition_form(
        **dates, forum_starts_at="2099-12-13T15:00")).status_code == 302
    edition.results_published_at = factories.now()
    db.session.commit()
    assert client.post(f"/manage/editions/{edition.id}/edit", data=edition_form(
        **dates, forum_starts_at="2026-10-01T15:00")).status_code == 302


def test_clearing_the_forum_lifts_its_announcement_role(client, db, organizer):
    client.post("/manage/editions/new", data=edition_form())
    edition = db.session.scalar(db.select(Edition).where(Edition.ordinal == 4))
    blank = {name: "" for name in ("forum_title_ru", "forum_title_en", "forum_city_ru",
                                   "forum_city_en", "forum_venue", "forum_starts_at")}
    assert client.post(f"/manage/editions/{edition.id}/edit",
                       data=edition_form(**blank)).status_code == 302
    db.session.refresh(edition)
    assert edition.results_publish_at is None
    assert edition.forum_event is None


def test_ordinal_may_stay_the_same_when_editing(client, db, organizer):
    edition = factories.make_edition(ordinal=4, status=EditionStatus.DRAFT)
    db.session.commit()
    response = client.post(f"/manage/editions/{edition.id}/edit", data=edition_form())
    assert response.status_code == 302


def test_unknown_edition_is_404(client, organizer):
    assert client.get("/manage/editions/999").status_code == 404
    assert client.get("/manage/editions/999/edit").status_code == 404


def test_a_number_taken_meanwhile_is_reported_not_a_crash(client, db, organizer, monkeypatch):
    factories.make_edition(ordinal=4)
    db.session.commit()
    # Another organizer saved edition IV between the form's check and this save.
    monkeypatch.setattr("pdcompetition.organizers.forms.ordinal_problem", lambda *a: None)
    response = client.post("/manage/editions/new", data=edition_form())
    assert response.status_code == 200
    assert "Конкурс IV уже есть." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Edition.id))) == 1
