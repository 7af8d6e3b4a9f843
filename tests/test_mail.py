"""The mail outbox: queued with the change, delivered over real SMTP, retried, never lost."""

from datetime import timedelta

import pytest

from pdcompetition.extensions import db as _db
from pdcompetition.mail.outbox import deliver_due, queue_mail, retry_delay
from pdcompetition.models import MailStatus, OutboxMessage, utcnow

from . import factories
from .smtp import RecordingSMTPServer, free_port


@pytest.fixture
def app_config(request):
    return {}


def _use_smtp(app, port):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)


def test_queued_mail_is_rendered_in_recipient_language(app, db):
    user = factories.make_user(locale="en")
    with app.test_request_context():
        message = queue_mail(user.email, "password_changed", user.locale, user=user)
    assert message.subject == "Your password has been changed"
    assert "Hello," in message.body_text
    assert message.body_html.startswith("<!doctype html>")
    with app.test_request_context():
        ru = queue_mail(user.email, "password_changed", "ru", user=user)
    assert ru.subject == "Ваш пароль изменён"


def test_unknown_locale_falls_back_to_russian(app, db):
    user = factories.make_user()
    with app.test_request_context():
        message = queue_mail(user.email, "password_changed", "de", user=user)
    assert message.locale == "ru"


def test_mail_is_not_queued_when_the_change_rolls_back(app, db):
    user = factories.make_user()
    db.session.commit()
    with app.test_request_context():
        queue_mail(user.email, "password_changed", "ru", user=user)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_delivery_over_smtp(app, db, smtp_server):
    _use_smtp(app, smtp_server.port)
    user = factories.make_user(full_name="Анна")
    with app.test_request_context():
        queue_mail(user.email, "password_changed", "ru", user=user)
    db.session.commit()
    assert deliver_due() == (1, 0)
    [received] = smtp_server.messages
    assert received["To"] == user.email
    assert received["Subject"] == "Ваш пароль изменён"
    assert "Здравствуйте, Анна!" in RecordingSMTPServer.text_of(received)
    message = db.session.scalar(db.select(OutboxMessage))
    assert message.status == MailStatus.SENT and message.sent_at is not None
    assert deliver_due() == (0, 0)  # nothing is sent twice


def test_server_down_keeps_mail_and_retries_later(app, db, frozen_time):
    from datetime import UTC, datetime

    start = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    frozen_time(start)
    port = free_port()
    _use_smtp(app, port)
    user = factories.make_user()
    with app.test_request_context():
        queue_mail(user.email, "password_changed", "ru", user=user)
    db.session.commit()
    assert deliver_due() == (0, 1)
    message = db.session.scalar(db.select(OutboxMessage))
    assert message.status == MailStatus.PENDING
    assert message.attempts == 1 and "Error" in message.last_error
    assert deliver_due() == (0, 0)  # not due yet: backing off
    server = RecordingSMTPServer(port)
    server.start()
    try:
        frozen_time(start + timedelta(minutes=2))
        assert deliver_due() == (1, 0)
        assert len(server.messages) == 1
    finally:
        server.stop()


def test_gives_up_after_max_attempts(app, db, frozen_time):
    from datetime import UTC, datetime

    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=2)
    moment = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    frozen_time(moment)
    user = factories.make_user()
    with app.test_request_context():
        queue_mail(user.email, "password_changed", "ru", user=user)
    db.session.commit()
    deliver_due()
    frozen_time(moment + timedelta(hours=2))
    deliver_due()
    message = db.session.scalar(db.select(OutboxMessage))
    assert message.status == MailStatus.FAILED and message.attempts == 2


def test_retry_delay_backs_off_to_an_hour():
    assert retry_delay(1) == timedelta(minutes=1)
    assert retry_delay(3) == timedelta(minutes=4)
    assert retry_delay(20) == timedelta(minutes=60)


def test_mail_leaves_after_the_request_commits(app, client, db, smtp_server):
    _use_smtp(app, smtp_server.port)
    app.config["MAIL_SEND_ON_COMMIT"] = True
    client.post("/auth/register", data={
        "full_name": "Анна", "email": "anna@example.org", "password": "дружба-народов-2024",
        "confirm": "дружба-народов-2024", "language": "ru"})
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Subject"] == "Подтвердите адрес электронной почты"


def test_request_succeeds_while_smtp_is_down(app, client, db):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_SEND_ON_COMMIT=True)
    response = client.post("/auth/register", data={
        "full_name": "Анна", "email": "anna@example.org", "password": "дружба-народов-2024",
        "confirm": "дружба-народов-2024", "language": "ru"})
    assert response.status_code == 200
    message = _db.session.scalar(_db.select(OutboxMessage))
    assert message.status == MailStatus.PENDING and message.attempts == 1


def test_log_delivery_without_mail_server(app, db, caplog):
    user = factories.make_user()
    with app.test_request_context():
        queue_mail(user.email, "password_changed", "ru", user=user)
    db.session.commit()
    with caplog.at_level("INFO"):
        assert deliver_due() == (1, 0)
    assert user.email in caplog.text


def test_send_mail_cli(app, db, runner, smtp_server):
    _use_smtp(app, smtp_server.port)
    user = factories.make_user()
    with app.test_request_context():
        queue_mail(user.email, "password_changed", "ru", user=user)
    db.session.commit()
    result = runner.invoke(args=["pdc", "send-mail"])
    assert result.exit_code == 0 and "sent: 1" in result.output
    assert len(smtp_server.messages) == 1


def test_outbox_rows_have_due_times(app, db):
    user = factories.make_user()
    with app.test_request_context():
        message = queue_mail(user.email, "password_changed", "ru", user=user)
    db.session.commit()
    assert message.next_attempt_at <= utcnow()



def test_overlong_subject_is_shortened_to_fit(app, db):
    """A subject that quotes user data (e.g. a long title) still fits its column."""
    from types import SimpleNamespace

    from pdcompetition.mail.outbox import SUBJECT_MAX

    application = SimpleNamespace(display_number="Ж" * 400, id=1, project_title="x")
    organizer = SimpleNamespace(display_name="Организатор")
    with app.test_request_context():
        message = queue_mail("org@example.org", "jury_conflict_declared", "ru",
                             application=application, organizer=organizer, juror=organizer,
                             reason="")
    assert len(message.subject) == SUBJECT_MAX and message.subject.endswith("…")
    db.session.commit()  # PostgreSQL refuses a value longer than the column
