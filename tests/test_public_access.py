"""Who may open each route of the public face: every role, for every route added."""

import pytest

from pdcompetition.models import (
    ArchiveWinner,
    AwardKind,
    CommitteeMember,
    EditionStatus,
    Partner,
    Role,
)

from . import factories

ROLES = ["anonymous", "applicant", "juror", "organizer", "admin"]


@pytest.fixture
def objects(db):
    """One of everything the routes take an id of."""
    archived = factories.make_edition(ordinal=1, status=EditionStatus.ARCHIVED)
    current = factories.make_edition(ordinal=3)
    event = factories.make_event(current, capacity=10)
    member = CommitteeMember(full_name_ru="Член Оргкомитета")
    partner = Partner(name_ru="Партнёр")
    winner = ArchiveWinner(edition=archived, kind=AwardKind.WINNER, full_name="Победитель")
    db.session.add_all([member, partner, winner])
    db.session.commit()
    return {"archived": archived.id, "event": event.id, "member": member.id,
            "partner": partner.id, "winner": winner.id}


MAKERS = {
    "applicant": lambda: factories.make_user(Role.APPLICANT),
    "juror": factories.make_juror,
    "organizer": lambda: factories.make_user(Role.ORGANIZER),
    "admin": lambda: factories.make_user(Role.ADMIN),
}


def login_as(auth, db, role):
    """Sign in as a new user holding `role` (password hashing is slow: one user per test)."""
    if role != "anonymous":
        user = MAKERS[role]()
        db.session.commit()
        auth.login(user)


PUBLIC_GETS = ["/", "/about", "/editions/3", "/editions/1", "/archive", "/events",
               "/events/{event}", "/events/{event}/calendar.ics", "/committee", "/jury-members",
               "/partners", "/sitemap.xml", "/robots.txt"]


def statuses(client, method, paths, objects, **kwargs):
    """{path: status code} of every path, so a failure names each route that answered wrong."""
    out = {}
    for path in paths:
        response = client.open(path.format(**objects), method=method, **kwargs)
        out[path] = (response.status_code, response.headers.get("Location", "")[:11])
        response.close()
    return out


@pytest.mark.parametrize("role", ROLES)
def test_public_pages_are_open_to_everyone(client, auth, db, objects, role):
    login_as(auth, db, role)
    assert statuses(client, "GET", PUBLIC_GETS, objects) == {p: (200, "") for p in PUBLIC_GETS}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["register", "cancel"])
def test_registration_needs_an_account_and_is_open_to_every_role(
    client, auth, db, objects, role, action
):
    login_as(auth, db, role)
    response = client.post(f"/events/{objects['event']}/{action}")
    assert response.status_code == 302
    location = response.headers["Location"]
    if role == "anonymous":
        assert location.startswith("/auth/login")
    else:
        assert location == f"/events/{objects['event']}"


MANAGE_GETS = [
    "/manage/public/", "/manage/public/events", "/manage/public/events/new",
    "/manage/public/events/{event}/edit", "/manage/public/events/{event}/attendees",
    "/manage/public/events/{event}/attendees.csv", "/manage/public/events/{event}/attendees.xlsx",
    "/manage/public/committee", "/manage/public/committee/new",
    "/manage/public/committee/{member}/edit", "/manage/public/partners",
    "/manage/public/partners/new", "/manage/public/partners/{partner}/edit",
    "/manage/public/archive", "/manage/public/archive/{archived}",
    "/manage/public/archive/{archived}/winners/new",
    "/manage/public/archive/{archived}/winners/{winner}/edit",
]
MANAGE_POSTS = [
    "/manage/public/events/new", "/manage/public/events/{event}/edit",
    "/manage/public/events/{event}/delete", "/manage/public/committee/new",
    "/manage/public/committee/{member}/edit", "/manage/public/committee/{member}/delete",
    "/manage/public/partners/new", "/manage/public/partners/{partner}/edit",
    "/manage/public/partners/{partner}/delete", "/manage/public/archive/{archived}",
    "/manage/public/archive/{archived}/winners/new",
    "/manage/public/archive/{archived}/winners/{winner}/edit",
    "/manage/public/archive/{archived}/winners/{winner}/delete",
]
REFUSED = {"anonymous": (302, "/auth/login"), "applicant": (403, ""), "juror": (403, "")}


@pytest.mark.parametrize("role", ROLES)
def test_manage_pages_only_for_organizers(client, auth, db, objects, role):
    login_as(auth, db, role)
    expected = REFUSED.get(role, (200, ""))
    assert statuses(client, "GET", MANAGE_GETS, objects) == {p: expected for p in MANAGE_GETS}


@pytest.mark.parametrize("role", ["anonymous", "applicant", "juror"])
def test_manage_actions_refused_and_nothing_changes(client, auth, db, objects, role):
    login_as(auth, db, role)
    data = {"title_ru": "Взлом", "full_name_ru": "X", "name_ru": "X", "full_name": "X"}
    answers = statuses(client, "POST", MANAGE_POSTS, objects, data=data)
    assert answers == {path: REFUSED[role] for path in MANAGE_POSTS}
    db.session.expire_all()
    assert db.session.get(CommitteeMember, objects["member"]).full_name_ru == "Член Оргкомитета"
    assert db.session.get(Partner, objects["partner"]).name_ru == "Партнёр"
    assert db.session.get(ArchiveWinner, objects["winner"]) is not None
    assert db.session.scalar(db.select(db.func.count(CommitteeMember.id))) == 1
    assert db.session.scalar(db.select(db.func.count(Partner.id))) == 1


DELETES = ["/manage/public/events/{event}/delete", "/manage/public/committee/{member}/delete",
           "/manage/public/partners/{partner}/delete",
           "/manage/public/archive/{archived}/winners/{winner}/delete"]


@pytest.mark.parametrize("role", ["organizer", "admin"])
def test_organizers_and_admins_may_delete(client, auth, db, objects, role):
    login_as(auth, db, role)
    answers = statuses(client, "POST", DELETES, objects)
    assert {path: code for path, (code, _location) in answers.items()} == {
        path: 302 for path in DELETES
    }
    db.session.expire_all()
    assert db.session.get(CommitteeMember, objects["member"]) is None
    assert db.session.get(Partner, objects["partner"]) is None


MISSING = ["/manage/public/events/999/edit", "/manage/public/events/999/attendees",
           "/manage/public/events/999/attendees.csv", "/manage/public/committee/999/edit",
           "/manage/public/partners/999/edit", "/manage/public/archive/999",
           "/manage/public/archive/{archived}/winners/999/edit", "/events/999",
           "/events/999/calendar.ics", "/editions/999"]


def test_missing_objects_are_not_found(client, auth, db, objects):
    login_as(auth, db, "organizer")
    assert statuses(client, "GET", MISSING, objects) == {path: (404, "") for path in MISSING}
