"""Manual and automatic assignment through the organizers' pages and the service API."""

import pytest
import sqlalchemy as sa

from pdcompetition.jury_admin import services
from pdcompetition.models import (
    ApplicationState,
    ApplicationStatusChange,
    Assignment,
    AssignmentConstraint,
    AssignmentSource,
    ConflictDeclaration,
    PairRule,
    Role,
)

from .factories import (
    add_to_jury,
    assign,
    make_application,
    make_edition,
    make_juror,
    make_sheet,
    make_user,
)


@pytest.fixture
def organizer(db, auth):
    user = make_user(Role.ORGANIZER, locale="en")
    db.session.commit()
    auth.login(user)
    return user


@pytest.fixture
def ctx(app):
    """A request context, so that refusal messages (lazy strings) can be read."""
    with app.test_request_context("/?lang=en"):
        yield


def accepted(edition, **fields):
    return make_application(edition, state=ApplicationState.ACCEPTED, **fields)


def pairs(db):
    return set(db.session.execute(sa.select(Assignment.application_id, Assignment.juror_id)))


def test_eligible_jurors_respect_every_rule_least_loaded_first(db):
    edition = make_edition()
    first, second = edition.nominations
    application = accepted(edition, nomination=first, organization="АНО «Мост»")
    other = accepted(edition, nomination=first)
    busy = make_juror(full_name="Занятый")
    idle = make_juror(full_name="Свободный")
    conflicted = make_juror(organization="Мост")
    forbidden = make_juror()
    elsewhere = make_juror()
    capped = make_juror()
    for juror in (busy, idle, conflicted, forbidden):
        add_to_jury(edition, juror)
    add_to_jury(edition, capped, max_applications=0)
    add_to_jury(edition, elsewhere).nominations = [second]
    outsider = make_juror()
    add_to_jury(make_edition(), outsider)  # on another edition's jury only
    db.session.add(AssignmentConstraint(application_id=application.id, juror_id=forbidden.id,
                                        rule=PairRule.FORBID))
    assign(other, busy)
    db.session.flush()
    names = [u.full_name for u in services.eligible_jurors(application)]
    assert names[0] == "Свободный"
    assert "Занятый" in names
    assert conflicted.full_name not in names
    assert forbidden.full_name not in names
    assert elsewhere.full_name not in names
    assert capped.full_name not in names
    assert outsider.full_name not in names
    assert names.index("Свободный") < names.index("Занятый")


def test_caps_and_own_application_exclude(db):
    edition = make_edition()
    juror = make_juror()
    member = add_to_jury(edition, juror, max_applications=1)
    first = accepted(edition)
    second = accepted(edition)
    own = accepted(edition, owner=juror)
    assert juror in services.eligible_jurors(first)
    assert juror not in services.eligible_jurors(own)
    assign(first, juror)
    assert services.eligible_jurors(second) == []
    member.max_applications = None
    assert services.eligible_jurors(second) == [juror]


def test_manual_add_marks_jury_review_once(client, db, organizer):
    edition = make_edition()
    application = accepted(edition)
    jurors = [make_juror() for _ in range(2)]
    for juror in jurors:
        add_to_jury(edition, juror)
    db.session.commit()
    url = f"/manage/editions/{edition.id}/jury/assignments/{application.id}"
    for juror in jurors:
        response = client.post(url + "/add", data={"juror_id": str(juror.id)})
        assert response.status_code == 302
    assert pairs(db) == {(application.id, j.id) for j in jurors}
    reviews = db.session.scalars(sa.select(ApplicationStatusChange).where(
        ApplicationStatusChange.kind == "jury_review")).all()
    assert len(reviews) == 1 and reviews[0].state == ApplicationState.ACCEPTED
    page = client.get(url).get_data(as_text=True)
    assert jurors[0].full_name in page and "2 / 3" in page


def test_manual_add_of_a_conflicted_juror_is_refused(client, db, organizer, ctx):
    edition = make_edition()
    application = accepted(edition, organization="ООО «Мост»")
    juror = make_juror(organization="мост")
    add_to_jury(edition, juror)
    db.session.commit()
    url = f"/manage/editions/{edition.id}/jury/assignments/{application.id}/add"
    response = client.post(url, data={"juror_id": str(juror.id)})
    assert response.status_code == 400  # not among the choices
    assert pairs(db) == set()
    with pytest.raises(services.AssignmentError, match="conflict of interest"):
        services.assign_juror(application, juror, organizer)


