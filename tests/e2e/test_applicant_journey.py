"""In Chromium on a phone, in Russian: a new person registers, confirms by mail, fills the
application in two sittings, attaches a PDF, submits, and sees the status and the mail."""

import os
import re

from playwright.sync_api import expect

from pdcompetition.extensions import db

from .. import factories
from .conftest import wait_for_mail

SHOTS = os.environ.get("PDC_SCREENSHOTS")  # a folder: save a screenshot of each step there


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _open_edition(app):
    with app.app_context():
        edition = factories.make_edition(ordinal=3, nominations=2)
        edition.nominations[0].name_ru = "Народная дипломатия"
        edition.nominations[1].name_ru = "Молодёжная дипломатия"
        edition.nominations[1].description_ru = "Международные молодёжные инициативы."
        db.session.commit()


def _save_and_continue(page):
    page.get_by_role("button", name="Сохранить и продолжить").click()
    expect(page.get_by_text("Сохранено.")).to_be_visible()


def test_new_applicant_submits_from_a_phone(phone_page, live_app, live_server, mailbox, tmp_path):
    page = phone_page
    _open_edition(live_app)

    # Register and confirm the address.
    page.goto(live_server + "/")
    page.get_by_role("link", name="Подать заявку").click()
    expect(page).to_have_url(re.compile(r"/auth/login"))
    page.locator("#main").get_by_role("link", name="Регистрация").click()
    page.get_by_label("ФИО").fill("Анна Сергеевна Петрова")
    page.get_by_label("Электронная почта").fill("anna@example.org")
    page.get_by_label("Пароль", exact=True).fill("диплом-2024-дружба")
    page.get_by_label("Повторите пароль").fill("диплом-2024-дружба")
    page.get_by_role("button", name="Зарегистрироваться").click()
    body = mailbox.text_of(wait_for_mail(mailbox)[0])
    page.goto(re.search(r"http://\S+/auth/confirm/\S+", body).group(0))
    page.get_by_label("Электронная почта").fill("anna@example.org")
    page.get_by_label("Пароль").fill("диплом-2024-дружба")
    page.get_by_role("button", name="Войти").click()

    # First sitting: start, the person, the organization; then log out.
    page.get_by_role("link", name="Подать заявку").click()
    page.get_by_role("button", name="Начать заполнение заявки").click()
    expect(page.get_by_role("heading", name="О вас")).to_be_visible()
    expect(page.get_by_label("ФИО")).to_have_value("Анна Сергеевна Петрова")
    page.get_by_label("Дата рождения").fill("1990-05-17")
    page.get_by_label("Гражданство").select_option("RU")
    page.get_by_label("Телефон").fill("+7 912 345-67-89")
    _shot(page, "1-person")
    _save_and_continue(page)
    expect(page.get_by_role("heading", name="Организация")).to_be_visible()
    page.get_by_label("Организация", exact=True).fill("АНО «Мост дружбы»")
    page.get_by_label("Ваша роль в организации").fill("Директор")
    page.get_by_label("ОГРН").fill("1027700132194")  # one digit wrong
    page.get_by_label("ИНН").fill(factories.VALID_INN)
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_text("неверная контрольная цифра")).to_be_visible()
    expect(page.get_by_label("ОГРН")).to_have_value("1027700132194")  # kept as typed
    page.get_by_label("ОГРН").fill(factories.VALID_OGRN)
    page.get_by_role("button", name="Сохранить черновик").click()
    expect(page.get_by_text("Сохранено.")).to_be_visible()
    page.get_by_role("button", name="Выйти").click()

    # Second sitting: log in again, continue from "My applications".
    page.get_by_role("banner").get_by_role("link", name="Войти").click()
    page.get_by_label("Электронная почта").fill("anna@example.org")
    page.get_by_label("Пароль").fill("диплом-2024-дружба")
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("link", name="Мои заявки").click()
    page.get_by_role("link", name=re.compile("Черновик заявки")).click()
    expect(page.locator("progress")).to_have_attribute("value", "2")
    page.get_by_role("link", name="Продолжить заполнение").click()
    expect(page.get_by_role("heading", name="География")).to_be_visible()
    page.get_by_label("Страна, где вы работаете").select_option("RU")
    page.get_by_label("Регион России").select_option("RU-PER")
    page.get_by_label("Город или населённый пункт").fill("Пермь")
    _save_and_continue(page)
    page.get_by_label("Молодёжная дипломатия").check()
    _save_and_continue(page)
    page.get_by_label("Название работы или проекта").fill("Клуб переписки «Письмо другу»")
    page.get_by_label("Описание").fill(factories.RUSSIAN_TEXT)
    page.get_by_label("Цели").fill("Укрепить доверие между народами через переписку школьников.")
    page.get_by_label("Результаты в цифрах").fill("48 встреч, 3 200 участников из 12 стран.")
    page.get_by_label("Страны и организации-партнёры").fill("Школы Казахстана и Сербии.")
    _shot(page, "2-project")
    _save_and_continue(page)

    # A document, then the check and the submission.
    pdf = tmp_path / "Письмо поддержки.pdf"
    pdf.write_bytes(factories.pdf_bytes())
    page.get_by_label("Документ").set_input_files(str(pdf))
    page.get_by_role("button", name="Приложить").click()
    expect(page.get_by_text("Файл «Письмо поддержки.pdf» приложен.")).to_be_visible()
    _shot(page, "3-documents")
    page.get_by_role("link", name="Далее: проверка и подача").click()
    expect(page.get_by_text("Что нужно сделать перед подачей")).to_have_count(0)
    page.get_by_label("Я согласен(на) на обработку моих персональных данных").check()
    _shot(page, "4-review")
    page.get_by_role("button", name="Подать заявку").click()
    expect(page.get_by_role("heading", name="Ваша заявка подана")).to_be_visible()
    expect(page.get_by_text("III-0001")).to_be_visible()
    _shot(page, "5-confirmation")

    # The status page and the mail.
    page.get_by_role("link", name="Статус заявки").click()
    expect(page.get_by_role("heading", name=re.compile("Заявка III-0001"))).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("Подана")
    _shot(page, "6-status")
    messages = wait_for_mail(mailbox, 2)
    assert messages[1]["To"] == "anna@example.org"
    assert messages[1]["Subject"] == "Заявка III-0001 подана"
    text = mailbox.text_of(messages[1])
    assert "Номер заявки: III-0001" in text and "Молодёжная дипломатия" in text
