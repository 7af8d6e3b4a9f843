"""The applicant's journey in views: start, sections, validation, submission, status, withdrawal."""

import io
import re
from datetime import timedelta

import pytest

from pdcompetition.models import (
    ApplicationState,
    ApplicationStatusChange,
    AuditEntry,
    Role,
)

from . import factories

PERSON = {
    "full_name": "Анна Сергеевна Петрова", "birth_date": "1990-05-17", "citizenship": "RU",
    "email": "anna@example.org", "phone": "+7 912 345-67-89",
}
ORGANIZATION = {
    "organization": "АНО «Мост дружбы»", "organization_role": "Директор",
    "organization_ogrn": factories.VALID_OGRN, "organization_inn": factories.VALID_INN,
}
GEOGRAPHY = {"country_code": "RU", "region_code": "RU-PER", "city": "Пермь"}
PROJECT = {
    "project_title": "Клуб международной переписки «Письмо другу»",
    "project_description": factories.RUSSIAN_TEXT,
    "project_goals": "Укрепить доверие между народами через личную переписку школьников.",
    "project_results": "За два года: 48 встреч, 3 200 участников из 12 стран.",
    "project_partners": "Школы Казахстана, Узбекистана и Сербии.",
    "project_links": "vk.com/pismo_drugu\nhttps://example.org/proekt",
}


@pytest.fixture
def edition(db):
    return factories.make_edition(ordinal=3)


@pytest.fixture
def applicant(db):
    return factories.make_user(Role.APPLICANT, full_name="Анна Петрова")


def page(response) -> str:
    return response.get_data(as_text=True)


def save(client, application, section, data, *, version=None, base=None, action="save"):
    """Post a section as the browser does: with the version and fingerprints it was shown at."""
    form = client.get(f"/applications/{application.id}/edit/{section}")
    assert form.status_code == 200
    html = page(form)
    shown_version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    shown_base = re.search(r'name="base" type="hidden" value="([^"]*)"', html).group(1)
    payload = {
        "version": version if version is not None else shown_version,
        "base": base if base is not None else shown_base.replace("&#34;", '"'),
        "action": action,
        **data,
    }
    return client.post(f"/applications/{application.id}/edit/{section}", data=payload)


def start(client):
    response = client.post("/applications/new")
    assert response.status_code == 302, page(response)
    return response


# Starting.

def test_home_shows_apply_button_only_while_open(client, db, edition):
    db.session.commit()
    assert "/applications/new" in page(client.get("/"))
    edition.applications_close_at = factories.now() - timedelta(minutes=1)
    db.session.commit()
    assert "/applications/new" not in page(client.get("/"))


def test_anonymous_apply_goes_to_login(client, edition, db):
    db.session.commit()
    response = client.get("/applications/new")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_start_creates_a_prefilled_draft(client, auth, db, edition, applicant):
    db.session.commit()
    auth.login(applicant)
    assert "Начать заполнение заявки" in page(client.get("/applications/new"))
    response = start(client)
    application = applicant_applications(db, applicant)[0]
    assert response.headers["Location"].endswith(f"/applications/{application.id}/edit/person")
    assert application.state == ApplicationState.DRAFT
    assert application.full_name == "Анна Петрова" and application.email == applicant.email
    assert application.number is None
    created = db.select(AuditEntry).where(AuditEntry.action == "application.created")
    assert db.session.scalar(created) is not None


def applicant_applications(db, user):
    from pdcompetition.models import Application

    db.session.expire_all()
    return list(db.session.scalars(db.select(Application).where(Application.owner_id == user.id)))


def test_second_start_leads_to_the_existing_application(client, auth, db, edition, applicant):
    draft = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    response = client.post("/applications/new")
    assert response.headers["Location"].endswith(f"/applications/{draft.id}")
    assert len(applicant_applications(db, applicant)) == 1


def test_after_withdrawal_a_new_application_may_be_started(client, auth, db, edition, applicant):
    factories.make_draft(edition, applicant, state=ApplicationState.WITHDRAWN)
    db.session.commit()
    auth.login(applicant)
    start(client)
    assert len(applicant_applications(db, applicant)) == 2


