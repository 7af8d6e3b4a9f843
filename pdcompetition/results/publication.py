"""Publication: the mails that go out once when the embargo lifts, the CLI and the request hook.

The embargo itself is `domain.stages.results_are_public`: pages check it on every request,
so results appear exactly at the moment. What happens once per edition (marking it
published and queueing every applicant's mail) is claimed by a single conditional UPDATE,
so two processes (the scheduler and a request, or two workers) never both do it.
"""

import logging
from datetime import datetime, timedelta

import click
from flask import Flask, current_app, has_request_context, request, url_for
from flask.cli import with_appcontext

from .. import audit
from ..domain.moscow_time import now_utc
from ..domain.stages import results_are_public
from ..extensions import db
from ..mail.outbox import queue_mail
from ..models import Application, ApplicationState, Edition
from .services import awards_query

log = logging.getLogger(__name__)

# Applications whose owners hear about the results.
MAILED_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.RETURNED,
    ApplicationState.ACCEPTED,
    ApplicationState.REJECTED,
)

# How long a process trusts its idea of the next publication moment before asking again.
RECHECK = timedelta(seconds=60)


def _due_filter(now: datetime):
    return (Edition.results_mailed_at.is_(None)) & (
        (Edition.results_published_at.is_not(None) & (Edition.results_published_at <= now))
        | (Edition.results_approved_at.is_not(None) & Edition.results_publish_at.is_not(None)
           & (Edition.results_publish_at <= now))
    )


def publish_due(now: datetime | None = None) -> list[Edition]:
    """Announce every edition whose results became public and were not announced; commits."""
    now = now or now_utc()
    done = []
    for edition_id in db.session.scalars(db.select(Edition.id).where(_due_filter(now))).all():
        edition = db.session.get(Edition, edition_id)
        if edition is None or not results_are_public(edition, now):
            continue
        if announce(edition, now):
            db.session.commit()
            done.append(edition)
        else:
            db.session.rollback()
    return done


def announce(edition: Edition, now: datetime | None = None) -> bool:
    """Mark the edition published and queue the applicants' mails, exactly once.

    False when another process (or an earlier call) already did it. Only flushes.
    """
    now = now or now_utc()
    if not results_are_public(edition, now):
        return False
    claimed = db.session.execute(
        db.update(Edition)
        .where(Edition.id == edition.id, Edition.results_mailed_at.is_(None))
        .values(
            results_mailed_at=now,
            # The scheduled moment becomes the publication moment, so a later reopening
            # of the results does not hide what the public has already seen.
            results_published_at=db.func.coalesce(
                Edition.results_published_at, edition.results_publish_at or now
            ),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return False
    db.session.refresh(edition)
    count = queue_result_mails(edition)
    audit.record("results.mailed", edition, actor=None, edition_id=edition.id,
                 data={"mails": count})
    invalidate_due_cache()
    db.session.flush()
    return True


def queue_result_mails(edition: Edition) -> int:
    """One mail per application to its owner, in the owner's language."""
    applications = db.session.scalars(
        db.select(Application)
        .where(Application.edition_id == edition.id, Application.state.in_(MAILED_STATES))
        .order_by(Application.id)
    ).all()
    awards = {
        award.application_id: award
        for award in db.session.scalars(awards_query(edition))
    }
    with _url_context():
        results_url = url_for("results.edition_results", ordinal=edition.ordinal, _external=True)
        for application in applications:
            owner = application.owner
            queue_mail(
                owner.email,
                "results_published",
                owner.locale,
                edition=edition,
                application=application,
                award=awards.get(application.id),
                accepted=application.state == ApplicationState.ACCEPTED,
                results_url=results_url,
                my_result_url=url_for("results.my_result", application_id=application.id,
                                      _external=True),
            )
    return len(applications)


class _url_context:
    """Mails built from the CLI need a request context for external URLs."""

    def __enter__(self):
        self._ctx = None
        if not has_request_context():
            self._ctx = current_app.test_request_context("/")
            self._ctx.push()

    def __exit__(self, *exc):
        if self._ctx is not None:
            self._ctx.pop()


# The hook: the first request after the moment announces the results.

_STATE_KEY = "pdc_results_due"


def invalidate_due_cache() -> None:
    """Forget this process's idea of the next moment (after approval or a new moment)."""
    state = current_app.extensions.get(_STATE_KEY)
    if state is not None:
        state["checked"] = None


def _next_moment(now: datetime) -> datetime | None:
    """The earliest moment at which an edition will need announcing; `now` when one does."""
    if db.session.scalar(db.select(Edition.id).where(_due_filter(now)).limit(1)) is not None:
        return now
    return db.session.scalar(
        db.select(db.func.min(Edition.results_publish_at)).where(
            Edition.results_mailed_at.is_(None), Edition.results_approved_at.is_not(None)
        )
    )


def register_publication_hook(app: Flask) -> None:
    """Check cheaply on each request: a query at most once a minute, or when a moment came."""
    state = app.extensions.setdefault(_STATE_KEY, {"checked": None, "next": None})

    @app.before_request
    def announce_when_due():
        if request.endpoint == "static":
            return
        now = now_utc()
        checked, upcoming = state["checked"], state["next"]
        if checked is not None and now - checked < RECHECK and (
            upcoming is None or now < upcoming
        ):
            return
        try:
            upcoming = _next_moment(now)
            if upcoming is not None and upcoming <= now:
                publish_due(now)
                upcoming = _next_moment(now)
            db.session.commit()
        except Exception:  # the visitor's page must not fail; the CLI will retry
            log.exception("publishing due results failed")
            db.session.rollback()
            return
        state["checked"], state["next"] = now, upcoming


@click.command("publish-due")
@with_appcontext
def publish_due_command() -> None:
    """Announce results whose publication moment has come (safe to run every minute)."""
    done = publish_due()
    for edition in done:
        click.echo(f"published: edition {edition.ordinal} ({edition.year})")
    if not done:
        click.echo("nothing to publish")
