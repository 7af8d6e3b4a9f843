"""Nothing typed is lost: two tabs, an ended session, an expired form, concurrent submissions."""

import re
import threading
import time

import pytest

from pdcompetition.extensions import db as _db
from pdcompetition.models import (
    Application,
    ApplicationState,
    ApplicationStatusChange,
    OutboxMessage,
    Role,
    User,
)
from pdcompetition.models.users import new_session_nonce

from . import factories


@pytest.fixture
def draft(db):
    edition = factories.make_edition(ordinal=3)
    application = factories.make_draft(edition, factories.make_user(Role.APPLICANT))
    db.session.commit()
    return application


def page(response) -> str:
    return response.get_data(as_text=True)


def shown_form(client, application, section):
    """The hidden fields of a section as a tab shows them."""
    html = page(client.get(f"/applications/{application.id}/edit/{section}"))
    return {
        "version": re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1),
        "base": re.search(r'name="base" type="hidden" value="([^"]*)"', html).group(1),
    }


def stored(db, application) -> Application:
    db.session.expire_all()
    return db.session.get(Application, application.id)


def person(application, **changes):
    data = {
        "full_name": application.full_name, "birth_date": application.birth_date.isoformat(),
        "citizenship": application.citizenship, "email": application.email,
        "phone": application.phone,
    }
    data.update(changes)
    return data


# Two tabs or devices with the same section.

def test_two_tabs_changing_different_fields_both_win(client, auth, db, draft):
    auth.login(draft.owner)
    tab_a = shown_form(client, draft, "person")
    tab_b = dict(tab_a)
    snapshot = person(draft)
    response = client.post(f"/applications/{draft.id}/edit/person",
                           data={**snapshot, **tab_a, "full_name": "Анна Иванова"})
    assert response.status_code == 302
    response = client.post(f"/applications/{draft.id}/edit/person",
                           data={**snapshot, **tab_b, "phone": "+7 999 111-22-33"})
    assert response.status_code == 302
    application = stored(db, draft)
    assert (application.full_name, application.phone) == ("Анна Иванова", "+7 999 111-22-33")
    follow = page(client.get(response.headers["Location"]))
    assert "Изменения других полей, сделанные тем временем в другом окне, тоже сохранены" in follow


def test_same_field_in_two_tabs_is_never_silently_overwritten(client, auth, db, draft):
    auth.login(draft.owner)
    tab_a = shown_form(client, draft, "project")
    tab_b = dict(tab_a)
    fields = {name: getattr(draft, name) for name in (
        "project_title", "project_description", "project_goals", "project_results",
        "project_partners", "project_links")}
    first = "Текст, сохранённый в первой вкладке: встречи школьников."
    second = "Текст из второй вкладки: переписка и обмены делегациями."
    client.post(f"/applications/{draft.id}/edit/project",
                data={**fields, **tab_a, "project_description": first})
    response = client.post(f"/applications/{draft.id}/edit/project",
                           data={**fields, **tab_b, "project_description": second,
                                 "project_goals": "Новые цели второй вкладки."})
    html = page(response)
    assert response.status_code == 200
    assert "Этот раздел изменили и в другом окне" in html
    assert first in html  # the other version, shown under the field
    assert second in html  # this tab's text, still in the field
    application = stored(db, draft)
    assert application.project_description == first  # not overwritten
    assert application.project_goals == "Новые цели второй вкладки."  # no clash: saved
    # Saving again from the re-shown form is a deliberate choice: it goes in.
    again = {
        "version": re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1),
        "base": re.search(r'name="base" type="hidden" value="([^"]*)"', html).group(1),
    }
    response = client.post(f"/applications/{draft.id}/edit/project",
                           data={**fields, **again, "project_description": second,
                                 "project_goals": "Новые цели второй вкладки."})
    assert response.status_code == 302
    assert stored(db, draft).project_description == second


def test_stale_save_without_fingerprints_keeps_the_stored_text(client, auth, db, draft):
    auth.login(draft.owner)
    client.post(f"/applications/{draft.id}/edit/person",
                data={**person(draft), **shown_form(client, draft, "person"), "city": "x",
                      "full_name": "Новое имя"})
    response = client.post(f"/applications/{draft.id}/edit/person",
                           data={**person(draft), "version": "1", "base": "",
                                 "full_name": "Имя из старой вкладки"})
    assert response.status_code == 200
    assert stored(db, draft).full_name == "Новое имя"


