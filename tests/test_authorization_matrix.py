"""Every route of the app, requested by every kind of user, against an explicit table.

The routes come from the URL map, so a new route fails this test until it is added to
EXPECTED. Each route is requested with real object ids: the owner's application, its
attachment, score sheet and certificate; another applicant's application; and so on.

Outcomes: "ok" (a page, a file, a redirect that is not to the login page, or a 400 from
an empty form), "login" (redirect to the login page), "deny" (403 or 404). A 5xx is never
acceptable. Run with AUTHZ_DISCOVER=1 to print what the app does now (to review, never to
paste blindly).
"""

import os

import pytest
from werkzeug.routing.converters import AnyConverter

from pdcompetition import create_app

from .authz_world import ROLES, build_world


def allowed(*roles: str) -> dict:
    """A policy: these roles are served; anonymous visitors are sent to log in; the rest refused."""
    return {role: "ok" if role in roles else "login" if role == "anonymous" else "deny"
            for role in ROLES}


PUBLIC = {role: "ok" for role in ROLES}
SIGNED_IN = allowed(*ROLES[1:])
ORGANIZERS = allowed("organizer", "admin")
ADMINS = allowed("admin")
# The jurors' dashboard: any juror; admins hold every role's powers.
JURORS = allowed("assigned_juror", "other_juror", "admin")
# Pages of an edition's jury: only its members (an admin is not one here).
JURY_MEMBERS = allowed("assigned_juror", "other_juror")
ASSIGNED_JUROR = allowed("assigned_juror")
# Organizers read score sheets but never write them (writing is ASSIGNED_JUROR).
SHEET_READERS = allowed("assigned_juror", "organizer", "admin")
# Filling in, submitting and withdrawing: the applicant alone, not even the organizers.
OWNER_ONLY = allowed("owner")
OWNER_AND_ORGANIZERS = allowed("owner", "organizer", "admin")
# Attachments: the owner, the jurors assigned to the application, the organizers.
OWNER_JURY_ORGANIZERS = allowed("owner", "assigned_juror", "organizer", "admin")
# A valid confirmation link confirms and then sends everyone to the login page.
LINK_TO_LOGIN = {role: "login" for role in ROLES}

