"""Queries behind the public pages."""

from dataclasses import dataclass, field

from flask import abort
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload

from ..domain.moscow_time import now_utc
from ..domain.stages import results_are_public
from ..extensions import db
from ..geography_stats import Geography, editions_geography
from ..i18n import country_name
from ..models import (
    ArchiveWinner,
    Award,
    AwardKind,
    CommitteeMember,
    Edition,
    EditionStatus,
    Event,
    JurorProfile,
    JuryMember,
    Partner,
    Role,
    User,
    localized,
)

KIND_ORDER = {kind: index for index, kind in enumerate(AwardKind)}


def current_edition() -> Edition | None:
    """The edition run on the platform now: the active one with the highest ordinal."""
    return db.session.scalar(
        db.select(Edition)
        .where(Edition.status == EditionStatus.ACTIVE)
        .order_by(Edition.ordinal.desc())
        .limit(1)
    )


def is_organizer() -> bool:
    return current_user.is_authenticated and current_user.has_role(Role.ORGANIZER)


def get_public_edition(ordinal: int) -> Edition:
    """An edition the public may see (drafts only for organizers), or 404."""
    edition = db.session.scalar(
        db.select(Edition)
        .where(Edition.ordinal == ordinal)
        .options(selectinload(Edition.nominations), selectinload(Edition.events))
    )
    if edition is None or (edition.status == EditionStatus.DRAFT and not is_organizer()):
        abort(404)
    return edition


def public_editions() -> list[Edition]:
    """Every edition but drafts, the newest first, with what the archive shows."""
    return list(
        db.session.scalars(
            db.select(Edition)
            .where(Edition.status != EditionStatus.DRAFT)
            .order_by(Edition.ordinal.desc())
            .options(selectinload(Edition.events))
        )
    )


@dataclass
class Winner:
    kind: AwardKind
    name: str
    organization: str
    country_code: str
    nomination: str
    project: str = ""
    order: tuple = ()


@dataclass
class ArchiveEntry:
    edition: Edition
    geography: Geography
    country_names: list[str]
    winners: list[Winner] = field(default_factory=list)
    results_public: bool = False

    @property
    def unnamed_countries(self) -> bool:
        """Some countries were counted but not named in the record."""
        return len(self.country_names) < self.geography.country_count


def sorted_country_names(codes) -> list[str]:
    """Country names in the UI language, alphabetically."""
    return sorted((country_name(code) for code in codes), key=str.casefold)


def winners_by_edition(editions) -> dict[int, list[Winner]]:
    """Published winners of each edition: its awards, or for archived ones the entered list.

    Editions whose results are still under embargo get nothing."""
    public = [e for e in editions if results_are_public(e)]
    out: dict[int, list[Winner]] = {e.id: [] for e in editions}
    if not public:
        return out
    awards = db.session.scalars(
        db.select(Award)
        .where(Award.edition_id.in_([e.id for e in public]))
        .options(joinedload(Award.application), joinedload(Award.nomination))
    )
    for award in awards:
        application, nomination = award.application, award.nomination
        out[award.edition_id].append(
            Winner(
                award.kind,
                application.full_name,
                application.organization,
                application.country_code,
                nomination.name if nomination else "",
                application.project_title,
                order=(
                    nomination.position if nomination else 999,
                    KIND_ORDER[award.kind],
                    application.full_name,
                ),
            )
        )
    archived = db.session.scalars(
        db.select(ArchiveWinner).where(ArchiveWinner.edition_id.in_([e.id for e in public]))
    )
    for row in archived:
        out[row.edition_id].append(
            Winner(
                row.kind,
                row.full_name,
                row.organization,
                row.country_code,
                row.nomination,
                order=(row.position, KIND_ORDER[row.kind], row.full_name),
            )
        )
    for winners in out.values():
        winners.sort(key=lambda winner: winner.order)
    return out


