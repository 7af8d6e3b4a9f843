"""The organizers' results pages: ranking, explanation, jury, awards, approval, publishing."""

import re
from datetime import timedelta

import pytest

from pdcompetition.models import (
    ApplicationState,
    Assignment,
    AssignmentSource,
    AuditEntry,
    Award,
    AwardKind,
    Certificate,
    CertificateKind,
)

from .factories import make_edition, make_scored_application, now
from .results_support import build_edition, fast_password_hashes  # noqa: F401  (autouse)


@pytest.fixture
def world(db):
    return build_edition(db)


def base(world):
    return f"/manage/editions/{world.edition.id}/results"


def without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', html)


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_dashboard_shows_steps_divergence_and_pending(client, auth, world):
    auth.login(world.organizer)
    html = page(client.get(base(world)))
    assert "Закрыть жюри" in html
    assert world.c.display_number in html  # diverging 20 vs 80
    assert "Назначить ещё одного члена жюри" in html
    assert world.d.display_number in html and "черновик" in html  # pending, named
    assert "60.00" in html


def test_nomination_ranking_with_tie_break_and_pending_apart(client, auth, world):
    auth.login(world.organizer)
    html = page(client.get(f"{base(world)}/nominations/{world.n1.id}"))
    # A 85, then B and F tied at 65 (B submitted an hour earlier), then C 50; D unranked.
    order = [html.index(x.full_name) for x in (world.a, world.b, world.f, world.c, world.d)]
    assert order == sorted(order)
    assert "85.00" in html and "65.00" in html and "50.00" in html
    assert "Равный балл 65.00 с " + world.b.display_number in html
    assert "не ранжирована" in html
    assert "Рейтинг предлагает: 1-е место" in html


def test_explain_recomputes_every_figure(client, auth, world):
    auth.login(world.organizer)
    html = page(client.get(f"{base(world)}/applications/{world.c.id}"))
    assert "(20.0 + 80.0) / 2 = <strong>50.00</strong>" in html
    assert "Ирина Соколова" in html and "Marco Rossi" in html
    assert "60.00 > 30: расхождение" in html  # the divergence check, with the threshold
    assert html.count("Комментарий") >= 6
    # The same page again gives the same figures (the CSRF token carries the second it was
    # made in, so it may differ between the two requests).
    again = page(client.get(f"{base(world)}/applications/{world.c.id}"))
    assert without_csrf_tokens(again) == without_csrf_tokens(html)


def test_explain_with_normalization_shows_z_and_both_means(client, auth, db):
    world = build_edition(db, normalize_scores=True)
    auth.login(world.organizer)
    html = page(client.get(f"{base(world)}/applications/{world.a.id}"))
    assert "Среднее нормированных оценок" in html
    assert "z = " in html
    listing = page(client.get(f"{base(world)}/nominations/{world.n1.id}"))
    assert "Нормированный балл" in listing


def test_explain_of_another_editions_application_is_404(client, auth, world, db):
    other = make_edition()
    foreign = make_scored_application(other, [(world.j1, [5, 5, 5])])
    db.session.commit()
    auth.login(world.organizer)
    assert client.get(f"{base(world)}/applications/{foreign.id}").status_code == 404
    assert client.get(f"{base(world)}/nominations/{other.nominations[0].id}").status_code == 404


def test_close_jury_is_audited_and_once(client, auth, world, db):
    auth.login(world.organizer)
    response = client.post(f"{base(world)}/close-jury", follow_redirects=True)
    assert "Жюри закрыто" in page(response)
    db.session.refresh(world.edition)
    assert world.edition.jury_closed_at is not None
    entry = db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "results.jury_closed"))
    assert entry.actor_id == world.organizer.id
    again = client.post(f"{base(world)}/close-jury", follow_redirects=True)
    assert "Жюри уже закрыто" in page(again)


def test_awards_need_the_jury_closed(client, auth, world, db):
    auth.login(world.organizer)
    response = client.post(f"{base(world)}/nominations/{world.n1.id}",
                           data={f"award_{world.a.id}": "winner"}, follow_redirects=True)
    assert "после закрытия жюри" in page(response)
    assert db.session.scalar(db.select(Award)) is None


def _close(client, world):
    assert client.post(f"{base(world)}/close-jury").status_code == 302


