"""Pure rules: Moscow time, geography, edition stages, scoring, the audit log's immutability."""

from datetime import UTC, datetime, timedelta

import pytest

from pdcompetition.domain import geography
from pdcompetition.domain.moscow_time import from_moscow, is_before, to_moscow, to_zone
from pdcompetition.domain.scoring import weighted_total
from pdcompetition.domain.stages import Stage, edition_stage, results_are_public
from pdcompetition.geography_stats import summarize
from pdcompetition.models import AuditEntry, AuditLogIsAppendOnly, Edition, EditionStatus
from pdcompetition.models.editions import roman


def test_moscow_conversion():
    moment = from_moscow(datetime(2023, 12, 12, 15, 0))
    assert moment == datetime(2023, 12, 12, 12, 0, tzinfo=UTC)
    assert to_moscow(moment).hour == 15
    assert to_zone(moment, "Asia/Bishkek").hour == 18
    assert to_zone(moment, "Not/AZone").hour == 15


def test_deadline_is_exclusive():
    deadline = datetime(2024, 1, 1, tzinfo=UTC)
    assert is_before(deadline, deadline - timedelta(seconds=1))
    assert not is_before(deadline, deadline)
    assert not is_before(None)


def test_regions_are_iso_3166_2_ru_with_russian_names():
    regions = dict(geography.region_choices("ru"))
    assert len(regions) == 83
    assert regions["RU-PER"] == "Пермский край"
    assert regions["RU-MOW"] == "Москва"
    assert all(any("а" <= ch <= "я" for ch in name.lower()) for name in regions.values())
    assert geography.region_name("RU-PER", "en") == "Permskiy kray"
    assert geography.is_russian_region("RU-TA") and not geography.is_russian_region("UA-43")


def test_countries_from_babel_in_ui_language():
    assert geography.country_name("DE", "ru") == "Германия"
    assert geography.country_name("DE", "en") == "Germany"
    codes = [code for code, _ in geography.country_choices("en")]
    assert "EU" not in codes and "ZZ" not in codes and "RU" in codes
    custom = geography.country_choices("ru", {"XA": "Абхазия"})
    assert ("XA", "Абхазия") in custom
    names = [name for _, name in custom]
    assert names == sorted(names, key=str.casefold)


def test_geography_summary_counts_regions_and_foreign_countries():
    summary = summarize([("RU", "RU-PER"), ("RU", "RU-PER"), ("RU", "RU-TA"), ("AZ", ""),
                         ("XA", ""), ("RU", "")])
    assert summary.region_count == 2 and summary.country_count == 2
    assert summary.country_codes == ["AZ", "XA"]


def test_weighted_total_scales_to_100():
    assert weighted_total([(10, 10, 1), (0, 10, 1)]) == 50
    assert weighted_total([(5, 5, 2), (0, 10, 1)]) == pytest.approx(200 / 3)
    assert weighted_total([(None, 10, 1)]) is None


def _edition(**fields):
    now = datetime(2025, 6, 1, tzinfo=UTC)
    values = dict(
        status=EditionStatus.ACTIVE,
        applications_open_at=now - timedelta(days=10),
        applications_close_at=now + timedelta(days=10),
        judging_close_at=now + timedelta(days=30),
        results_publish_at=now + timedelta(days=40),
        jury_closed_at=None, results_approved_at=None, results_published_at=None,
    )
    values.update(fields)
    return Edition(ordinal=1, year=2025, title_ru="x", **values), now


def test_stages_follow_dates():
    edition, now = _edition()
    assert edition_stage(edition, now - timedelta(days=11)) == Stage.PREPARING
    assert edition_stage(edition, now) == Stage.ACCEPTING
    assert edition_stage(edition, now + timedelta(days=11)) == Stage.JUDGING
    assert edition_stage(edition, now + timedelta(days=31)) == Stage.AWAITING_RESULTS


def test_embargo_lifts_at_the_announcement_only_for_approved_results():
    edition, now = _edition()
    moment = edition.results_publish_at
    assert not results_are_public(edition, moment + timedelta(days=1))  # not approved
    edition.results_approved_at = now
    assert not results_are_public(edition, moment - timedelta(seconds=1))
    assert results_are_public(edition, moment)
    edition2, _ = _edition(results_published_at=now)  # "Publish now"
    assert results_are_public(edition2, now)
    assert not results_are_public(edition2, now - timedelta(seconds=1))


def test_audit_log_is_append_only(app, db):
    entry = AuditEntry(action="test.action")
    db.session.add(entry)
    db.session.commit()
    entry.action = "changed"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("number, expected", [
    (1, "I"), (2, "II"), (4, "IV"), (9, "IX"), (14, "XIV"), (40, "XL"), (49, "XLIX"),
    (90, "XC"), (400, "CD"), (1994, "MCMXCIV"), (3999, "MMMCMXCIX"), (4000, "4000"),
])
def test_edition_ordinals_in_roman_numerals(number, expected):
    assert roman(number) == expected
