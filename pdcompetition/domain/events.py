"""Who gets a seat at an event: capacity, the waiting list and promotion from it."""

import enum
from datetime import datetime


class Outcome(enum.Enum):
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"


class RegistrationRefused(Exception):
    """Registration is not possible; `reason` is one of closed, started, full."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def has_started(starts_at: datetime, now: datetime) -> bool:
    return now >= starts_at


def is_over(starts_at: datetime, ends_at: datetime | None, now: datetime) -> bool:
    """An event without an end time counts as over once it has started."""
    return now >= (ends_at or starts_at)


def seats_left(capacity: int | None, registered: int) -> int | None:
    """Free seats (None: no limit)."""
    if capacity is None:
        return None
    return max(capacity - registered, 0)


def registration_outcome(
    *,
    registration_open: bool,
    starts_at: datetime,
    now: datetime,
    capacity: int | None,
    registered: int,
    waitlist_enabled: bool,
) -> Outcome:
    """A seat while there is one, else the waiting list when the organizers keep one."""
    if not registration_open:
        raise RegistrationRefused("closed")
    if has_started(starts_at, now):
        raise RegistrationRefused("started")
    if capacity is None or registered < capacity:
        return Outcome.REGISTERED
    if waitlist_enabled:
        return Outcome.WAITLISTED
    raise RegistrationRefused("full")


def promotions(capacity: int | None, registered: int, waitlisted: int) -> int:
    """How many people move up from the waiting list when seats free up."""
    if waitlisted <= 0:
        return 0
    if capacity is None:
        return waitlisted
    return max(min(capacity - registered, waitlisted), 0)
