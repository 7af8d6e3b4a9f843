"""The juror's dashboard, the declaration, conflicts of interest, blind review, independence."""

from datetime import timedelta

import sqlalchemy as sa

from pdcompetition.models import (
    AuditEntry,
    ConflictDeclaration,
    Role,
    ScoreSheet,
    SheetStatus,
)

from . import factories
from .jury_helpers import post_sheet, setup_jury


class QueryCounter:
    """Counts the SQL statements the engine runs while active."""

    def __init__(self, engine):
        self.engine = engine
        self.count = 0

    def _count(self, *args, **kwargs):
        self.count += 1

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._count)


# -- dashboard ---------------------------------------------------------------------------


def test_dashboard_lists_assignments_with_progress_and_deadline(client, auth, db):
    jury = setup_jury(db, n=3)
    first, second, third = jury.assignments
    factories.make_sheet(first, [5, 5, 5])
    factories.make_sheet(second, [5, None, None], status=SheetStatus.DRAFT)
    db.session.commit()
    auth.login(jury.juror)
    page = client.get("/jury/").get_data(as_text=True)
    for application in jury.applications:
        assert application.project_title in page
        assert application.display_number in page
    assert "Номинация 1" in page and "Номинация 2" in page
    assert "Казахстан" in page and "Пермский край" in page
    assert page.count("sheet-submitted") == 1
    assert page.count("sheet-draft") == 1
    assert page.count("sheet-not_started") == 1
    assert '<progress id="progress-' in page and 'max="3" value="1"' in page
    assert "1 из 3" in page or "1 of 3" in page
    # The deadline in Moscow time and in the juror's own zone (Bishkek is UTC+6).
    assert "Asia/Bishkek" in page
    assert "data-deadline=" in page


def test_dashboard_hides_what_is_not_the_jurors(client, auth, db):
    jury = setup_jury(db, n=2)
    other_juror = factories.make_juror()
    factories.add_to_jury(jury.edition, other_juror)
    not_mine = factories.make_application(jury.edition, project_title="Чужая заявка",
                                          state=factories.ApplicationState.ACCEPTED)
    factories.assign(not_mine, other_juror)
    conflicted = jury.applications[1]
    db.session.add(ConflictDeclaration(application_id=conflicted.id, juror_id=jury.juror.id,
                                       reason="Родственник"))
    db.session.commit()
    auth.login(jury.juror)
    page = client.get("/jury/").get_data(as_text=True)
    assert jury.applications[0].project_title in page
    assert "Чужая заявка" not in page
    assert conflicted.project_title not in page
    assert 'max="1" value="0"' in page


def test_dashboard_without_jury_work(client, auth, db):
    juror = factories.make_juror()
    db.session.commit()
    auth.login(juror)
    response = client.get("/jury/")
    assert response.status_code == 200
    assert "<table" not in response.get_data(as_text=True)


def test_dashboard_asks_for_the_declaration_before_listing(client, auth, db):
    jury = setup_jury(db, n=2, confirmed=False)
    auth.login(jury.juror)
    page = client.get("/jury/").get_data(as_text=True)
    assert f"/jury/editions/{jury.edition.id}/declaration" in page
    assert jury.applications[0].project_title not in page


def test_dashboard_and_scoring_page_run_a_constant_number_of_queries(client, auth, db):
    counts = {}
    for count in (3, 30):
        jury = setup_jury(db, n=count)
        for assignment in jury.assignments[::2]:
            factories.make_sheet(assignment, [5, 5, 5])
        db.session.commit()
        auth.login(jury.juror)
        path = f"/jury/applications/{jury.applications[0].id}"
        db.session.expunge_all()  # nothing cached from the set-up
        with QueryCounter(db.engine) as dashboard:
            assert client.get("/jury/").status_code == 200
        with QueryCounter(db.engine) as scoring:
            page = client.get(path)
            assert page.status_code == 200
        counts[count] = (dashboard.count, scoring.count)
        auth.logout()
    assert counts[3] == counts[30], counts
    dashboard_queries, scoring_queries = counts[30]
    assert dashboard_queries <= 6 and scoring_queries <= 9, counts