def test_awards_following_the_ranking_are_saved(client, auth, world, db):
    auth.login(world.organizer)
    _close(client, world)
    response = client.post(f"{base(world)}/nominations/{world.n1.id}", data={
        f"award_{world.a.id}": "winner", f"award_{world.b.id}": "second",
        f"award_{world.f.id}": "third", f"award_{world.c.id}": "laureate",
    })
    assert response.status_code == 302
    awards = {a.application_id: a.kind for a in db.session.scalars(db.select(Award))}
    assert awards == {world.a.id: AwardKind.WINNER, world.b.id: AwardKind.SECOND,
                      world.f.id: AwardKind.THIRD, world.c.id: AwardKind.LAUREATE}
    recorded = db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action == "results.award_recorded")
    ).all()
    assert len(recorded) == 4
    assert {e.data["rank"] for e in recorded} == {1, 2, 3, 4}


def test_departure_needs_a_written_reason_kept_in_the_audit(client, auth, world, db):
    auth.login(world.organizer)
    _close(client, world)
    url = f"{base(world)}/nominations/{world.n1.id}"
    # C (rank 4) as the winner, A (rank 1) only second: both depart from the ranking.
    data = {f"award_{world.c.id}": "winner", f"award_{world.a.id}": "second",
            f"reason_{world.a.id}": "Решение оргкомитета"}
    html = page(client.post(url, data=data))
    assert "Эта награда расходится с рейтингом: укажите причину." in html
    assert "Решение оргкомитета" in html  # what was typed is kept
    assert db.session.scalar(db.select(Award)) is None
    data[f"reason_{world.c.id}"] = "Особый вклад в народную дипломатию"
    assert client.post(url, data=data).status_code == 302
    award = db.session.scalar(db.select(Award).where(Award.application_id == world.c.id))
    assert award.kind == AwardKind.WINNER
    assert award.departure_reason == "Особый вклад в народную дипломатию"
    entry = db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "results.award_recorded", AuditEntry.object_id == award.id))
    assert entry.data["departure"] == "place_mismatch"
    assert entry.data["reason"] == "Особый вклад в народную дипломатию"


def test_pending_application_can_be_awarded_only_with_a_reason(client, auth, world, db):
    auth.login(world.organizer)
    _close(client, world)
    url = f"{base(world)}/nominations/{world.n1.id}"
    # A special mention is outside the order of merit: no reason needed, even unranked.
    response = client.post(url, data={f"award_{world.d.id}": "special_mention",
                                      f"award_{world.a.id}": "winner"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Award).where(Award.application_id == world.d.id))
    html = page(client.post(url, data={f"award_{world.a.id}": "winner",
                                       f"award_{world.d.id}": "laureate"}))
    assert "укажите причину" in html


def test_unknown_award_kind_is_refused_next_to_the_field(client, auth, world, db):
    auth.login(world.organizer)
    _close(client, world)
    html = page(client.post(f"{base(world)}/nominations/{world.n1.id}", data={
        f"award_{world.a.id}": "gold", f"award_{world.b.id}": "second"}))
    assert 'role="alert"' in html and "Исправьте отмеченные поля" in html
    assert db.session.scalar(db.select(Award)) is None


def test_removing_and_changing_awards_is_audited(client, auth, world, db):
    auth.login(world.organizer)
    _close(client, world)
    url = f"{base(world)}/nominations/{world.n1.id}"
    client.post(url, data={f"award_{world.a.id}": "winner", f"award_{world.b.id}": "second"})
    client.post(url, data={f"award_{world.a.id}": "winner", f"award_{world.b.id}": "laureate"})
    client.post(url, data={f"award_{world.a.id}": "winner", f"award_{world.b.id}": ""})
    actions = [e.action for e in db.session.scalars(
        db.select(AuditEntry).where(AuditEntry.action.like("results.award%"))
        .order_by(AuditEntry.id))]
    assert actions == ["results.award_recorded", "results.award_recorded",
                       "results.award_changed", "results.award_removed"]


def _award_and_approve(client, world):
    _close(client, world)
    client.post(f"{base(world)}/nominations/{world.n1.id}", data={
        f"award_{world.a.id}": "winner", f"award_{world.b.id}": "second"})
    return client.post(f"{base(world)}/approve", follow_redirects=True)


