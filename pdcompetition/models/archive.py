"""Winners of past editions that were not run on the platform, entered by the organizers."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow
from .editions import localized
from .results import AwardKind


class ArchiveWinner(db.Model):
    """A winner of an archived edition: its applications never existed on the platform."""

    __tablename__ = "archive_winners"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        sa.ForeignKey("editions.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[AwardKind] = mapped_column(enum_column(AwardKind))
    full_name: Mapped[str] = mapped_column(sa.String(200))
    organization: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    country_code: Mapped[str] = mapped_column(sa.String(8), default="", server_default="")
    # The nomination as it was called that year (archived editions keep no Nomination rows).
    nomination_ru: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    nomination_en: Mapped[str] = mapped_column(sa.String(300), default="", server_default="")
    position: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    edition: Mapped["Edition"] = relationship()  # noqa: F821

    @property
    def nomination(self) -> str:
        return localized(self, "nomination")