def test_one_per_nomination_allows_a_second_application(client, auth, db, applicant):
    edition = factories.make_edition(one_application_per_nomination=True, nominations=2)
    factories.make_application(edition, applicant, nomination=edition.nominations[0])
    db.session.commit()
    auth.login(applicant)
    start(client)
    mine = applicant_applications(db, applicant)
    assert len(mine) == 2
    draft = next(a for a in mine if a.state == ApplicationState.DRAFT)
    response = save(client, draft, "nomination", {"nomination_id": str(edition.nominations[0].id)})
    assert "У вас уже есть заявка в этой номинации" in page(response)
    save(client, draft, "nomination", {"nomination_id": str(edition.nominations[1].id)})
    db.session.refresh(draft)
    assert draft.nomination_id == edition.nominations[1].id
    # Two nominations, two applications: no third.
    response = client.post("/applications/new")
    assert response.status_code == 302 and len(applicant_applications(db, applicant)) == 2


def test_closed_edition_refuses_to_start(client, auth, db, applicant, frozen_time):
    edition = factories.make_edition(ordinal=3)
    db.session.commit()
    auth.login(applicant)
    frozen_time(edition.applications_close_at + timedelta(seconds=1))
    assert "Приём заявок закрыт" in page(client.get("/applications/new"))
    client.post("/applications/new")
    assert applicant_applications(db, applicant) == []


def test_a_juror_of_the_edition_cannot_apply(client, auth, db, edition):
    juror = factories.make_juror()
    factories.add_to_jury(edition, juror)
    db.session.commit()
    auth.login(juror)
    assert "Члены жюри этого конкурса не могут" in page(client.get("/applications/new"))
    client.post("/applications/new")
    assert applicant_applications(db, juror) == []


def test_unconfirmed_email_cannot_apply(client, db, edition):
    user = factories.make_user(confirmed=False)
    db.session.commit()
    with client.session_transaction() as session:  # signed in before confirming (e.g. old session)
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    response = client.get("/applications/new")
    assert response.status_code == 403
    assert "Подтвердите адрес электронной почты" in page(response)


# Sections: drafts save with anything empty, the format is checked at once.

def test_draft_saves_with_required_fields_empty(client, auth, db, edition, applicant):
    db.session.commit()
    auth.login(applicant)
    start(client)
    application = applicant_applications(db, applicant)[0]
    response = save(client, application, "person", {"full_name": "", "phone": "+7 912 345-67-89"})
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.full_name == "" and application.phone == "+7 912 345-67-89"
    assert application.version == 2


def test_save_and_continue_goes_to_the_next_section(client, auth, db, edition, applicant):
    application = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    response = save(client, application, "person", PERSON, action="next")
    assert response.headers["Location"].endswith(f"/{application.id}/edit/organization")
    response = save(client, application, "project", PROJECT, action="next")
    assert response.headers["Location"].endswith(f"/applications/{application.id}/documents")


def test_all_sections_round_trip(client, auth, db, edition, applicant):
    application = factories.make_draft(
        edition, applicant, full_name="", organization="", project_title="", country_code=""
    )
    db.session.commit()
    auth.login(applicant)
    for section, data in [("person", PERSON), ("organization", ORGANIZATION),
                          ("geography", GEOGRAPHY), ("project", PROJECT),
                          ("nomination", {"nomination_id": str(edition.nominations[1].id)})]:
        assert save(client, application, section, data).status_code == 302, section
    db.session.refresh(application)
    assert application.full_name == PERSON["full_name"]
    assert application.birth_date.isoformat() == "1990-05-17"
    assert application.region_code == "RU-PER"
    assert application.nomination_id == edition.nominations[1].id
    assert application.project_links == "https://vk.com/pismo_drugu\nhttps://example.org/proekt"
    html = page(client.get(f"/applications/{application.id}/edit/person"))
    assert 'value="Анна Сергеевна Петрова"' in html and 'value="1990-05-17"' in html