# -- declaration -------------------------------------------------------------------------


def test_application_pages_redirect_to_the_declaration_until_confirmed(client, auth, db):
    jury = setup_jury(db, n=1, confirmed=False)
    auth.login(jury.juror)
    path = f"/jury/applications/{jury.applications[0].id}"
    response = client.get(path)
    assert response.status_code == 302
    assert f"/jury/editions/{jury.edition.id}/declaration" in response.headers["Location"]
    assert client.get(path + "/conflict").status_code == 302
    assert client.post(path, data={"version": "0", "save": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(ScoreSheet.id))) == 0


def test_declaration_needs_the_box_ticked(client, auth, db):
    jury = setup_jury(db, n=1, confirmed=False)
    auth.login(jury.juror)
    url = f"/jury/editions/{jury.edition.id}/declaration"
    page = client.get(url).get_data(as_text=True)
    assert "конфликт" in page.lower() or "conflict" in page.lower()
    response = client.post(url, data={})
    assert response.status_code == 200
    assert 'class="error"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert jury.member.coi_confirmed_at is None


def test_confirming_the_declaration_is_recorded_and_audited(client, auth, db):
    jury = setup_jury(db, n=1, confirmed=False)
    auth.login(jury.juror)
    path = f"/jury/applications/{jury.applications[0].id}"
    url = client.get(path).headers["Location"]
    response = client.post(url, data={"confirm": "y"})
    assert response.headers["Location"] == path
    db.session.expire_all()
    assert jury.member.coi_confirmed_at is not None
    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "jury.declaration_confirmed"))
    assert entry.actor_id == jury.juror.id and entry.edition_id == jury.edition.id
    assert client.get(path).status_code == 200


def test_declaration_redirect_stays_on_this_site(client, auth, db):
    jury = setup_jury(db, n=1, confirmed=False)
    auth.login(jury.juror)
    url = f"/jury/editions/{jury.edition.id}/declaration?next=//evil.example/"
    response = client.post(url, data={"confirm": "y"})
    assert response.headers["Location"] == "/"


# -- conflicts ---------------------------------------------------------------------------


def test_declaring_a_conflict(client, auth, db, outbox):
    jury = setup_jury(db, n=2)
    organizer = factories.make_user(Role.ORGANIZER, locale="en")
    factories.make_sheet(jury.assignments[0], [5, None, None], status=SheetStatus.DRAFT)
    db.session.commit()
    auth.login(jury.juror)
    application = jury.applications[0]
    url = f"/jury/applications/{application.id}/conflict"
    assert client.get(url).status_code == 200
    response = client.post(url, data={"reason": ""})
    assert 'class="error"' in response.get_data(as_text=True)
    response = client.post(url, data={"reason": "Руководитель организации — мой брат"})
    assert response.headers["Location"].endswith("/jury/")

    db.session.expire_all()
    [declaration] = db.session.scalars(sa.select(ConflictDeclaration))
    assert declaration.juror_id == jury.juror.id
    assert declaration.reason == "Руководитель организации — мой брат"
    assert db.session.scalar(sa.select(sa.func.count(ScoreSheet.id))) == 0
    [entry] = db.session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "jury.conflict_declared"))
    assert entry.data["discarded_sheet"]["values"]
    [mail] = [m for m in outbox() if m.to_email == organizer.email]
    assert application.display_number in mail.subject
    assert "Руководитель организации — мой брат" in mail.body_text
    # The application has left the list and cannot be opened or scored any more.
    assert application.project_title not in client.get("/jury/").get_data(as_text=True)
    assert client.get(f"/jury/applications/{application.id}").status_code == 404
    c1 = jury.edition.criteria[0]
    assert post_sheet(client, application, {c1.id: "5"}).status_code == 404
    assert client.post(url, data={"reason": "ещё раз"}).status_code == 404


