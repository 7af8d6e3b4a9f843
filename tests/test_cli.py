"""`flask pdc` commands: create-admin, seed-demo."""

from pdcompetition.demo import DEMO_PASSWORD
from pdcompetition.models import (
    Application,
    ApplicationState,
    AuditEntry,
    Edition,
    EditionStatus,
    Event,
    Role,
    User,
)

from . import factories


def test_create_admin_creates_account(runner, db):
    result = runner.invoke(args=["pdc", "create-admin", "Boss@Example.org", "--password",
                                 "очень-надёжный-пароль", "--name", "Босс"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert user.email == "boss@example.org"
    assert {Role.ADMIN, Role.ORGANIZER} <= user.roles
    assert user.email_confirmed_at is not None
    assert user.check_password("очень-надёжный-пароль")
    assert db.session.scalar(db.select(AuditEntry.action)) == "user.role_granted"


def test_create_admin_promotes_existing_user(runner, db):
    user = factories.make_user(email="someone@example.org")
    db.session.commit()
    result = runner.invoke(args=["pdc", "create-admin", "someone@example.org", "--password",
                                 "ignored-for-existing"])
    assert result.exit_code == 0
    assert Role.ADMIN in db.session.get(User, user.id).roles
    assert db.session.get(User, user.id).check_password(factories.PASSWORD)


def test_create_admin_refuses_weak_password(runner, db):
    result = runner.invoke(args=["pdc", "create-admin", "a@example.org", "--password", "123"])
    assert result.exit_code == 1
    assert db.session.scalar(db.select(User)) is None


def test_seed_demo_is_complete_and_idempotent(runner, db):
    result = runner.invoke(args=["pdc", "seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin@demo.pdcompetition.ru" in result.output and DEMO_PASSWORD in result.output

    def counts():
        return {model.__name__: db.session.scalar(db.select(db.func.count()).select_from(model))
                for model in (User, Edition, Application, Event)}

    first = counts()
    assert runner.invoke(args=["pdc", "seed-demo"]).exit_code == 0
    assert counts() == first

    editions = {e.ordinal: e for e in db.session.scalars(db.select(Edition))}
    assert editions[1].year == 2022 and editions[1].status == EditionStatus.ARCHIVED
    assert editions[1].archive_region_count == 34 and editions[1].archive_country_count == 23
    assert editions[2].archive_region_count == 24 and editions[2].archive_country_count == 17
    assert "Пермь" == editions[1].forum_event.city_ru
    assert "Екатерининский" in editions[2].forum_event.title_ru
    assert editions[3].status == EditionStatus.ACTIVE
    users = db.session.scalars(db.select(User)).all()
    jurors = [u for u in users if Role.JUROR in u.roles]
    assert len(jurors) == 3 and len({j.juror_profile.country_code for j in jurors}) == 3
    applications = db.session.scalars(db.select(Application)).all()
    assert len(applications) >= 12
    assert len({a.state for a in applications}) >= 4
    assert len({a.nomination_id for a in applications}) >= 3
    assert all(a.state == ApplicationState.DRAFT or a.number for a in applications)
