"""Screening: the filtered, sorted, paginated list and the organizers' decisions."""

import re
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from pdcompetition.models import (
    Application,
    ApplicationState,
    ApplicationStatusChange,
    Attachment,
    AuditEntry,
    Role,
    User,
)

from . import factories

S = ApplicationState
NOW = datetime(2025, 10, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def organizer(db, auth):
    user = factories.make_user(Role.ORGANIZER, full_name="Наталья Орлова")
    db.session.commit()
    auth.login(user)
    return user


@pytest.fixture
def edition(db):
    edition = factories.make_edition(ordinal=3)
    db.session.commit()
    return edition


@contextmanager
def count_queries(db):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def quick_user(db) -> User:
    """An applicant without a password hash to compute: lists need many distinct owners."""
    user = User(email=f"quick{uuid.uuid4().hex[:10]}@example.org", full_name="Заявитель",
                password_hash="!")
    db.session.add(user)
    return user


def listed(client, edition, **params):
    """The display numbers the list shows, in order."""
    page = client.get(f"/manage/editions/{edition.id}/applications", query_string=params)
    assert page.status_code == 200
    return re.findall(r'href="/manage/applications/\d+">([IVX]+-\d{4})</a>',
                      page.get_data(as_text=True))


def reload(db, application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


# The list


def test_list_shows_applications_but_not_drafts(client, db, organizer, edition):
    shown = factories.make_application(edition, full_name="Анна Петрова")
    draft = factories.make_application(edition, state=S.DRAFT, full_name="Черновик Черновиков")
    factories.make_application(factories.make_edition(ordinal=2), full_name="Другой Конкурс")
    db.session.commit()
    page = client.get(f"/manage/editions/{edition.id}/applications").get_data(as_text=True)
    assert "Анна Петрова" in page and shown.display_number in page
    assert "Черновик Черновиков" not in page and "Другой Конкурс" not in page
    assert client.get(f"/manage/applications/{draft.id}").status_code == 404


def test_filters_by_state_nomination_country_and_region(client, db, organizer, edition):
    first, second = edition.nominations
    perm = factories.make_application(edition, nomination=first, region_code="RU-PER")
    kazan = factories.make_application(edition, nomination=second, region_code="RU-TA",
                                       state=S.ACCEPTED)
    almaty = factories.make_application(edition, nomination=second, country_code="KZ",
                                        region_code="")
    db.session.commit()
    assert listed(client, edition, state="accepted") == [kazan.display_number]
    assert listed(client, edition, nomination=second.id) == [
        kazan.display_number, almaty.display_number]
    assert listed(client, edition, country="KZ") == [almaty.display_number]
    assert listed(client, edition, country="RU", region="RU-PER") == [perm.display_number]
    page = client.get(f"/manage/editions/{edition.id}/applications").get_data(as_text=True)
    # Only the countries and regions that occur are offered, by name.
    assert '<option value="KZ">Казахстан</option>' in page
    assert '<option value="RU-PER">Пермский край</option>' in page
    assert 'value="FR"' not in page


@pytest.mark.parametrize("query", ["петрова", "ПЕТРОВА", "мост дружбы", "ПИСЬМО другу", "Ёлк"])
def test_search_ignores_case_in_cyrillic(client, db, organizer, edition, query):
    found = factories.make_application(
        edition, full_name="Анна ПЕТРОВА", organization="АНО «Мост Дружбы»",
        project_title="Клуб «Письмо другу» и елка дружбы",
    )
    factories.make_application(edition, full_name="Иван Сидоров", organization="РОО «Союз»",
                               project_title="Другой проект")
    db.session.commit()
    assert listed(client, edition, q=query) == [found.display_number]


def test_search_treats_wildcards_literally(client, db, organizer, edition):
    factories.make_application(edition, project_title="Проект на 100 человек")
    db.session.commit()
    assert listed(client, edition, q="%") == []
    assert listed(client, edition, q="_") == []


def test_sorting_and_pagination(client, db, organizer, edition):
    owner = factories.make_user()  # one account: hashing 30 passwords would only slow it down
    for index, name in enumerate(["Борис", "Алла", "Вера"] * 10):
        factories.make_application(edition, owner=owner, full_name=f"{name} {index:02d}")
    db.session.commit()
    by_name = client.get(f"/manage/editions/{edition.id}/applications?sort=name").get_data(
        as_text=True)
    assert by_name.index("Алла 01") < by_name.index("Борис 00")
    everything = listed(client, edition, per_page=50)
    assert len(everything) == 30
    assert listed(client, edition, sort="-number", per_page=50) == everything[::-1]
    assert listed(client, edition) == everything[:25]
    assert listed(client, edition, page=2) == everything[25:]
    # Unknown values fall back to the defaults instead of failing.
    assert len(listed(client, edition, sort="drop table", per_page="9999", page="x")) == 25


def test_list_queries_do_not_grow_with_the_page(client, db, organizer, edition):
    countries = [("RU", "RU-PER"), ("KZ", ""), ("RU", "RU-TA"), ("UZ", ""), ("XA", "")]
    def add(n):
        for i in range(n):
            country, region = countries[i % len(countries)]
            factories.make_application(edition, owner=quick_user(db), country_code=country,
                                       region_code=region,
                                       nomination=edition.nominations[i % 2])
        db.session.commit()

    add(5)
    with count_queries(db) as five:
        assert len(listed(client, edition, per_page=100)) == 5
    add(45)
    with count_queries(db) as fifty:
        assert len(listed(client, edition, per_page=100)) == 50
    assert len(fifty) == len(five)


# One application


def test_application_page_shows_fields_attachments_and_history(client, db, organizer, edition):
    application = factories.make_application(
        edition, organization_inn="5902000001", project_goals="Цель: доверие между народами",
    )
    application.attachments.append(Attachment(
        original_name="устав.pdf", stored_name="abc123", content_type="application/pdf",
        size=2048, sha256="0" * 64,
    ))
    application.history.append(ApplicationStatusChange(
        state=S.SUBMITTED, actor_id=application.owner_id, at=NOW,
    ))
    db.session.commit()
    page = client.get(f"/manage/applications/{application.id}").get_data(as_text=True)
    for text in (application.full_name, "5902000001", "Цель: доверие между народами",
                 "устав.pdf", "Подана", "Пермский край", application.owner.email):
        assert text in page
    attachment_id = application.attachments[0].id
    assert f'href="/applications/attachments/{attachment_id}">устав.pdf</a>' in page
    assert "Принять" in page and "Вернуть на доработку" in page


def test_unknown_application_is_404(client, organizer):
    assert client.get("/manage/applications/12345").status_code == 404
    assert client.post("/manage/applications/12345/accept").status_code == 404


# Decisions


def test_accept_records_history_audit_and_mails_in_the_applicants_language(
    client, db, organizer, edition, outbox
):
    owner = factories.make_user(Role.APPLICANT, locale="en", full_name="John Smith")
    application = factories.make_application(edition, owner=owner)
    db.session.commit()
    response = client.post(f"/manage/applications/{application.id}/accept",
                           data={"accept-comment": "Добро пожаловать"})
    assert response.status_code == 302
    application = reload(db, application)
    assert application.state == S.ACCEPTED
    change = application.history[-1]
    assert (change.state, change.actor_id, change.comment) == (
        S.ACCEPTED, organizer.id, "Добро пожаловать")
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "application.accept"))
    assert entry.actor_id == organizer.id and entry.object_id == application.id
    assert entry.data["from"] == "submitted" and entry.at is not None
    [mail] = outbox()
    assert mail.to_email == owner.email and mail.locale == "en"
    assert mail.subject == f"Your application {application.display_number} has been accepted"
    assert "Добро пожаловать" in mail.body_text
    assert f"/applications/{application.id}" in mail.body_text  # where to follow it


