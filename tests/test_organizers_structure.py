"""Nominations and criteria edited in the browser: add, edit, reorder, archive, delete, copy."""

from decimal import Decimal

import pytest

from pdcompetition.models import AuditEntry, Criterion, Nomination, Role, utcnow

from . import factories


@pytest.fixture
def organizer(db, auth):
    user = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    auth.login(user)
    return user


@pytest.fixture
def edition(db):
    edition = factories.make_edition(ordinal=4, nominations=2, criteria=2)
    db.session.commit()
    return edition


def names(db, model, edition):
    rows = db.session.scalars(
        db.select(model).where(model.edition_id == edition.id).order_by(model.position, model.id)
    )
    return [row.name_ru for row in rows]


def test_add_a_nomination_at_the_end(client, db, organizer, edition):
    response = client.post(f"/manage/editions/{edition.id}/nominations", data={
        "name_ru": "Культурная дипломатия", "name_en": "Cultural diplomacy",
        "description_ru": "Культура как язык доверия", "description_en": "",
    })
    assert response.status_code == 302
    assert names(db, Nomination, edition)[-1] == "Культурная дипломатия"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Добавлено: «Культурная дипломатия»." in page
    assert "Культура как язык доверия" in page
    assert db.session.scalar(
        db.select(AuditEntry.actor_id).where(AuditEntry.action == "nomination.added")
    ) == organizer.id


def test_invalid_criterion_keeps_what_was_typed(client, db, organizer, edition):
    response = client.post(f"/manage/editions/{edition.id}/criteria", data={
        "name_ru": "Новизна", "name_en": "", "description_ru": "Насколько идея нова",
        "description_en": "", "max_score": "0", "weight": "",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="max_score-error"' in page and 'id="weight-error"' in page
    assert "Исправьте отмеченные поля" in page
    assert 'value="Новизна"' in page and "Насколько идея нова" in page
    assert "Новизна" not in names(db, Criterion, edition)


def test_edit_a_criterion(client, db, organizer, edition):
    criterion = edition.criteria[0]
    response = client.post(
        f"/manage/editions/{edition.id}/criteria/{criterion.id}/edit",
        data={"name_ru": "Актуальность", "name_en": "Relevance", "description_ru": "",
              "description_en": "", "max_score": "20", "weight": "1.5"},
    )
    assert response.status_code == 302
    db.session.refresh(criterion)
    assert (criterion.name_ru, criterion.max_score, criterion.weight) == (
        "Актуальность", 20, Decimal("1.50")
    )
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "criterion.updated"))
    assert entry.data["max_score"] == {"old": 10, "new": 20}


def test_maximum_cannot_drop_below_a_score_already_given(client, db, organizer, edition):
    application = factories.make_application(edition)
    juror = factories.make_juror()
    factories.make_sheet(factories.assign(application, juror), [9, 4])
    db.session.commit()
    criterion = edition.criteria[0]
    response = client.post(
        f"/manage/editions/{edition.id}/criteria/{criterion.id}/edit",
        data={"name_ru": criterion.name_ru, "name_en": "", "description_ru": "",
              "description_en": "", "max_score": "5", "weight": "1"},
    )
    assert response.status_code == 200
    assert "уже ставили по этому критерию оценки до 9" in response.get_data(as_text=True)
    db.session.refresh(criterion)
    assert criterion.max_score == 10


def test_reorder_moves_one_place(client, db, organizer, edition):
    second = edition.nominations[1]
    url = f"/manage/editions/{edition.id}/nominations/{second.id}/move"
    client.post(url, data={"direction": "up"})
    assert names(db, Nomination, edition) == ["Номинация 2", "Номинация 1"]
    client.post(url, data={"direction": "up"})  # already first: nothing changes
    assert names(db, Nomination, edition) == ["Номинация 2", "Номинация 1"]
    client.post(url, data={"direction": "down"})
    assert names(db, Nomination, edition) == ["Номинация 1", "Номинация 2"]


