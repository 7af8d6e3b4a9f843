"""Every jury administration route refuses applicants, jurors and anonymous visitors."""

import pytest

from pdcompetition.models import ApplicationState, JurorInvitation, Role

from .factories import add_to_jury, assign, make_application, make_edition, make_juror, make_user


@pytest.fixture
def world(db):
    edition = make_edition()
    application = make_application(edition, state=ApplicationState.ACCEPTED)
    juror = make_juror()
    member = add_to_jury(edition, juror)
    assignment = assign(application, juror)
    invitation = JurorInvitation(edition_id=edition.id, email="new@example.org")
    db.session.add(invitation)
    db.session.flush()
    users = {
        "applicant": application.owner,
        "juror": juror,
        "organizer": make_user(Role.ORGANIZER),
        "admin": make_user(Role.ADMIN),
    }
    db.session.commit()
    e, a = edition.id, application.id
    routes = [
        ("GET", "/manage/jury", {}),
        ("GET", f"/manage/editions/{e}/jury", {}),
        ("POST", f"/manage/editions/{e}/jury/invite", {"email": "x@example.org", "language": "ru"}),
        ("POST", f"/manage/editions/{e}/jury/invitations/{invitation.id}/resend", {}),
        ("POST", f"/manage/editions/{e}/jury/invitations/{invitation.id}/revoke", {}),
        ("GET", f"/manage/editions/{e}/jury/members/{member.id}", {}),
        ("POST", f"/manage/editions/{e}/jury/members/{member.id}", {"position": "1"}),
        ("POST", f"/manage/editions/{e}/jury/members/{member.id}/remove", {}),
        ("POST", f"/manage/editions/{e}/jury/publish", {"published": "1"}),
        ("GET", f"/manage/editions/{e}/jury/conflicts", {}),
        ("GET", f"/manage/editions/{e}/jury/assignments", {}),
        ("GET", f"/manage/editions/{e}/jury/assignments/{a}", {}),
        ("POST", f"/manage/editions/{e}/jury/assignments/{a}/add", {"juror_id": str(juror.id)}),
        ("POST", f"/manage/editions/{e}/jury/assignments/{a}/remove/{assignment.id}", {}),
        ("POST", f"/manage/editions/{e}/jury/assignments/{a}/rule",
         {"juror_id": str(juror.id), "rule": "pin"}),
        ("POST", f"/manage/editions/{e}/jury/auto-assign", {}),
        ("GET", f"/manage/editions/{e}/jury/progress", {}),
        ("POST", f"/manage/editions/{e}/jury/progress/remind", {}),
    ]
    return users, routes


ROLES = ["anonymous", "applicant", "juror", "organizer", "admin"]


@pytest.mark.parametrize("role", ROLES)
def test_access_matrix(client, auth, world, role):
    users, routes = world
    if role != "anonymous":
        auth.login(users[role])
    for method, url, data in routes:
        response = client.open(url, method=method, data=data)
        if role == "anonymous":
            assert response.status_code == 302, url
            assert "/auth/login" in response.headers["Location"], url
        elif role in ("applicant", "juror"):
            assert response.status_code == 403, url
        else:
            assert response.status_code in (200, 302, 400, 409), (url, response.status_code)


def test_routes_list_is_complete(app, world):
    """A new route must be added to the matrix above."""
    _users, routes = world
    adapter = app.url_map.bind("localhost")
    covered = {adapter.match(url, method=method)[0] for method, url, _d in routes}
    endpoints = {
        r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("jury_admin.")
    }
    endpoints.discard("jury_admin.accept_invitation")  # public by design, tested with invitations
    assert covered == endpoints


@pytest.mark.parametrize("role", ["organizer", "admin"])
def test_other_editions_objects_are_not_found(client, auth, db, role):
    edition = make_edition()
    other = make_edition()
    application = make_application(other, state=ApplicationState.ACCEPTED)
    juror = make_juror()
    member = add_to_jury(other, juror)
    assignment = assign(application, juror)
    user = make_user(Role.ORGANIZER if role == "organizer" else Role.ADMIN)
    db.session.commit()
    auth.login(user)
    e = edition.id
    assert client.get(f"/manage/editions/{e}/jury/members/{member.id}").status_code == 404
    assert client.get(f"/manage/editions/{e}/jury/assignments/{application.id}").status_code == 404
    response = client.post(
        f"/manage/editions/{other.id}/jury/assignments/{application.id}/remove/{assignment.id + 99}"
    )
    assert response.status_code == 404
    assert client.get("/manage/editions/99999/jury").status_code == 404