# One line per route, as the URL map spells it: long lines are kept whole on purpose.
EXPECTED: dict[str, dict] = {  # noqa: E501
    'GET /': PUBLIC,
    'GET /about': PUBLIC,
    'GET /admin/audit': ORGANIZERS,
    'GET /admin/countries': ORGANIZERS,
    'GET /admin/outbox': ORGANIZERS,
    'GET /admin/users': ORGANIZERS,
    'GET /applications/': SIGNED_IN,
    'GET /applications/<int:application_id>': OWNER_AND_ORGANIZERS,
    'GET /applications/<int:application_id>/documents': OWNER_ONLY,
    'GET /applications/<int:application_id>/edit/<section>': OWNER_ONLY,
    'GET /applications/<int:application_id>/pdf': OWNER_AND_ORGANIZERS,
    'GET /applications/<int:application_id>/print': OWNER_AND_ORGANIZERS,
    'GET /applications/<int:application_id>/submit': OWNER_ONLY,
    'GET /applications/<int:application_id>/submitted': OWNER_ONLY,
    'GET /applications/<int:application_id>/withdraw': OWNER_ONLY,
    'GET /applications/attachments/<int:attachment_id>': OWNER_JURY_ORGANIZERS,
    'GET /applications/new': SIGNED_IN,
    'GET /archive': PUBLIC,
    'GET /auth/confirm': PUBLIC,
    'GET /auth/confirm/<token>': LINK_TO_LOGIN,
    'GET /auth/forgot': PUBLIC,
    'GET /auth/login': PUBLIC,
    'GET /auth/profile': SIGNED_IN,
    'GET /auth/register': PUBLIC,
    'GET /auth/reset/<token>': PUBLIC,
    'GET /committee': PUBLIC,
    'GET /editions/<int:ordinal>': PUBLIC,
    'GET /editions/<int:ordinal>/results': PUBLIC,
    'GET /events': PUBLIC,
    'GET /events/<int:event_id>': PUBLIC,
    'GET /events/<int:event_id>/calendar.ics': PUBLIC,
    'GET /invitation/jury/<token>': PUBLIC,
    'GET /jury-members': PUBLIC,
    'GET /language/<lang>': PUBLIC,
    'GET /jury/': JURORS,
    'GET /jury/applications/<int:application_id>': ASSIGNED_JUROR,
    'GET /jury/applications/<int:application_id>/conflict': ASSIGNED_JUROR,
    'GET /jury/editions/<int:edition_id>/declaration': JURY_MEMBERS,
    'GET /jury/editions/<int:edition_id>/next': JURY_MEMBERS,
    'GET /jury/sheets/<int:sheet_id>': SHEET_READERS,
    'GET /logos/<name>': PUBLIC,
    'GET /manage/': ORGANIZERS,
    'GET /manage/applications/<id:application_id>': ORGANIZERS,
    'GET /manage/editions/<id:edition_id>': ORGANIZERS,
    'GET /manage/editions/<id:edition_id>/<any(nominations, criteria):kind>/<id:item_id>/edit': ORGANIZERS,  # noqa: E501
    'GET /manage/editions/<id:edition_id>/applications': ORGANIZERS,
    'GET /manage/editions/<id:edition_id>/criteria': ORGANIZERS,
    'GET /manage/editions/<id:edition_id>/edit': ORGANIZERS,
    'GET /manage/editions/<id:edition_id>/nominations': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/jury': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/jury/assignments': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/jury/assignments/<int:application_id>': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/jury/conflicts': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/jury/members/<int:member_id>': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/jury/progress': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/results': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/results/applications/<int:application_id>': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/results/certificates.zip': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/results/export/<any(applications, scores, ranking):kind>.<any(xlsx, csv):fmt>': ORGANIZERS,  # noqa: E501
    'GET /manage/editions/<int:edition_id>/results/nominations/<int:nomination_id>': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/results/preview': ORGANIZERS,
    'GET /manage/editions/<int:edition_id>/results/reopen': ADMINS,
    'GET /manage/editions/new': ORGANIZERS,
    'GET /manage/jury': ORGANIZERS,
    'GET /manage/public/': ORGANIZERS,
    'GET /manage/public/archive': ORGANIZERS,
    'GET /manage/public/archive/<int:edition_id>': ORGANIZERS,
    'GET /manage/public/archive/<int:edition_id>/winners/<int:winner_id>/edit': ORGANIZERS,
    'GET /manage/public/archive/<int:edition_id>/winners/new': ORGANIZERS,
    'GET /manage/public/committee': ORGANIZERS,
    'GET /manage/public/committee/<int:member_id>/edit': ORGANIZERS,
    'GET /manage/public/committee/new': ORGANIZERS,
    'GET /manage/public/events': ORGANIZERS,
    'GET /manage/public/events/<int:event_id>/attendees': ORGANIZERS,
    'GET /manage/public/events/<int:event_id>/attendees.<any(csv, xlsx):fmt>': ORGANIZERS,
    'GET /manage/public/events/<int:event_id>/edit': ORGANIZERS,
    'GET /manage/public/events/new': ORGANIZERS,
    'GET /manage/public/partners': ORGANIZERS,
    'GET /manage/public/partners/<int:partner_id>/edit': ORGANIZERS,
    'GET /manage/public/partners/new': ORGANIZERS,
    'GET /manage/results': ORGANIZERS,
    'GET /partners': PUBLIC,
    'GET /results': PUBLIC,
    'GET /results/applications/<int:application_id>': OWNER_AND_ORGANIZERS,
    'GET /results/applications/<int:application_id>/certificates/<any(diploma, participation):kind>.pdf': OWNER_AND_ORGANIZERS,  # noqa: E501
    'GET /robots.txt': PUBLIC,
    'GET /sitemap.xml': PUBLIC,
    'GET /verify': PUBLIC,
    'GET /verify/<code>': PUBLIC,
    'POST /admin/countries': ORGANIZERS,
    'POST /admin/countries/<code>/delete': ORGANIZERS,
    'POST /admin/outbox/retry': ORGANIZERS,
    'POST /admin/users/<int:user_id>/roles': ORGANIZERS,
    'POST /applications/<int:application_id>/documents': OWNER_ONLY,
    'POST /applications/<int:application_id>/documents/<int:attachment_id>/remove': OWNER_ONLY,
    'POST /applications/<int:application_id>/edit/<section>': OWNER_ONLY,
    'POST /applications/<int:application_id>/submit': OWNER_ONLY,
    'POST /applications/<int:application_id>/withdraw': OWNER_ONLY,
    'POST /applications/new': SIGNED_IN,
    'POST /auth/confirm': PUBLIC,
    'POST /auth/forgot': PUBLIC,
    'POST /auth/login': PUBLIC,
    'POST /auth/logout': PUBLIC,
    'POST /auth/password': SIGNED_IN,
    'POST /auth/profile': SIGNED_IN,
    'POST /auth/register': PUBLIC,
    'POST /auth/reset/<token>': PUBLIC,
    'POST /events/<int:event_id>/cancel': SIGNED_IN,
    'POST /events/<int:event_id>/register': SIGNED_IN,
    'POST /invitation/jury/<token>': PUBLIC,
    'POST /jury/applications/<int:application_id>': ASSIGNED_JUROR,
    'POST /jury/applications/<int:application_id>/conflict': ASSIGNED_JUROR,
    'POST /jury/editions/<int:edition_id>/declaration': JURY_MEMBERS,
    'POST /language': PUBLIC,
    'POST /manage/applications/<id:application_id>/<any(accept, reject, return, reopen):decision>': ORGANIZERS,  # noqa: E501
    'POST /manage/editions/<id:edition_id>/<any(nominations, criteria):kind>/<id:item_id>/archive': ORGANIZERS,  # noqa: E501
    'POST /manage/editions/<id:edition_id>/<any(nominations, criteria):kind>/<id:item_id>/delete': ORGANIZERS,  # noqa: E501
    'POST /manage/editions/<id:edition_id>/<any(nominations, criteria):kind>/<id:item_id>/edit': ORGANIZERS,  # noqa: E501
    'POST /manage/editions/<id:edition_id>/<any(nominations, criteria):kind>/<id:item_id>/move': ORGANIZERS,  # noqa: E501
    'POST /manage/editions/<id:edition_id>/applications': ORGANIZERS,
    'POST /manage/editions/<id:edition_id>/copy-structure': ORGANIZERS,
    'POST /manage/editions/<id:edition_id>/criteria': ORGANIZERS,
    'POST /manage/editions/<id:edition_id>/edit': ORGANIZERS,
    'POST /manage/editions/<id:edition_id>/nominations': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/jury/assignments/<int:application_id>/add': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/jury/assignments/<int:application_id>/remove/<int:assignment_id>': ORGANIZERS,  # noqa: E501
    'POST /manage/editions/<int:edition_id>/jury/assignments/<int:application_id>/rule': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/jury/auto-assign': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/jury/invitations/<int:invitation_id>/<any(resend, revoke):action>': ORGANIZERS,  # noqa: E501
    'POST /manage/editions/<int:edition_id>/jury/invite': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/jury/members/<int:member_id>': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/jury/members/<int:member_id>/remove': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/jury/progress/remind': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/jury/publish': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/results/applications/<int:application_id>/extra-juror': ORGANIZERS,  # noqa: E501
    'POST /manage/editions/<int:edition_id>/results/approve': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/results/close-jury': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/results/nominations/<int:nomination_id>': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/results/publish': ORGANIZERS,
    'POST /manage/editions/<int:edition_id>/results/reopen': ADMINS,
    'POST /manage/editions/<int:edition_id>/results/reopen-jury': ORGANIZERS,
    'POST /manage/editions/new': ORGANIZERS,
    'POST /manage/public/archive/<int:edition_id>': ORGANIZERS,
    'POST /manage/public/archive/<int:edition_id>/winners/<int:winner_id>/delete': ORGANIZERS,
    'POST /manage/public/archive/<int:edition_id>/winners/<int:winner_id>/edit': ORGANIZERS,
    'POST /manage/public/archive/<int:edition_id>/winners/new': ORGANIZERS,
    'POST /manage/public/committee/<int:member_id>/delete': ORGANIZERS,
    'POST /manage/public/committee/<int:member_id>/edit': ORGANIZERS,
    'POST /manage/public/committee/new': ORGANIZERS,
    'POST /manage/public/events/<int:event_id>/delete': ORGANIZERS,
    'POST /manage/public/events/<int:event_id>/edit': ORGANIZERS,
    'POST /manage/public/events/new': ORGANIZERS,
    'POST /manage/public/partners/<int:partner_id>/delete': ORGANIZERS,
    'POST /manage/public/partners/<int:partner_id>/edit': ORGANIZERS,
    'POST /manage/public/partners/new': ORGANIZERS,
}


