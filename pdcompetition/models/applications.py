"""Applications to an edition, their history and attached documents."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow


class ApplicationState(enum.Enum):
    """Where an application stands. Transitions live in domain/application_states.py."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # returned to the applicant for changes
    ACCEPTED = "accepted"  # admitted to the jury
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def title(self) -> str:
        return {
            ApplicationState.DRAFT: _l("Draft"),
            ApplicationState.SUBMITTED: _l("Submitted"),
            ApplicationState.RETURNED: _l("Returned for changes"),
            ApplicationState.ACCEPTED: _l("Accepted"),
            ApplicationState.REJECTED: _l("Rejected"),
            ApplicationState.WITHDRAWN: _l("Withdrawn"),
        }[self]


class Application(db.Model):
    """An NGO leader's application to one edition of the competition."""

    __tablename__ = "applications"
    __table_args__ = (sa.UniqueConstraint("edition_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("editions.id"), index=True)
    owner_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(sa.ForeignKey("nominations.id"), index=True)
    # Sequential within the edition, given at first submission.
    number: Mapped[int | None]
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState),
        default=ApplicationState.DRAFT,
        server_default="draft",
        index=True,
    )
    # Bumped on every save; a save made from an older version is detected, not applied blindly.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    # The person.
    full_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    birth_date: Mapped[date | None]
    citizenship: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="", server_default="")
    phone: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")

    # The organization.
    organization: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    organization_role: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    # Registration details of a Russian NGO (OGRN and INN).
    organization_ogrn: Mapped[str] = mapped_column(sa.String(15), default="", server_default="")
    organization_inn: Mapped[str] = mapped_column(sa.String(12), default="", server_default="")

    # Geography: a country code (ISO 3166-1 alpha-2 or a custom one) and, for Russia,
    # an ISO 3166-2:RU region code.
    country_code: Mapped[str] = mapped_column(
        sa.String(8), default="", server_default="", index=True
    )
    region_code: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    city: Mapped[str] = mapped_column(sa.String(120), default="", server_default="")

    # The public-diplomacy work.
    project_title: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    project_description: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    project_goals: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    project_results: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    project_partners: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    project_links: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    consent_given_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # first submission
    last_submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set when returned for changes: the applicant resubmits before it.
    changes_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    edition: Mapped["Edition"] = relationship()  # noqa: F821
    owner: Mapped["User"] = relationship()  # noqa: F821
    nomination: Mapped["Nomination | None"] = relationship()  # noqa: F821
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="application", order_by="Attachment.id", cascade="all, delete-orphan"
    )
    history: Mapped[list["ApplicationStatusChange"]] = relationship(
        back_populates="application",
        order_by="ApplicationStatusChange.id",
        cascade="all, delete-orphan",
    )

    def __repr__(self) -> str:
        return f"<Application {self.id} {self.state.value}>"

    @property
    def display_number(self) -> str:
        """The number people quote: edition in Roman numerals and the sequence, e.g. II-0042."""
        from .editions import roman

        if self.number is None:
            return f"#{self.id}"
        return f"{roman(self.edition.ordinal)}-{self.number:04d}"


class ApplicationStatusChange(db.Model):
    """One entry of an application's history, shown on the applicant's status page."""

    __tablename__ = "application_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[ApplicationState] = mapped_column(enum_column(ApplicationState))
    # A finer label where the state alone does not tell (e.g. "jury_review", "resubmitted").
    kind: Mapped[str] = mapped_column(sa.String(32), default="", server_default="")
    comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="history")
    actor: Mapped["User | None"] = relationship()  # noqa: F821


class Attachment(db.Model):
    """A document attached to an application, stored on disk under a random name."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    original_name: Mapped[str] = mapped_column(sa.String(255))
    stored_name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="attachments")
