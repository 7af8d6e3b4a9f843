"""The edition overview: counts by state, nomination, country, region and day, with charts."""

import re
from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import event

from pdcompetition.models import ApplicationState, Role
from pdcompetition.organizers.charts import bar_chart, column_chart
from pdcompetition.organizers.overview import edition_overview, fill_days

from . import factories

S = ApplicationState


@pytest.fixture
def organizer(db, auth):
    user = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    auth.login(user)
    return user


@contextmanager
def count_queries(db):
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def submitted(edition, moment, **fields):
    application = factories.make_application(edition, **fields)
    application.submitted_at = application.last_submitted_at = moment
    return application


@pytest.fixture
def edition(db):
    edition = factories.make_edition(ordinal=3, nominations=2)
    first, second = edition.nominations
    submitted(edition, datetime(2025, 10, 1, 8, 0, tzinfo=UTC), nomination=first,
              country_code="RU", region_code="RU-PER")
    # 22:30 UTC is already the next day in Moscow.
    submitted(edition, datetime(2025, 10, 1, 22, 30, tzinfo=UTC), nomination=first,
              country_code="RU", region_code="RU-TA", state=S.ACCEPTED)
    submitted(edition, datetime(2025, 10, 4, 9, 0, tzinfo=UTC), nomination=second,
              country_code="KZ", region_code="", state=S.REJECTED)
    factories.make_application(edition, state=S.DRAFT, country_code="AM", region_code="")
    factories.make_application(factories.make_edition(ordinal=2), country_code="BY")  # elsewhere
    db.session.commit()
    return edition


def test_figures_are_grouped_by_state_nomination_country_region_and_moscow_day(db, edition):
    figures = edition_overview(edition)
    first, second = edition.nominations
    assert figures.by_state == {S.SUBMITTED: 1, S.ACCEPTED: 1, S.REJECTED: 1, S.DRAFT: 1}
    assert figures.total_submitted == 3 and figures.drafts == 1
    assert figures.by_nomination_state == {
        (first.id, S.SUBMITTED): 1, (first.id, S.ACCEPTED): 1, (second.id, S.REJECTED): 1,
    }
    assert figures.by_country == [("RU", 2), ("KZ", 1)]  # the draft from Armenia is not counted
    assert sorted(figures.by_region) == [("RU-PER", 1), ("RU-TA", 1)]
    assert figures.per_day == [
        (date(2025, 10, 1), 1), (date(2025, 10, 2), 1), (date(2025, 10, 3), 0),
        (date(2025, 10, 4), 1),
    ]


def test_overview_page_shows_numbers_and_svg_charts_in_russian(client, db, organizer, edition):
    response = client.get(f"/manage/editions/{edition.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Черновиков в работе: 1" in page
    assert "Стран (включая Россию): 2 · регионов России: 2" in page
    for name in ("Казахстан", "Россия", "Пермский край", "Республика Татарстан", "Номинация 1"):
        assert name in page
    assert page.count("<svg") == 4  # nominations, countries, regions, days
    assert 'role="img"' in page
    assert " style=" not in page and "<style" not in page  # the CSP forbids inline styles
    assert f"/manage/editions/{edition.id}/applications?country=KZ" in page


def test_overview_of_an_empty_edition(client, db, organizer):
    edition = factories.make_edition(ordinal=7)
    db.session.commit()
    page = client.get(f"/manage/editions/{edition.id}").get_data(as_text=True)
    assert "Заявок пока не подано." in page
    assert "<svg" not in page


def test_overview_queries_do_not_grow_with_applications(client, db, organizer):
    edition = factories.make_edition(ordinal=3)
    countries = ["RU", "KZ", "UZ", "AM", "BY"]

    owner = factories.make_user()

    def add(n):
        for i in range(n):
            factories.make_application(edition, owner=owner, country_code=countries[i % 5],
                                       nomination=edition.nominations[i % 2])
        db.session.commit()

    add(3)
    with count_queries(db) as few:
        client.get(f"/manage/editions/{edition.id}")
    add(30)
    with count_queries(db) as many:
        assert client.get(f"/manage/editions/{edition.id}").status_code == 200
    assert len(many) == len(few)


def test_fill_days_puts_zeros_between_days():
    assert fill_days({}) == []
    assert fill_days({date(2025, 1, 30): 2, date(2025, 2, 1): 1}) == [
        (date(2025, 1, 30), 2), (date(2025, 1, 31), 0), (date(2025, 2, 1), 1),
    ]


def test_bar_chart_scales_bars_to_the_largest_value():
    chart = bar_chart([("Россия", 10), ("Ханты-Мансийский автономный округ — Югра", 5),
                       ("Ноль", 0)], width=600, label_width=200, value_room=50)
    widths = [bar.width for bar in chart.bars]
    assert widths == [350, 175, 0]
    assert chart.bars[1].short_label.endswith("…") and len(chart.bars[1].short_label) <= 34
    assert chart.bars[1].label == "Ханты-Мансийский автономный округ — Югра"
    assert bar_chart([]).bars == []


def test_column_chart_heights_and_ticks():
    points = [(date(2025, 10, d), v) for d, v in zip(range(1, 21), [0, 4] * 10, strict=True)]
    chart = column_chart(points, height=122, axis_room=22)
    assert [bar.height for bar in chart.bars[:2]] == [0, 100]
    assert chart.bars[1].y == 0
    assert 1 <= len(chart.ticks) <= 8
    assert re.fullmatch(r"\d\d\.10", chart.ticks[0][1])
