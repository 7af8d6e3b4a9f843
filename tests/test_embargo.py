"""The embargo on results, from every side: one second before the moment and one after.

Before the announcement moment nobody but the organizers sees any result: not the public
page, the applicants (their status page, their result page, certificates), the jurors,
verification, the exports or the mails. One second after, everyone sees what they should,
and the mails are queued exactly once, by the first request or by `flask pdc publish-due`.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from pdcompetition.domain.stages import results_are_public
from pdcompetition.models import Certificate, CertificateKind, Edition, OutboxMessage
from pdcompetition.results import publication, services

from .results_support import build_edition, fast_password_hashes  # noqa: F401  (autouse)

START = datetime(2024, 12, 12, 9, 0, tzinfo=UTC)
MOMENT = datetime(2024, 12, 12, 12, 0, tzinfo=UTC)  # 15:00 in Moscow, on stage at the forum
BEFORE = MOMENT - timedelta(seconds=1)
AFTER = MOMENT + timedelta(seconds=1)

ROLES = ["anonymous", "applicant", "other_applicant", "juror", "organizer", "admin"]


@pytest.fixture
def world(db, frozen_time):
    """Approved results announced at MOMENT: A is the winner, B second."""
    frozen_time(START)
    world = build_edition(db)
    edition = world.edition
    edition.results_publish_at = MOMENT
    edition.applicant_feedback = True
    services.close_jury(edition, world.organizer)
    loaded = services.load_ranking(edition)
    services.save_awards(loaded, world.n1.id, {world.a.id: ("winner", ""),
                                               world.b.id: ("second", "")}, world.organizer)
    services.approve_results(edition, world.organizer)
    db.session.commit()
    world.code = db.session.scalar(db.select(Certificate.code).where(
        Certificate.application_id == world.a.id, Certificate.kind == CertificateKind.DIPLOMA))
    return world


def login_as(auth, world, role):
    users = {"applicant": world.a.owner, "other_applicant": world.b.owner, "juror": world.j1,
             "organizer": world.organizer, "admin": world.admin}
    if role in users:
        auth.login(users[role])


def result_mails(db):
    return db.session.scalars(
        db.select(OutboxMessage).where(OutboxMessage.template == "results_published")
    ).all()


def test_the_rule_itself(world, db):
    edition = world.edition
    assert not results_are_public(edition, BEFORE)
    assert results_are_public(edition, MOMENT)
    assert results_are_public(edition, AFTER)
    edition.results_approved_at = None  # not approved: the moment alone does not publish
    assert not results_are_public(edition, AFTER)
    edition.results_published_at = BEFORE  # "Publish now" pressed at the forum
    assert results_are_public(edition, BEFORE)


@pytest.mark.parametrize("role", ROLES)
def test_public_page_before_and_after(client, auth, world, frozen_time, role):
    login_as(auth, world, role)
    url = f"/editions/{world.edition.ordinal}/results"
    frozen_time(BEFORE)
    html = client.get(url).get_data(as_text=True)
    assert "Победители будут объявлены на форуме" in html
    for secret in (world.a.full_name, world.b.full_name, "Победитель (1-е место)"):
        assert secret not in html
    listing = client.get("/results").get_data(as_text=True)
    assert world.edition.title not in listing
    frozen_time(AFTER)
    html = client.get(url).get_data(as_text=True)
    assert world.a.full_name in html and world.a.organization in html
    assert "Победитель (1-е место)" in html and world.b.full_name in html
    assert "Пермский край" in html
    assert world.c.full_name not in html  # no award, not listed
    assert world.edition.title in client.get("/results").get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_applicant_result_and_certificate(client, auth, world, frozen_time, role):
    login_as(auth, world, role)
    result = f"/results/applications/{world.a.id}"
    diploma = f"{result}/certificates/diploma.pdf"
    frozen_time(BEFORE)
    before = client.get(result), client.get(diploma)
    frozen_time(AFTER)
    after = client.get(result), client.get(diploma)
    if role == "anonymous":
        assert [r.status_code for r in before + after] == [302] * 4
    elif role in ("organizer", "admin"):  # the organizers see it all along (the preview)
        assert [r.status_code for r in before + after] == [200] * 4
        assert "Предпросмотр для организаторов" in before[0].get_data(as_text=True)
    elif role == "applicant":
        assert [r.status_code for r in before] == [404, 404]
        assert [r.status_code for r in after] == [200, 200]
        html = after[0].get_data(as_text=True)
        assert "Победитель (1-е место)" in html
        assert world.code in html
        assert "Средняя оценка" in html  # feedback is on for this edition
        assert world.j1.full_name not in html and world.j2.full_name not in html
        assert after[1].mimetype == "application/pdf"
    else:  # another applicant or a juror: never, and not even a hint it exists
        assert [r.status_code for r in before + after] == [404] * 4


def test_applicants_status_page_shows_the_result_only_after(client, auth, world, frozen_time):
    auth.login(world.a.owner)
    frozen_time(BEFORE)
    response = client.get(f"/applications/{world.a.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Итог конкурса" not in html and "Победитель" not in html
    frozen_time(AFTER)
    html = client.get(f"/applications/{world.a.id}").get_data(as_text=True)
    assert "Итог конкурса" in html and "Победитель (1-е место)" in html


def test_partial_renders_nothing_under_embargo(app, world, frozen_time):
    from flask import render_template
    from flask_login import login_user

    frozen_time(BEFORE)
    with app.test_request_context("/"):
        login_user(world.a.owner)
        assert render_template("results/_applicant_result.html",
                               application=world.a).strip() == ""
    frozen_time(AFTER)
    with app.test_request_context("/"):
        login_user(world.a.owner)
        assert "Итог конкурса" in render_template("results/_applicant_result.html",
                                                  application=world.a)


@pytest.mark.parametrize("role", ["anonymous", "applicant", "juror", "organizer"])
def test_verify_reveals_nothing_before(client, auth, world, frozen_time, role):
    login_as(auth, world, role)
    frozen_time(BEFORE)
    genuine = client.get(f"/verify/{world.code}")
    unknown = client.get("/verify/AAAA-BBBB-CCCC-DDDD")
    assert genuine.status_code == unknown.status_code == 404
    assert world.a.full_name not in genuine.get_data(as_text=True)
    frozen_time(AFTER)
    genuine = client.get(f"/verify/{world.code.lower().replace('-', '')}")
    assert genuine.status_code == 200
    html = genuine.get_data(as_text=True)
    assert "Документ подлинный" in html and world.a.full_name in html
    assert "Победитель (1-е место)" in html


@pytest.mark.parametrize("role", ROLES)
def test_exports_only_for_organizers_before_and_after(client, auth, world, frozen_time, role):
    login_as(auth, world, role)
    base = f"/manage/editions/{world.edition.id}/results"
    for moment in (BEFORE, AFTER):
        frozen_time(moment)
        for url in (f"{base}/export/ranking.csv", f"{base}/export/scores.xlsx",
                    f"{base}/export/applications.csv", f"{base}/certificates.zip"):
            status = client.get(url).status_code
            expected = {"anonymous": 302, "organizer": 200, "admin": 200}.get(role, 403)
            assert status == expected, (url, moment)


def test_no_mail_before_then_exactly_once_by_the_first_request(client, world, frozen_time, db,
                                                               runner):
    frozen_time(BEFORE)
    client.get("/")
    assert "nothing to publish" in runner.invoke(args=["pdc", "publish-due"]).output
    assert result_mails(db) == []
    frozen_time(AFTER)
    client.get("/")  # the first request after the moment announces
    mails = result_mails(db)
    assert len(mails) == 7
    db.session.refresh(world.edition)
    assert world.edition.results_mailed_at == AFTER
    assert world.edition.results_published_at == MOMENT
    client.get("/")
    client.get(f"/editions/{world.edition.ordinal}/results")
    assert "nothing to publish" in runner.invoke(args=["pdc", "publish-due"]).output
    assert len(result_mails(db)) == 7


def test_publish_due_command_announces_once(world, frozen_time, db, runner):
    frozen_time(AFTER)
    output = runner.invoke(args=["pdc", "publish-due"]).output
    assert f"published: edition {world.edition.ordinal}" in output
    mails = result_mails(db)
    assert len(mails) == 7
    # Every applicant in their own language, with a link to their result.
    winner = next(m for m in mails if m.to_email == world.a.owner.email)
    assert winner.locale == "ru" and winner.subject == "Объявлены итоги конкурса"
    assert f"/results/applications/{world.a.id}" in winner.body_text
    assert "nothing to publish" in runner.invoke(args=["pdc", "publish-due"]).output
    assert len(result_mails(db)) == 7


def test_mail_in_the_applicants_language(world, frozen_time, db, runner):
    world.b.owner.locale = "en"
    db.session.commit()
    frozen_time(AFTER)
    runner.invoke(args=["pdc", "publish-due"])
    mail = next(m for m in result_mails(db) if m.to_email == world.b.owner.email)
    assert mail.locale == "en"
    assert mail.subject == "The results of the competition are announced"
    assert "2nd place" in mail.body_text


def test_nothing_is_mailed_for_unapproved_results(world, frozen_time, db, runner, client):
    world.edition.results_approved_at = None
    db.session.commit()
    frozen_time(AFTER)
    client.get("/")
    runner.invoke(args=["pdc", "publish-due"])
    assert result_mails(db) == []
    assert "Победители будут объявлены" in client.get(
        f"/editions/{world.edition.ordinal}/results").get_data(as_text=True)


def test_two_processes_announce_once(app, world, frozen_time, db, backend):
    """Two workers reaching the moment together: one claims it, the other sees it taken."""
    if backend != "postgresql":
        pytest.skip("row locks decide the race on PostgreSQL")
    frozen_time(AFTER)
    barrier = threading.Barrier(2)
    outcomes = []

    def worker():
        with app.app_context():
            edition = db.session.get(Edition, world.edition.id)
            barrier.wait()
            outcomes.append(publication.announce(edition, AFTER))
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == [False, True]
    db.session.expire_all()
    assert len(result_mails(db)) == 7


def test_reopened_results_stay_public_once_announced(client, world, frozen_time, db, auth):
    frozen_time(AFTER)
    client.get("/")
    services.reopen_results(db.session.get(Edition, world.edition.id), world.admin,
                            "Исправление опечатки в имени")
    db.session.commit()
    html = client.get(f"/editions/{world.edition.ordinal}/results").get_data(as_text=True)
    assert world.a.full_name in html


def test_a_juror_sees_no_result_anywhere(client, auth, world, frozen_time):
    auth.login(world.j1)
    frozen_time(BEFORE)
    base = f"/manage/editions/{world.edition.id}/results"
    for url in (base, f"{base}/preview", f"{base}/nominations/{world.n1.id}",
                f"{base}/applications/{world.a.id}", f"{base}/export/scores.csv"):
        assert client.get(url).status_code == 403, url
    for url in (f"/results/applications/{world.a.id}", f"/verify/{world.code}"):
        assert client.get(url).status_code == 404, url
    html = client.get(f"/editions/{world.edition.ordinal}/results").get_data(as_text=True)
    assert world.a.full_name not in html
