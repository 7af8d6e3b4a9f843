"""Two tabs or two sessions saving one score sheet: no score is ever lost."""

import threading
import time

import pytest

from pdcompetition.domain import score_rules
from pdcompetition.extensions import db as _db
from pdcompetition.jury import services
from pdcompetition.models import ScoreSheet, SheetStatus, User

from . import factories
from .jury_helpers import post_sheet, setup_jury


def stored_values(db, assignment):
    db.session.expire_all()
    assignment_id = assignment if isinstance(assignment, int) else assignment.id
    sheet = db.session.scalar(
        db.select(ScoreSheet).where(ScoreSheet.assignment_id == assignment_id)
    )
    return sheet, {s.criterion_id: s.value for s in sheet.scores}


def test_stale_draft_is_not_applied_and_the_juror_sees_what_changed(client, auth, db):
    jury = setup_jury(db, n=1)
    c1, c2, c3 = jury.edition.criteria
    application = jury.applications[0]
    auth.login(jury.juror)
    # Two tabs opened the empty sheet (version 0); the first saves.
    assert post_sheet(client, application, {c1.id: "7", c2.id: "3"},
                      comments={c2.id: "из первой вкладки"}).status_code == 302
    # The second tab saves from version 0 with other values.
    response = post_sheet(client, application, {c1.id: "2", c2.id: "3", c3.id: "9"},
                          comments={c2.id: "из первой вкладки"}, overall="Вторая вкладка")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "stale-notice" in page
    assert 'value="2"' in page and 'value="9"' in page  # the juror's typed values are kept
    assert "Вторая вкладка" in page
    # The stored values are shown where they differ (criterion 1: 7, criterion 3: empty).
    assert page.count('class="stale-value"') == 3  # c1, c3 and the overall comment
    assert "<strong>7</strong>" in page
    assert 'name="version" value="1"' in page  # saving again re-applies on the stored version
    sheet, values = stored_values(db, jury.assignments[0])
    assert values == {c1.id: 7, c2.id: 3, c3.id: None}
    assert sheet.version == 1

    response = post_sheet(client, application, {c1.id: "2", c2.id: "3", c3.id: "9"},
                          comments={c2.id: "из первой вкладки"}, overall="Вторая вкладка",
                          version=1)
    assert response.status_code == 302
    sheet, values = stored_values(db, jury.assignments[0])
    assert values == {c1.id: 2, c2.id: 3, c3.id: 9}
    assert sheet.version == 2 and sheet.overall_comment == "Вторая вкладка"


def test_stale_save_after_submission_in_another_tab(client, auth, db):
    jury = setup_jury(db, n=1)
    c1, c2, c3 = jury.edition.criteria
    factories.make_sheet(jury.assignments[0], [5, 5, 5], status=SheetStatus.DRAFT)
    db.session.commit()
    auth.login(jury.juror)
    application = jury.applications[0]
    post_sheet(client, application, {c1.id: "6", c2.id: "6", c3.id: "6"}, version=1,
               submit=True)
    # An old tab still showing version 1 saves a draft: refused, the submission stands.
    response = post_sheet(client, application, {c1.id: "1"}, version=1)
    assert response.status_code == 409
    sheet, values = stored_values(db, jury.assignments[0])
    assert sheet.status == SheetStatus.SUBMITTED
    assert values == {c1.id: 6, c2.id: 6, c3.id: 6}


def test_retry_of_an_applied_save_is_not_applied_twice(client, auth, db):
    """A slow network retry re-sends the same form: the second copy is stale, not a change."""
    jury = setup_jury(db, n=1)
    c1, c2, c3 = jury.edition.criteria
    auth.login(jury.juror)
    scores = {c1.id: "6", c2.id: "6", c3.id: "6"}
    assert post_sheet(client, jury.applications[0], scores, submit=True).status_code == 302
    assert post_sheet(client, jury.applications[0], scores, submit=True).status_code == 409
    sheet, _values = stored_values(db, jury.assignments[0])
    assert sheet.version == 1