def test_reject_needs_a_reason_and_keeps_the_page(client, db, organizer, edition, outbox):
    application = factories.make_application(edition)
    db.session.commit()
    response = client.post(f"/manage/applications/{application.id}/reject",
                           data={"reject-comment": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Укажите причину: заявитель её прочитает." in page
    assert 'id="reject-comment-error"' in page
    assert reload(db, application).state == S.SUBMITTED and outbox() == []

    client.post(f"/manage/applications/{application.id}/reject",
                data={"reject-comment": "Организация не является некоммерческой."})
    application = reload(db, application)
    assert application.state == S.REJECTED
    assert application.decision_comment == "Организация не является некоммерческой."
    [mail] = outbox()
    assert mail.locale == "ru" and mail.template == "application_rejected"
    assert "Организация не является некоммерческой." in mail.body_text


def test_return_for_changes_sets_the_moscow_deadline(client, db, auth, edition, outbox,
                                                     frozen_time):
    frozen_time(NOW)
    organizer = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    auth.login(organizer)
    edition.judging_close_at = NOW + timedelta(days=30)
    application = factories.make_application(edition)
    db.session.commit()
    url = f"/manage/applications/{application.id}/return"
    bad = client.post(url, data={"return-comment": "",
                                 "return-changes_due_at": "2025-10-01T12:00"})
    text = bad.get_data(as_text=True)
    assert "Напишите, что заявителю нужно исправить." in text
    assert "Срок должен быть в будущем." in text
    assert 'value="2025-10-01T12:00"' in text  # what was typed is kept

    client.post(url, data={"return-comment": "Уточните результаты в цифрах.",
                           "return-changes_due_at": "2025-10-17T23:59"})
    application = reload(db, application)
    assert application.state == S.RETURNED
    assert application.changes_due_at == datetime(2025, 10, 17, 20, 59, tzinfo=UTC)
    [mail] = outbox()
    assert mail.subject == f"Вашу заявку {application.display_number} нужно доработать"
    assert "Уточните результаты в цифрах." in mail.body_text
    assert "17 октября 2025" in mail.body_text


def test_a_decision_that_does_not_fit_the_state_changes_nothing(client, db, organizer, edition,
                                                                outbox):
    application = factories.make_application(edition, state=S.RETURNED)
    db.session.commit()
    page = client.post(f"/manage/applications/{application.id}/accept",
                       follow_redirects=True).get_data(as_text=True)
    assert "Это решение не подходит к статусу заявки (Возвращена на доработку)." in page
    assert reload(db, application).state == S.RETURNED and outbox() == []


def test_a_rejection_can_be_reversed(client, db, organizer, edition, outbox):
    application = factories.make_application(edition, state=S.REJECTED)
    db.session.commit()
    client.post(f"/manage/applications/{application.id}/reopen", data={"reopen-comment": ""})
    application = reload(db, application)
    assert application.state == S.SUBMITTED
    assert application.history[-1].kind == "reopened"
    assert outbox()[0].template == "application_reopened"


# Bulk decisions


def test_bulk_accept_skips_what_does_not_fit(client, db, organizer, edition, outbox):
    first = factories.make_application(edition)
    second = factories.make_application(edition)
    rejected = factories.make_application(edition, state=S.REJECTED)
    untouched = factories.make_application(edition)
    db.session.commit()
    response = client.post(
        f"/manage/editions/{edition.id}/applications?state=&sort=number",
        data={"bulk-decision": "accept", "bulk-comment": "",
              "bulk-selected": [first.id, second.id, rejected.id]},
    )
    assert response.status_code == 302
    assert "sort=number" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Решение применено к заявкам: 2." in page
    assert f"Пропущены, решение не подходит к их статусу: {rejected.display_number}." in page
    states = [reload(db, a).state for a in (first, second, rejected, untouched)]
    assert states == [S.ACCEPTED, S.ACCEPTED, S.REJECTED, S.SUBMITTED]
    assert len(outbox()) == 2
    assert db.session.scalar(db.select(db.func.count(AuditEntry.id)).where(
        AuditEntry.action == "application.accept")) == 2


def test_bulk_reject_without_a_reason_keeps_the_selection(client, db, organizer, edition):
    first = factories.make_application(edition)
    second = factories.make_application(edition)
    db.session.commit()
    response = client.post(f"/manage/editions/{edition.id}/applications",
                           data={"bulk-decision": "reject", "bulk-selected": [first.id]})
    page = response.get_data(as_text=True)
    assert "Укажите причину: заявитель её прочитает." in page
    assert re.search(rf'value="{first.id}" id="select-{first.id}" checked', page)
    assert not re.search(rf'value="{second.id}" id="select-{second.id}" checked', page)
    assert reload(db, first).state == S.SUBMITTED


def test_bulk_without_selection_or_decision_explains(client, db, organizer, edition):
    factories.make_application(edition)
    db.session.commit()
    url = f"/manage/editions/{edition.id}/applications"
    page = client.post(url, data={"bulk-decision": "accept"}, follow_redirects=True)
    assert "Сначала отметьте заявки." in page.get_data(as_text=True)
    page = client.post(url, data={"bulk-decision": "", "bulk-selected": ["1"]})
    assert "Выберите действие." in page.get_data(as_text=True)
    page = client.post(url, data={"bulk-decision": "accept", "bulk-selected": ["x"]})
    assert page.status_code == 200