def test_archive_and_restore(client, db, organizer, edition):
    nomination = edition.nominations[0]
    url = f"/manage/editions/{edition.id}/nominations/{nomination.id}/archive"
    page = client.post(url, data={"archive": "1"}, follow_redirects=True).get_data(as_text=True)
    assert "Отправлено в архив: «Номинация 1»." in page
    db.session.refresh(nomination)
    assert nomination.archived_at is not None
    client.post(url, data={"archive": "0"})
    db.session.refresh(nomination)
    assert nomination.archived_at is None


def test_unused_items_can_be_deleted(client, db, organizer, edition):
    criterion = edition.criteria[0]
    response = client.post(f"/manage/editions/{edition.id}/criteria/{criterion.id}/delete")
    assert response.status_code == 302
    assert names(db, Criterion, edition) == ["Критерий 2"]
    assert db.session.scalar(db.select(Criterion.position).where(
        Criterion.edition_id == edition.id)) == 0


def test_a_nomination_with_applications_cannot_be_deleted(client, db, organizer, edition):
    nomination = edition.nominations[0]
    factories.make_application(edition, nomination=nomination,
                               state=factories.ApplicationState.DRAFT)
    db.session.commit()
    page = client.get(f"/manage/editions/{edition.id}/nominations").get_data(as_text=True)
    assert f"/nominations/{nomination.id}/delete" not in page  # no button offered
    response = client.post(
        f"/manage/editions/{edition.id}/nominations/{nomination.id}/delete",
        follow_redirects=True,
    )
    assert "Уже используется (1), поэтому удалить нельзя." in response.get_data(as_text=True)
    assert "Номинация 1" in names(db, Nomination, edition)


def test_a_scored_criterion_cannot_be_deleted(client, db, organizer, edition):
    application = factories.make_application(edition)
    factories.make_sheet(factories.assign(application, factories.make_juror()))
    db.session.commit()
    criterion = edition.criteria[1]
    client.post(f"/manage/editions/{edition.id}/criteria/{criterion.id}/delete")
    assert names(db, Criterion, edition) == ["Критерий 1", "Критерий 2"]


def test_items_of_another_edition_are_404(client, db, organizer, edition):
    other = factories.make_edition(ordinal=5)
    db.session.commit()
    nomination = other.nominations[0]
    assert client.get(
        f"/manage/editions/{edition.id}/nominations/{nomination.id}/edit"
    ).status_code == 404
    assert client.post(
        f"/manage/editions/{edition.id}/nominations/{nomination.id}/delete"
    ).status_code == 404
    assert client.get(f"/manage/editions/{edition.id}/other/1/edit").status_code == 404


def test_copy_nominations_and_criteria_from_a_past_edition(client, db, organizer):
    past = factories.make_edition(ordinal=2, nominations=3, criteria=2)
    past.nominations[2].archived_at = utcnow()
    past.criteria[0].description_ru = "Как оценивать"
    target = factories.make_edition(ordinal=3, nominations=1, criteria=0)  # has «Номинация 1»
    db.session.commit()
    url = f"/manage/editions/{target.id}/copy-structure"
    page = client.post(url, data={"copy-source": str(past.id), "back": "criteria"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Скопировано из конкурса II: номинаций — 1, критериев — 2." in page
    assert names(db, Nomination, target) == ["Номинация 1", "Номинация 2"]
    assert names(db, Criterion, target) == ["Критерий 1", "Критерий 2"]
    copied = db.session.scalar(db.select(Criterion).where(Criterion.edition_id == target.id))
    assert (copied.description_ru, copied.max_score) == ("Как оценивать", 10)
    # A second click duplicates nothing.
    client.post(url, data={"copy-source": str(past.id)})
    assert len(names(db, Criterion, target)) == 2


def test_copy_without_a_source_explains(client, db, organizer, edition):
    page = client.post(f"/manage/editions/{edition.id}/copy-structure", data={},
                       follow_redirects=True).get_data(as_text=True)
    assert "Выберите конкурс, из которого копировать." in page
