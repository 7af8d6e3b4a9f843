"""Events of the competition (round tables, forums), the committee and partners."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .editions import localized


class EventKind(enum.Enum):
    ROUND_TABLE = "round_table"
    FORUM = "forum"
    OTHER = "other"

    @property
    def title(self) -> str:
        return {
            EventKind.ROUND_TABLE: _l("Round table"),
            EventKind.FORUM: _l("Forum"),
            EventKind.OTHER: _l("Event"),
        }[self]


event_partners = sa.Table(
    "event_partners",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("partner_id", sa.ForeignKey("partners.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    """A round table, forum or other event held as part of an edition."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("editions.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    # The forum at which the edition's results are announced.
    announces_results: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    title_ru: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    description_ru: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    city_ru: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    city_en: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")
    country_code: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    venue: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Moderators and speakers, one per line.
    speakers_ru: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    speakers_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    registration_open: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    capacity: Mapped[int | None]  # None: unlimited
    waitlist_enabled: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    is_published: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    edition: Mapped["Edition | None"] = relationship(back_populates="events")  # noqa: F821
    partners: Mapped[list["Partner"]] = relationship(secondary=event_partners)
    registrations: Mapped[list["EventRegistration"]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def city(self) -> str:
        return localized(self, "city")

    @property
    def speakers(self) -> str:
        return localized(self, "speakers")


class RegistrationStatus(enum.Enum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"

    @property
    def title(self) -> str:
        return {
            RegistrationStatus.REGISTERED: _l("Registered"),
            RegistrationStatus.WAITLISTED: _l("On the waiting list"),
            RegistrationStatus.CANCELLED: _l("Cancelled"),
        }[self]


class EventRegistration(db.Model):
    """A signed-in person's registration to attend an event."""

    __tablename__ = "event_registrations"
    __table_args__ = (sa.UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[Event] = relationship(back_populates="registrations")
    user: Mapped["User"] = relationship()  # noqa: F821


class CommitteeMember(db.Model):
    """A member of the international organizing committee, shown on the public page."""

    __tablename__ = "committee_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name_ru: Mapped[str] = mapped_column(sa.String(200))
    full_name_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    role_ru: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    role_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    organization_ru: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    organization_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    country_code: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    is_published: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    @property
    def full_name(self) -> str:
        return localized(self, "full_name")

    @property
    def role(self) -> str:
        return localized(self, "role")

    @property
    def organization(self) -> str:
        return localized(self, "organization")


class Partner(db.Model):
    """A partner organization with its logo and link."""

    __tablename__ = "partners"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_ru: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    url: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    # A resized PNG stored in the upload folder under a random name.
    logo_name: Mapped[str] = mapped_column(sa.String(64), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    is_published: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    @property
    def name(self) -> str:
        return localized(self, "name")