BAD_VALUES = [
    ("person", "birth_date", "17/05/1990x", "Неверное значение даты"),
    ("person", "birth_date", "2099-01-01", "Дата рождения не может быть в будущем"),
    ("person", "birth_date", "1890-01-01", "Проверьте дату рождения"),
    ("person", "citizenship", "XX", "Выберите страну из списка"),
    ("person", "email", "anna-at-example", "Введите адрес вида name@example.org"),
    ("person", "phone", "позвоните мне", "Укажите телефон с кодом страны"),
    ("person", "phone", "12345", "Укажите телефон с кодом страны"),
    ("person", "full_name", "А" * 201, "Не более 200 символов"),
    ("organization", "organization", "О" * 301, "Не более 300 символов"),
    ("organization", "organization_role", "Р" * 201, "Не более 200 символов"),
    ("organization", "organization_ogrn", "102770013219", "ОГРН состоит из 13 цифр"),
    ("organization", "organization_ogrn", "1027700132194", "неверная контрольная цифра"),
    ("organization", "organization_inn", "77070838", "ИНН состоит из 10 цифр"),
    ("organization", "organization_inn", "7707083894", "неверная контрольная цифра"),
    ("geography", "country_code", "ZZ", "Выберите страну из списка"),
    ("geography", "region_code", "RU-XXX", "Выберите регион из списка"),
    ("geography", "city", "Г" * 121, "Не более 120 символов"),
    ("nomination", "nomination_id", "99999", "Выберите одну из номинаций"),
    ("project", "project_title", "П" * 301, "Не более 300 символов"),
    ("project", "project_description", "О" * 6001, "Не более 6000 символов"),
    ("project", "project_goals", "Ц" * 3001, "Не более 3000 символов"),
    ("project", "project_results", "Р" * 3001, "Не более 3000 символов"),
    ("project", "project_partners", "П" * 2001, "Не более 2000 символов"),
    ("project", "project_links", "не ссылка вовсе", "не веб-адрес"),
]


@pytest.mark.parametrize(("section", "field", "value", "message"), BAD_VALUES)
def test_field_validation_keeps_what_was_typed(
    client, auth, db, edition, applicant, section, field, value, message
):
    application = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    data = {"person": PERSON, "organization": ORGANIZATION, "geography": GEOGRAPHY,
            "project": PROJECT, "nomination": {}}[section]
    data = {**data, field: value}
    response = save(client, application, section, data)
    html = page(response)
    assert response.status_code == 200
    assert message in html
    assert f'id="{field}-error"' in html or 'class="error" role="alert"' in html
    if field not in ("citizenship", "country_code", "region_code", "nomination_id"):
        assert value[:40] in html  # the typed text is still in the field
    # The valid fields of the section were saved; the invalid one was not.
    db.session.refresh(application)
    assert getattr(application, field) != value
    other = next((name for name in data if name != field), None)
    if other and other not in ("birth_date", "nomination_id"):
        assert getattr(application, other) == data[other].replace("vk.com", "https://vk.com")


def test_region_is_cleared_for_another_country(client, auth, db, edition, applicant):
    application = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    save(client, application, "geography", {"country_code": "KZ", "region_code": "RU-PER",
                                            "city": "Алматы"})
    db.session.refresh(application)
    assert (application.country_code, application.region_code) == ("KZ", "")


def test_field_limits_are_shown_before_they_are_reached(client, auth, db, edition, applicant):
    application = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    html = page(client.get(f"/applications/{application.id}/edit/project"))
    assert 'maxlength="6000"' in html and "До 6000 символов" in html
    assert 'maxlength="300"' in html


def test_check_mode_marks_missing_fields(client, auth, db, edition, applicant):
    application = factories.make_draft(edition, applicant, phone="", region_code="")
    db.session.commit()
    auth.login(applicant)
    html = page(client.get(f"/applications/{application.id}/edit/person?check=1"))
    assert 'id="phone-error"' in html and "Нужно для подачи заявки" in html


# Progress.

def test_overview_shows_progress(client, auth, db, edition, applicant):
    application = factories.make_draft(edition, applicant, phone="", project_goals="")
    db.session.commit()
    auth.login(applicant)
    html = page(client.get(f"/applications/{application.id}"))
    assert '<progress value="3" max="5"' in html
    assert "3 из 5 разделов заполнены" in html


# Submission.

def submit(client, application, consent=True, version=None):
    html = page(client.get(f"/applications/{application.id}/submit"))
    shown = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    data = {"version": version if version is not None else shown}
    if consent:
        data["consent"] = "y"
    return client.post(f"/applications/{application.id}/submit", data=data)


