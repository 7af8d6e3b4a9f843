"""Events pages and registration: seats, waiting list, mails with a calendar file, concurrency."""

import threading
from datetime import timedelta

import pytest

from pdcompetition.models import EventRegistration, Partner, RegistrationStatus, Role

from . import factories
from .ics_parser import parse_ics


def statuses(db, event):
    rows = db.session.execute(
        db.select(EventRegistration.user_id, EventRegistration.status)
        .where(EventRegistration.event_id == event.id)
    ).all()
    return {user_id: status for user_id, status in rows}


@pytest.mark.parametrize(
    ("lang", "heading", "upcoming_title", "past_title"),
    [("ru", "События", "Круглый стол будущий", "Круглый стол прошедший"),
     ("en", "Events", "Future round table", "Past round table")],
)
def test_events_list_in_both_languages(client, db, lang, heading, upcoming_title, past_title):
    factories.make_event(title_ru="Круглый стол будущий", title_en="Future round table")
    factories.make_event(starts_in_days=-30, title_ru="Круглый стол прошедший",
                         title_en="Past round table")
    factories.make_event(title_ru="Скрытое событие", title_en="Hidden event", is_published=False)
    db.session.commit()
    page = client.get(f"/events?lang={lang}").get_data(as_text=True)
    assert f"<h1>{heading}</h1>" in page
    upcoming, past = page.split('<h2>' + ("Прошедшие события" if lang == "ru" else "Past events"))
    assert upcoming_title in upcoming and past_title not in upcoming
    assert past_title in past
    assert "Скрытое событие" not in page and "Hidden event" not in page


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_event_page_shows_details_speakers_and_partners(client, db, lang):
    partner = Partner(name_ru="Дом дружбы", name_en="House of Friendship", url="https://example.org")
    db.session.add(partner)
    event = factories.make_event(
        description_ru="Обсуждаем опыт НКО.", description_en="We discuss NGO experience.",
        speakers_ru="Модератор: Азамат Ибраимов\nЕлена Морозова",
        speakers_en="Moderator: Azamat Ibraimov\nElena Morozova",
        venue="Дом дружбы", partners=[partner], capacity=20,
    )
    db.session.commit()
    page = client.get(f"/events/{event.id}?lang={lang}").get_data(as_text=True)
    if lang == "ru":
        for text in ("Круглый стол", "Бишкек, Киргизия", "Обсуждаем опыт НКО.",
                     "<li>Модератор: Азамат Ибраимов</li>", "Дом дружбы", "Осталось 20 мест",
                     "Войти и зарегистрироваться", "МСК"):
            assert text in page, text
    else:
        for text in ("Round table", "Bishkek, Kyrgyzstan", "We discuss NGO experience.",
                     "<li>Moderator: Azamat Ibraimov</li>", "House of Friendship",
                     "20 seats left", "Log in to register", "MSK"):
            assert text in page, text
    assert f'href="/auth/login?next=/events/{event.id}"' in page


def test_unpublished_or_missing_event_is_not_found(client, db, auth):
    event = factories.make_event(is_published=False)
    applicant = factories.make_user()
    db.session.commit()
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get("/events/9999").status_code == 404
    auth.login(applicant)
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.post(f"/events/{event.id}/register").status_code == 404
    assert client.get(f"/events/{event.id}/calendar.ics").status_code == 404


def test_organizer_previews_an_unpublished_event(client, db, auth):
    event = factories.make_event(is_published=False, title_ru="Черновик события")
    organizer = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    auth.login(organizer)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Черновик события" in page and "Не опубликовано" in page


def test_registration_needs_an_account(client, db):
    event = factories.make_event()
    db.session.commit()
    response = client.post(f"/events/{event.id}/register")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
    assert statuses(db, event) == {}
    assert client.post(f"/events/{event.id}/cancel").status_code == 302


