"""The published results page: winners, geography and its chart, caching, verification."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from pdcompetition.models import (
    Award,
    AwardKind,
    Certificate,
    CertificateKind,
    Edition,
    EditionStatus,
)
from pdcompetition.results import services

from .factories import make_edition, now
from .results_support import build_edition, fast_password_hashes  # noqa: F401  (autouse)


@pytest.fixture
def world(db):
    """Published results: A winner (Perm region), C laureate (Uzbekistan)."""
    world = build_edition(db)
    edition = world.edition
    services.close_jury(edition, world.organizer)
    loaded = services.load_ranking(edition)
    services.save_awards(loaded, world.n1.id, {
        world.a.id: ("winner", ""), world.c.id: ("laureate", "Вклад в диалог культур"),
    }, world.organizer)
    loaded = services.load_ranking(edition)
    services.save_awards(loaded, world.n2.id, {world.e.id: ("special_mention", "")},
                         world.organizer)
    services.approve_results(edition, world.organizer)
    services.publish_now(edition, world.organizer)
    db.session.commit()
    return world


def url(world):
    return f"/editions/{world.edition.ordinal}/results"


def test_winners_per_nomination_with_places(client, world):
    html = client.get(url(world)).get_data(as_text=True)
    n1, n2 = html.index("Номинация 1"), html.index("Номинация 2")
    assert n1 < html.index("Анна Петрова") < html.index("Карим Саидов") < n2
    assert n2 < html.index("Елена Смирнова")
    assert "Победитель (1-е место)" in html and "Лауреат" in html
    assert "Специальное упоминание" in html
    assert "Узбекистан" in html and "Пермский край" in html
    assert world.a.organization in html
    assert world.b.full_name not in html  # ranked second, but not awarded


def test_geography_figures_list_and_chart(client, world):
    html = client.get(url(world)).get_data(as_text=True)
    geography = html[html.index("География участников"):]
    assert "1</span> регион России" in geography
    assert "1</span> зарубежная страна" in geography
    assert '<svg class="bar-chart"' in geography
    assert 'class="chart-bar"' in geography and "Участники по странам" in geography
    assert "Россия (регионов: 1)" in geography
    # No inline styles or scripts on the page (the CSP forbids them).
    assert "style=" not in html and "<script>" not in html
    english = client.get(url(world), headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Uzbekistan" in english and "1</span> foreign country" in english
    assert "Participants by country" in english


def test_page_is_cached_once_published(client, world, db):
    page = url(world)
    client.get(page)
    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        html = client.get(page).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert "Анна Петрова" in html
    # Only the edition itself is read; winners and geography come from the cache.
    assert len(statements) == 1, "\n---\n".join(statements)


def test_reopened_results_show_changes_live(client, world, db):
    assert "Лауреат" in client.get(url(world)).get_data(as_text=True)
    edition = db.session.get(Edition, world.edition.id)
    services.reopen_results(edition, world.admin, "Снятие лауреата по решению оргкомитета")
    loaded = services.load_ranking(edition)
    services.save_awards(loaded, world.n1.id, {world.a.id: ("winner", ""), world.c.id: (None, "")},
                         world.organizer)
    db.session.commit()
    html = client.get(url(world)).get_data(as_text=True)
    assert "Карим Саидов" not in html and "Анна Петрова" in html


def test_archived_edition_shows_entered_figures(client, db):
    moment = datetime(2023, 12, 12, 12, 0, tzinfo=UTC)
    edition = make_edition(
        ordinal=2, status=EditionStatus.ARCHIVED, results_approved_at=moment,
        results_published_at=moment, archive_region_count=24, archive_country_count=17,
        archive_country_codes=["DE", "IT", "KZ"],
    )
    from pdcompetition.models.archive import ArchiveWinner

    db.session.add(ArchiveWinner(edition=edition, kind=AwardKind.WINNER,
                                 full_name="Ирина Архивная", organization="АНО «Память»",
                                 country_code="KZ", nomination_ru="Народная дипломатия"))
    db.session.commit()
    html = client.get("/editions/2/results").get_data(as_text=True)
    assert "Ирина Архивная" in html and "Народная дипломатия" in html
    assert "24</span> региона России" in html or "24</span> регионов России" in html
    assert "17</span> зарубежных стран" in html
    assert "Регионы и страны" in html  # the summary chart
    assert "Германия" in html and "Казахстан" in html


def test_draft_and_unknown_editions_are_404(client, db):
    make_edition(ordinal=9, status=EditionStatus.DRAFT)
    db.session.commit()
    assert client.get("/editions/9/results").status_code == 404
    assert client.get("/editions/77/results").status_code == 404


def test_results_index_lists_published_editions(client, world, db):
    unpublished = make_edition(ordinal=12)
    db.session.commit()
    html = client.get("/results").get_data(as_text=True)
    # Whole titles between tags: other test editions are numbered 100 and up ("Конкурс 1235").
    assert f">{world.edition.title}<" in html
    assert f">{unpublished.title}<" not in html


def test_verify_form_normalizes_what_is_typed(client, world, db):
    code = db.session.scalar(db.select(Certificate.code).where(
        Certificate.application_id == world.e.id, Certificate.kind == CertificateKind.DIPLOMA))
    response = client.get("/verify", query_string={"code": "  " + code.lower() + " "})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/verify/{code}")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Документ подлинный" in html and "Специальное упоминание" in html
    empty = client.get("/verify", query_string={"code": ""})
    assert empty.status_code == 200 and "error" in empty.get_data(as_text=True)
    assert client.get("/verify").status_code == 200


def test_winner_sees_their_result_and_the_losers_theirs(client, auth, world):
    auth.login(world.b.owner)
    html = client.get(f"/results/applications/{world.b.id}").get_data(as_text=True)
    assert "в этот раз она не получила награды" in html
    assert "Сертификат участника" in html
    assert "Отзыв жюри" not in html  # feedback is off for this edition


def test_feedback_shows_averages_and_comments_without_names(client, auth, world, db):
    world.edition.applicant_feedback = True
    db.session.commit()
    auth.login(world.c.owner)
    html = client.get(f"/results/applications/{world.c.id}").get_data(as_text=True)
    # Jurors gave 2 and 8 on each criterion: the average is 5.00 of 10.
    assert html.count("5.00 / 10") == 3
    assert "Комментарий" in html
    assert world.j1.full_name not in html and world.j2.full_name not in html


def test_rejected_applicant_sees_only_the_announcement(client, auth, world):
    auth.login(world.rejected.owner)
    html = client.get(f"/results/applications/{world.rejected.id}").get_data(as_text=True)
    assert "Итоги конкурса объявлены" in html
    assert "Сертификат" not in html
    assert client.get(f"/results/applications/{world.rejected.id}/certificates/"
                      "participation.pdf").status_code == 404


PUBLIC_ROUTES = ["/results", "/editions/{ordinal}/results", "/verify", "/verify/{code}"]


@pytest.mark.parametrize("role", ["anonymous", "applicant", "juror", "organizer", "admin"])
def test_public_routes_by_role(client, auth, world, db, role):
    users = {"applicant": world.b.owner, "juror": world.j1, "organizer": world.organizer,
             "admin": world.admin}
    if role in users:
        auth.login(users[role])
    code = db.session.scalar(db.select(Certificate.code).limit(1))
    for route in PUBLIC_ROUTES:
        target = route.format(ordinal=world.edition.ordinal, code=code)
        assert client.get(target).status_code == 200, target
    # Someone's own result: the owner, and the organizers; nobody else.
    own = f"/results/applications/{world.a.id}"
    expected = {"anonymous": 302, "applicant": 404, "juror": 404, "organizer": 200, "admin": 200}
    assert client.get(own).status_code == expected[role]
    assert client.get(f"{own}/certificates/diploma.pdf").status_code == expected[role]
    assert client.get(f"{own}/certificates/unknown.pdf").status_code == 404


def test_award_order_within_a_nomination(client, world, db):
    edition = db.session.get(Edition, world.edition.id)
    services.reopen_results(edition, world.admin, "Добавляем второе место в номинации")
    loaded = services.load_ranking(edition)
    services.save_awards(loaded, world.n1.id, {world.b.id: ("second", "")}, world.organizer)
    edition.results_publish_at = now() + timedelta(days=1)
    services.approve_results(edition, world.organizer)
    db.session.commit()
    html = client.get(url(world)).get_data(as_text=True)
    assert html.index("Анна Петрова") < html.index("Борис Орлов") < html.index("Карим Саидов")
    assert db.session.scalar(db.select(Award).where(Award.application_id == world.b.id))
