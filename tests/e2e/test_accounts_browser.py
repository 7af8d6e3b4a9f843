"""In a real browser, in Russian: register, confirm by the mailed link, log in and out."""

import re

from playwright.sync_api import expect

from .conftest import wait_for_mail


def test_register_confirm_login_logout(page, live_server, mailbox):
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.get_by_role("link", name="Регистрация").click()

    page.get_by_label("ФИО").fill("Анна Петрова")
    page.get_by_label("Электронная почта").fill("Anna.Petrova@Example.org")
    page.get_by_label("Пароль", exact=True).fill("диплом-2024-дружба")
    page.get_by_label("Повторите пароль").fill("диплом-2024-дружба")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_role("heading", name="Проверьте почту")).to_be_visible()

    message = wait_for_mail(mailbox)[0]
    assert message["To"] == "anna.petrova@example.org"
    assert message["Subject"] == "Подтвердите адрес электронной почты"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/auth/confirm/\S+", body).group(0)

    page.goto(link)
    expect(page.get_by_text("Адрес почты подтверждён")).to_be_visible()
    page.get_by_label("Электронная почта").fill("anna.petrova@example.org")
    page.get_by_label("Пароль").fill("диплом-2024-дружба")
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("link", name="Анна Петрова")).to_be_visible()

    page.get_by_role("button", name="Выйти").click()
    expect(page.get_by_text("Вы вышли из учётной записи.")).to_be_visible()
    expect(page.get_by_role("link", name="Войти")).to_be_visible()