def test_no_conflict_declared_after_the_deadline(client, auth, db):
    jury = setup_jury(db, n=1)
    jury.edition.judging_close_at = factories.now() - timedelta(hours=1)
    db.session.commit()
    auth.login(jury.juror)
    url = f"/jury/applications/{jury.applications[0].id}/conflict"
    assert client.post(url, data={"reason": "Поздно вспомнил"}).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ConflictDeclaration.id))) == 0


# -- blind review and independence ---------------------------------------------------------


def test_blind_review_hides_who_applies(client, auth, db):
    from pdcompetition.models import Attachment

    jury = setup_jury(db, n=1, blind_review=True)
    application = jury.applications[0]
    application.full_name = "Анна Сергеевна Петрова"
    application.email = "anna.petrova@example.org"
    application.phone = "+7 912 345-67-89"
    application.organization = "АНО «Мост дружбы»"
    application.organization_ogrn = "1025900123456"
    application.organization_inn = "5902123456"
    application.city = "Кунгур"
    db.session.add(Attachment(application=application, original_name="Петрова_устав.pdf",
                              stored_name="x" * 32, content_type="application/pdf",
                              size=120_000, sha256="0" * 64))
    db.session.commit()
    auth.login(jury.juror)
    for path in ("/jury/", f"/jury/applications/{application.id}",
                 f"/jury/applications/{application.id}/conflict"):
        page = client.get(path).get_data(as_text=True)
        for secret in ("Петрова", "anna.petrova", "345-67-89", "Мост дружбы", "1025900123456",
                       "5902123456", "Кунгур"):
            assert secret not in page, (path, secret)
    page = client.get(f"/jury/applications/{application.id}").get_data(as_text=True)
    assert application.project_title in page
    assert "Пермский край" in page
    assert "PDF" in page  # the document is there, without its name


def test_without_blind_review_the_applicant_is_shown(client, auth, db):
    from pdcompetition.models import Attachment

    jury = setup_jury(db, n=1)
    application = jury.applications[0]
    db.session.add(Attachment(application=application, original_name="устав.pdf",
                              stored_name="y" * 32, content_type="application/pdf",
                              size=2_500_000, sha256="0" * 64))
    db.session.commit()
    auth.login(jury.juror)
    page = client.get(f"/jury/applications/{application.id}").get_data(as_text=True)
    assert application.full_name in page and application.email in page
    assert "устав.pdf" in page
    attachment_id = db.session.scalar(sa.select(Attachment.id))
    if "applications.attachment" in client.application.view_functions:
        from flask import url_for

        with client.application.test_request_context():
            url = url_for("applications.attachment", attachment_id=attachment_id, inline=1)
        assert f'<a href="{url}" target="_blank" rel="noopener">устав.pdf</a>' in page
    else:
        assert "устав.pdf</a>" not in page  # no link until the download endpoint exists
    assert "2,4 МБ" in page


def test_a_juror_never_sees_another_jurors_scores(client, auth, db):
    jury = setup_jury(db, n=1)
    other = factories.make_juror()
    factories.add_to_jury(jury.edition, other)
    theirs = factories.assign(jury.applications[0], other)
    sheet = factories.make_sheet(theirs, [1, 9, 2])
    sheet.scores[0].comment = "Секретный комментарий коллеги"
    sheet.overall_comment = "Общий вывод коллеги"
    db.session.commit()
    auth.login(jury.juror)
    for path in ("/jury/", f"/jury/applications/{jury.applications[0].id}"):
        page = client.get(path).get_data(as_text=True)
        assert "Секретный комментарий коллеги" not in page
        assert "Общий вывод коллеги" not in page
        assert 'value="9"' not in page
    assert client.get(f"/jury/sheets/{sheet.id}").status_code == 404