def classify(response) -> str:
    if response.status_code >= 500:
        return f"error {response.status_code}"
    if response.status_code in (403, 404):
        return "deny"
    location = response.headers.get("Location", "")
    if response.status_code in (301, 302, 303, 307, 308) and "/auth/login" in location:
        return "login"
    return "ok"


def route_keys(rule) -> list[str]:
    methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
    return [f"{method} {rule.rule}" for method in methods]


# Which world id fills each URL argument, per argument name; some blueprints need another.
ARGUMENTS = {
    "edition_id": "edition_id", "ordinal": "ordinal", "application_id": "application_id",
    "attachment_id": "attachment_id", "sheet_id": "sheet_id", "assignment_id": "assignment_id",
    "event_id": "event_id", "partner_id": "partner_id", "winner_id": "winner_id",
    "invitation_id": "invitation_id", "user_id": "user_id", "nomination_id": "nomination_id",
}
OVERRIDES = {
    ("public_admin", "member_id"): "committee_member_id",
    ("jury_admin", "member_id"): "juror_member_id",
    ("public_admin", "edition_id"): "archived_id",
    ("organizers", "item_id"): "nomination_id",
    # Results live in the previous edition, whose results are published.
    ("results", "application_id"): "published_application_id",
    ("results_admin", "edition_id"): "published_edition_id",
    ("results_admin", "application_id"): "published_application_id",
    ("results_admin", "nomination_id"): "published_nomination_id",
    ("results", "ordinal"): "published_ordinal",
}
CONSTANTS = {"section": "person", "filename": "css/app.css", "lang": "en"}
TOKENS = {"auth.confirm_email": "confirm", "auth.reset_password": "reset"}