def test_service_refuses_non_members_duplicates_and_closed_jury(db, organizer, ctx):
    edition = make_edition()
    application = accepted(edition)
    outsider = make_juror()
    juror = make_juror()
    add_to_jury(edition, juror)
    with pytest.raises(services.AssignmentError, match="not on this edition"):
        services.assign_juror(application, outsider, organizer)
    services.assign_juror(application, juror, organizer, AssignmentSource.DIVERGENCE)
    assert db.session.scalar(sa.select(Assignment.source)) == AssignmentSource.DIVERGENCE
    with pytest.raises(services.AssignmentError, match="already assigned"):
        services.assign_juror(application, juror, organizer)
    draft = make_application(edition)
    with pytest.raises(services.AssignmentError, match="Only accepted"):
        services.assign_juror(draft, juror, organizer)
    from pdcompetition.models import utcnow

    edition.jury_closed_at = utcnow()
    with pytest.raises(services.AssignmentError, match="closed"):
        services.assign_juror(accepted(edition), juror, organizer)


def test_remove_is_refused_once_scoring_started(client, db, organizer):
    edition = make_edition()
    application = accepted(edition)
    fresh, started = make_juror(), make_juror(full_name="Начавший")
    add_to_jury(edition, fresh)
    add_to_jury(edition, started)
    a1 = assign(application, fresh)
    a2 = assign(application, started)
    make_sheet(a2)
    db.session.commit()
    base = f"/manage/editions/{edition.id}/jury/assignments/{application.id}"
    client.post(f"{base}/remove/{a1.id}")
    response = client.post(f"{base}/remove/{a2.id}", follow_redirects=True)
    assert "has started scoring this application" in response.get_data(as_text=True)
    assert pairs(db) == {(application.id, started.id)}


def test_pin_forbid_and_clear(client, db, organizer):
    edition = make_edition()
    application = accepted(edition, organization="Диалог")
    juror = make_juror()
    conflicted = make_juror(organization="Диалог")
    add_to_jury(edition, juror)
    add_to_jury(edition, conflicted)
    db.session.commit()
    url = f"/manage/editions/{edition.id}/jury/assignments/{application.id}/rule"
    client.post(url, data={"juror_id": str(juror.id), "rule": "pin"})
    rule = db.session.scalar(sa.select(AssignmentConstraint))
    assert (rule.juror_id, rule.rule) == (juror.id, PairRule.PIN)
    client.post(url, data={"juror_id": str(juror.id), "rule": "forbid"})
    db.session.expire_all()
    assert db.session.scalar(sa.select(AssignmentConstraint)).rule == PairRule.FORBID
    client.post(url, data={"juror_id": str(juror.id), "rule": "none"})
    assert db.session.scalar(sa.select(AssignmentConstraint)) is None
    response = client.post(url, data={"juror_id": str(conflicted.id), "rule": "pin"},
                           follow_redirects=True)
    assert "cannot be pinned" in response.get_data(as_text=True)
    assert client.post(url, data={"juror_id": str(juror.id), "rule": "none"}).status_code == 404


def test_auto_assign_balances_and_avoids_conflicts(client, db, organizer, outbox):
    edition = make_edition(jurors_per_application=2)
    apps = [accepted(edition) for _ in range(6)]
    apps[0].organization = "АНО «Мост»"
    jurors = [make_juror(organization="Мост" if i == 0 else "") for i in range(3)]
    for juror in jurors:
        add_to_jury(edition, juror)
    db.session.commit()
    response = client.post(f"/manage/editions/{edition.id}/jury/auto-assign")
    assert response.status_code == 200
    assert "12 new assignments" in response.get_data(as_text=True)
    made = pairs(db)
    assert len(made) == 12
    assert (apps[0].id, jurors[0].id) not in made
    loads = sorted(sum(1 for _, j in made if j == juror.id) for juror in jurors)
    assert loads == [4, 4, 4]
    assert all(sum(1 for a, _ in made if a == app.id) == 2 for app in apps)
    sources = set(db.session.scalars(sa.select(Assignment.source)))
    assert sources == {AssignmentSource.AUTOMATIC}
    reviews = db.session.scalar(sa.select(sa.func.count()).select_from(ApplicationStatusChange)
                                .where(ApplicationStatusChange.kind == "jury_review"))
    assert reviews == 6
    # A second run has nothing left to do.
    response = client.post(f"/manage/editions/{edition.id}/jury/auto-assign")
    assert "0 new assignments" in response.get_data(as_text=True)
    assert pairs(db) == made


