"""Accounts: registration, confirmation, login, rate limits, password reset and change."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pdcompetition.auth import tokens
from pdcompetition.auth.passwords import password_problems
from pdcompetition.models import Role, User

from . import factories

STRONG = "дружба-народов-2024"


def register(client, email="anna@example.org", password=STRONG, **extra):
    data = {"full_name": "Анна Петрова", "email": email, "password": password,
            "confirm": password, "language": "ru", **extra}
    return client.post("/auth/register", data=data)


def link_from(message, path):
    return re.search(rf"http://localhost{path}\S+", message.body_text).group(0)


def test_register_creates_unconfirmed_applicant_and_mails_link(client, db, outbox):
    response = register(client, email="Anna@Example.ORG")
    assert response.status_code == 200
    assert "Проверьте почту" in response.get_data(as_text=True)
    user = db.session.scalar(db.select(User))
    assert user.email == "anna@example.org"
    assert user.roles == {Role.APPLICANT}
    assert user.email_confirmed_at is None
    assert user.password_hash != STRONG
    [mail] = outbox()
    assert mail.to_email == "anna@example.org"
    assert mail.subject == "Подтвердите адрес электронной почты"
    assert "/auth/confirm/" in mail.body_text


def test_register_mail_in_chosen_language(client, outbox):
    register(client, language="en")
    assert outbox()[0].subject == "Confirm your email address"


def test_register_existing_email_reveals_nothing(client, db, outbox):
    factories.make_user(email="taken@example.org")
    db.session.commit()
    response = register(client, email="TAKEN@example.org")
    assert response.status_code == 200
    assert "Проверьте почту" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
    [mail] = outbox()
    assert mail.template == "account_exists"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "не менее 10 символов"),
        ("12345678901", "Не используйте одни цифры"),
        ("qwertyuiop", "слишком распространён"),
        ("aaaaaaaaaaaa", "больше разных символов"),
    ],
)
def test_weak_password_refused_with_message_keeping_input(client, db, password, message):
    response = register(client, password=password)
    page = response.get_data(as_text=True)
    assert message in page
    assert 'value="anna@example.org"' in page and 'value="Анна Петрова"' in page
    assert db.session.scalar(db.select(User)) is None


def test_password_must_not_contain_email():
    assert password_problems("annapetrova-2024", "annapetrova@example.org")


def test_mismatched_confirmation(client):
    response = client.post("/auth/register", data={
        "full_name": "A", "email": "a@example.org", "password": STRONG,
        "confirm": STRONG + "x", "language": "ru"})
    assert "Пароли не совпадают" in response.get_data(as_text=True)


def test_confirm_then_login(client, db, outbox):
    register(client)
    link = link_from(outbox()[0], "/auth/confirm/")
    response = client.get(link)
    assert response.status_code == 302
    assert db.session.scalar(db.select(User)).email_confirmed_at is not None
    response = client.post("/auth/login", data={"email": "ANNA@example.org", "password": STRONG})
    assert response.status_code == 302
    assert "Анна Петрова" in client.get("/").get_data(as_text=True)


def test_bad_confirmation_link(client):
    response = client.get("/auth/confirm/not-a-token", follow_redirects=True)
    assert "недействительна или устарела" in response.get_data(as_text=True)


def test_unconfirmed_cannot_log_in(client, db):
    user = factories.make_user(confirmed=False)
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email,
                                                "password": factories.PASSWORD},
                           follow_redirects=True)
    assert "Сначала подтвердите адрес почты" in response.get_data(as_text=True)
    assert "Выйти" not in response.get_data(as_text=True)


def test_wrong_password_and_unknown_email_look_the_same(client, db):
    user = factories.make_user()
    db.session.commit()
    wrong = client.post("/auth/login", data={"email": user.email, "password": "nope-nope-nope"})
    unknown = client.post("/auth/login", data={"email": "ghost@example.org",
                                               "password": "nope-nope-nope"})
    assert wrong.status_code == unknown.status_code == 200
    assert "Неверный адрес почты или пароль." in wrong.get_data(as_text=True)
    assert "Неверный адрес почты или пароль." in unknown.get_data(as_text=True)


def test_login_redirects_only_to_local_next(client, db):
    user = factories.make_user()
    db.session.commit()
    data = {"email": user.email, "password": factories.PASSWORD}
    response = client.post("/auth/login?next=https://evil.example/", data=data)
    assert response.headers["Location"] == "/"


def test_remember_me_sets_cookie(client, db):
    user = factories.make_user()
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email,
                                                "password": factories.PASSWORD,
                                                "remember": "y"})
    assert "remember_token" in response.headers.get("Set-Cookie", "") or any(
        "remember_token" in h for h in response.headers.getlist("Set-Cookie"))


def test_session_cookie_flags(client, db):
    user = factories.make_user()
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email,
                                                "password": factories.PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_requires_post(client, auth, db):
    user = factories.make_user()
    db.session.commit()
    auth.login(user)
    assert client.get("/auth/logout").status_code == 405
    auth.logout()
    assert "Войти" in client.get("/").get_data(as_text=True)


def test_password_reset_works_once(client, db, outbox):
    user = factories.make_user()
    db.session.commit()
    client.post("/auth/forgot", data={"email": user.email.upper()})
    link = link_from(outbox()[-1], "/auth/reset/")
    response = client.post(link, data={"password": "новый-пароль-2025", "confirm":
                                       "новый-пароль-2025"})
    assert response.status_code == 302
    assert db.session.get(User, user.id).check_password("новый-пароль-2025")
    again = client.post(link, data={"password": "ещё-один-пароль-1", "confirm":
                                    "ещё-один-пароль-1"}, follow_redirects=True)
    assert "уже использована" in again.get_data(as_text=True)
    assert db.session.get(User, user.id).check_password("новый-пароль-2025")


def test_password_reset_link_expires(client, db, frozen_time):
    from datetime import UTC, datetime

    frozen_time(datetime(2025, 1, 1, 12, 0, tzinfo=UTC))
    user = factories.make_user()
    db.session.commit()
    token = tokens.make_reset_token(user)
    frozen_time(datetime(2025, 1, 1, 12, 0, tzinfo=UTC) + timedelta(hours=3))
    response = client.get(f"/auth/reset/{token}", follow_redirects=True)
    assert "устарела" in response.get_data(as_text=True)


def test_forgot_password_for_unknown_email_says_the_same(client, outbox):
    response = client.post("/auth/forgot", data={"email": "ghost@example.org"},
                           follow_redirects=True)
    assert "Если этот адрес зарегистрирован" in response.get_data(as_text=True)
    assert outbox() == []


def test_profile_update(client, auth, db):
    user = factories.make_user()
    db.session.commit()
    auth.login(user)
    response = client.post("/auth/profile", data={"full_name": "Новое Имя", "language": "en",
                                                  "timezone": "Asia/Bishkek"})
    assert response.status_code == 302
    assert user.full_name == "Новое Имя" and user.locale == "en"
    assert user.timezone == "Asia/Bishkek"
    assert '<html lang="en">' in client.get("/auth/profile").get_data(as_text=True)


def test_password_change_ends_other_sessions(app, db):
    user = factories.make_user()
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/auth/login", data={"email": user.email, "password": factories.PASSWORD})
    response = first.post("/auth/password", data={
        "pw-current_password": factories.PASSWORD,
        "pw-password": "совсем-новый-пароль", "pw-confirm": "совсем-новый-пароль"})
    assert response.status_code == 302
    assert first.get("/auth/profile").status_code == 200
    assert second.get("/auth/profile").status_code == 302  # logged out


def test_password_change_needs_current_password(client, auth, db):
    user = factories.make_user()
    db.session.commit()
    auth.login(user)
    response = client.post("/auth/password", data={
        "pw-current_password": "wrong-wrong-wrong",
        "pw-password": "совсем-новый-пароль", "pw-confirm": "совсем-новый-пароль"})
    assert response.status_code == 400
    assert "Текущий пароль указан неверно" in response.get_data(as_text=True)


def test_emails_unique_case_insensitively(db):
    factories.make_user(email="x@example.org")
    db.session.commit()
    with pytest.raises(sa.exc.IntegrityError):
        factories.make_user(email="x@example.org")
        db.session.commit()
    db.session.rollback()


class TestRateLimits:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True}

    def test_login_rate_limited_per_account(self, client, db):
        user = factories.make_user()
        db.session.commit()
        codes = [
            client.post("/auth/login", data={"email": user.email, "password": "bad-bad-bad"},
                        environ_base={"REMOTE_ADDR": f"10.0.0.{i}"}).status_code
            for i in range(7)
        ]
        assert codes[:5] == [200] * 5
        assert codes[5] == 429
        page = client.post("/auth/login", data={"email": user.email, "password": "x"},
                           environ_base={"REMOTE_ADDR": "10.0.1.1"})
        assert "Слишком много попыток" in page.get_data(as_text=True)

    def test_login_rate_limited_per_ip(self, client):
        codes = [
            client.post("/auth/login", data={"email": f"u{i}@example.org",
                                             "password": "bad-bad-bad"}).status_code
            for i in range(22)
        ]
        assert 429 in codes and codes[0] == 200

    def test_password_reset_rate_limited(self, client):
        codes = [client.post("/auth/forgot", data={"email": "a@example.org"}).status_code
                 for _ in range(7)]
        assert codes[-1] == 429


def test_rate_limits_shared_through_redis(tmp_path, database_url):
    """Two app processes (two app objects here) share one Redis counter."""
    import redis

    from pdcompetition import create_app
    from pdcompetition.extensions import db as _db

    from .conftest import make_test_config

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    redis.Redis.from_url("redis://127.0.0.1:6379/15").flushdb()
    config = make_test_config(tmp_path, database_url, RATELIMIT_ENABLED=True,
                              RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15")
    workers = [create_app(dict(config)), create_app(dict(config))]
    with workers[0].app_context():
        _db.create_all()
    codes = []
    for i in range(6):
        worker = workers[i % 2]
        codes.append(worker.test_client().post(
            "/auth/login", data={"email": "shared@example.org", "password": "bad-bad-bad"},
            environ_base={"REMOTE_ADDR": f"10.9.0.{i}"}).status_code)
    for worker in workers:
        with worker.app_context():
            _db.engine.dispose()
    assert codes[:5] == [200] * 5 and codes[5] == 429