def url_for_rule(rule, world) -> str:
    blueprint = rule.endpoint.split(".")[0]
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        elif (blueprint, name) in OVERRIDES:
            values[name] = world.ids[OVERRIDES[blueprint, name]]
        elif name in ARGUMENTS:
            values[name] = world.ids[ARGUMENTS[name]]
        elif name == "token":
            values[name] = world.tokens[TOKENS.get(rule.endpoint, "invitation")]
        elif name == "code":
            values[name] = "XA" if blueprint == "admin" else world.ids["certificate_code"]
        elif name == "name":
            values[name] = world.ids["logo"]
        elif name in CONSTANTS:
            values[name] = CONSTANTS[name]
        else:
            raise AssertionError(f"no value for <{name}> in {rule.rule}: add it to the test")
    return rule.build(values, append_unknown=False)[1]


def _listing_app():
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def _rules_by_key(app) -> dict:
    return {
        key: rule
        for rule in app.url_map.iter_rules() if rule.endpoint != "static"
        for key in route_keys(rule)
    }


ROUTES = sorted(_rules_by_key(_listing_app()))


def request_as(app, world, role, method, url):
    """One request by `role` (signed in through the session, as the login form does)."""
    client = app.test_client()
    if role != "anonymous":
        with client.session_transaction() as session:
            session["_user_id"] = world.users[role].get_id()
            session["_fresh"] = True
    response = client.open(url, method=method, data={})
    outcome = classify(response)
    response.close()
    return outcome


def test_every_route_is_in_the_table():
    missing = [key for key in ROUTES if key not in EXPECTED]
    stale = [key for key in EXPECTED if key not in ROUTES]
    assert missing == [], "routes missing from EXPECTED:\n" + "\n".join(missing)
    assert stale == [], "EXPECTED names routes that no longer exist:\n" + "\n".join(stale)


def _expected(key) -> dict:
    if os.environ.get("AUTHZ_DISCOVER"):
        return EXPECTED.get(key, {})
    return EXPECTED[key]


@pytest.mark.parametrize("key", ROUTES)
def test_refused_and_reading_roles(app, db, key):
    """Every role that must be refused is refused; GETs by allowed roles work, on one world."""
    method, _path = key.split(" ", 1)
    rule = _rules_by_key(app)[key]
    world = build_world(app)
    url = url_for_rule(rule, world)
    expected = _expected(key)
    observed = {}
    for role in ROLES:
        if method != "GET" and expected.get(role) == "ok":
            continue  # changes state: checked on a world of its own below
        observed[role] = request_as(app, world, role, method, url)
    if os.environ.get("AUTHZ_DISCOVER"):
        print(f"\nDISCOVER {key!r}: " + ", ".join(f"{r}={o}" for r, o in observed.items()))
        return
    wrong = {role: f"got {got}, expected {expected[role]}"
             for role, got in observed.items() if got != expected[role]}
    assert wrong == {}, f"{key}: {wrong}"


WRITES_BY_ALLOWED_ROLES = [
    (key, role)
    for key in ROUTES if not key.startswith("GET ")
    for role in ROLES if EXPECTED.get(key, {}).get(role) == "ok"
]


@pytest.mark.parametrize(("key", "role"), WRITES_BY_ALLOWED_ROLES)
def test_writes_by_allowed_roles(app, db, key, role):
    """A state-changing request by an allowed role is served (a page, a redirect or a 400
    for the empty form), never refused and never an error."""
    method, _path = key.split(" ", 1)
    world = build_world(app)
    url = url_for_rule(_rules_by_key(app)[key], world)
    assert request_as(app, world, role, method, url) == "ok"
