"""Where an edition stands, from its dates and what the organizers have done."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l

from .moscow_time import now_utc


class Stage(enum.Enum):
    PREPARING = "preparing"  # applications not open yet
    ACCEPTING = "accepting"  # applications open
    SCREENING = "screening"  # applications closed, jury not started
    JUDGING = "judging"  # the jury is at work
    AWAITING_RESULTS = "awaiting_results"  # jury closed, results announced at the forum
    PUBLISHED = "published"  # results are public
    ARCHIVED = "archived"  # a past edition entered by hand

    @property
    def title(self) -> str:
        return {
            Stage.PREPARING: _l("Applications open soon"),
            Stage.ACCEPTING: _l("Accepting applications"),
            Stage.SCREENING: _l("Applications are being screened"),
            Stage.JUDGING: _l("The jury is at work"),
            Stage.AWAITING_RESULTS: _l("Results will be announced at the forum"),
            Stage.PUBLISHED: _l("Results published"),
            Stage.ARCHIVED: _l("Archive"),
        }[self]


def results_are_public(edition, now: datetime | None = None) -> bool:
    """The embargo: results are public once published, or from the announcement moment
    of approved results. Before that nobody but the organizers may see them."""
    now = now or now_utc()
    if edition.results_published_at is not None and edition.results_published_at <= now:
        return True
    return (
        edition.results_approved_at is not None
        and edition.results_publish_at is not None
        and now >= edition.results_publish_at
    )


def applications_open(edition, now: datetime | None = None) -> bool:
    """True while applications may be submitted (Moscow deadline, server clock)."""
    now = now or now_utc()
    opens, closes = edition.applications_open_at, edition.applications_close_at
    return opens is not None and closes is not None and opens <= now < closes


def edition_stage(edition, now: datetime | None = None) -> Stage:
    """The stage an edition is in at `now`."""
    from ..models import EditionStatus

    now = now or now_utc()
    if edition.status == EditionStatus.ARCHIVED:
        return Stage.PUBLISHED if results_are_public(edition, now) else Stage.ARCHIVED
    if results_are_public(edition, now):
        return Stage.PUBLISHED
    if edition.jury_closed_at is not None or (
        edition.judging_close_at is not None and now >= edition.judging_close_at
    ):
        return Stage.AWAITING_RESULTS
    if edition.applications_open_at is None or now < edition.applications_open_at:
        return Stage.PREPARING
    if applications_open(edition, now):
        return Stage.ACCEPTING
    if edition.judging_close_at is not None and now < edition.judging_close_at:
        return Stage.JUDGING
    return Stage.SCREENING
