"""The jury: profiles, membership per edition, assignments, conflicts and score sheets."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow


class JurorProfile(db.Model):
    """What the public jury page and the conflict rules know about a juror."""

    __tablename__ = "juror_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    country_code: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    region_code: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    organization: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    position_ru: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    position_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    languages: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    bio_ru: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    bio_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    user: Mapped["User"] = relationship(back_populates="juror_profile")  # noqa: F821


class JuryMember(db.Model):
    """A juror's seat in one edition's jury, with the organizers' limits on it."""

    __tablename__ = "jury_members"
    __table_args__ = (sa.UniqueConstraint("edition_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # At most this many applications (None: no cap).
    max_applications: Mapped[int | None]
    # The edition-wide conflict-of-interest declaration, confirmed before any application is shown.
    coi_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    is_public: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    edition: Mapped["Edition"] = relationship()  # noqa: F821
    user: Mapped["User"] = relationship()  # noqa: F821
    # Empty: the juror may score in every nomination.
    nominations: Mapped[list["Nomination"]] = relationship(  # noqa: F821
        secondary="jury_member_nominations"
    )


jury_member_nominations = sa.Table(
    "jury_member_nominations",
    db.metadata,
    sa.Column(
        "jury_member_id",
        sa.ForeignKey("jury_members.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column(
        "nomination_id", sa.ForeignKey("nominations.id", ondelete="CASCADE"), primary_key=True
    ),
)


class JurorInvitation(db.Model):
    """An emailed invitation to join an edition's jury; the link is signed and works once."""

    __tablename__ = "juror_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(sa.String(254))
    full_name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    locale: Mapped[str] = mapped_column(sa.String(8), default="ru", server_default="ru")
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    edition: Mapped["Edition"] = relationship()  # noqa: F821


class AssignmentSource(enum.Enum):
    MANUAL = "manual"
    AUTOMATIC = "automatic"
    DIVERGENCE = "divergence"  # an extra juror after diverging scores


class Assignment(db.Model):
    """A juror assigned to score one application."""

    __tablename__ = "assignments"
    __table_args__ = (sa.UniqueConstraint("application_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    source: Mapped[AssignmentSource] = mapped_column(
        enum_column(AssignmentSource), default=AssignmentSource.MANUAL, server_default="manual"
    )
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped["Application"] = relationship()  # noqa: F821
    juror: Mapped["User"] = relationship(foreign_keys=[juror_id])  # noqa: F821
    score_sheet: Mapped["ScoreSheet | None"] = relationship(back_populates="assignment")


class PairRule(enum.Enum):
    PIN = "pin"  # must be assigned
    FORBID = "forbid"  # must never be assigned


class AssignmentConstraint(db.Model):
    """An organizer's pin or forbid on a juror-application pair."""

    __tablename__ = "assignment_constraints"
    __table_args__ = (sa.UniqueConstraint("application_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    rule: Mapped[PairRule] = mapped_column(enum_column(PairRule))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConflictDeclaration(db.Model):
    """A conflict of interest a juror declared on an application, with the reason."""

    __tablename__ = "conflict_declarations"
    __table_args__ = (sa.UniqueConstraint("application_id", "juror_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    juror_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    declared_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the organizers have reassigned the application.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    application: Mapped["Application"] = relationship()  # noqa: F821
    juror: Mapped["User"] = relationship()  # noqa: F821


class SheetStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"

    @property
    def title(self) -> str:
        return {SheetStatus.DRAFT: _l("Draft"), SheetStatus.SUBMITTED: _l("Submitted")}[self]


class ScoreSheet(db.Model):
    """One juror's scores for one application."""

    __tablename__ = "score_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("assignments.id", ondelete="CASCADE"), unique=True
    )
    status: Mapped[SheetStatus] = mapped_column(
        enum_column(SheetStatus), default=SheetStatus.DRAFT, server_default="draft"
    )
    overall_comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # Optimistic concurrency: a save carries the version it was based on.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    assignment: Mapped[Assignment] = relationship(back_populates="score_sheet")
    scores: Mapped[list["Score"]] = relationship(
        back_populates="sheet", cascade="all, delete-orphan", lazy="selectin"
    )


class Score(db.Model):
    """The score on one criterion in a score sheet, with the juror's comment."""

    __tablename__ = "scores"
    __table_args__ = (sa.UniqueConstraint("sheet_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sheet_id: Mapped[int] = mapped_column(sa.ForeignKey("score_sheets.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(sa.ForeignKey("criteria.id"), index=True)
    value: Mapped[int | None]  # None while the draft leaves it empty
    comment: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    sheet: Mapped[ScoreSheet] = relationship(back_populates="scores")
    criterion: Mapped["Criterion"] = relationship()  # noqa: F821
