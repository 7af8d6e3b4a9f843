"""In Chromium, in Russian: the organizer closes the jury, records awards, approves and
publishes at the forum; the public page then shows the winners and applicants get mails."""

from playwright.sync_api import expect

from pdcompetition.extensions import db

from ..factories import PASSWORD
from ..results_support import build_edition, fast_password_hashes  # noqa: F401  (autouse)
from .conftest import wait_for_mail


def test_organizer_publishes_results_at_the_forum(page, live_app, live_server, mailbox, browser):
    with live_app.app_context():
        world = build_edition(db)
        edition_id, ordinal = world.edition.id, world.edition.ordinal
        organizer = world.organizer.email
        a, b, c = (world.a.display_number, world.b.display_number, world.c.display_number)
        winner_name, second_name = world.a.full_name, world.b.full_name
        public_url = f"{live_server}/editions/{ordinal}/results"

    # Before anything, the public sees no result.
    page.goto(public_url)
    expect(page.get_by_text("Победители будут объявлены на форуме")).to_be_visible()
    expect(page.get_by_text(winner_name)).to_have_count(0)

    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server}/auth/login")
    page.get_by_label("Электронная почта").fill(organizer)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()

    page.goto(f"{live_server}/manage/editions/{edition_id}/results")
    expect(page.get_by_role("heading", name="1. Закрыть жюри")).to_be_visible()
    page.get_by_role("button", name="Закрыть жюри").click()
    expect(page.get_by_text("Жюри закрыто: оценочные листы больше нельзя изменить.")
           ).to_be_visible()

    page.get_by_role("link", name="Номинация 1").click()
    expect(page.get_by_role("heading", name="Рейтинг: Номинация 1")).to_be_visible()
    page.get_by_label(f"Награда заявке {a}").select_option("winner")
    page.get_by_label(f"Награда заявке {b}").select_option("second")
    # C ranks fourth: a 3rd place for it departs from the ranking and needs a reason.
    page.get_by_label(f"Награда заявке {c}").select_option("third")
    page.get_by_role("button", name="Сохранить награды").click()
    expect(page.get_by_text("Эта награда расходится с рейтингом: укажите причину.")).to_be_visible()
    expect(page.get_by_label(f"Награда заявке {a}")).to_have_value("winner")  # kept
    page.locator(f"tr:has-text('{c}') textarea").fill("Решение оргкомитета: особый вклад")
    page.get_by_role("button", name="Сохранить награды").click()
    expect(page.get_by_text("Награды сохранены (изменений: 3).")).to_be_visible()

    page.get_by_role("link", name="← Результаты").click()
    page.get_by_role("link", name="Предпросмотр публичной страницы итогов").click()
    expect(page.get_by_text("Сейчас эту страницу видят только организаторы.")).to_be_visible()
    expect(page.get_by_text(winner_name)).to_be_visible()
    page.get_by_role("link", name="Вернуться к итогам").click()

    page.get_by_role("button", name="Утвердить итоги").click()
    expect(page.get_by_text("Итоги утверждены и зафиксированы.")).to_be_visible()
    page.get_by_role("button", name="Опубликовать сейчас").click()
    expect(page.get_by_text("Итоги опубликованы. Каждый заявитель получает письмо.")
           ).to_be_visible()

    # The public, in a fresh browser context, now sees the winners with the geography.
    context = browser.new_context(locale="ru-RU")
    visitor = context.new_page()
    visitor.goto(public_url)
    expect(visitor.get_by_role("heading", name="Номинация 1")).to_be_visible()
    expect(visitor.get_by_text(winner_name)).to_be_visible()
    expect(visitor.get_by_text(second_name)).to_be_visible()
    expect(visitor.get_by_text("Победитель (1-е место)")).to_be_visible()
    expect(visitor.get_by_role("heading", name="География участников")).to_be_visible()
    expect(visitor.locator("svg.bar-chart rect.chart-bar")).to_have_count(2)
    context.close()

    # Every applicant (six accepted, one rejected) got the announcement.
    messages = wait_for_mail(mailbox, count=7, timeout=30)
    assert all(m["Subject"] == "Объявлены итоги конкурса" for m in messages)
