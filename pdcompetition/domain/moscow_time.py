"""Deadlines are Moscow time: conversions between what people enter and what is stored."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")


def now_utc() -> datetime:
    """The current moment in UTC (one place to freeze in tests)."""
    return datetime.now(UTC)


def from_moscow(naive: datetime) -> datetime:
    """A wall-clock time typed in Moscow time, as an aware UTC datetime."""
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=MOSCOW).astimezone(UTC)


def to_moscow(moment: datetime | None) -> datetime | None:
    """An aware moment as Moscow wall-clock time (for form fields)."""
    if moment is None:
        return None
    return moment.astimezone(MOSCOW)


def to_zone(moment: datetime, zone_name: str) -> datetime:
    """An aware moment in a named time zone, falling back to Moscow for unknown names."""
    try:
        zone = ZoneInfo(zone_name)
    except (KeyError, ValueError):
        zone = MOSCOW
    return moment.astimezone(zone)


def is_before(deadline: datetime | None, moment: datetime | None = None) -> bool:
    """True while a deadline has not passed (no deadline set: never open)."""
    if deadline is None:
        return False
    return (moment or now_utc()) < deadline
