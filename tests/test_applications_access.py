"""Who may open an application, its documents, its PDF and each applicant action: every role."""

import io

import pytest

from pdcompetition.models import (
    Application,
    ApplicationState,
    Assignment,
    Attachment,
    ConflictDeclaration,
    Role,
    User,
    utcnow,
)
from pdcompetition.models.users import new_session_nonce

from . import factories

ROLES = [
    "anonymous", "owner", "other_applicant", "juror", "assigned_juror", "conflicted_juror",
    "organizer", "admin",
]


_HASHES = {}


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch):
    """Hash the test password once: the matrix creates many people per test."""
    original = User.set_password

    def set_password(user, password):
        if password not in _HASHES:
            original(user, password)
            _HASHES[password] = user.password_hash
            return
        user.password_hash = _HASHES[password]
        user.session_nonce = new_session_nonce()
        user.password_changed_at = utcnow()

    monkeypatch.setattr(User, "set_password", set_password)


@pytest.fixture
def world(db, app):
    """A submitted application with a document, and everyone who might ask for it."""
    edition = factories.make_edition(ordinal=3)
    owner = factories.make_user(Role.APPLICANT)
    application = factories.make_draft(edition, owner, state=ApplicationState.SUBMITTED)
    from pdcompetition.applications import uploads

    with app.test_request_context():
        stored = uploads.store_upload(
            type("Upload", (), {"stream": io.BytesIO(factories.pdf_bytes()), "filename": "a.pdf"}),
            10**6,
        )
    attachment = Attachment(
        application=application, original_name="a.pdf", stored_name=stored.stored_name,
        content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
    )
    db.session.add(attachment)
    people = {
        "owner": owner,
        "other_applicant": factories.make_user(Role.APPLICANT),
        "juror": factories.make_juror(),
        "assigned_juror": factories.make_juror(),
        "conflicted_juror": factories.make_juror(),
        "organizer": factories.make_user(Role.ORGANIZER),
        "admin": factories.make_user(Role.ADMIN),
    }
    factories.assign(application, people["assigned_juror"])
    factories.assign(application, people["conflicted_juror"])
    db.session.add(ConflictDeclaration(application=application, juror=people["conflicted_juror"]))
    db.session.commit()
    return {"application": application, "attachment": attachment, "people": people}


def as_role(client, auth, world, role):
    if role != "anonymous":
        auth.login(world["people"][role])


def assert_login_redirect(response):
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


VIEWERS = {"owner", "organizer", "admin"}
DOWNLOADERS = VIEWERS | {"assigned_juror"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["", "/print", "/pdf"])
def test_application_status_print_and_pdf(client, auth, world, role, path):
    as_role(client, auth, world, role)
    response = client.get(f"/applications/{world['application'].id}{path}")
    if role == "anonymous":
        assert_login_redirect(response)
    elif role in VIEWERS:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert world["application"].project_title.encode() not in response.data


@pytest.mark.parametrize("role", ROLES)
def test_attachment_download(client, auth, world, role):
    as_role(client, auth, world, role)
    response = client.get(f"/applications/attachments/{world['attachment'].id}")
    response.get_data()
    response.close()
    if role == "anonymous":
        assert_login_redirect(response)
    elif role in DOWNLOADERS:
        assert response.status_code == 200 and response.data.startswith(b"%PDF-")
    else:
        assert response.status_code == 404


def test_missing_application_and_attachment_are_404(client, auth, world):
    auth.login(world["people"]["admin"])
    assert client.get("/applications/999999").status_code == 404
    assert client.get("/applications/attachments/999999").status_code == 404


OWNER_PAGES = ["/edit/person", "/documents", "/submit", "/withdraw", "/submitted"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", OWNER_PAGES)
def test_owner_only_pages(client, auth, world, db, role, path):
    application = world["application"]
    if path in ("/edit/person", "/documents", "/submit"):
        application.state = ApplicationState.DRAFT  # pages that exist while editable
    if path == "/withdraw":  # possible only before the jury starts
        db.session.execute(db.delete(Assignment))
    db.session.commit()
    as_role(client, auth, world, role)
    response = client.get(f"/applications/{application.id}{path}")
    if role == "anonymous":
        assert_login_redirect(response)
    elif role == "owner":
        assert response.status_code == 200
    else:
        assert response.status_code == 404


def _state(db, world):
    db.session.expire_all()
    application = db.session.get(Application, world["application"].id)
    return application.state, application.full_name, len(application.attachments)


POSTS = [
    ("/edit/person", lambda: {"full_name": "Взломщик", "version": "1", "base": ""}),
    ("/documents", lambda: {"document": (io.BytesIO(factories.pdf_bytes()), "x.pdf")}),
    ("/submit", lambda: {"version": "1", "consent": "y"}),
    ("/withdraw", dict),
    ("/documents/{attachment}/remove", dict),
]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "owner"])
@pytest.mark.parametrize(("path", "data"), POSTS)
def test_nobody_but_the_owner_changes_an_application(client, auth, world, db, role, path, data):
    application = world["application"]
    application.state = ApplicationState.DRAFT
    db.session.commit()
    before = _state(db, world)
    as_role(client, auth, world, role)
    url = f"/applications/{application.id}" + path.format(attachment=world["attachment"].id)
    response = client.post(url, data=data(), content_type="multipart/form-data")
    if role == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == 404
    assert _state(db, world) == before


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/applications/", "/applications/new"])
def test_my_applications_and_start(client, auth, world, role, path):
    as_role(client, auth, world, role)
    response = client.get(path)
    if role == "anonymous":
        assert_login_redirect(response)
    else:
        assert response.status_code == 200 or response.status_code == 302
        if path == "/applications/":
            shown = world["application"].project_title.encode() in response.data
            assert shown == (role == "owner")


def test_remove_an_attachment_of_another_application_is_404(client, auth, world, db):
    mine = factories.make_draft(world["application"].edition, factories.make_user())
    db.session.commit()
    auth.login(mine.owner)
    response = client.post(
        f"/applications/{mine.id}/documents/{world['attachment'].id}/remove"
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Attachment, world["attachment"].id) is not None