def test_submit_assigns_a_number_history_audit_and_mail(client, auth, db, edition, applicant,
                                                        outbox):
    application = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    response = submit(client, application)
    assert response.headers["Location"].endswith(f"/applications/{application.id}/submitted")
    db.session.refresh(application)
    assert application.state == ApplicationState.SUBMITTED
    assert application.number == 1 and application.display_number == "III-0001"
    assert application.consent_given_at is not None
    assert [h.state for h in application.history] == [ApplicationState.SUBMITTED]
    assert db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "application.submitted")
    ).data == {"number": "III-0001"}
    mails = [m for m in outbox() if m.template == "application_submitted"]
    assert len(mails) == 1
    assert mails[0].to_email == applicant.email
    assert "III-0001" in mails[0].subject and "III-0001" in mails[0].body_text
    confirmation = page(client.get(response.headers["Location"]))
    assert "III-0001" in confirmation and "Ваша заявка подана" in confirmation


def test_submission_mail_in_the_recipients_language(client, auth, db, edition, outbox):
    user = factories.make_user(locale="en")
    application = factories.make_draft(edition, user)
    db.session.commit()
    auth.login(user)
    submit(client, application)
    mail = next(m for m in outbox() if m.template == "application_submitted")
    assert mail.locale == "en" and mail.subject == "Application III-0001 submitted"


def test_numbers_are_sequential_within_an_edition(client, auth, db, edition):
    first, second = factories.make_user(), factories.make_user()
    a = factories.make_draft(edition, first)
    b = factories.make_draft(edition, second)
    db.session.commit()
    auth.login(first)
    submit(client, a)
    auth.logout()
    auth.login(second)
    submit(client, b)
    db.session.refresh(a)
    db.session.refresh(b)
    assert (a.number, b.number) == (1, 2)