def archive_entries(editions) -> list[ArchiveEntry]:
    """Each edition with its geography and published winners, for the archive page."""
    winners = winners_by_edition(editions)
    geographies = editions_geography(editions)
    entries = []
    for edition in editions:
        geography = geographies[edition.id]
        entries.append(
            ArchiveEntry(
                edition,
                geography,
                sorted_country_names(geography.country_codes),
                winners[edition.id],
                results_are_public(edition),
            )
        )
    return entries


def _published_events():
    return db.select(Event).where(Event.is_published.is_(True)).options(selectinload(Event.edition))


def upcoming_events(limit: int | None = None) -> list[Event]:
    """Published events that have not ended yet, soonest first."""
    now = now_utc()
    query = (
        _published_events()
        .where(db.func.coalesce(Event.ends_at, Event.starts_at) >= now)
        .order_by(Event.starts_at, Event.id)
    )
    if limit:
        query = query.limit(limit)
    return list(db.session.scalars(query))


def past_events(page: int, per_page: int = 20):
    """Published events that are over, the latest first, a page at a time."""
    query = (
        _published_events()
        .where(db.func.coalesce(Event.ends_at, Event.starts_at) < now_utc())
        .order_by(Event.starts_at.desc(), Event.id.desc())
    )
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def committee() -> list[CommitteeMember]:
    return list(
        db.session.scalars(
            db.select(CommitteeMember)
            .where(CommitteeMember.is_published.is_(True))
            .order_by(CommitteeMember.position, CommitteeMember.full_name_ru)
        )
    )


def partners() -> list[Partner]:
    return list(
        db.session.scalars(
            db.select(Partner)
            .where(Partner.is_published.is_(True))
            .order_by(Partner.position, Partner.name_ru)
        )
    )


@dataclass
class Juror:
    name: str
    country_code: str
    organization: str
    position: str
    bio: str


def published_juries() -> list[tuple[Edition, list[Juror]]]:
    """The juries the organizers have published, newest edition first."""
    members = db.session.scalars(
        db.select(JuryMember)
        .join(JuryMember.edition)
        .join(JuryMember.user)
        .where(
            Edition.jury_published.is_(True),
            Edition.status != EditionStatus.DRAFT,
            JuryMember.is_public.is_(True),
        )
        .order_by(Edition.ordinal.desc(), JuryMember.position, User.full_name)
        .options(
            joinedload(JuryMember.edition),
            joinedload(JuryMember.user).joinedload(User.juror_profile),
        )
    )
    juries: dict[int, tuple[Edition, list[Juror]]] = {}
    for member in members:
        profile = member.user.juror_profile or JurorProfile()
        juror = Juror(
            member.user.display_name,
            profile.country_code or "",
            profile.organization or "",
            localized(profile, "position"),
            localized(profile, "bio"),
        )
        juries.setdefault(member.edition_id, (member.edition, []))[1].append(juror)
    return list(juries.values())


def sitemap_editions() -> list[int]:
    return list(
        db.session.scalars(
            db.select(Edition.ordinal)
            .where(Edition.status != EditionStatus.DRAFT)
            .order_by(Edition.ordinal)
        )
    )


def sitemap_events() -> list[int]:
    return list(
        db.session.scalars(
            db.select(Event.id).where(Event.is_published.is_(True)).order_by(Event.id)
        )
    )


def next_dates(edition: Edition) -> list[tuple[str, object]]:
    """The edition's key dates still ahead, soonest first, as (label key, moment)."""
    now = now_utc()
    dates = [
        ("applications_open", edition.applications_open_at),
        ("applications_close", edition.applications_close_at),
        ("judging_close", edition.judging_close_at),
        ("results", edition.results_publish_at),
    ]
    return sorted(
        ((key, moment) for key, moment in dates if moment is not None and moment > now),
        key=lambda pair: pair[1],
    )


def results_url(edition: Edition) -> str | None:
    """The public results page of the edition, when that page exists in this build."""
    from flask import current_app, url_for
    from werkzeug.exceptions import HTTPException

    path = url_for("public.edition", ordinal=edition.ordinal) + "/results"
    try:
        current_app.url_map.bind("localhost").match(path)
    except HTTPException:
        return None
    return path
