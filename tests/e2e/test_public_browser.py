"""On a phone, in Russian: a visitor browses the archive, creates an account and registers
for a round table, then gets the calendar file by mail and from the page."""

import re

from playwright.sync_api import expect

from pdcompetition.demo import seed_demo
from pdcompetition.extensions import db

from ..ics_parser import parse_ics
from .conftest import wait_for_mail


def test_visitor_browses_archive_and_registers_for_a_round_table(phone_page, live_app,
                                                                 live_server, mailbox):
    with live_app.app_context():
        seed_demo()
        db.session.commit()
    page = phone_page
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Лидер общественной дипломатии")

    # The archive: past editions with their geography.
    header = page.get_by_role("navigation", name="Основная навигация")
    header.get_by_role("link", name="Архив", exact=True).click()
    expect(page.get_by_role("heading", name="Архив конкурса")).to_be_visible()
    first = page.locator("#edition-1")
    expect(first).to_contain_text("I конкурс, 2022")
    expect(first).to_contain_text("34 региона России")
    expect(first).to_contain_text("23 зарубежные страны")
    expect(first).to_contain_text("Пермь")
    second = page.locator("#edition-2")
    expect(second).to_contain_text("17 зарубежных стран")
    expect(second).to_contain_text("Абхазия")
    expect(second).to_contain_text("Екатерининский форум")

    # The events: the upcoming round table in Tashkent.
    header.get_by_role("link", name="События", exact=True).click()
    page.get_by_role("link", name=re.compile("Ташкент")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ташкент")
    expect(page.get_by_text("Осталось 40 мест")).to_be_visible()
    event_url = page.url

    # No account yet: create one on the way.
    page.get_by_role("link", name="Создать учётную запись").click()
    page.get_by_label("ФИО").fill("Лейла Мамедова")
    page.get_by_label("Электронная почта").fill("leyla@example.org")
    page.get_by_label("Пароль", exact=True).fill("мост-дружбы-2024")
    page.get_by_label("Повторите пароль").fill("мост-дружбы-2024")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_role("heading", name="Проверьте почту")).to_be_visible()
    body = wait_for_mail(mailbox, 1)[0].get_body(preferencelist=("plain",)).get_content()
    page.goto(re.search(r"http://\S+/auth/confirm/\S+", body).group(0))
    page.get_by_label("Электронная почта").fill("leyla@example.org")
    page.get_by_label("Пароль").fill("мост-дружбы-2024")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("link", name="Лейла Мамедова")).to_be_visible()

    # Back to the round table, now signed in.
    page.goto(event_url)
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_text("Вы зарегистрированы на это событие.")).to_be_visible()
    expect(page.get_by_role("button", name="Отменить регистрацию")).to_be_visible()

    message = wait_for_mail(mailbox, 2)[1]
    assert message["To"] == "leyla@example.org"
    assert message["Subject"].startswith("Вы зарегистрированы: Круглый стол")
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    (vevent,) = parse_ics(attachment.get_payload(decode=True))["VEVENT"]
    assert "Ташкент" in vevent["SUMMARY"] and vevent["DTSTART"].endswith("Z")

    with page.expect_download() as download:
        page.get_by_role("link", name="Добавить в календарь (.ics)").click()
    with open(download.value.path(), "rb") as file:
        assert parse_ics(file.read())["VEVENT"][0]["UID"] == vevent["UID"]
