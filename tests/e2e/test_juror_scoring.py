"""In Chromium, in Russian: a juror confirms the declaration, scores three applications (one
with a draft first, one with the keyboard) and declares a conflict of interest on a fourth."""

import re

from playwright.sync_api import expect

from pdcompetition.extensions import db
from pdcompetition.models import ApplicationState, Role, ScoreSheet, SheetStatus

from .. import factories
from .conftest import wait_for_mail


def _set_up(app):
    with app.app_context():
        edition = factories.make_edition(nominations=1, criteria=3)
        edition.criteria[0].description_ru = "Насколько работа укрепляет доверие между народами."
        juror = factories.make_juror(full_name="Ирина Соколова", email="juror@example.org")
        factories.add_to_jury(edition, juror)
        factories.make_user(Role.ORGANIZER, email="org@example.org", full_name="Наталья")
        titles = ["Письмо другу", "Волга — Каспий", "Дружба без границ", "Горы дружбы"]
        applications = [
            factories.make_application(edition, state=ApplicationState.ACCEPTED,
                                       project_title=title)
            for title in titles
        ]
        for application in applications:
            factories.assign(application, juror)
        db.session.commit()
        return [c.id for c in edition.criteria], [a.id for a in applications]


def _criterion(page, number):
    return page.get_by_role("group", name=re.compile(rf"^{number}\. Критерий {number}"))


def _fill(page, scores, comments=None):
    for number, value in enumerate(scores, 1):
        group = _criterion(page, number)
        group.get_by_label("Оценка").fill(str(value))
        if comments and number in comments:
            group.get_by_label("Комментарий").fill(comments[number])


def test_juror_scores_three_and_declares_a_conflict(page, live_server, live_app, mailbox):
    criterion_ids, application_ids = _set_up(live_app)

    page.goto(live_server + "/auth/login")
    page.get_by_label("Электронная почта").fill("juror@example.org")
    page.get_by_label("Пароль").fill(factories.PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="Кабинет жюри").click()

    # The declaration comes first; the list is hidden until it is confirmed.
    expect(page.get_by_text("Письмо другу")).to_have_count(0)
    page.get_by_role("link", name="Прочитать и подтвердить декларацию").click()
    page.get_by_role("button", name="Подтвердить и перейти к заявкам").click()
    expect(page.locator(".error")).to_be_visible()
    page.get_by_label("Я прочитал(а) декларацию и подтверждаю её").check()
    page.get_by_role("button", name="Подтвердить и перейти к заявкам").click()
    expect(page.get_by_text("Отправлено: 0 из 4")).to_be_visible()

    # First application: a draft, then the rest and submit.
    page.get_by_role("link", name="Письмо другу").click()
    expect(page.get_by_text("Насколько работа укрепляет доверие между народами.")).to_be_visible()
    _fill(page, [7], {1: "Хороший охват"})
    expect(page.locator("#scored-count")).to_have_text("1")
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_text("Черновик сохранён.")).to_be_visible()
    expect(_criterion(page, 1).get_by_label("Оценка")).to_have_value("7")
    expect(page.locator("#sheet-total")).to_have_text("—")
    _fill(page, [7, 6, 8])
    expect(page.locator("#sheet-total")).to_have_text("70,0")  # updated as the juror types
    page.get_by_role("button", name="Отправить оценки").click()
    expect(page.get_by_text("Оценки отправлены.")).to_be_visible()

    # Taken straight to the next unscored one. An extreme score needs a comment.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Волга — Каспий")
    _fill(page, [10, 6, 9])
    page.get_by_role("button", name="Отправить оценки").click()
    expect(page.get_by_text("Оценка 10 — крайняя: поясните её в комментарии.")).to_be_visible()
    expect(_criterion(page, 2).get_by_label("Оценка")).to_have_value("6")
    _criterion(page, 1).get_by_label("Комментарий").fill("Лучший проект по охвату стран")
    page.keyboard.press("Control+Enter")  # the documented shortcut submits
    expect(page.get_by_text("Оценки отправлены.")).to_be_visible()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Дружба без границ")
    _fill(page, [5, 5, 5])
    page.get_by_role("button", name="Отправить оценки").click()

    # The fourth: a conflict of interest.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Горы дружбы")
    page.get_by_role("link", name="Заявить о конфликте интересов по этой заявке").click()
    page.get_by_label("Причина").fill("Руководитель организации — мой однокурсник")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Заявить о конфликте интересов").click()
    expect(page.get_by_text("Конфликт интересов зафиксирован.")).to_be_visible()
    expect(page.get_by_text("Отправлено: 3 из 3")).to_be_visible()
    expect(page.get_by_role("link", name="Горы дружбы")).to_have_count(0)
    expect(page.locator("progress")).to_have_attribute("value", "3")

    message = wait_for_mail(mailbox)[0]
    assert message["To"] == "org@example.org"
    assert "конфликт интересов" in message["Subject"].lower()

    with live_app.app_context():
        sheets = db.session.scalars(db.select(ScoreSheet)).all()
        assert len(sheets) == 3
        assert all(sheet.status == SheetStatus.SUBMITTED for sheet in sheets)
        values = sorted(sorted(s.value for s in sheet.scores) for sheet in sheets)
        assert values == [[5, 5, 5], [6, 7, 8], [6, 9, 10]]
