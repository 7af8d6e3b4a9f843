"""What the results pages show: the public results, the geography chart, an applicant's result."""

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from ..domain.geography import RUSSIA
from ..domain.stages import results_are_public
from ..extensions import db
from ..geography_stats import PARTICIPATING_STATES, edition_geography
from ..i18n import country_name, current_language
from ..models import (
    Application,
    ApplicationState,
    Assignment,
    Award,
    AwardKind,
    ConflictDeclaration,
    EditionStatus,
    ScoreSheet,
    SheetStatus,
)
from .services import award_of, awards_query

AWARD_ORDER = {kind: position for position, kind in enumerate(AwardKind)}


def public_results(edition) -> dict:
    """Winners per nomination, and the geography with its chart, as the public page shows."""
    awards = db.session.scalars(
        awards_query(edition)
        .options(selectinload(Award.application).selectinload(Application.nomination))
    ).all()
    groups = []
    by_nomination = {}
    for nomination in edition.nominations:
        by_nomination[nomination.id] = {"name": nomination.name, "winners": []}
        groups.append(by_nomination[nomination.id])
    for award in awards:
        group = by_nomination.get(award.application.nomination_id)
        if group is None:
            group = by_nomination.setdefault(None, {"name": "", "winners": []})
            if group not in groups:
                groups.append(group)
        application = award.application
        group["winners"].append({
            "kind": award.kind,
            "full_name": application.full_name,
            "organization": application.organization,
            "country_code": application.country_code,
            "region_code": application.region_code if application.country_code == RUSSIA else "",
            "project_title": application.project_title,
        })
    if not awards and edition.status == EditionStatus.ARCHIVED:
        groups = _archive_groups(edition)
    for group in groups:
        group["winners"].sort(key=lambda w: (AWARD_ORDER[w["kind"]], w["full_name"]))
    geography = edition_geography(edition)
    counts = participants_by_country(edition)
    return {
        "edition": edition,
        "nominations": [g for g in groups if g["winners"]],
        "geography": geography,
        "countries": sorted(
            geography.country_codes, key=lambda code: country_name(code).casefold()
        ),
        "chart": country_chart(counts, geography.region_count) if counts else summary_chart(
            geography.region_count, geography.country_count
        ),
    }


def _archive_groups(edition) -> list[dict]:
    """Winners of an edition run before the platform, as the organizers entered them."""
    try:
        from ..models.archive import ArchiveWinner
    except ImportError:  # the archive model belongs to the public pages
        return []
    groups: dict[str, dict] = {}
    rows = db.session.scalars(
        db.select(ArchiveWinner).where(ArchiveWinner.edition_id == edition.id)
        .order_by(ArchiveWinner.position, ArchiveWinner.id)
    )
    for row in rows:
        group = groups.setdefault(row.nomination, {"name": row.nomination, "winners": []})
        group["winners"].append({
            "kind": row.kind, "full_name": row.full_name, "organization": row.organization,
            "country_code": row.country_code, "region_code": "", "project_title": "",
        })
    return list(groups.values())