def test_submit_from_a_stale_review_is_refused(client, auth, db, draft):
    auth.login(draft.owner)
    html = page(client.get(f"/applications/{draft.id}/submit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', html).group(1)
    client.post(f"/applications/{draft.id}/edit/person",
                data={**person(draft), **shown_form(client, draft, "person"), "phone": ""})
    response = client.post(f"/applications/{draft.id}/submit",
                           data={"version": version, "consent": "y"})
    assert response.status_code == 422
    assert "Заявку изменили в другом окне" in page(response)
    assert stored(db, draft).state == ApplicationState.DRAFT


# An ended session or an expired form.

def test_text_survives_an_ended_session(client, auth, db, draft):
    auth.login(draft.owner)
    hidden = shown_form(client, draft, "project")
    typed = "Длинное описание, которое человек печатал полчаса с телефона."
    auth.logout()  # e.g. logged out in another tab
    response = client.post(f"/applications/{draft.id}/edit/project",
                           data={**hidden, "project_description": typed,
                                 "project_title": draft.project_title})
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert "/auth/login" in login_url and "restore" in login_url
    assert stored(db, draft).project_description != typed
    login_page = page(client.get(login_url))
    assert "Сеанс завершился" in login_page
    response = client.post(login_url, data={"email": draft.owner.email,
                                            "password": factories.PASSWORD})
    assert response.status_code == 302
    html = page(client.get(response.headers["Location"]))
    assert typed in html
    assert "возвращён в форму" in html
    # Saving it stores the text; the kept copy is gone.
    restore = re.search(r'name="restore" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(f"/applications/{draft.id}/edit/project",
                           data={**hidden, "restore": restore, "project_description": typed,
                                 "project_title": draft.project_title})
    assert response.status_code == 302
    assert stored(db, draft).project_description == typed
    again = page(client.get(f"/applications/{draft.id}/edit/project?restore={restore}"))
    assert "возвращён в форму" not in again


def test_text_survives_a_password_change_on_another_device(client, auth, db, draft):
    auth.login(draft.owner)
    hidden = shown_form(client, draft, "person")
    user = db.session.get(User, draft.owner_id)
    user.session_nonce = new_session_nonce()  # every other session ends
    db.session.commit()
    response = client.post(f"/applications/{draft.id}/edit/person",
                           data={**person(draft), **hidden, "full_name": "Мария Петрова"})
    assert "/auth/login" in response.headers["Location"]
    next_url = response.headers["Location"]
    response = client.post(next_url, data={"email": draft.owner.email,
                                           "password": factories.PASSWORD})
    assert 'value="Мария Петрова"' in page(client.get(response.headers["Location"]))


def test_kept_text_is_not_given_to_someone_else(client, auth, db, app, draft):
    auth.login(draft.owner)
    hidden = shown_form(client, draft, "person")
    auth.logout()
    response = client.post(f"/applications/{draft.id}/edit/person",
                           data={**person(draft), **hidden, "full_name": "Секретное имя"})
    target = response.headers["Location"].split("next=")[1]
    from urllib.parse import unquote

    target = unquote(target)
    # Another person in the same browser: the application is not theirs.
    other = factories.make_user()
    db.session.commit()
    auth.login(other)
    assert client.get(target).status_code == 404
    auth.logout()
    # The owner in another browser (the token is not in that session): nothing is restored.
    other_browser = app.test_client()
    other_browser.post("/auth/login", data={"email": draft.owner.email,
                                            "password": factories.PASSWORD})
    assert "Секретное имя" not in page(other_browser.get(target))


def test_expired_form_token_keeps_the_text(client, auth, db, app, draft):
    auth.login(draft.owner)
    hidden = shown_form(client, draft, "person")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/applications/{draft.id}/edit/person",
                               data={**person(draft), **hidden, "csrf_token": "expired",
                                     "full_name": "Ольга Смирнова"})
        assert response.status_code == 302
        html = page(client.get(response.headers["Location"]))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert 'value="Ольга Смирнова"' in html and "Форма устарела" in html
    assert stored(db, draft).full_name != "Ольга Смирнова"


def test_expired_token_elsewhere_shows_the_error_page(client, auth, app, draft):
    auth.login(draft.owner)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/applications/{draft.id}/withdraw", data={})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert "Форма устарела" in page(response)


def test_a_foreign_site_cannot_plant_text(client, auth, db, draft):
    auth.login(draft.owner)
    hidden = shown_form(client, draft, "person")
    auth.logout()
    response = client.post(f"/applications/{draft.id}/edit/person",
                           data={**person(draft), **hidden, "full_name": "Подброшенный текст"},
                           headers={"Sec-Fetch-Site": "cross-site"})
    next_url = response.headers["Location"]
    response = client.post(next_url, data={"email": draft.owner.email,
                                           "password": factories.PASSWORD})
    assert "Подброшенный текст" not in page(client.get(response.headers["Location"]))


# Concurrent requests on PostgreSQL (SQLite serializes writers, so it has no such race).

def _logged_in_client(app, user):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email,
                                                "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def _post_together(app, clients_and_requests):
    barrier = threading.Barrier(len(clients_and_requests))
    responses = [None] * len(clients_and_requests)

    def run(index, client, url, data):
        with app.app_context():  # the test client tidies the session of the context it runs in
            barrier.wait(timeout=10)
            responses[index] = client.post(url, data=data)

    threads = [threading.Thread(target=run, args=(i, *item))
               for i, item in enumerate(clients_and_requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def test_double_submit_at_the_same_moment_on_postgresql(app, db, backend, draft):
    if backend != "postgresql":
        pytest.skip("concurrent transactions are tested on PostgreSQL")
    owner = db.session.get(User, draft.owner_id)
    first, second = _logged_in_client(app, owner), _logged_in_client(app, owner)
    url = f"/applications/{draft.id}/submit"
    data = {"version": str(draft.version), "consent": "y"}
    db.session.remove()
    responses = _post_together(app, [(first, url, data), (second, url, data)])
    assert [r.status_code for r in responses] == [302, 302]
    assert all(r.headers["Location"].endswith("/submitted") for r in responses)
    assert db.session.scalar(db.select(db.func.count(ApplicationStatusChange.id))) == 1
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(
        OutboxMessage.template == "application_submitted")) == 1
    assert db.session.get(Application, draft.id).number == 1


def test_two_saves_at_the_same_moment_merge_on_postgresql(app, db, backend, draft):
    if backend != "postgresql":
        pytest.skip("concurrent transactions are tested on PostgreSQL")
    owner = db.session.get(User, draft.owner_id)
    a, b = _logged_in_client(app, owner), _logged_in_client(app, owner)
    hidden = shown_form(a, draft, "person")
    base = person(draft)
    url = f"/applications/{draft.id}/edit/person"
    db.session.remove()
    responses = _post_together(app, [
        (a, url, {**base, **hidden, "full_name": "Имя из первой вкладки"}),
        (b, url, {**base, **hidden, "phone": "+7 999 000-11-22"}),
    ])
    assert [r.status_code for r in responses] == [302, 302]
    application = stored(db, draft)
    assert application.full_name == "Имя из первой вкладки"
    assert application.phone == "+7 999 000-11-22"
    assert application.version == 3


def test_numbers_stay_unique_when_two_submissions_race_on_postgresql(app, db, backend):
    """The second transaction picks the number the first one holds uncommitted; the unique
    constraint stops it and it retries with the next number."""
    if backend != "postgresql":
        pytest.skip("concurrent transactions are tested on PostgreSQL")
    from pdcompetition.applications import services

    edition = factories.make_edition(ordinal=3)
    ids = [factories.make_draft(edition).id for _ in range(2)]
    db.session.commit()
    db.session.remove()
    first_flushed = threading.Event()
    numbers = {}

    def assign(application_id, hold):
        with app.app_context():
            application = _db.session.get(Application, application_id)
            if hold:
                services.assign_number(application)
                first_flushed.set()
                time.sleep(0.5)  # the other transaction now waits on our uncommitted number
            else:
                first_flushed.wait(timeout=10)
                services.assign_number(application)
            _db.session.commit()
            numbers[application_id] = application.number
            _db.session.remove()

    threads = [threading.Thread(target=assign, args=(ids[0], True)),
               threading.Thread(target=assign, args=(ids[1], False))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(numbers.values()) == [1, 2]