def test_double_submit_makes_one_submission(client, auth, db, edition, applicant, outbox):
    application = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    html = page(client.get(f"/applications/{application.id}/submit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    first = client.post(f"/applications/{application.id}/submit",
                        data={"version": version, "consent": "y"})
    second = client.post(f"/applications/{application.id}/submit",
                         data={"version": version, "consent": "y"})
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith("/submitted")
    db.session.expire_all()
    changes = db.session.scalars(db.select(ApplicationStatusChange)).all()
    assert len(changes) == 1
    assert len([m for m in outbox() if m.template == "application_submitted"]) == 1


def test_submit_needs_consent(client, auth, db, edition, applicant):
    application = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    response = submit(client, application, consent=False)
    assert response.status_code == 422
    assert "дайте согласие на обработку персональных данных" in page(response)
    db.session.refresh(application)
    assert application.state == ApplicationState.DRAFT


def test_incomplete_application_lists_what_is_missing(client, auth, db, edition, applicant):
    application = factories.make_draft(edition, applicant, phone="", organization_inn="")
    db.session.commit()
    auth.login(applicant)
    html = page(client.get(f"/applications/{application.id}/submit"))
    assert "Телефон" in html and "ИНН" in html and "check=1#phone" in html
    response = submit(client, application)
    assert response.status_code == 422
    db.session.refresh(application)
    assert application.state == ApplicationState.DRAFT and application.number is None


def test_foreign_ngo_needs_no_ogrn(client, auth, db, edition, applicant):
    application = factories.make_draft(edition, applicant, country_code="UZ", region_code="",
                                       organization_ogrn="", organization_inn="")
    db.session.commit()
    auth.login(applicant)
    assert submit(client, application).status_code == 302


def test_description_must_be_in_russian(client, auth, db, edition, applicant):
    english = "We bring together young people from Russia and Central Asia through letters."
    application = factories.make_draft(edition, applicant, project_description=english)
    db.session.commit()
    auth.login(applicant)
    response = submit(client, application)
    assert response.status_code == 422
    assert "Напишите это по-русски" in page(response)
    section = page(client.get(f"/applications/{application.id}/edit/project"))
    assert "Напишите это по-русски" in section  # the note next to the field
    db.session.refresh(application)
    assert application.state == ApplicationState.DRAFT


def test_nothing_is_submitted_after_the_deadline(client, auth, db, applicant, frozen_time):
    edition = factories.make_edition(ordinal=3)
    application = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    html = page(client.get(f"/applications/{application.id}/submit"))
    frozen_time(edition.applications_close_at)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    response = client.post(f"/applications/{application.id}/submit",
                           data={"version": version, "consent": "y"})
    assert "Срок прошёл" in page(response)
    response = client.post(f"/applications/{application.id}/edit/person",
                           data={**PERSON, "version": version, "base": ""})
    assert response.status_code == 409
    assert PERSON["full_name"] in page(response)  # shown so it can be copied
    db.session.refresh(application)
    assert application.state == ApplicationState.DRAFT
    assert application.full_name != PERSON["full_name"]


def test_duplicate_submission_in_the_edition_is_refused(client, auth, db, edition, applicant):
    factories.make_application(edition, applicant)  # already submitted
    second = factories.make_draft(edition, applicant)  # e.g. started in a race
    db.session.commit()
    auth.login(applicant)
    response = submit(client, second)
    assert response.status_code == 422
    assert "Вы уже подали заявку" in page(response)


def test_submitted_application_is_read_only(client, auth, db, edition, applicant):
    application = factories.make_application(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    response = client.get(f"/applications/{application.id}/edit/person")
    assert response.status_code == 302
    response = client.post(f"/applications/{application.id}/edit/person",
                           data={**PERSON, "version": str(application.version)})
    assert response.status_code == 409
    db.session.refresh(application)
    assert application.full_name != PERSON["full_name"]
    response = client.post(f"/applications/{application.id}/documents",
                           data={"document": (io.BytesIO(factories.pdf_bytes()), "a.pdf")})
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.attachments == []


# Returned for changes.

def test_returned_application_is_resubmitted_before_its_deadline(
    client, auth, db, applicant, frozen_time, outbox
):
    edition = factories.make_edition(ordinal=3)
    application = factories.make_draft(edition, applicant)
    application.state = ApplicationState.RETURNED
    application.number = 7
    application.decision_comment = "Уточните результаты в цифрах."
    application.changes_due_at = edition.applications_close_at + timedelta(days=5)
    application.history.append(ApplicationStatusChange(
        state=ApplicationState.RETURNED, comment="Уточните результаты в цифрах."
    ))
    db.session.commit()
    auth.login(applicant)
    frozen_time(edition.applications_close_at + timedelta(days=1))  # the edition is closed
    html = page(client.get(f"/applications/{application.id}"))
    assert "Уточните результаты в цифрах." in html and "Внесите изменения" in html
    save(client, application, "project", {**PROJECT, "project_results": "60 встреч, 15 стран."})
    response = submit(client, application)
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.state == ApplicationState.SUBMITTED and application.number == 7
    assert application.history[-1].kind == "resubmitted"
    mail = next(m for m in outbox() if m.template == "application_submitted")
    assert "повторно" in mail.subject
    frozen_time(application.changes_due_at + timedelta(days=1))
    history = page(client.get(f"/applications/{application.id}"))
    assert "Подана повторно после изменений" in history


def test_returned_application_is_locked_after_its_deadline(client, auth, db, applicant,
                                                            frozen_time):
    edition = factories.make_edition(ordinal=3)
    application = factories.make_draft(edition, applicant, state=ApplicationState.RETURNED)
    application.changes_due_at = factories.now() + timedelta(days=1)
    db.session.commit()
    auth.login(applicant)
    frozen_time(application.changes_due_at + timedelta(seconds=1))
    assert "Срок для изменений прошёл" in page(client.get(f"/applications/{application.id}"))
    response = client.post(f"/applications/{application.id}/submit",
                           data={"version": str(application.version), "consent": "y"})
    assert "Срок прошёл" in page(response)
    db.session.refresh(application)
    assert application.state == ApplicationState.RETURNED


# Status page.

def test_status_page_shows_the_history(client, auth, db, edition, applicant):
    application = factories.make_application(edition, applicant, state=ApplicationState.REJECTED)
    at = factories.now()
    application.history.extend([
        ApplicationStatusChange(state=ApplicationState.SUBMITTED, at=at - timedelta(days=3)),
        ApplicationStatusChange(state=ApplicationState.ACCEPTED, at=at - timedelta(days=2)),
        ApplicationStatusChange(state=ApplicationState.ACCEPTED, kind="jury_review",
                                at=at - timedelta(days=1)),
        ApplicationStatusChange(state=ApplicationState.REJECTED, at=at,
                                comment="Организация не является некоммерческой."),
    ])
    db.session.commit()
    auth.login(applicant)
    html = page(client.get(f"/applications/{application.id}"))
    for text in ("Подана", "Допущена к жюри", "На рассмотрении жюри", "Отклонена",
                 "Причина:", "Организация не является некоммерческой."):
        assert text in html, text


# Withdrawal.

def test_withdraw_with_confirmation(client, auth, db, edition, applicant, outbox):
    application = factories.make_application(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    html = page(client.get(f"/applications/{application.id}/withdraw"))
    assert "Да, отозвать заявку" in html
    db.session.refresh(application)
    assert application.state == ApplicationState.SUBMITTED  # nothing happens on GET
    response = client.post(f"/applications/{application.id}/withdraw")
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.state == ApplicationState.WITHDRAWN
    assert application.history[-1].state == ApplicationState.WITHDRAWN
    assert any(m.template == "application_withdrawn" for m in outbox())


def test_no_withdrawal_once_the_jury_started(client, auth, db, edition, applicant):
    application = factories.make_application(edition, applicant, state=ApplicationState.ACCEPTED)
    factories.assign(application, factories.make_juror())
    db.session.commit()
    auth.login(applicant)
    assert "Отозвать заявку" not in page(client.get(f"/applications/{application.id}"))
    response = client.post(f"/applications/{application.id}/withdraw")
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.state == ApplicationState.ACCEPTED


# My applications.

def test_my_applications_lists_every_edition(client, auth, db, applicant):
    old = factories.make_edition(ordinal=1, status=factories.EditionStatus.ARCHIVED)
    current = factories.make_edition(ordinal=3)
    factories.make_application(old, applicant, project_title="Старый проект")
    factories.make_draft(current, applicant, project_title="Новый проект")
    factories.make_application(current, project_title="Чужой проект")
    db.session.commit()
    auth.login(applicant)
    html = page(client.get("/applications/"))
    assert "Старый проект" in html and "Новый проект" in html
    assert "Чужой проект" not in html
    assert html.index("Новый проект") < html.index("Старый проект")


def test_my_applications_query_count_does_not_grow(client, auth, db, applicant):
    import sqlalchemy as sa

    editions = [factories.make_edition(ordinal=10 + i) for i in range(4)]
    for edition in editions[:1]:
        factories.make_application(edition, applicant)
    db.session.commit()
    auth.login(applicant)

    def count_queries():
        statements = []

        def listener(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", listener)
        client.get("/applications/")
        sa.event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    few = count_queries()
    for edition in editions[1:]:
        factories.make_application(edition, applicant)
    db.session.commit()
    assert count_queries() == few


def test_nav_has_my_applications_when_signed_in(client, auth, db, applicant):
    db.session.commit()
    assert "Мои заявки" not in page(client.get("/"))
    auth.login(applicant)
    assert "Мои заявки" in page(client.get("/"))


def test_demo_applications_follow_the_applicant_rules(app, db):
    from pdcompetition.demo import seed_demo
    from pdcompetition.domain.application_content import submission_problems
    from pdcompetition.domain.eligibility import blocking_application
    from pdcompetition.models import Application

    with app.test_request_context():
        seed_demo()
        db.session.commit()
    applications = db.session.scalars(db.select(Application)).all()
    assert applications
    for application in applications:
        assert submission_problems(application) == [], application.project_title
        others = [a for a in applications if a.owner_id == application.owner_id
                  and a.edition_id == application.edition_id]
        assert blocking_application(application, others) is None
        if application.state != ApplicationState.DRAFT:
            assert application.number is not None and application.consent_given_at is not None


def test_pages_in_english_for_an_english_speaker(client, auth, db, edition):
    user = factories.make_user(locale="en")
    application = factories.make_draft(edition, user, phone="")
    db.session.commit()
    auth.login(user)
    html = page(client.get(f"/applications/{application.id}/edit/person?check=1"))
    assert "Date of birth" in html and "Save and continue" in html
    assert "Required for submission." in html
    html = page(client.get(f"/applications/{application.id}"))
    assert "4 of 5 sections complete" in html


def test_withdrawing_a_draft_frees_the_place_without_a_mail(client, auth, db, edition, applicant,
                                                            outbox):
    draft = factories.make_draft(edition, applicant)
    db.session.commit()
    auth.login(applicant)
    assert client.post(f"/applications/{draft.id}/withdraw").status_code == 302
    db.session.refresh(draft)
    assert draft.state == ApplicationState.WITHDRAWN
    assert not [m for m in outbox() if m.template == "application_withdrawn"]
    start(client)
    assert len(applicant_applications(db, applicant)) == 2
