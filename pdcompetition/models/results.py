"""Awards decided by the organizers and the certificates issued for them."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow


class AwardKind(enum.Enum):
    """Kinds of award, in the order they are announced."""

    WINNER = "winner"  # 1st place
    SECOND = "second"
    THIRD = "third"
    LAUREATE = "laureate"
    SPECIAL_MENTION = "special_mention"

    @property
    def title(self) -> str:
        return {
            AwardKind.WINNER: _l("Winner (1st place)"),
            AwardKind.SECOND: _l("2nd place"),
            AwardKind.THIRD: _l("3rd place"),
            AwardKind.LAUREATE: _l("Laureate"),
            AwardKind.SPECIAL_MENTION: _l("Special mention"),
        }[self]


class Award(db.Model):
    """An award given to an application within its nomination."""

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), unique=True
    )
    edition_id: Mapped[int] = mapped_column(sa.ForeignKey("editions.id"), index=True)
    nomination_id: Mapped[int | None] = mapped_column(sa.ForeignKey("nominations.id"))
    kind: Mapped[AwardKind] = mapped_column(enum_column(AwardKind))
    # Required when the award departs from the ranking; also kept in the audit log.
    departure_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped["Application"] = relationship()  # noqa: F821
    nomination: Mapped["Nomination | None"] = relationship()  # noqa: F821


class CertificateKind(enum.Enum):
    DIPLOMA = "diploma"  # winners, prize places, laureates, special mentions
    PARTICIPATION = "participation"

    @property
    def title(self) -> str:
        return {
            CertificateKind.DIPLOMA: _l("Diploma"),
            CertificateKind.PARTICIPATION: _l("Certificate of participation"),
        }[self]


class Certificate(db.Model):
    """An issued diploma or certificate; its code is checked publicly at /verify/<code>."""

    __tablename__ = "certificates"
    __table_args__ = (sa.UniqueConstraint("application_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind))
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped["Application"] = relationship()  # noqa: F821
