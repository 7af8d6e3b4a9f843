"""iCalendar (RFC 5545) files for events: one VEVENT, UTC times, escaped and folded lines."""

from datetime import UTC, datetime, timedelta

# When organizers give no end time, calendars still need one to draw the event.
DEFAULT_DURATION = timedelta(hours=2)
PRODID = "-//Leader of Public Diplomacy//pdcompetition//RU"


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545, 3.3.11): backslash, semicolon, comma, newlines."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into chunks of at most `limit` octets, never splitting a character."""
    chunks, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        # Continuation lines start with a space, which counts towards their length.
        room = limit if not chunks else limit - 1
        if size + width > room:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    chunks.append("".join(current))
    return "\r\n ".join(chunks)


def format_utc(moment: datetime) -> str:
    """A DATE-TIME in UTC form, e.g. 20230424T050000Z."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_calendar(
    *,
    uid: str,
    starts_at: datetime,
    ends_at: datetime | None,
    summary: str,
    description: str = "",
    location: str = "",
    url: str = "",
    stamp: datetime,
) -> bytes:
    """A complete VCALENDAR with one event, as UTF-8 bytes with CRLF line ends."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{format_utc(stamp)}",
        f"DTSTART:{format_utc(starts_at)}",
        f"DTEND:{format_utc(ends_at or starts_at + DEFAULT_DURATION)}",
        f"SUMMARY:{escape_text(summary)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if url:
        lines.append(f"URL:{url}")
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