def test_auto_assign_replaces_declared_conflicts_and_keeps_started_work(client, db, organizer):
    edition = make_edition(jurors_per_application=1)
    first, second = accepted(edition), accepted(edition)
    a, b, c = make_juror(), make_juror(), make_juror()
    for juror in (a, b, c):
        add_to_jury(edition, juror)
    started = assign(first, a)
    make_sheet(started)
    assign(second, b)
    db.session.add(ConflictDeclaration(application_id=second.id, juror_id=b.id, reason="сосед"))
    db.session.commit()
    response = client.post(f"/manage/editions/{edition.id}/jury/auto-assign")
    assert response.status_code == 200, response.get_data(as_text=True)
    made = pairs(db)
    assert (first.id, a.id) in made and (second.id, b.id) not in made
    assert (second.id, c.id) in made  # the free juror, keeping loads even
    declaration = db.session.scalar(sa.select(ConflictDeclaration))
    assert declaration.resolved_at is not None
    text = client.get(f"/manage/editions/{edition.id}/jury/conflicts").get_data(as_text=True)
    assert "Reassigned" in text and "Awaiting reassignment" not in text


def test_infeasible_assignment_changes_nothing_and_says_why(client, db, organizer):
    edition = make_edition(jurors_per_application=3)
    application = accepted(edition, nomination=edition.nominations[0])
    jurors = [make_juror() for _ in range(2)]
    for juror in jurors:
        add_to_jury(edition, juror)
    assign(application, jurors[0])
    db.session.commit()
    response = client.post(f"/manage/editions/{edition.id}/jury/auto-assign")
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert (f"Application {application.display_number} (nomination «Nomination 1») has only "
            "2 eligible jurors, needs 3") in text
    assert pairs(db) == {(application.id, jurors[0].id)}


def test_uneven_loads_only_on_request(client, db, organizer):
    edition = make_edition(jurors_per_application=1)
    apps = [accepted(edition) for _ in range(4)]
    a, b = make_juror(full_name="Анна"), make_juror(full_name="Борис")
    add_to_jury(edition, a)
    add_to_jury(edition, b)
    for app in apps[:3]:
        assign(app, a)
    db.session.commit()
    url = f"/manage/editions/{edition.id}/jury/auto-assign"
    # Anna already holds three of four: one more for Boris gives 3 against 1.
    response = client.post(url)
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Loads cannot be balanced" in text and "Assign with the most even loads" in text
    assert len(pairs(db)) == 3
    response = client.post(url, data={"allow_uneven": "y"})
    assert response.status_code == 200
    assert "not within one application of each other" in response.get_data(as_text=True)
    assert (apps[3].id, b.id) in pairs(db)


def count_queries(db, action) -> int:
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        action()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def test_pages_use_a_constant_number_of_queries(client, db, organizer):
    edition = make_edition()
    jurors = [make_juror() for _ in range(3)]
    for juror in jurors:
        add_to_jury(edition, juror)

    def grow(n):
        for _ in range(n):
            app = accepted(edition)
            for juror in jurors:
                make_sheet(assign(app, juror))
        db.session.commit()

    urls = [f"/manage/editions/{edition.id}/jury{tail}"
            for tail in ("", "/assignments", "/conflicts", "/progress")]
    grow(2)
    small = [count_queries(db, lambda u=u: client.get(u)) for u in urls]
    grow(8)
    large = [count_queries(db, lambda u=u: client.get(u)) for u in urls]
    assert small == large
