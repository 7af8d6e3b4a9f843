"""Countries and territories that ISO 3166 lacks, added by the organizers."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, utcnow


class CustomCountry(db.Model):
    """A country entry not in Babel's list (for example Abkhazia).

    Its code comes from the ISO 3166 user-assigned range (XA..XZ), so it can never
    collide with a real code and is stored wherever a country code is stored.
    """

    __tablename__ = "custom_countries"

    code: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    name_ru: Mapped[str] = mapped_column(sa.String(120))
    name_en: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