def test_approval_locks_the_results_and_issues_certificates(client, auth, world, db):
    auth.login(world.organizer)
    html = page(_award_and_approve(client, world))
    assert "утверждены" in html
    db.session.refresh(world.edition)
    assert world.edition.results_approved_at is not None
    certificates = db.session.scalars(db.select(Certificate)).all()
    kinds = {(c.application_id, c.kind) for c in certificates}
    accepted = [world.a, world.b, world.c, world.d, world.e, world.f]
    assert {(x.id, CertificateKind.PARTICIPATION) for x in accepted} <= kinds
    assert (world.a.id, CertificateKind.DIPLOMA) in kinds
    assert (world.c.id, CertificateKind.DIPLOMA) not in kinds
    assert (world.rejected.id, CertificateKind.PARTICIPATION) not in kinds
    assert len({c.code for c in certificates}) == len(certificates) == 8
    # Locked: awards and the jury cannot change any more.
    url = f"{base(world)}/nominations/{world.n1.id}"
    locked = page(client.post(url, data={f"award_{world.c.id}": "laureate"}, follow_redirects=True))
    assert "награды зафиксированы" in locked
    assert db.session.scalar(db.select(Award).where(Award.application_id == world.c.id)) is None
    html = page(client.post(f"{base(world)}/reopen-jury", follow_redirects=True))
    assert "жюри нельзя открыть снова" in html


def test_award_left_on_an_application_rejected_later_is_ignored(client, auth, world, db):
    auth.login(world.organizer)
    _close(client, world)
    client.post(f"{base(world)}/nominations/{world.n1.id}", data={
        f"award_{world.a.id}": "winner", f"award_{world.c.id}": "laureate",
        f"reason_{world.c.id}": "Особый вклад"})
    world.c.state = ApplicationState.REJECTED  # found ineligible by the organizers
    db.session.commit()
    assert "Карим Саидов" not in page(client.get(f"{base(world)}/nominations/{world.n1.id}"))
    page(client.get(base(world)))
    client.post(f"{base(world)}/approve")
    assert db.session.scalar(db.select(Certificate).where(
        Certificate.application_id == world.c.id)) is None
    preview = page(client.get(f"{base(world)}/preview"))
    assert "Анна Петрова" in preview and "Карим Саидов" not in preview


def test_approval_needs_closed_jury_and_an_award(client, auth, world, db):
    auth.login(world.organizer)
    html = page(client.post(f"{base(world)}/approve", follow_redirects=True))
    assert "Закройте жюри, прежде чем утверждать итоги" in html
    db.session.refresh(world.edition)
    assert world.edition.results_approved_at is None
    _close(client, world)
    html = page(client.post(f"{base(world)}/approve", follow_redirects=True))
    assert "хотя бы одну награду" in html


def test_approval_refused_once_the_moment_has_passed(client, auth, db):
    world = build_edition(db)
    world.edition.results_publish_at = now() - timedelta(minutes=5)
    db.session.commit()
    auth.login(world.organizer)
    html = page(_award_and_approve(client, world))
    assert "Момент публикации уже прошёл" in html
    db.session.refresh(world.edition)
    assert world.edition.results_approved_at is None


def test_only_an_admin_reopens_approved_results_with_a_reason(client, auth, world, db):
    auth.login(world.organizer)
    _award_and_approve(client, world)
    assert client.get(f"{base(world)}/reopen").status_code == 403
    auth.logout()
    auth.login(world.admin)
    html = page(client.post(f"{base(world)}/reopen", data={"reason": "кратко"}))
    assert "error" in html
    response = client.post(f"{base(world)}/reopen",
                           data={"reason": "Исправление ошибки в номинации"})
    assert response.status_code == 302
    db.session.refresh(world.edition)
    assert world.edition.results_approved_at is None
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "results.reopened"))
    assert entry.data["reason"] == "Исправление ошибки в номинации"
    assert entry.actor_id == world.admin.id


def test_publish_now_publishes_and_mails_every_applicant_once(client, auth, world, db, outbox):
    auth.login(world.organizer)
    _award_and_approve(client, world)
    assert outbox() == []
    html = page(client.post(f"{base(world)}/publish", follow_redirects=True))
    assert "опубликованы" in html
    db.session.refresh(world.edition)
    assert world.edition.results_published_at is not None
    assert world.edition.results_mailed_at is not None
    mails = [m for m in outbox() if m.template == "results_published"]
    # Six accepted applications and one rejected: one mail each.
    assert len(mails) == 7
    assert {m.to_email for m in mails} >= {world.a.owner.email, world.rejected.owner.email}
    winner_mail = next(m for m in mails if m.to_email == world.a.owner.email)
    assert "Победитель (1-е место)" in winner_mail.body_text
    again = page(client.post(f"{base(world)}/publish", follow_redirects=True))
    assert "уже опубликованы" in again
    assert len([m for m in outbox() if m.template == "results_published"]) == 7


def test_publish_needs_approval(client, auth, world, db, outbox):
    auth.login(world.organizer)
    html = page(client.post(f"{base(world)}/publish", follow_redirects=True))
    assert "Утвердите итоги" in html
    db.session.refresh(world.edition)
    assert world.edition.results_published_at is None
    assert outbox() == []