def test_register_sends_mail_with_calendar_in_users_language(client, db, auth, outbox):
    event = factories.make_event(title_ru="Круглый стол, Бишкек", title_en="Round table, Bishkek",
                                 description_en="Talks; then, tea.", venue="Hall 1")
    user = factories.make_user(locale="en", full_name="Marco Rossi")
    db.session.commit()
    auth.login(user)
    response = client.post(f"/events/{event.id}/register", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "You are registered. We have sent you a mail with a calendar file." in page
    assert "You are registered for this event." in page
    assert "Cancel my registration" in page
    assert statuses(db, event) == {user.id: RegistrationStatus.REGISTERED}

    (mail,) = outbox()
    assert mail.to_email == user.email
    assert mail.subject == "You are registered: Round table, Bishkek"
    assert mail.template == "event_registration"
    assert f"/events/{event.id}" in mail.body_text
    assert mail.attachment_type == "text/calendar"
    assert mail.attachment_name.endswith(".ics")
    (vevent,) = parse_ics(mail.attachment_data)["VEVENT"]
    assert vevent["SUMMARY"] == "Round table, Bishkek"
    assert vevent["DESCRIPTION"].startswith("Talks; then, tea.")
    assert vevent["LOCATION"] == "Hall 1, Bishkek, Kyrgyzstan"
    assert vevent["DTSTART"] == event.starts_at.strftime("%Y%m%dT%H%M%SZ")
    assert vevent["DTSTART"].endswith("Z") and vevent["DTEND"] > vevent["DTSTART"]
    assert vevent["UID"] == f"event-{event.id}@localhost"

    # A second click changes nothing and sends nothing.
    client.post(f"/events/{event.id}/register")
    assert len(outbox()) == 1


def test_calendar_download_matches_the_event(client, db):
    event = factories.make_event(ends_at=factories.now() + timedelta(days=10, hours=3))
    db.session.commit()
    response = client.get(f"/events/{event.id}/calendar.ics?lang=ru")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    (vevent,) = parse_ics(response.data)["VEVENT"]
    assert vevent["SUMMARY"] == event.title_ru
    assert vevent["DTEND"] == event.ends_at.strftime("%Y%m%dT%H%M%SZ")


def test_full_event_puts_people_on_the_waiting_list_and_promotes_on_cancel(
    client, db, auth, outbox
):
    event = factories.make_event(capacity=1, waitlist_enabled=True)
    first, second, third = (factories.make_user() for _ in range(3))
    db.session.commit()
    for user in (first, second, third):
        auth.login(user)
        client.post(f"/events/{event.id}/register")
        auth.logout()
    assert statuses(db, event) == {
        first.id: RegistrationStatus.REGISTERED,
        second.id: RegistrationStatus.WAITLISTED,
        third.id: RegistrationStatus.WAITLISTED,
    }
    assert [m.attachment_data is not None for m in outbox()] == [True, False, False]
    assert outbox()[1].subject.startswith("Вы в листе ожидания")

    auth.login(third)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "под номером 2" in page
    auth.logout()

    auth.login(first)
    page = client.post(f"/events/{event.id}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "Ваша регистрация отменена." in page
    assert statuses(db, event) == {
        first.id: RegistrationStatus.CANCELLED,
        second.id: RegistrationStatus.REGISTERED,
        third.id: RegistrationStatus.WAITLISTED,
    }
    promoted = outbox()[-1]
    assert promoted.to_email == second.email
    assert promoted.subject.startswith("Для вас освободилось место")
    assert parse_ics(promoted.attachment_data)["VEVENT"][0]["SUMMARY"] == event.title_ru

    # Registering again after cancelling puts one at the back of the line.
    client.post(f"/events/{event.id}/register")
    assert statuses(db, event)[first.id] == RegistrationStatus.WAITLISTED
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "под номером 2" in page


def test_full_event_without_waiting_list_refuses(client, db, auth):
    event = factories.make_event(capacity=1)
    first, second = factories.make_user(), factories.make_user()
    db.session.commit()
    auth.login(first)
    client.post(f"/events/{event.id}/register")
    auth.logout()
    auth.login(second)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "К сожалению, все места заняты." in page and "Зарегистрироваться</button>" not in page
    page = client.post(f"/events/{event.id}/register", follow_redirects=True).get_data(as_text=True)
    assert "К сожалению, все места заняты." in page
    assert second.id not in statuses(db, event)


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"registration_open": False}, "Регистрация на это событие закрыта."),
     ({"starts_in_days": -0.01}, "Событие уже началось, регистрация окончена.")],
)
def test_closed_or_started_event_refuses(client, db, auth, fields, message):
    event = factories.make_event(**fields)
    user = factories.make_user()
    db.session.commit()
    auth.login(user)
    page = client.post(f"/events/{event.id}/register", follow_redirects=True).get_data(as_text=True)
    assert message in page
    assert statuses(db, event) == {}


def test_concurrent_registrations_never_exceed_capacity(app, db, backend):
    """Twelve people press the button at the same moment for five seats (PostgreSQL)."""
    if backend != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter; SQLite has a single writer")
    event = factories.make_event(capacity=5, waitlist_enabled=True)
    users = [factories.make_user() for _ in range(12)]
    db.session.commit()
    event_id, credentials = event.id, [user.email for user in users]

    clients = []
    for email in credentials:
        client = app.test_client()
        client.post("/auth/login", data={"email": email, "password": factories.PASSWORD})
        clients.append(client)
    barrier = threading.Barrier(len(clients))
    codes, errors = [], []

    def press(client):
        try:
            with app.app_context():
                barrier.wait(timeout=10)
                codes.append(client.post(f"/events/{event_id}/register").status_code)
        except Exception as exc:  # reported below; a thread must not die silently
            errors.append(exc)

    threads = [threading.Thread(target=press, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and codes == [302] * len(clients)

    db.session.expire_all()
    counted = list(statuses(db, event).values())
    assert counted.count(RegistrationStatus.REGISTERED) == 5
    assert counted.count(RegistrationStatus.WAITLISTED) == 7
