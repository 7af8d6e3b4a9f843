"""Who may use /manage: organizers and admins; anonymous visitors, applicants and jurors not."""

import pytest

from pdcompetition.models import Role

from . import factories

# (method, url template) for every route of the organizers' blueprint.
ROUTES = [
    ("GET", "/manage/"),
    ("GET", "/manage/editions/new"),
    ("POST", "/manage/editions/new"),
    ("GET", "/manage/editions/{edition}"),
    ("GET", "/manage/editions/{edition}/edit"),
    ("POST", "/manage/editions/{edition}/edit"),
    ("GET", "/manage/editions/{edition}/nominations"),
    ("POST", "/manage/editions/{edition}/nominations"),
    ("GET", "/manage/editions/{edition}/criteria"),
    ("POST", "/manage/editions/{edition}/criteria"),
    ("GET", "/manage/editions/{edition}/nominations/{nomination}/edit"),
    ("POST", "/manage/editions/{edition}/criteria/{criterion}/edit"),
    ("POST", "/manage/editions/{edition}/nominations/{nomination}/move"),
    ("POST", "/manage/editions/{edition}/criteria/{criterion}/archive"),
    ("POST", "/manage/editions/{edition}/criteria/{criterion}/delete"),
    ("POST", "/manage/editions/{edition}/copy-structure"),
    ("GET", "/manage/editions/{edition}/applications"),
    ("POST", "/manage/editions/{edition}/applications"),
    ("GET", "/manage/applications/{application}"),
    ("POST", "/manage/applications/{application}/accept"),
    ("POST", "/manage/applications/{application}/reject"),
    ("POST", "/manage/applications/{application}/return"),
    ("POST", "/manage/applications/{application}/reopen"),
]

REFUSED = {"applicant": (Role.APPLICANT,), "juror": (Role.JUROR,)}
ALLOWED = {"organizer": (Role.ORGANIZER,), "admin": (Role.ADMIN,)}


@pytest.fixture
def world(db):
    """An edition with a nomination, a criterion and a submitted application, and people."""
    edition = factories.make_edition(ordinal=3)
    application = factories.make_application(edition)
    people = {name: factories.make_user(*roles) for name, roles in {**REFUSED, **ALLOWED}.items()}
    people["juror"] = factories.make_juror()
    db.session.commit()
    ids = {
        "edition": edition.id,
        "nomination": edition.nominations[0].id,
        "criterion": edition.criteria[0].id,
        "application": application.id,
    }
    return ids, people


def _request(client, method, url):
    return client.get(url) if method == "GET" else client.post(url, data={})


@pytest.mark.parametrize(("method", "template"), ROUTES)
def test_only_organizers_and_admins_get_in(client, auth, world, method, template):
    ids, people = world
    url = template.format(**ids)

    response = _request(client, method, url)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]

    for name in REFUSED:
        auth.login(people[name])
        assert _request(client, method, url).status_code == 403, name
        auth.logout()

    for index, name in enumerate(ALLOWED):
        auth.login(people[name])
        response = _request(client, method, url)
        expected = {200, 302, 400}
        if template.endswith("/delete") and index > 0:
            expected = {404}  # the organizer before has deleted it: allowed, but gone
        assert response.status_code in expected, (name, response.status_code)
        if method == "GET":
            assert response.status_code == 200
        auth.logout()


def test_every_route_of_the_blueprint_is_in_the_matrix(app):
    rules = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("organizers.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = set()
    for method, template in ROUTES:
        for method_rule, rule in rules:
            pattern = (rule.replace("<id:edition_id>", "{edition}")
                       .replace("<id:application_id>", "{application}"))
            if method_rule != method:
                continue
            if "<any(nominations, criteria):kind>/<id:item_id>" in pattern:
                for kind, key in (("nominations", "{nomination}"), ("criteria", "{criterion}")):
                    candidate = pattern.replace(
                        "<any(nominations, criteria):kind>/<id:item_id>", f"{kind}/{key}")
                    if candidate == template:
                        covered.add((method_rule, rule))
            elif "<any(accept, reject, return, reopen):decision>" in pattern:
                if template.rsplit("/", 1)[0] == pattern.rsplit("/", 1)[0]:
                    covered.add((method_rule, rule))
            elif pattern == template:
                covered.add((method_rule, rule))
    assert rules - covered == set()


def test_management_link_only_for_organizers(client, auth, db):
    applicant = factories.make_user(Role.APPLICANT)
    organizer = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    auth.login(applicant)
    assert 'href="/manage/"' not in client.get("/").get_data(as_text=True)
    auth.logout()
    auth.login(organizer)
    assert 'href="/manage/">Управление</a>' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("url", [
    "/manage/editions/99999999999999999999",
    "/manage/editions/99999999999999999999/nominations/1/edit",
    "/manage/applications/99999999999999999999",
])
def test_absurd_ids_are_404_not_a_crash(client, auth, db, url):
    organizer = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    auth.login(organizer)
    assert client.get(url).status_code == 404


def test_absurd_numbers_in_forms_are_refused_politely(client, auth, world):
    ids, people = world
    auth.login(people["organizer"])
    page = client.post("/manage/editions/new", data={
        "ordinal": "99999999999999999999", "year": "2025", "status": "draft",
        "title_ru": "Конкурс", "jurors_per_application": "3", "divergence_threshold": "30",
    })
    assert page.status_code == 200 and 'id="ordinal-error"' in page.get_data(as_text=True)
    response = client.post(f"/manage/editions/{ids['edition']}/applications", data={
        "bulk-decision": "accept", "bulk-selected": ["99999999999999999999"],
    })
    assert response.status_code == 200
