"""Queue mails in the outbox table and deliver them over SMTP with retries."""

import logging
import smtplib
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask, current_app, g
from flask_babel import force_locale
from markupsafe import Markup

from ..extensions import db
from ..models import MailStatus, OutboxMessage, utcnow
from ..transactions import rollback_quietly

log = logging.getLogger(__name__)

SUBJECT_MAX = OutboxMessage.__table__.c.subject.type.length


def render_mail(template: str, locale: str, **context) -> tuple[str, str, str]:
    """Render a mail template's `subject`, `text` and `html` blocks in `locale`."""
    jinja_template = current_app.jinja_env.get_template(f"mail/{template}.html")
    with force_locale(locale):
        ctx = jinja_template.new_context(
            {**current_app.jinja_env.globals, "locale": locale, **context}
        )
        # Rendering once resolves {% extends %}, so the layout's blocks join ctx.blocks.
        for _chunk in jinja_template.root_render_func(ctx):
            pass
        parts = {}
        for block in ("subject", "text", "html"):
            render = ctx.blocks.get(block)
            parts[block] = "".join(render[0](ctx)).strip() if render else ""
    subject = " ".join(str(Markup(parts["subject"]).unescape()).split())
    if len(subject) > SUBJECT_MAX:  # a long application title must not break the mail
        subject = subject[: SUBJECT_MAX - 1] + "…"
    # The templates are HTML and autoescaped; the plain-text part shows what people typed
    # ("АНО "Мост"", not "АНО &#34;Мост&#34;").
    text = Markup(parts["text"]).unescape()
    return subject, text, parts["html"]


def queue_mail(
    to_email: str,
    template: str,
    locale: str = "ru",
    *,
    attachment: tuple[str, str, bytes] | None = None,
    **context,
) -> OutboxMessage:
    """Put a mail in the outbox, in the recipient's language; it leaves after the commit."""
    locale = locale if locale in current_app.config["LANGUAGES"] else "ru"
    subject, text, html = render_mail(template, locale, **context)
    message = OutboxMessage(
        to_email=to_email,
        subject=subject,
        body_text=text,
        body_html=html,
        locale=locale,
        template=template,
    )
    if attachment:
        message.attachment_name, message.attachment_type, message.attachment_data = attachment
    db.session.add(message)
    g.setdefault("_mail_queued", True)
    return message


def _build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = message.to_email
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain=sender.split("@")[-1] or "pdcompetition.local")
    email["Content-Language"] = message.locale
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    if message.attachment_data:
        maintype, _, subtype = (message.attachment_type or "application/octet-stream").partition(
            "/"
        )
        email.add_attachment(
            message.attachment_data,
            maintype=maintype,
            subtype=subtype,
            filename=message.attachment_name,
        )
    return email


def _connect(config) -> smtplib.SMTP:
    cls = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    smtp = cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
    if config["MAIL_USE_TLS"]:
        smtp.starttls()
    if config["MAIL_USERNAME"]:
        smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    return smtp


def retry_delay(attempts: int) -> timedelta:
    """Back off 1, 2, 4 ... minutes, at most an hour, between attempts."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def deliver_due(limit: int = 200) -> tuple[int, int]:
    """Send pending mails that are due; returns (sent, failed attempts). Commits per message."""
    config = current_app.config
    now = utcnow()
    query = (
        db.select(OutboxMessage.id)
        .where(OutboxMessage.status == MailStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(query))
    if not ids:
        return 0, 0
    sent = failed = 0
    smtp = None
    try:
        for message_id in ids:
            message = db.session.get(OutboxMessage, message_id, with_for_update=_lock_options())
            if message is None or message.status != MailStatus.PENDING:
                db.session.rollback()
                continue
            try:
                if config["MAIL_SERVER"]:
                    if smtp is None:
                        smtp = _connect(config)
                    smtp.send_message(_build_email(message, config["MAIL_DEFAULT_SENDER"]))
                else:
                    log.info(
                        "mail to %s: %s\n%s", message.to_email, message.subject, message.body_text
                    )
            except (OSError, smtplib.SMTPException) as exc:
                smtp = None
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                message.next_attempt_at = utcnow() + retry_delay(message.attempts)
                if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
                    message.status = MailStatus.FAILED
                failed += 1
            else:
                message.attempts += 1
                message.status = MailStatus.SENT
                message.sent_at = utcnow()
                sent += 1
            db.session.commit()
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
    return sent, failed


def _lock_options():
    # Several workers may deliver at once; on PostgreSQL each message is taken by one of them.
    if db.engine.dialect.name == "postgresql":
        return {"skip_locked": True}
    return None


def register_delivery_hook(app: Flask) -> None:
    """After a request that queued mail has committed, try to deliver it right away."""

    @app.teardown_request
    def deliver_after_request(exc):
        if exc is not None or not g.get("_mail_queued") or not app.config["MAIL_SEND_ON_COMMIT"]:
            return
        # Whatever the view did not commit did not happen, so it must not be sent either.
        try:
            db.session.rollback()
            deliver_due(limit=20)
        except Exception:  # the outbox keeps the mail; the CLI sender retries it
            log.exception("mail delivery after request failed")
            rollback_quietly()
