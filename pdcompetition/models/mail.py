"""The mail outbox: messages are queued with the change that causes them, then delivered."""

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow


class MailStatus(enum.Enum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the configured number of attempts


class OutboxMessage(db.Model):
    """A mail waiting for, or done with, delivery."""

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    to_email: Mapped[str] = mapped_column(sa.String(254), index=True)
    subject: Mapped[str] = mapped_column(sa.String(300))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    locale: Mapped[str] = mapped_column(sa.String(8), default="ru", server_default="ru")
    # A short name of the template, for tests and the organizers' view of the outbox.
    template: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    # Optional calendar or other attachment, stored inline (small files only).
    attachment_name: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    attachment_type: Mapped[str] = mapped_column(sa.String(80), default="", server_default="")
    attachment_data: Mapped[bytes | None] = mapped_column(sa.LargeBinary)
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus), default=MailStatus.PENDING, server_default="pending", index=True
    )
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
