"""A juror scores: draft, submit, edit until the deadline, read-only after; rules and audit."""

from datetime import timedelta
from decimal import Decimal

import pytest

from pdcompetition.models import (
    ApplicationState,
    AuditEntry,
    Criterion,
    ScoreSheet,
    SheetStatus,
)

from . import factories
from .jury_helpers import post_sheet, setup_jury


def sheet_of(db, assignment):
    db.session.expire_all()
    return db.session.scalar(db.select(ScoreSheet).where(ScoreSheet.assignment_id == assignment.id))


def audit_entries(db, action):
    return list(db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == action)))


def test_scoring_page_shows_the_application_and_the_criteria(client, auth, db):
    jury = setup_jury(db, n=1)
    jury.edition.criteria[0].description_ru = "Насколько проект отвечает задачам конкурса."
    application = jury.applications[0]
    db.session.commit()
    auth.login(jury.juror)
    page = client.get(f"/jury/applications/{application.id}").get_data(as_text=True)
    assert application.project_title in page
    assert application.full_name in page
    assert application.organization in page
    assert "Насколько проект отвечает задачам конкурса." in page
    for criterion in jury.edition.criteria:
        assert criterion.name_ru in page
        assert f'name="score_{criterion.id}"' in page
        assert f'name="comment_{criterion.id}"' in page
    assert 'name="overall_comment"' in page
    assert 'name="version" value="0"' in page
    assert "Сохранить черновик" in page or "Save draft" in page


