"""Who may open each jury route; the organizers' read-only view of a score sheet."""

import pytest
import sqlalchemy as sa

from pdcompetition.models import Role, ScoreSheet

from . import factories
from .jury_helpers import post_sheet, setup_jury

ROUTES = [
    ("get", "/jury/"),
    ("get", "/jury/editions/{edition}/declaration"),
    ("post", "/jury/editions/{edition}/declaration"),
    ("get", "/jury/editions/{edition}/next"),
    ("get", "/jury/applications/{application}"),
    ("post", "/jury/applications/{application}"),
    ("get", "/jury/applications/{application}/conflict"),
    ("post", "/jury/applications/{application}/conflict"),
    ("get", "/jury/sheets/{sheet}"),
    ("post", "/jury/sheets/{sheet}"),
]

# Expected status per route (in ROUTES order) for each kind of visitor.
EXPECTED = {
    # Anonymous visitors are sent to the login page (a POST to the sheet view has no route).
    "anonymous": [302, 302, 302, 302, 302, 302, 302, 302, 302, 405],
    "applicant": [403, 403, 403, 403, 403, 403, 403, 403, 403, 405],
    # A juror of the same edition who is not assigned: the application does not exist for them.
    "other_juror": [200, 200, 200, 302, 404, 404, 404, 404, 404, 405],
    # Organizers read sheets but never write scores.
    "organizer": [403, 403, 403, 403, 403, 403, 403, 403, 200, 405],
    # Admins hold every power but have no jury seat or assignment of their own here.
    "admin": [200, 404, 404, 404, 404, 404, 404, 404, 200, 405],
    # The assigned juror (an empty POST of the sheet is a stale form: told, not applied).
    "owner": [200, 200, 200, 302, 200, 409, 200, 200, 302, 405],
}


@pytest.fixture
def world(db):
    jury = setup_jury(db, n=1)
    sheet = factories.make_sheet(jury.assignments[0], [4, 5, 6])
    other = factories.make_juror()
    factories.add_to_jury(jury.edition, other, coi_confirmed_at=factories.now())
    people = {
        "applicant": jury.applications[0].owner,
        "other_juror": other,
        "organizer": factories.make_user(Role.ORGANIZER),
        "admin": factories.make_user(Role.ADMIN),
        "owner": jury.juror,
    }
    db.session.commit()
    ids = {"edition": jury.edition.id, "application": jury.applications[0].id, "sheet": sheet.id}
    return people, ids, sheet


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_jury_route_for_every_role(client, auth, db, world, who):
    people, ids, sheet = world
    if who != "anonymous":
        auth.login(people[who])
    got = []
    for method, pattern in ROUTES:
        response = getattr(client, method)(pattern.format(**ids), data={})
        got.append(response.status_code)
        if who == "anonymous" and response.status_code == 302:
            assert "/auth/login" in response.headers["Location"]
    assert got == EXPECTED[who]
    db.session.expire_all()
    stored = db.session.get(ScoreSheet, ids["sheet"])
    assert sorted(s.value for s in stored.scores) == [4, 5, 6]
    assert stored.version == 1


def test_organizer_reads_a_sheet_with_its_history(client, auth, db):
    jury = setup_jury(db, n=1)
    c1, c2, c3 = jury.edition.criteria
    auth.login(jury.juror)
    post_sheet(client, jury.applications[0], {c1.id: "8", c2.id: "6", c3.id: "7"},
               comments={c2.id: "Хорошие партнёры"}, overall="Сильная заявка", submit=True)
    post_sheet(client, jury.applications[0], {c1.id: "9", c2.id: "6", c3.id: "7"},
               comments={c2.id: "Хорошие партнёры"}, overall="Сильная заявка", version=1,
               submit=True)
    auth.logout()
    organizer = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    sheet_id = db.session.scalar(sa.select(ScoreSheet.id))
    auth.login(organizer)
    page = client.get(f"/jury/sheets/{sheet_id}").get_data(as_text=True)
    assert jury.juror.full_name in page
    assert "Хорошие партнёры" in page and "Сильная заявка" in page
    assert "8 → 9" in page  # the change after submission, from the audit log
    assert "<form" not in page.split('<main', 1)[1].split("</main>")[0]
    # Reading is all: the juror's scoring form refuses organizers.
    assert post_sheet(client, jury.applications[0], {c1.id: "1"}, version=2).status_code == 403
    assert client.post(f"/jury/sheets/{sheet_id}", data={}).status_code == 405


def test_organizer_who_is_also_a_juror_cannot_score_what_is_not_assigned(client, auth, db):
    jury = setup_jury(db, n=1)
    both = factories.make_user(Role.ORGANIZER, Role.JUROR)
    factories.add_to_jury(jury.edition, both, coi_confirmed_at=factories.now())
    db.session.commit()
    auth.login(both)
    c1 = jury.edition.criteria[0]
    assert post_sheet(client, jury.applications[0], {c1.id: "5"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count(ScoreSheet.id))) == 0


def test_unknown_ids_answer_404(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    for path in ("/jury/applications/99999", "/jury/applications/99999/conflict",
                 "/jury/editions/99999/declaration", "/jury/editions/99999/next",
                 "/jury/sheets/99999"):
        assert client.get(path).status_code == 404, path


def test_inactive_editions_are_not_judged(client, auth, db):
    from pdcompetition.models import EditionStatus

    jury = setup_jury(db, n=1)
    jury.edition.status = EditionStatus.DRAFT
    db.session.commit()
    auth.login(jury.juror)
    assert client.get(f"/jury/applications/{jury.applications[0].id}").status_code == 404
    assert jury.applications[0].project_title not in client.get("/jury/").get_data(as_text=True)


def test_nav_link_for_jurors_only(client, auth, db):
    jury = setup_jury(db, n=1)
    applicant = factories.make_user(Role.APPLICANT)
    db.session.commit()
    auth.login(applicant)
    assert 'href="/jury/"' not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(jury.juror)
    assert 'href="/jury/"' in client.get("/").get_data(as_text=True)
