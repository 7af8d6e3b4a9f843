"""An edition's geography: the Russian regions and foreign countries its participants came from."""

from dataclasses import dataclass, field

from .domain.geography import RUSSIA
from .extensions import db
from .models import Application, ApplicationState

# Applications that count as participation (the organizers' press-release figures).
PARTICIPATING_STATES = (
    ApplicationState.SUBMITTED,
    ApplicationState.RETURNED,
    ApplicationState.ACCEPTED,
    ApplicationState.REJECTED,
)


@dataclass
class Geography:
    region_count: int
    country_count: int  # foreign countries, Russia excluded
    country_codes: list[str] = field(default_factory=list)
    region_codes: list[str] = field(default_factory=list)


def summarize(pairs) -> Geography:
    """Geography from (country_code, region_code) pairs of participants."""
    regions = sorted({region for country, region in pairs if country == RUSSIA and region})
    countries = sorted({country for country, _region in pairs if country and country != RUSSIA})
    return Geography(len(regions), len(countries), countries, regions)


def edition_geography(edition) -> Geography:
    """Entered figures for an archived edition; computed from applications otherwise."""
    return editions_geography([edition])[edition.id]


def editions_geography(editions) -> dict[int, Geography]:
    """edition id -> its geography, for a list of editions in one query at most."""
    from .models import EditionStatus

    out, computed = {}, []
    for edition in editions:
        if edition.status == EditionStatus.ARCHIVED and edition.archive_country_count is not None:
            codes = list(edition.archive_country_codes or [])
            out[edition.id] = Geography(edition.archive_region_count or 0,
                                        edition.archive_country_count, codes)
        else:
            computed.append(edition.id)
    if computed:
        rows = db.session.execute(
            db.select(Application.edition_id, Application.country_code, Application.region_code)
            .where(Application.edition_id.in_(computed),
                   Application.state.in_(PARTICIPATING_STATES))
            .distinct()
        ).all()
        pairs: dict[int, list] = {edition_id: [] for edition_id in computed}
        for edition_id, country, region in rows:
            pairs[edition_id].append((country, region))
        out.update((edition_id, summarize(found)) for edition_id, found in pairs.items())
    return out
