"""Seat rules of events and the calendar file format, tested directly without the app."""

from datetime import UTC, datetime, timedelta

import pytest

from pdcompetition.domain.events import (
    Outcome,
    RegistrationRefused,
    is_over,
    promotions,
    registration_outcome,
    seats_left,
)
from pdcompetition.public import ics

from .ics_parser import parse_ics

NOW = datetime(2024, 2, 1, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=10)


def outcome(**overrides):
    values = dict(registration_open=True, starts_at=LATER, now=NOW, capacity=None, registered=0,
                  waitlist_enabled=False)
    values.update(overrides)
    return registration_outcome(**values)


def test_unlimited_event_always_has_a_seat():
    assert outcome(registered=10_000) == Outcome.REGISTERED


def test_last_seat_then_waiting_list_or_refusal():
    assert outcome(capacity=3, registered=2) == Outcome.REGISTERED
    assert outcome(capacity=3, registered=3, waitlist_enabled=True) == Outcome.WAITLISTED
    with pytest.raises(RegistrationRefused) as refused:
        outcome(capacity=3, registered=3)
    assert refused.value.reason == "full"


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [({"registration_open": False}, "closed"), ({"starts_at": NOW}, "started"),
     ({"starts_at": NOW - timedelta(hours=1)}, "started")],
)
def test_closed_or_started_events_refuse(overrides, reason):
    with pytest.raises(RegistrationRefused) as refused:
        outcome(**overrides)
    assert refused.value.reason == reason


def test_seats_left_and_promotions():
    assert seats_left(None, 5) is None
    assert seats_left(5, 3) == 2
    assert seats_left(5, 7) == 0
    assert promotions(5, 4, 3) == 1
    assert promotions(5, 5, 3) == 0
    assert promotions(10, 4, 3) == 3
    assert promotions(None, 4, 3) == 3
    assert promotions(5, 2, 0) == 0


def test_an_event_without_end_is_over_once_started():
    assert not is_over(LATER, None, NOW)
    assert is_over(NOW, None, NOW)
    assert not is_over(NOW - timedelta(hours=1), NOW + timedelta(hours=1), NOW)


def test_escaping_of_text_values():
    assert ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert ics.escape_text("x\r\ny") == "x\\ny"


def test_folding_keeps_lines_within_75_octets_and_characters_whole():
    line = "SUMMARY:" + "Круглый стол «Народная дипломатия» " * 6
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert len(parts) > 2
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join([parts[0]] + [part[1:] for part in parts[1:]]) == line


def test_calendar_parses_back_with_utc_times_and_texts():
    data = ics.event_calendar(
        uid="event-7@example.org",
        starts_at=datetime(2023, 4, 24, 5, 0, tzinfo=UTC),
        ends_at=None,
        summary="Круглый стол, Бишкек; «Опыт Евразии»",
        description="Первая строка\nВторая, с запятой\\обратной чертой",
        location="Дом дружбы, Бишкек, Киргизия",
        url="https://example.org/events/7",
        stamp=NOW,
    )
    calendar = parse_ics(data)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (event,) = calendar["VEVENT"]
    assert event["UID"] == "event-7@example.org"
    assert event["DTSTAMP"] == "20240201T120000Z"
    assert event["DTSTART"] == "20230424T050000Z"
    # No end given: a default two-hour slot, still in UTC.
    assert event["DTEND"] == "20230424T070000Z"
    assert event["SUMMARY"] == "Круглый стол, Бишкек; «Опыт Евразии»"
    assert event["DESCRIPTION"] == "Первая строка\nВторая, с запятой\\обратной чертой"
    assert event["LOCATION"] == "Дом дружбы, Бишкек, Киргизия"
    assert event["URL"] == "https://example.org/events/7"