def _save_in_thread(app, user_id, application_id, changes, barrier, results, hold=0.3):
    """One session: load the sheet, wait for the other, change it, hold the lock, commit."""
    with app.app_context():
        try:
            user = _db.session.get(User, user_id)
            assignment, _member = services.load_assignment(user, application_id)
            criteria = assignment.application.edition.active_criteria
            sheet = assignment.score_sheet
            values = {s.criterion_id: str(s.value) for s in sheet.scores}
            values.update(changes)
            check = score_rules.check_sheet(
                criteria, values, {}, edition_id=assignment.application.edition_id, submit=True
            )
            base = sheet.version
            barrier.wait(timeout=10)
            services.save_sheet(
                assignment, criteria, check, "", base_version=base, submit=True, actor=user
            )
            time.sleep(hold)  # keep the transaction open while the other one tries
            _db.session.commit()
            results.append("saved")
        except services.StaleSheet:
            _db.session.rollback()
            results.append("stale")
        finally:
            _db.session.remove()


def test_two_sessions_saving_the_same_sheet_on_postgresql(app, db, backend):
    if backend != "postgresql":
        pytest.skip("row locks and concurrent transactions are tested on PostgreSQL")
    jury = setup_jury(db, n=1)
    factories.make_sheet(jury.assignments[0], [5, 5, 5])
    db.session.commit()
    user_id, application_id = jury.juror.id, jury.applications[0].id
    assignment_id = jury.assignments[0].id
    c1, c2, c3 = (c.id for c in jury.edition.criteria)
    db.session.remove()

    barrier = threading.Barrier(2)
    results = []
    threads = [
        threading.Thread(target=_save_in_thread, args=(
            app, user_id, application_id, {c1: "9"}, barrier, results)),
        threading.Thread(target=_save_in_thread, args=(
            app, user_id, application_id, {c2: "1"}, barrier, results)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["saved", "stale"]

    sheet, values = stored_values(db, assignment_id)
    assert sheet.version == 2
    # Exactly one change went in; the other was refused, not silently overwritten.
    assert sorted([values[c1], values[c2]]) in ([5, 9], [1, 5])
    loser_change = {c2: "1"} if values[c1] == 9 else {c1: "9"}
    db.session.remove()

    # The juror who was told re-applies on the stored version: both changes are kept.
    retry = []
    _save_in_thread(app, user_id, application_id, loser_change, threading.Barrier(1), retry,
                    hold=0)
    assert retry == ["saved"]
    sheet, values = stored_values(db, assignment_id)
    assert values == {c1: 9, c2: 1, c3: 5}
    assert sheet.version == 3


def test_two_first_saves_at_once_on_postgresql(app, db, backend):
    """Two tabs create the sheet at the same moment: one sheet, the second save is stale."""
    if backend != "postgresql":
        pytest.skip("concurrent inserts are tested on PostgreSQL")
    jury = setup_jury(db, n=1)
    c1, c2 = (c.id for c in jury.edition.criteria[:2])
    user_id, application_id = jury.juror.id, jury.applications[0].id
    db.session.remove()

    def first_save(changes, barrier, results):
        with app.app_context():
            try:
                user = _db.session.get(User, user_id)
                assignment, _member = services.load_assignment(user, application_id)
                criteria = assignment.application.edition.active_criteria
                check = score_rules.check_sheet(criteria, changes, {},
                                                edition_id=assignment.application.edition_id,
                                                submit=False)
                barrier.wait(timeout=10)
                services.save_sheet(assignment, criteria, check, "", base_version=0,
                                    submit=False, actor=user)
                time.sleep(0.3)
                _db.session.commit()
                results.append("saved")
            except services.StaleSheet:
                _db.session.rollback()
                results.append("stale")
            finally:
                _db.session.remove()

    barrier, results = threading.Barrier(2), []
    threads = [threading.Thread(target=first_save, args=({c1: "3"}, barrier, results)),
               threading.Thread(target=first_save, args=({c2: "4"}, barrier, results))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["saved", "stale"]
    assert db.session.scalar(db.select(db.func.count(ScoreSheet.id))) == 1