def participants_by_country(edition) -> dict[str, int]:
    """Applications per country (participating states), for the chart of a run edition."""
    if edition.status == EditionStatus.ARCHIVED:
        return {}
    rows = db.session.execute(
        db.select(Application.country_code, db.func.count(Application.id))
        .where(Application.edition_id == edition.id, Application.state.in_(PARTICIPATING_STATES),
               Application.country_code != "")
        .group_by(Application.country_code)
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int


CHART_WIDTH = 640
LABEL_WIDTH = 220
BAR_SPACE = CHART_WIDTH - LABEL_WIDTH - 60
ROW = 30
MAX_BARS = 15


def _bars(pairs: list[tuple[str, int]]) -> dict:
    top = max((value for _label, value in pairs), default=0) or 1
    bars = [
        Bar(label, value, index * ROW, max(2, round(value / top * BAR_SPACE)))
        for index, (label, value) in enumerate(pairs)
    ]
    return {"bars": bars, "height": len(bars) * ROW, "width": CHART_WIDTH,
            "label_width": LABEL_WIDTH, "bar_space": BAR_SPACE}


def country_chart(counts: dict[str, int], region_count: int) -> dict:
    """Participants per country, most first; the rest grouped when there are many."""
    from flask_babel import gettext as _

    ordered = sorted(counts.items(), key=lambda item: (-item[1], country_name(item[0])))
    pairs = []
    for code, value in ordered[:MAX_BARS]:
        label = country_name(code)
        if code == RUSSIA and region_count:
            label = _("%(country)s (%(count)s regions)", country=label, count=region_count)
        pairs.append((label, value))
    rest = ordered[MAX_BARS:]
    if rest:
        pairs.append((_("Other countries (%(count)s)", count=len(rest)),
                      sum(value for _code, value in rest)))
    chart = _bars(pairs)
    chart["title"] = _("Participants by country")
    return chart


def summary_chart(region_count: int, country_count: int) -> dict:
    """For editions entered by hand: regions of Russia and foreign countries."""
    from flask_babel import gettext as _

    chart = _bars([(_("Regions of Russia"), region_count),
                   (_("Foreign countries"), country_count)])
    chart["title"] = _("Regions and countries")
    return chart


# The public page of published results changes only if an administrator reopens them,
# which changes the key; entries of hand-entered editions expire after a minute. Each app
# (each database) keeps its own cache.

CACHE_SIZE = 64
ARCHIVE_TTL = 60.0


def _cache() -> tuple[OrderedDict, threading.Lock]:
    from flask import current_app

    return current_app.extensions.setdefault(
        "pdc_results_cache", (OrderedDict(), threading.Lock())
    )


def cached_body(edition, render) -> str:
    """The rendered results body for the edition in the UI language, cached."""
    if edition.results_approved_at is None:
        return render()  # reopened by an administrator: changing, never cached
    cache, lock = _cache()
    key = (edition.id, current_language(), edition.results_approved_at,
           edition.results_published_at)
    now = time.monotonic()
    with lock:
        hit = cache.get(key)
        if hit is not None and (hit[0] is None or hit[0] > now):
            cache.move_to_end(key)
            return hit[1]
    body = render()
    expires = now + ARCHIVE_TTL if edition.status == EditionStatus.ARCHIVED else None
    with lock:
        cache[key] = (expires, body)
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    return body


def clear_cache() -> None:
    cache, lock = _cache()
    with lock:
        cache.clear()


# An applicant's own result.


def can_see_result(application, user) -> bool:
    """The owner after publication; the organizers at any time (the preview)."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_organizer:
        return True
    return user.id == application.owner_id and results_are_public(application.edition)


def applicant_result(application, user) -> dict | None:
    """The award, certificates and (if the edition allows) feedback; None under embargo."""
    if not can_see_result(application, user):
        return None
    from .certificates import certificates_of

    edition = application.edition
    accepted = application.state == ApplicationState.ACCEPTED
    award = award_of(application)
    return {
        "application": application,
        "edition": edition,
        "accepted": accepted,
        "award": award,
        "certificates": certificates_of(application) if accepted else [],
        "feedback": feedback(application) if (accepted and edition.applicant_feedback) else None,
        "public": results_are_public(edition),
    }


def feedback(application) -> dict:
    """Criterion averages and the jurors' comments, without the jurors' names."""
    conflicted = set(db.session.scalars(
        db.select(ConflictDeclaration.juror_id)
        .where(ConflictDeclaration.application_id == application.id)
    ))
    sheets = [
        a.score_sheet for a in db.session.scalars(
            db.select(Assignment)
            .where(Assignment.application_id == application.id)
            .options(selectinload(Assignment.score_sheet).selectinload(ScoreSheet.scores))
            .order_by(Assignment.id)
        )
        if a.score_sheet is not None and a.score_sheet.status == SheetStatus.SUBMITTED
        and a.juror_id not in conflicted
    ]
    rows = []
    for criterion in application.edition.active_criteria:
        values, comments = [], []
        for sheet in sheets:
            for score in sheet.scores:
                if score.criterion_id != criterion.id:
                    continue
                if score.value is not None:
                    values.append(score.value)
                if score.comment.strip():
                    comments.append(score.comment.strip())
        rows.append({
            "criterion": criterion,
            "average": round(sum(values) / len(values), 2) if values else None,
            "comments": comments,
        })
    overall = [s.overall_comment.strip() for s in sheets if s.overall_comment.strip()]
    return {"criteria": rows, "overall": overall, "jurors": len(sheets)}

