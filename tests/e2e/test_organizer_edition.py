"""In a real browser, in Russian: an organizer sets up an edition and screens two applications.

The steps are helpers so that later journeys (the jury) can continue from here.
"""

from datetime import timedelta

from playwright.sync_api import expect

from pdcompetition.domain.moscow_time import now_utc, to_moscow
from pdcompetition.extensions import db
from pdcompetition.models import Application, ApplicationState, Edition, Role

from .. import factories
from .conftest import wait_for_mail


def moscow_input(days: int) -> str:
    """A datetime-local value `days` from now, Moscow time."""
    return to_moscow(now_utc() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def log_in_as_organizer(page, live_server, live_app):
    with live_app.app_context():
        organizer = factories.make_user(Role.ORGANIZER, email="orlova@example.org",
                                        full_name="Наталья Орлова")
        db.session.commit()
        email = organizer.email
    page.goto(live_server + "/auth/login")
    page.get_by_label("Электронная почта").fill(email)
    page.get_by_label("Пароль").fill(factories.PASSWORD)
    page.get_by_role("button", name="Войти").click()
    expect(page.get_by_role("link", name="Управление")).to_be_visible()


def create_edition(page) -> None:
    """Create edition V with two nominations and two criteria, from the browser only."""
    page.get_by_role("link", name="Управление").click()
    page.get_by_role("link", name="Новый конкурс").click()
    page.get_by_label("Номер конкурса").fill("5")
    page.get_by_label("Год", exact=True).fill("2026")
    page.get_by_label("Статус").select_option("active")
    page.get_by_label("Название на русском", exact=True).fill(
        "V Международный конкурс «Лидер общественной дипломатии»")
    page.get_by_label("Начало приёма заявок").fill(moscow_input(-1))
    page.get_by_label("Приём заявок закрывается").fill(moscow_input(30))
    page.get_by_label("Работа жюри завершается").fill(moscow_input(60))
    page.get_by_label("Название форума на русском").fill("Екатерининский форум")
    page.get_by_label("Город на русском").fill("Москва")
    page.get_by_label("Дата и время объявления итогов").fill(moscow_input(70))
    page.get_by_label("Слепая оценка: жюри не видит имени заявителя").check()
    page.get_by_role("button", name="Создать конкурс").click()
    expect(page.get_by_text("Конкурс V создан.")).to_be_visible()

    for name in ("Народная дипломатия", "Молодёжная дипломатия"):
        page.get_by_label("Название на русском", exact=True).fill(name)
        page.get_by_role("button", name="Добавить", exact=True).click()
        expect(page.get_by_text(f"Добавлено: «{name}».")).to_be_visible()

    page.get_by_role("link", name="Критерии", exact=True).click()
    for name, maximum in (("Актуальность", "10"), ("Результаты", "5")):
        page.get_by_label("Название на русском", exact=True).fill(name)
        page.get_by_label("Максимальный балл").fill(maximum)
        page.get_by_role("button", name="Добавить", exact=True).click()
        expect(page.get_by_text(f"Добавлено: «{name}».")).to_be_visible()
    rows = page.locator(".items-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("Результаты")


def submit_two_applications(live_app) -> tuple[str, str]:
    """Two applicants submit to edition V (their own journey is tested elsewhere)."""
    with live_app.app_context():
        edition = db.session.scalar(db.select(Edition).where(Edition.ordinal == 5))
        first = factories.make_application(
            edition, owner=factories.make_user(email="petrova@example.org",
                                               full_name="Анна Петрова"),
            project_title="Клуб «Письмо другу»")
        second = factories.make_application(
            edition, owner=factories.make_user(email="kim@example.org", full_name="Мария Ким"),
            nomination=edition.nominations[1], country_code="KZ", region_code="",
            project_title="Евразийский акселератор")
        db.session.commit()
        return first.display_number, second.display_number


def screen_two_applications(page, live_app, mailbox) -> None:
    """Accept the first application, return the second for changes with a comment."""
    first, second = submit_two_applications(live_app)
    page.get_by_role("link", name="Заявки", exact=True).click()
    expect(page.get_by_text("Найдено: 2")).to_be_visible()

    page.get_by_role("link", name=first).click()
    expect(page.get_by_role("heading", name=f"{first} · Клуб «Письмо другу»")).to_be_visible()
    page.locator("form.decision-accept").get_by_role("button", name="Принять").click()
    expect(page.get_by_text(f"Заявка {first}: Принята. Заявителю отправлено письмо.")
           ).to_be_visible()

    page.get_by_role("link", name="Все заявки").click()
    page.get_by_label("Найти").fill("евразийский")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_text("Найдено: 1")).to_be_visible()
    page.get_by_role("link", name=second).click()
    form = page.locator("form.decision-return")
    form.get_by_role("button", name="Вернуть на доработку").click()  # no comment yet
    expect(page.get_by_text("Напишите, что заявителю нужно исправить.")).to_be_visible()
    form = page.locator("form.decision-return")
    form.get_by_label("Комментарий заявителю").fill("Добавьте результаты проекта в цифрах.")
    form.get_by_role("button", name="Вернуть на доработку").click()
    expect(page.get_by_text(f"Заявка {second}: Возвращена на доработку.")).to_be_visible()
    expect(page.get_by_text("Добавьте результаты проекта в цифрах.").first).to_be_visible()

    messages = wait_for_mail(mailbox, 2)
    subjects = {message["To"]: message["Subject"] for message in messages}
    assert subjects["petrova@example.org"] == f"Ваша заявка {first} принята"
    assert subjects["kim@example.org"] == f"Вашу заявку {second} нужно доработать"
    with live_app.app_context():
        states = dict(db.session.execute(
            db.select(Application.project_title, Application.state)).all())
    assert states == {"Клуб «Письмо другу»": ApplicationState.ACCEPTED,
                      "Евразийский акселератор": ApplicationState.RETURNED}


def test_organizer_sets_up_an_edition_and_screens_applications(page, live_server, live_app,
                                                               mailbox):
    log_in_as_organizer(page, live_server, live_app)
    create_edition(page)
    screen_two_applications(page, live_app, mailbox)

    page.get_by_role("link", name="Сводка").click()
    expect(page.get_by_text("Стран (включая Россию): 2 · регионов России: 1")).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
