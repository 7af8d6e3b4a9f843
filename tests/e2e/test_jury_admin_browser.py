"""In Chromium, in Russian: an organizer invites a juror, who accepts by the mailed link in
another browser, then the organizer assigns the jury automatically."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from pdcompetition.extensions import db
from pdcompetition.models import ApplicationState, Assignment, JuryMember, Role, User

from ..factories import PASSWORD, make_application, make_edition, make_user
from .conftest import wait_for_mail


def log_in(page, base, email):
    page.goto(base + "/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".account-name")).to_be_visible()


def invite_and_accept(page, browser, base, mailbox, edition_id, email, name):
    """The organizer invites; the invitee opens the mailed link elsewhere and accepts."""
    page.goto(f"{base}/manage/editions/{edition_id}/jury")
    page.fill("input[name=email]", email)
    page.fill("input[name=full_name]", name)
    page.get_by_role("button", name="Отправить приглашение").click()
    expect(page.get_by_text(f"Приглашение отправлено на {email}")).to_be_visible()
    message = wait_for_mail(mailbox)[-1]
    assert message["To"] == email
    assert message["Subject"] == "Приглашение в жюри конкурса «Лидер общественной дипломатии»"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/invitation/jury/\S+", body).group(0)

    context = browser.new_context(locale="ru-RU", timezone_id="Europe/Moscow")
    invitee = context.new_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name="Приглашение в жюри")).to_be_visible()
    expect(invitee.locator("input[name=full_name]")).to_have_value(name)
    invitee.fill("input[name=password]", "жюри-2024-доверие")
    invitee.fill("input[name=confirm]", "жюри-2024-доверие")
    invitee.get_by_role("button", name="Принять и создать учётную запись").click()
    expect(invitee.get_by_text("Добро пожаловать в жюри конкурса!")).to_be_visible()
    expect(invitee.locator(".account-name")).to_have_text(name)
    # The link works once.
    invitee.goto(link)
    expect(invitee.get_by_role("heading", name="Ссылка-приглашение не работает")).to_be_visible()
    context.close()


def test_invite_accept_and_auto_assign(page, browser, live_app, live_server, mailbox):
    with live_app.app_context():
        organizer = make_user(Role.ORGANIZER, email="org@example.org")
        edition = make_edition(jurors_per_application=1)
        apps = [make_application(edition, state=ApplicationState.ACCEPTED) for _ in range(2)]
        edition_id, app_ids = edition.id, [a.id for a in apps]
        db.session.commit()
        del organizer

    log_in(page, live_server, "org@example.org")
    invite_and_accept(page, browser, live_server, mailbox, edition_id,
                      "expert@example.org", "Айгуль Садыкова")

    page.goto(f"{live_server}/manage/editions/{edition_id}/jury")
    expect(page.get_by_role("link", name="Айгуль Садыкова")).to_be_visible()
    page.goto(f"{live_server}/manage/editions/{edition_id}/jury/assignments")
    page.get_by_role("button", name="Распределить автоматически").click()
    expect(page.get_by_text("Готово: новых назначений — 2")).to_be_visible()

    with live_app.app_context():
        juror = db.session.scalar(sa.select(User).where(User.email == "expert@example.org"))
        assert juror.is_juror
        assert db.session.scalar(sa.select(JuryMember.edition_id)) == edition_id
        made = set(db.session.execute(sa.select(Assignment.application_id, Assignment.juror_id)))
        assert made == {(app_id, juror.id) for app_id in app_ids}


def test_full_journey_edition_screening_jury_assignment(page, browser, live_app, live_server,
                                                        mailbox):
    """Issue 4 end to end, from the browser only: create an edition with a nomination,
    accept two applications, invite a juror who accepts, assign automatically."""
    from datetime import timedelta

    from pdcompetition.domain.moscow_time import now_utc, to_moscow
    from pdcompetition.models import Edition

    with live_app.app_context():
        make_user(Role.ORGANIZER, email="org@example.org")
        db.session.commit()

    def moscow(days):
        return to_moscow(now_utc() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")

    log_in(page, live_server, "org@example.org")
    page.goto(live_server + "/manage/editions/new")
    page.fill("input[name=ordinal]", "7")
    page.fill("input[name=year]", "2028")
    page.select_option("select[name=status]", "active")
    page.fill("input[name=title_ru]", "VII Международный конкурс «Лидер общественной дипломатии»")
    page.fill("input[name=applications_open_at]", moscow(-20))
    page.fill("input[name=applications_close_at]", moscow(-1))
    page.fill("input[name=judging_close_at]", moscow(30))
    page.fill("input[name=jurors_per_application]", "1")
    page.get_by_role("button", name="Создать конкурс").click()
    page.fill("input[name=name_ru]", "Молодёжная дипломатия")
    page.get_by_role("button", name="Добавить").click()
    expect(page.get_by_text("Молодёжная дипломатия").first).to_be_visible()

    with live_app.app_context():
        edition = db.session.scalar(sa.select(Edition).where(Edition.ordinal == 7))
        assert edition.jurors_per_application == 1
        edition_id = edition.id
        apps = [make_application(edition, nomination=edition.nominations[0])
                for _ in range(2)]  # submitted by applicants (their journey has its own test)
        app_ids = [a.id for a in apps]
        db.session.commit()

    for app_id in app_ids:
        page.goto(f"{live_server}/manage/editions/{edition_id}/applications")
        page.locator(f"a[href$='/manage/applications/{app_id}']").click()
        page.locator("form.decision-accept button[type=submit]").click()
        expect(page.locator(".flash-success")).to_be_visible()

    invite_and_accept(page, browser, live_server, mailbox, edition_id,
                      "juror@example.org", "Марко Росси")
    page.goto(f"{live_server}/manage/editions/{edition_id}/jury/assignments")
    page.get_by_role("button", name="Распределить автоматически").click()
    expect(page.get_by_text("Готово: новых назначений — 2")).to_be_visible()
    page.get_by_role("link", name="Назад к распределению").click()
    expect(page.locator("p.stat")).to_have_text("2 / 2")

    with live_app.app_context():
        juror = db.session.scalar(sa.select(User).where(User.email == "juror@example.org"))
        made = set(db.session.execute(sa.select(Assignment.application_id, Assignment.juror_id)))
        assert made == {(app_id, juror.id) for app_id in app_ids}
