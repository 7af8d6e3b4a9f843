"""Competition editions with their nominations and scoring criteria."""

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow


def localized(obj, field: str) -> str:
    """The `<field>_<locale>` value of obj, falling back to Russian, the official language."""
    try:
        locale = str(get_locale() or "ru")
    except RuntimeError:  # outside a request
        locale = "ru"
    value = getattr(obj, f"{field}_{locale}", None) if locale != "ru" else None
    return value or getattr(obj, f"{field}_ru") or ""


ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """Editions are numbered I, II, III... as in the competition's own materials."""
    if not 0 < number < 4000:  # beyond classical numerals: keep the number readable
        return str(number)
    out = []
    for value, letters in ROMAN:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


class EditionStatus(enum.Enum):
    """Lifecycle of an edition record; the stage within an active one comes from its dates."""

    DRAFT = "draft"  # being set up, not public
    ACTIVE = "active"  # run on the platform
    ARCHIVED = "archived"  # a past edition whose figures were entered by hand

    @property
    def title(self) -> str:
        return {
            EditionStatus.DRAFT: _l("Draft"),
            EditionStatus.ACTIVE: _l("Active"),
            EditionStatus.ARCHIVED: _l("Archive"),
        }[self]


class Edition(db.Model):
    """One yearly edition of the competition (I in 2022, II in 2023, ...)."""

    __tablename__ = "editions"

    id: Mapped[int] = mapped_column(primary_key=True)
    ordinal: Mapped[int] = mapped_column(unique=True)
    year: Mapped[int]
    status: Mapped[EditionStatus] = mapped_column(
        enum_column(EditionStatus), default=EditionStatus.DRAFT, server_default="draft"
    )
    title_ru: Mapped[str] = mapped_column(sa.String(300))
    title_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    description_ru: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    rules_ru: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    rules_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    # Key dates, stored in UTC, entered and shown in Moscow time.
    applications_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    applications_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    judging_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The announcement moment at the forum: the embargo on results lifts then.
    results_publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # What has happened, as opposed to what is planned.
    jury_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    results_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Publication mails are queued once; this marks that it was done.
    results_mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Settings of the edition.
    one_application_per_nomination: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false()
    )
    jurors_per_application: Mapped[int] = mapped_column(default=3, server_default="3")
    blind_review: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    conflict_same_country: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    conflict_same_region: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    normalize_scores: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    divergence_threshold: Mapped[Decimal] = mapped_column(
        sa.Numeric(6, 2), default=Decimal("30"), server_default="30"
    )
    applicant_feedback: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    jury_published: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    # Geography of an archived edition, entered by the organizers; run editions compute it.
    archive_region_count: Mapped[int | None]
    archive_country_count: Mapped[int | None]
    archive_country_codes: Mapped[list | None] = mapped_column(sa.JSON)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    nominations: Mapped[list["Nomination"]] = relationship(
        back_populates="edition",
        order_by="Nomination.position, Nomination.id",
        cascade="all, delete-orphan",
    )
    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="edition",
        order_by="Criterion.position, Criterion.id",
        cascade="all, delete-orphan",
    )
    events: Mapped[list["Event"]] = relationship(  # noqa: F821
        back_populates="edition", order_by="Event.starts_at"
    )

    def __repr__(self) -> str:
        return f"<Edition {self.ordinal} ({self.year})>"

    @property
    def roman(self) -> str:
        return roman(self.ordinal)

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def rules(self) -> str:
        return localized(self, "rules")

    @property
    def forum_event(self):
        """The forum where the results of this edition are announced, if set."""
        return next((event for event in self.events if event.announces_results), None)

    @property
    def active_nominations(self) -> list["Nomination"]:
        return [n for n in self.nominations if n.archived_at is None]

    @property
    def active_criteria(self) -> list["Criterion"]:
        return [c for c in self.criteria if c.archived_at is None]


class Nomination(db.Model):
    """A category in which applications compete and awards are given."""

    __tablename__ = "nominations"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    name_ru: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    description_ru: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    # Used nominations are archived rather than deleted.
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    edition: Mapped[Edition] = relationship(back_populates="nominations")

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")


class Criterion(db.Model):
    """A scoring criterion of an edition: jurors give 0..max_score, weighted in the total."""

    __tablename__ = "criteria"
    __table_args__ = (
        sa.CheckConstraint("max_score > 0", name="max_score_positive"),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    name_ru: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    description_ru: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    max_score: Mapped[int] = mapped_column(default=10, server_default="10")
    weight: Mapped[Decimal] = mapped_column(
        sa.Numeric(6, 2), default=Decimal("1"), server_default="1"
    )
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    edition: Mapped[Edition] = relationship(back_populates="criteria")

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")