def test_save_draft_with_empty_values(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    c1, c2, c3 = jury.edition.criteria
    response = post_sheet(client, jury.applications[0], {c1.id: "7"}, version=0)
    assert response.status_code == 302
    sheet = sheet_of(db, jury.assignments[0])
    assert sheet.status == SheetStatus.DRAFT
    assert sheet.version == 1
    assert {s.criterion_id: s.value for s in sheet.scores} == {c1.id: 7, c2.id: None, c3.id: None}
    # Drafts are the juror's own business: nothing audited yet.
    assert audit_entries(db, "jury.sheet_submitted") == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'value="7"' in page
    assert 'name="version" value="1"' in page


def test_submit_requires_every_score_and_keeps_what_was_typed(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    c1, c2, c3 = jury.edition.criteria
    response = post_sheet(
        client, jury.applications[0], {c1.id: "7", c2.id: "", c3.id: "4"},
        comments={c1.id: "Сильный проект"}, overall="Общее впечатление", submit=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'id="score_{c2.id}-error"' in page
    assert f'id="score_{c1.id}-error"' not in page
    assert 'value="7"' in page and 'value="4"' in page
    assert "Сильный проект" in page and "Общее впечатление" in page
    assert sheet_of(db, jury.assignments[0]) is None


@pytest.mark.parametrize("typed", ["11", "-1", "7.5", "семь"])
def test_bad_score_is_refused_next_to_the_field(client, auth, db, typed):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    c1, c2, c3 = jury.edition.criteria
    response = post_sheet(
        client, jury.applications[0], {c1.id: "5", c2.id: typed, c3.id: "5"},
        comments={c3.id: "Мой комментарий"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="score_{c2.id}-error"' in page
    assert f'value="{typed}"' in page
    assert "Мой комментарий" in page
    assert sheet_of(db, jury.assignments[0]) is None


def test_extreme_score_needs_a_comment_to_submit(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    c1, c2, c3 = jury.edition.criteria
    scores = {c1.id: "0", c2.id: "10", c3.id: "5"}
    response = post_sheet(client, jury.applications[0], scores, comments={c2.id: "Лучший"},
                          submit=True)
    page = response.get_data(as_text=True)
    assert f'id="comment_{c1.id}-error"' in page
    assert f'id="comment_{c2.id}-error"' not in page
    assert sheet_of(db, jury.assignments[0]) is None
    response = post_sheet(client, jury.applications[0], scores,
                          comments={c1.id: "Нет результатов", c2.id: "Лучший"}, submit=True)
    assert response.status_code == 302
    assert sheet_of(db, jury.assignments[0]).status == SheetStatus.SUBMITTED


def test_submit_stores_scores_audits_and_goes_to_the_next_unscored(client, auth, db):
    jury = setup_jury(db, n=2)
    auth.login(jury.juror)
    c1, c2, c3 = jury.edition.criteria
    first, second = jury.applications
    response = post_sheet(client, first, {c1.id: "8", c2.id: "6", c3.id: "7"},
                          overall="Убедительно", submit=True)
    assert response.status_code == 302
    assert client.get(response.headers["Location"]).headers["Location"].endswith(
        f"/jury/applications/{second.id}"
    )
    sheet = sheet_of(db, jury.assignments[0])
    assert sheet.status == SheetStatus.SUBMITTED
    assert sheet.submitted_at is not None
    assert sheet.overall_comment == "Убедительно"
    [entry] = audit_entries(db, "jury.sheet_submitted")
    assert entry.actor_id == jury.juror.id
    assert entry.object_id == sheet.id
    assert entry.data["criteria"][str(c1.id)]["old"] is None
    assert entry.data["criteria"][str(c1.id)]["new"] == 8
    assert entry.data["overall_comment"] == {"old": "", "new": "Убедительно"}
    page = client.get(f"/jury/applications/{first.id}").get_data(as_text=True)
    assert "70,0" in page  # the weighted total, computed on the server
    assert 'name="save"' not in page  # a submitted sheet is changed with "Save changes"


def test_weighted_total_uses_the_weights(client, auth, db):
    jury = setup_jury(db, n=1)
    c1, c2, c3 = jury.edition.criteria
    c1.weight = Decimal("2")
    c3.max_score = 5
    db.session.commit()
    auth.login(jury.juror)
    post_sheet(client, jury.applications[0], {c1.id: "5", c2.id: "10", c3.id: "4"},
               comments={c2.id: "Максимум"})
    page = client.get(f"/jury/applications/{jury.applications[0].id}").get_data(as_text=True)
    # (0.5*2 + 1*1 + 0.8*1) / 4 * 100 = 70
    assert "70,0" in page
    assert 'data-weight="2.00"' in page and 'data-max="5"' in page


def test_changes_after_submission_are_audited_with_old_and_new_values(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    c1, c2, c3 = jury.edition.criteria
    application = jury.applications[0]
    post_sheet(client, application, {c1.id: "8", c2.id: "6", c3.id: "7"}, submit=True)
    response = post_sheet(client, application, {c1.id: "9", c2.id: "6", c3.id: "7"},
                          comments={c1.id: "Пересмотрел"}, version=1, submit=True)
    assert response.status_code == 302
    sheet = sheet_of(db, jury.assignments[0])
    assert sheet.version == 2
    assert {s.criterion_id: s.value for s in sheet.scores}[c1.id] == 9
    [entry] = audit_entries(db, "jury.sheet_changed")
    assert entry.data["criteria"] == {
        str(c1.id): {"old": 8, "new": 9, "old_comment": "", "new_comment": "Пересмотрел",
                     "criterion": c1.name_ru},
    }
    assert entry.actor_id == jury.juror.id
    # Saving again without a change adds nothing to the log.
    post_sheet(client, application, {c1.id: "9", c2.id: "6", c3.id: "7"},
               comments={c1.id: "Пересмотрел"}, version=2, submit=True)
    assert len(audit_entries(db, "jury.sheet_changed")) == 1


def test_draft_then_submit(client, auth, db):
    jury = setup_jury(db, n=1)
    auth.login(jury.juror)
    c1, c2, c3 = jury.edition.criteria
    application = jury.applications[0]
    post_sheet(client, application, {c1.id: "8"})
    post_sheet(client, application, {c1.id: "8", c2.id: "6", c3.id: "7"}, version=1, submit=True)
    sheet = sheet_of(db, jury.assignments[0])
    assert sheet.status == SheetStatus.SUBMITTED and sheet.version == 2
    [entry] = audit_entries(db, "jury.sheet_submitted")
    # The submission records every value, the unchanged draft ones included.
    assert entry.data["criteria"][str(c1.id)] == {
        "old": 8, "new": 8, "old_comment": "", "new_comment": "", "criterion": c1.name_ru,
    }
    assert entry.data["criteria"][str(c2.id)]["old"] is None
    assert entry.data["criteria"][str(c2.id)]["new"] == 6


@pytest.mark.parametrize("closed_by", ["deadline", "jury_closed"])
def test_read_only_after_the_deadline_or_the_jury_close(client, auth, db, closed_by):
    jury = setup_jury(db, n=1)
    c1, c2, c3 = jury.edition.criteria
    factories.make_sheet(jury.assignments[0], [5, 6, 7])
    if closed_by == "deadline":
        jury.edition.judging_close_at = factories.now() - timedelta(minutes=1)
    else:
        jury.edition.jury_closed_at = factories.now() - timedelta(minutes=1)
    db.session.commit()
    auth.login(jury.juror)
    application = jury.applications[0]
    page = client.get(f"/jury/applications/{application.id}").get_data(as_text=True)
    assert "disabled" in page
    assert 'name="submit"' not in page and 'name="save"' not in page
    assert "/conflict" not in page
    response = post_sheet(client, application, {c1.id: "9", c2.id: "9", c3.id: "9"},
                          comments={c1.id: "Поздно"}, version=1, submit=True)
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Поздно" in page  # what was typed is still on the page
    sheet = sheet_of(db, jury.assignments[0])
    assert [s.value for s in sorted(sheet.scores, key=lambda s: s.criterion_id)] == [5, 6, 7]


def test_criterion_of_another_edition_is_refused(client, auth, db):
    jury = setup_jury(db, n=1)
    other = factories.make_edition()
    db.session.commit()
    auth.login(jury.juror)
    c1, c2, c3 = jury.edition.criteria
    foreign = other.criteria[0]
    response = post_sheet(client, jury.applications[0],
                          {c1.id: "5", c2.id: "5", c3.id: "5", foreign.id: "3"})
    assert response.status_code == 200
    assert "form-errors" in response.get_data(as_text=True)
    assert sheet_of(db, jury.assignments[0]) is None


def test_archived_criterion_is_not_scored(client, auth, db):
    jury = setup_jury(db, n=1)
    c1, c2, c3 = jury.edition.criteria
    c3.archived_at = factories.now()
    db.session.commit()
    auth.login(jury.juror)
    page = client.get(f"/jury/applications/{jury.applications[0].id}").get_data(as_text=True)
    assert f'name="score_{c3.id}"' not in page
    # A page opened before the criterion was archived is refused, not half-saved.
    response = post_sheet(client, jury.applications[0], {c1.id: "5", c2.id: "5", c3.id: "5"})
    assert "form-errors" in response.get_data(as_text=True)
    assert sheet_of(db, jury.assignments[0]) is None
    response = post_sheet(client, jury.applications[0], {c1.id: "5", c2.id: "5"}, submit=True)
    assert response.status_code == 302


def test_a_criterion_added_later_is_required_on_submit(client, auth, db):
    jury = setup_jury(db, n=1)
    c1, c2, c3 = jury.edition.criteria
    factories.make_sheet(jury.assignments[0], [5, 6, 7])
    new = Criterion(edition=jury.edition, name_ru="Новый", max_score=10, weight=Decimal(1),
                    position=9)
    db.session.add(new)
    db.session.commit()
    auth.login(jury.juror)
    response = post_sheet(client, jury.applications[0], {c1.id: "5", c2.id: "6", c3.id: "7"},
                          version=1, submit=True)
    assert f'id="score_{new.id}-error"' in response.get_data(as_text=True)


def test_next_unscored_skips_submitted_and_wraps(client, auth, db):
    jury = setup_jury(db, n=3)
    first, second, third = jury.applications
    factories.make_sheet(jury.assignments[1], [5, 5, 5])
    db.session.commit()
    auth.login(jury.juror)
    base = f"/jury/editions/{jury.edition.id}/next"
    assert client.get(base).headers["Location"].endswith(f"/applications/{first.id}")
    assert client.get(f"{base}?after={first.id}").headers["Location"].endswith(
        f"/applications/{third.id}")
    assert client.get(f"{base}?after={third.id}").headers["Location"].endswith(
        f"/applications/{first.id}")
    page = client.get(f"/jury/applications/{first.id}").get_data(as_text=True)
    assert f'href="/jury/applications/{third.id}" accesskey="n"' in page


def test_next_unscored_when_everything_is_submitted(client, auth, db):
    jury = setup_jury(db, n=1)
    factories.make_sheet(jury.assignments[0], [5, 5, 5])
    db.session.commit()
    auth.login(jury.juror)
    response = client.get(f"/jury/editions/{jury.edition.id}/next", follow_redirects=True)
    assert response.request.path == "/jury/"
    assert "flash-success" in response.get_data(as_text=True)


def test_applications_not_admitted_to_the_jury_are_not_scored(client, auth, db):
    jury = setup_jury(db, n=1)
    jury.applications[0].state = ApplicationState.WITHDRAWN
    db.session.commit()
    auth.login(jury.juror)
    assert client.get(f"/jury/applications/{jury.applications[0].id}").status_code == 404
    assert jury.applications[0].project_title not in client.get("/jury/").get_data(as_text=True)


def test_the_save_service_refuses_by_itself(app, db):
    """The rules hold where the sheet is written, whoever calls the service."""
    from pdcompetition.domain import score_rules
    from pdcompetition.jury import services
    from pdcompetition.models import ConflictDeclaration

    jury = setup_jury(db, n=1)
    assignment = jury.assignments[0]
    criteria = jury.edition.active_criteria
    check = score_rules.check_sheet(criteria, {c.id: "5" for c in criteria}, {},
                                    edition_id=jury.edition.id, submit=True)
    other = factories.make_juror()

    def save(actor):
        with app.test_request_context():
            services.save_sheet(assignment, criteria, check, "", base_version=0, submit=True,
                                actor=actor)

    with pytest.raises(services.ScoringRefused, match="не назначена"):
        save(other)
    db.session.add(ConflictDeclaration(application_id=assignment.application_id,
                                       juror_id=jury.juror.id, reason="Коллега"))
    db.session.flush()
    with pytest.raises(services.ScoringRefused, match="конфликте интересов"):
        save(jury.juror)
    db.session.rollback()
    jury.edition.jury_closed_at = factories.now()
    db.session.flush()
    with pytest.raises(services.ScoringRefused, match="завершили работу жюри"):
        save(jury.juror)
    db.session.rollback()
    save(jury.juror)
    assert sheet_of(db, assignment).status == SheetStatus.SUBMITTED
