"""Every list page runs as many SQL statements for 60 applications as for 3 (no N+1).

The pages, their roles and the records around the applications are those of
tests/list_pages.py, which bench/queries_per_page.py measures at 20 and 2,000.
"""

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import strategies

from pdcompetition import create_app
from pdcompetition.models import Award, AwardKind, Event, EventKind
from pdcompetition.results import presenters

from . import factories, list_pages
from .conftest import make_test_config
from .results_support import fast_password_hashes  # noqa: F401  (autouse)

SMALL, LARGE = 3, 60


@pytest.fixture
def app_config():
    return {"JURY_DASHBOARD_CACHE": False}


def build(db, applications: int) -> list_pages.World:
    """An edition of `applications` accepted applications, three jurors each, results
    published with two awards per nomination, and everything around it; committed."""
    now = factories.now()
    edition = factories.make_edition(ordinal=3, open_days_ago=90, close_in_days=-60,
                                     judging_in_days=-20, results_in_days=-1)
    edition.jury_closed_at = now - timedelta(days=20)
    edition.results_approved_at = now - timedelta(days=2)
    edition.results_published_at = edition.results_mailed_at = now - timedelta(days=1)
    db.session.add(Event(edition=edition, kind=EventKind.FORUM, announces_results=True,
                         title_ru="Форум", city_ru="Москва", starts_at=edition.results_publish_at))
    jurors = [factories.make_juror(country_code="KZ") for _ in range(max(3, applications // 5))]
    for juror in jurors:
        factories.add_to_jury(edition, juror, coi_confirmed_at=now)
    countries = [("RU", "RU-PER"), ("KZ", ""), ("AM", ""), ("RU", "RU-MOW")]
    created = []
    for i in range(applications):
        panel = [jurors[(3 * i + j) % len(jurors)] for j in range(3)]
        country, region = countries[i % len(countries)]
        created.append(factories.make_scored_application(
            edition, [(juror, [(i + j + c) % 11 for c in range(3)]) for j, juror in
                      enumerate(panel)],
            nomination=edition.nominations[i % 2], country_code=country, region_code=region))
    for n, nomination in enumerate(edition.nominations):
        for application, kind in zip(created[n::2], (AwardKind.WINNER, AwardKind.SECOND),
                                     strict=False):
            db.session.add(Award(application=application, edition_id=edition.id,
                                 nomination_id=nomination.id, kind=kind))
    db.session.commit()
    return list_pages.add_surroundings(
        edition.id, jurors[0].email, created[0].owner_id, factories.PASSWORD, applications)


def measure(app, db, applications: int) -> dict:
    """Build a fresh database of `applications` and count each list page's statements."""
    db.session.remove()
    db.drop_all()
    db.create_all()
    presenters.clear_cache()
    world = build(db, applications)
    db.session.remove()
    return list_pages.count_statements(app, db.engine, world)


def test_every_get_page_is_a_list_page_or_said_not_to_be(tmp_path):
    app = create_app(make_test_config(tmp_path, "sqlite://"))
    assert list_pages.catalogue_problems(app) == []


def test_list_pages_run_as_many_statements_for_60_applications_as_for_3(app, db,
                                                                         monkeypatch):
    # selectinload sends one query per 500 parents: at 2,000 applications a page using it
    # on applications runs four. Batches of 50 (no page shows more of anything else) let
    # the same growth show at 60.
    loader = getattr(strategies, "_SelectInLoader", None) or strategies.SelectInLoader
    monkeypatch.setattr(loader, "_chunksize", 50)
    small = measure(app, db, SMALL)
    large = measure(app, db, LARGE)
    assert len(small) == sum(len(page.variants) for page in list_pages.LIST_PAGES.values())
    problems = list_pages.differences(small, large)
    assert not problems, "\n".join(problems)


def test_score_and_ranking_csv_stream_after_the_view_returns(app, db):
    """A CSV export streams after the view's session is closed; its rows must still load
    (they failed on the detached edition in production, while the tests' surrounding
    application context kept the session open)."""
    world = build(db, SMALL)
    client = FlaskClient(app, app.response_class)
    url = f"/manage/editions/{world.ids['edition_id']}/results/export/%s.csv"
    list_pages.as_in_a_worker(client.post, "/auth/login", data={
        "email": world.logins["organizer"], "password": world.password})
    # A header, then a line per juror's sheet, or per application.
    for kind, lines in (("scores", 1 + 3 * SMALL), ("ranking", 1 + SMALL)):
        response = list_pages.as_in_a_worker(client.get, url % kind)
        assert response.status_code == 200
        assert len(response.get_data().decode("utf-8-sig").splitlines()) == lines