def test_extra_juror_for_diverging_scores(client, auth, world, db):
    auth.login(world.organizer)
    response = client.post(f"{base(world)}/applications/{world.c.id}/extra-juror",
                           follow_redirects=True)
    html = page(response)
    added = db.session.scalar(db.select(Assignment).where(
        Assignment.application_id == world.c.id, Assignment.source == AssignmentSource.DIVERGENCE))
    # j3 has one application, the spare juror none: the least loaded is chosen.
    assert added.juror_id == world.spare.id
    assert "Запасной Эксперт" in html
    assert db.session.scalar(db.select(AuditEntry).where(
        AuditEntry.action == "results.extra_juror_assigned")).data["juror_id"] == world.spare.id
    # The application now waits for the new sheet.
    listing = page(client.get(f"{base(world)}/nominations/{world.n1.id}"))
    assert listing.index(world.c.full_name) > listing.index(world.d.full_name) or (
        "не ранжирована" in listing)


def test_extra_juror_when_nobody_is_left(client, auth, world, db):
    auth.login(world.organizer)
    for juror in (world.j3, world.spare):
        db.session.add(Assignment(application_id=world.c.id, juror_id=juror.id))
    db.session.commit()
    html = page(client.post(f"{base(world)}/applications/{world.c.id}/extra-juror",
                            follow_redirects=True))
    assert "Нет доступного члена жюри без конфликта интересов" in html


def test_extra_juror_refused_once_the_jury_is_closed(client, auth, world, db):
    auth.login(world.organizer)
    _close(client, world)
    html = page(client.post(f"{base(world)}/applications/{world.c.id}/extra-juror",
                            follow_redirects=True))
    assert "Жюри закрыто" in html
    assert db.session.scalar(db.select(Assignment).where(
        Assignment.source == AssignmentSource.DIVERGENCE)) is None


def test_preview_shows_the_public_page_to_organizers_before_publication(client, auth, world):
    auth.login(world.organizer)
    _award_and_approve(client, world)
    html = page(client.get(f"{base(world)}/preview"))
    assert "Предпросмотр" in html
    assert world.a.full_name in html and world.a.organization in html
    assert "Победитель (1-е место)" in html
    assert "Пермский край" in html  # the winner's region
    assert world.c.full_name not in html  # no award, not listed


# Every organizer route, for every role.

ADMIN_ROUTES = [
    ("get", "/manage/results"),
    ("get", "{base}"),
    ("post", "{base}/close-jury"),
    ("post", "{base}/reopen-jury"),
    ("post", "{base}/approve"),
    ("post", "{base}/publish"),
    ("get", "{base}/nominations/{n1}"),
    ("post", "{base}/nominations/{n1}"),
    ("get", "{base}/applications/{c}"),
    ("post", "{base}/applications/{c}/extra-juror"),
    ("get", "{base}/preview"),
    ("get", "{base}/export/ranking.csv"),
    ("get", "{base}/export/scores.xlsx"),
    ("get", "{base}/certificates.zip"),
]


@pytest.mark.parametrize("role", ["anonymous", "applicant", "juror", "organizer", "admin"])
def test_organizer_routes_by_role(client, auth, world, role):
    users = {"applicant": world.a.owner, "juror": world.j1, "organizer": world.organizer,
             "admin": world.admin}
    if role in users:
        auth.login(users[role])
    for method, route in ADMIN_ROUTES:
        url = route.format(base=base(world), n1=world.n1.id, c=world.c.id)
        response = getattr(client, method)(url)
        if role == "anonymous":
            assert response.status_code == 302, url
            assert "/auth/login" in response.headers["Location"], url
        elif role in ("applicant", "juror"):
            assert response.status_code == 403, url
        else:
            assert response.status_code in (200, 302), url


@pytest.mark.parametrize("role,status", [
    ("anonymous", 302), ("applicant", 403), ("juror", 403), ("organizer", 403), ("admin", 200),
])
def test_reopen_route_by_role(client, auth, world, role, status):
    users = {"applicant": world.a.owner, "juror": world.j1, "organizer": world.organizer,
             "admin": world.admin}
    if role in users:
        auth.login(users[role])
    assert client.get(f"{base(world)}/reopen").status_code == status
    assert client.post(f"{base(world)}/reopen", data={"reason": "x" * 20}).status_code in (
        (302,) if role in ("anonymous", "admin") else (status,))


def test_unknown_edition_is_404_for_organizers(client, auth, world):
    auth.login(world.organizer)
    assert client.get("/manage/editions/9999/results").status_code == 404
    assert client.get("/manage/editions/9999/results/preview").status_code == 404
