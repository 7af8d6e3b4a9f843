"""Administration: roles, custom countries, audit log and outbox pages, with access rules."""

import pytest

from pdcompetition.models import AuditEntry, CustomCountry, Role, User

from . import factories

ROUTES = [
    ("get", "/admin/users"),
    ("post", "/admin/users/{user}/roles"),
    ("get", "/admin/countries"),
    ("post", "/admin/countries/XA/delete"),
    ("get", "/admin/audit"),
    ("get", "/admin/outbox"),
    ("post", "/admin/outbox/retry"),
]


@pytest.fixture
def people(db):
    people = {
        "applicant": factories.make_user(Role.APPLICANT),
        "juror": factories.make_user(Role.JUROR),
        "organizer": factories.make_user(Role.ORGANIZER),
        "admin": factories.make_user(Role.ADMIN),
    }
    db.session.add(CustomCountry(code="XA", name_ru="Абхазия", name_en="Abkhazia"))
    db.session.commit()
    return people


@pytest.mark.parametrize("method,path", ROUTES)
@pytest.mark.parametrize("who,allowed", [
    ("anonymous", False), ("applicant", False), ("juror", False),
    ("organizer", True), ("admin", True),
])
def test_access(client, auth, people, method, path, who, allowed):
    if who != "anonymous":
        auth.login(people[who])
    url = path.format(user=people["applicant"].id)
    response = getattr(client, method)(url, data={"role": "juror", "action": "grant"})
    if who == "anonymous":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    elif not allowed:
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302)


def test_organizer_grants_juror_role(client, auth, people, db):
    auth.login(people["organizer"])
    target = people["applicant"]
    client.post(f"/admin/users/{target.id}/roles", data={"role": "juror", "action": "grant"})
    assert Role.JUROR in db.session.get(User, target.id).roles
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "user.role_granted"))
    assert entry.actor_id == people["organizer"].id and entry.data == {"role": "juror"}


def test_only_admin_grants_admin(client, auth, people, db):
    auth.login(people["organizer"])
    target = people["applicant"]
    page = client.post(f"/admin/users/{target.id}/roles",
                       data={"role": "admin", "action": "grant"}, follow_redirects=True)
    assert "может только администратор" in page.get_data(as_text=True)
    assert Role.ADMIN not in db.session.get(User, target.id).roles
    auth.logout()
    auth.login(people["admin"])
    client.post(f"/admin/users/{target.id}/roles", data={"role": "admin", "action": "grant"})
    assert Role.ADMIN in db.session.get(User, target.id).roles


def test_cannot_remove_own_organizer_role(client, auth, people, db):
    me = people["organizer"]
    auth.login(me)
    client.post(f"/admin/users/{me.id}/roles", data={"role": "organizer", "action": "revoke"})
    assert Role.ORGANIZER in db.session.get(User, me.id).roles


def test_user_search(client, auth, people, db):
    factories.make_user(full_name="Зарина Искандарова", email="zarina@example.org")
    db.session.commit()
    auth.login(people["organizer"])
    page = client.get("/admin/users?q=zarina").get_data(as_text=True)
    assert "Зарина Искандарова" in page and people["juror"].email not in page


def test_custom_country_appears_in_country_lists(client, auth, people, db, app):
    auth.login(people["organizer"])
    response = client.post("/admin/countries", data={
        "code": "xb", "name_ru": "Южная Осетия", "name_en": "South Ossetia"})
    assert response.status_code == 302
    assert db.session.get(CustomCountry, "XB").name_en == "South Ossetia"
    from pdcompetition.i18n import country_choices, country_name

    # A fresh app context each, as per request: Babel caches the locale in `g`.
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        assert ("XB", "South Ossetia") in country_choices()
        assert country_name("XA") == "Abkhazia"
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "ru"}):
        assert country_name("XA") == "Абхазия"
        assert ("AZ", "Азербайджан") in country_choices()


def test_custom_country_code_must_be_user_assigned(client, auth, people, db):
    auth.login(people["organizer"])
    page = client.post("/admin/countries", data={
        "code": "FR", "name_ru": "Франция", "name_en": "France"}).get_data(as_text=True)
    assert "XA" in page and 'value="Франция"' in page
    assert db.session.get(CustomCountry, "FR") is None


def test_used_custom_country_cannot_be_deleted(client, auth, people, db):
    edition = factories.make_edition()
    factories.make_application(edition, country_code="XA", region_code="")
    db.session.commit()
    auth.login(people["organizer"])
    client.post("/admin/countries/XA/delete")
    assert db.session.get(CustomCountry, "XA") is not None


def test_audit_log_page_lists_entries(client, auth, people, db):
    auth.login(people["organizer"])
    client.post(f"/admin/users/{people['applicant'].id}/roles",
                data={"role": "juror", "action": "grant"})
    page = client.get("/admin/audit?action=user.role").get_data(as_text=True)
    assert "user.role_granted" in page and people["organizer"].email in page
