"""Demo data: people, the current edition open for applications, and the two past editions.

`seed_demo()` is idempotent: every record is looked up by a natural key first.
Feature packages append their own steps to DEMO_STEPS.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from .domain.moscow_time import from_moscow, now_utc
from .domain.ngo_registration import with_inn10_check_digit, with_ogrn_check_digit
from .extensions import db
from .jury.demo import seed_jury_work
from .models import (
    Application,
    ApplicationState,
    ApplicationStatusChange,
    Criterion,
    CustomCountry,
    Edition,
    EditionStatus,
    Event,
    EventKind,
    JurorProfile,
    JuryMember,
    Nomination,
    Role,
    User,
    roman,
    utcnow,
)
from .public.demo import seed_edition_events, seed_public_face

DEMO_PASSWORD = "demo-pass-2024"
DEMO_DOMAIN = "demo.pdcompetition.ru"

DEMO_LOGINS = [
    ("admin", f"admin@{DEMO_DOMAIN}"),
    ("organizer", f"organizer@{DEMO_DOMAIN}"),
    ("juror", f"juror1@{DEMO_DOMAIN}"),
    ("juror", f"juror2@{DEMO_DOMAIN}"),
    ("juror", f"juror3@{DEMO_DOMAIN}"),
    ("applicant", f"applicant1@{DEMO_DOMAIN}"),
    ("applicant", f"applicant2@{DEMO_DOMAIN}"),
]

JURORS = [
    ("juror1", "Ирина Викторовна Соколова", "RU", "RU-MOW", "Российский университет дружбы народов",
     "ru, en, fr", "Europe/Moscow"),
    ("juror2", "Азамат Нурланович Ибраимов", "KG", "", "Общественный фонд «Диалог культур»",
     "ru, ky, en", "Asia/Bishkek"),
    ("juror3", "Marco Rossi", "IT", "", "Associazione Italia–Russia", "it, en, ru", "Europe/Rome"),
]

NOMINATIONS = [
    ("Народная дипломатия", "People's diplomacy",
     "Проекты, которые соединяют людей разных стран через личные связи, обмены и совместные дела."),
    ("Молодёжная дипломатия", "Youth diplomacy",
     "Международные молодёжные инициативы, школы, форумы и волонтёрские программы."),
    ("Культурная дипломатия", "Cultural diplomacy",
     "Культура, образование и сохранение наследия как язык доверия между народами."),
    ("Гуманитарное сотрудничество", "Humanitarian cooperation",
     "Помощь, благотворительность и поддержка соотечественников за рубежом."),
]

CRITERIA = [
    ("Актуальность и значимость", "Relevance and significance",
     "Насколько работа отвечает задачам укрепления доверия между народами.", 10, "1.5"),
    ("Результаты в цифрах", "Measurable results",
     "Охват, число участников, стран и партнёров, подтверждённые данными.", 10, "1.5"),
    ("Международное партнёрство", "International partnership",
     "Устойчивость связей с зарубежными организациями.", 10, "1"),
    ("Личный вклад лидера", "The leader's personal contribution",
     "Роль заявителя в замысле и осуществлении работы.", 10, "1"),
    ("Тиражируемость", "Replicability",
     "Может ли опыт быть перенесён в другие регионы и страны.", 5, "0.5"),
]

APPLICANTS = [
    # (name, country, region, city, organization, nomination index, state, title)
    ("Анна Сергеевна Петрова", "RU", "RU-PER", "Пермь", "АНО «Мост дружбы»", 0, "accepted",
     "Клуб международной переписки «Письмо другу»"),
    ("Дмитрий Олегович Ковалёв", "RU", "RU-TA", "Казань", "РОО «Содружество»", 1, "accepted",
     "Международная молодёжная школа «Волга — Каспий»"),
    ("Гульнара Рашидовна Сафина", "RU", "RU-BA", "Уфа", "НКО «Наследие»", 2, "accepted",
     "Фестиваль национальных культур «Дружба без границ»"),
    ("Нодира Камоловна Юсупова", "UZ", "", "Ташкент", "ННО «Мехр»", 3, "accepted",
     "Русский язык для детей соотечественников"),
    ("Арам Гагикович Саргсян", "AM", "", "Ереван", "Фонд «Арарат — Волга»", 2, "submitted",
     "Армяно-российские дни кино в школах"),
    ("Ольга Ивановна Белова", "BY", "", "Минск", "ОО «Славянский дом»", 0, "submitted",
     "Сеть клубов побратимых городов"),
    ("Сергей Николаевич Орлов", "RU", "RU-SVE", "Екатеринбург", "АНО «Урал — мир»", 1,
     "returned", "Волонтёрская программа «Открытый Урал»"),
    ("Мария Александровна Ким", "KZ", "", "Алматы", "ОФ «Евразийский диалог»", 1, "submitted",
     "Онлайн-акселератор молодёжных проектов"),
    ("Карим Бен Салах", "TN", "", "Тунис", "Association Dialogue", 2, "rejected",
     "Вечера русской литературы в Тунисе"),
    ("Елена Павловна Смирнова", "RU", "RU-SPE", "Санкт-Петербург", "АНО «Невский мост»", 3,
     "draft", "Гуманитарные маршруты соотечественников"),
    ("Тимур Рустамович Алиев", "RU", "RU-DA", "Махачкала", "РОО «Кавказский дом»", 0,
     "accepted", "Межнациональный лагерь «Горы дружбы»"),
    ("Лейла Фуад кызы Мамедова", "AZ", "", "Баку", "ОО «Бакинский мост»", 2, "draft",
     "Российско-азербайджанский литературный салон"),
]


def _get_or_create_user(email, full_name, roles, locale="ru", timezone="Europe/Moscow"):
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is not None:
        return user, False
    user = User(
        email=email, full_name=full_name, locale=locale, timezone=timezone,
        email_confirmed_at=utcnow(),
    )
    user.set_password(DEMO_PASSWORD)
    for role in roles:
        user.grant(role)
    db.session.add(user)
    return user, True


def _seed_people():
    _get_or_create_user(f"admin@{DEMO_DOMAIN}", "Администратор платформы",
                        [Role.ADMIN, Role.ORGANIZER])
    _get_or_create_user(f"organizer@{DEMO_DOMAIN}", "Наталья Андреевна Орлова", [Role.ORGANIZER])
    for key, name, country, region, org, languages, tz in JURORS:
        user, created = _get_or_create_user(
            f"{key}@{DEMO_DOMAIN}", name, [Role.JUROR],
            locale="en" if country == "IT" else "ru", timezone=tz,
        )
        if created:
            db.session.add(JurorProfile(
                user=user, country_code=country, region_code=region, organization=org,
                languages=languages,
                bio_ru="Эксперт в области международного гуманитарного сотрудничества.",
                bio_en="Expert in international humanitarian cooperation.",
            ))
    db.session.flush()


def _seed_custom_countries():
    if db.session.get(CustomCountry, "XA") is None:
        db.session.add(CustomCountry(code="XA", name_ru="Абхазия", name_en="Abkhazia"))


def _archived_edition(ordinal, year, title, forum, forum_city, forum_moment, regions, countries,
                      codes):
    edition = db.session.scalar(db.select(Edition).where(Edition.ordinal == ordinal))
    if edition is not None:
        return edition
    edition = Edition(
        ordinal=ordinal, year=year, status=EditionStatus.ARCHIVED,
        title_ru=title,
        title_en=f"{roman(ordinal)} International Competition «Leader of Public Diplomacy»",
        description_ru="Итоги конкурса подведены на форуме; победители награждены на сцене.",
        description_en="The results were announced on stage at the forum.",
        results_publish_at=forum_moment, results_approved_at=forum_moment,
        results_published_at=forum_moment, results_mailed_at=forum_moment,
        jury_closed_at=forum_moment - timedelta(days=10),
        applications_open_at=datetime(year, 9, 1, 6, 0, tzinfo=UTC),
        applications_close_at=datetime(year, 10, 31, 20, 59, tzinfo=UTC),
        judging_close_at=datetime(year, 11, 25, 20, 59, tzinfo=UTC),
        archive_region_count=regions, archive_country_count=countries,
        archive_country_codes=codes,
    )
    db.session.add(edition)
    db.session.flush()
    db.session.add(Event(
        edition=edition, kind=EventKind.FORUM, announces_results=True,
        title_ru=forum[0], title_en=forum[1], city_ru=forum_city[0], city_en=forum_city[1],
        country_code="RU", starts_at=forum_moment,
    ))
    return edition


def _seed_archive():
    _archived_edition(
        1, 2022, "I Международный конкурс «Лидер общественной дипломатии»",
        ("Пермский открытый форум дружбы народов и IX Всероссийский форум национального единства",
         "Perm Open Forum of Friendship of Peoples and the IX All-Russian Forum of National Unity"),
        ("Пермь", "Perm"), from_moscow(datetime(2022, 12, 8, 15, 0)), 34, 23,
        ["AZ", "TR", "RO", "MD", "FR", "CA", "IT", "MX", "IN", "SA", "GE", "UZ", "BY", "TJ",
         "TN", "IL", "RS", "SY"],
    )
    ii = _archived_edition(
        2, 2023, "II Международный конкурс «Лидер общественной дипломатии»",
        ("Екатерининский форум", "Catherine Forum"), ("Москва", "Moscow"),
        from_moscow(datetime(2023, 12, 12, 15, 0)), 24, 17,
        ["DE", "IT", "ES", "KZ", "UZ", "AM", "BY", "XA", "MD", "TJ", "TN", "RS", "EG", "SY",
         "AE", "LB", "ID"],
    )
    bishkek = db.select(Event.id).where(Event.title_ru.like("Круглый стол%Бишкек%"))
    if not db.session.scalar(bishkek):
        db.session.add(Event(
            edition=ii, kind=EventKind.ROUND_TABLE,
            title_ru="Круглый стол «Общественная дипломатия: опыт Евразии», Бишкек",
            title_en="Round table «Public diplomacy: the Eurasian experience», Bishkek",
            city_ru="Бишкек", city_en="Bishkek", country_code="KG",
            starts_at=from_moscow(datetime(2023, 4, 24, 8, 0)),
            description_ru="Круглый стол в рамках II Международного конкурса.",
            description_en="A round table held as part of the II edition.",
        ))


def _seed_current_edition():
    edition = db.session.scalar(db.select(Edition).where(Edition.ordinal == 3))
    if edition is not None:
        return edition
    now = now_utc().replace(minute=0, second=0, microsecond=0)
    edition = Edition(
        ordinal=3, year=now.year, status=EditionStatus.ACTIVE,
        title_ru="III Международный конкурс «Лидер общественной дипломатии»",
        title_en="III International Competition «Leader of Public Diplomacy»",
        description_ru=(
            "Конкурс выявляет лидеров некоммерческих организаций, чья работа укрепляет "
            "доверие между народами. Заявки принимаются на русском языке."
        ),
        description_en=(
            "The competition finds NGO leaders whose work builds trust between peoples. "
            "Applications are accepted in Russian."
        ),
        rules_ru=(
            "1. К участию приглашаются руководители и активисты НКО из регионов России и "
            "зарубежных стран.\n2. Заявка заполняется на русском языке.\n3. Один участник "
            "подаёт одну заявку.\n4. Заявки оценивает международное жюри по критериям конкурса."
        ),
        rules_en=(
            "1. Leaders and activists of NGOs from Russian regions and foreign countries may "
            "take part.\n2. The application is filled in Russian.\n3. One application per "
            "person.\n4. An international jury scores the applications on the criteria."
        ),
        applications_open_at=now - timedelta(days=30),
        applications_close_at=from_moscow(
            (now + timedelta(days=21)).astimezone(UTC).replace(tzinfo=None, hour=23, minute=59)
        ),
        judging_close_at=now + timedelta(days=45),
        results_publish_at=now + timedelta(days=60),
    )
    for position, (name_ru, name_en, description) in enumerate(NOMINATIONS):
        edition.nominations.append(Nomination(
            name_ru=name_ru, name_en=name_en, description_ru=description, position=position,
        ))
    for position, (name_ru, name_en, description, max_score, weight) in enumerate(CRITERIA):
        edition.criteria.append(Criterion(
            name_ru=name_ru, name_en=name_en, description_ru=description,
            max_score=max_score, weight=Decimal(weight), position=position,
        ))
    db.session.add(edition)
    db.session.flush()
    db.session.add(Event(
        edition=edition, kind=EventKind.FORUM, announces_results=True,
        title_ru="Международный форум «Общественная дипломатия»",
        title_en="International Forum «Public Diplomacy»",
        city_ru="Москва", city_en="Moscow", country_code="RU",
        starts_at=edition.results_publish_at,
    ))
    db.session.add(Event(
        edition=edition, kind=EventKind.ROUND_TABLE,
        title_ru="Круглый стол «Народная дипломатия на Каспии», Баку",
        title_en="Round table «People's diplomacy on the Caspian», Baku",
        city_ru="Баку", city_en="Baku", country_code="AZ",
        starts_at=from_moscow(datetime(2024, 2, 20, 11, 0)),
    ))
    for key, *_rest in JURORS:
        juror = db.session.scalar(db.select(User).where(User.email == f"{key}@{DEMO_DOMAIN}"))
        db.session.add(JuryMember(edition=edition, user=juror))
    db.session.flush()
    return edition


def _demo_text(title, city):
    return {
        "project_description": (
            f"Проект «{title}» объединяет жителей города {city} и наших зарубежных партнёров. "
            "Мы проводим встречи, совместные праздники и обмены делегациями, чтобы люди разных "
            "стран узнавали друг друга лично, а не по новостям."
        ),
        "project_goals": (
            "Укрепить доверие между народами через прямое общение; вовлечь молодёжь в "
            "международное сотрудничество; создать устойчивую сеть партнёрских организаций."
        ),
        "project_results": (
            "За два года: 48 мероприятий, 3 200 участников из 12 стран, 15 партнёрских "
            "организаций, 6 совместных публикаций в СМИ."
        ),
        "project_partners": "Партнёрские НКО в Казахстане, Узбекистане, Армении и Сербии.",
        "project_links": "https://example.org/proekt",
    }


def _seed_applications(edition):
    nominations = edition.nominations
    states = {s.value: s for s in ApplicationState}
    number = 0
    for index, (name, country, region, city, org, nom, state, title) in enumerate(APPLICANTS, 1):
        email = f"applicant{index}@{DEMO_DOMAIN}"
        user, _created = _get_or_create_user(email, name, [Role.APPLICANT])
        db.session.flush()
        exists = db.session.scalar(
            db.select(Application.id).where(
                Application.owner_id == user.id, Application.edition_id == edition.id
            )
        )
        if exists:
            continue
        application = Application(
            edition=edition, owner=user, nomination=nominations[nom], state=states[state],
            full_name=name, birth_date=date(1980 + index, (index % 12) + 1, 10 + index),
            citizenship=country, email=email, phone=f"+7 900 000-00-{index:02d}",
            organization=org, organization_role="Руководитель",
            # Registration numbers with valid check digits, as the application form requires.
            organization_ogrn=(
                with_ogrn_check_digit(f"1025900{index:05d}") if country == "RU" else ""
            ),
            organization_inn=with_inn10_check_digit(f"5902{index:05d}") if country == "RU" else "",
            country_code=country, region_code=region, city=city, project_title=title,
            consent_given_at=utcnow() if state != "draft" else None,
            **_demo_text(title, city),
        )
        db.session.add(application)
        if state != "draft":
            number += 1
            submitted = utcnow() - timedelta(days=20 - index)
            application.number = number
            application.submitted_at = application.last_submitted_at = submitted
            application.history.append(ApplicationStatusChange(
                state=ApplicationState.SUBMITTED, at=submitted, actor_id=user.id
            ))
            if state in ("accepted", "rejected", "returned"):
                comment = {
                    "rejected": "Заявка не соответствует условиям конкурса: организация "
                                "не является некоммерческой.",
                    "returned": "Уточните, пожалуйста, результаты проекта в цифрах.",
                }.get(state, "")
                application.decision_comment = comment
                application.history.append(ApplicationStatusChange(
                    state=states[state], at=submitted + timedelta(days=2), comment=comment
                ))
                if state == "returned":
                    application.changes_due_at = edition.applications_close_at
    db.session.flush()


DEMO_STEPS = [
    _seed_people,
    _seed_custom_countries,
    _seed_archive,
    seed_public_face,
]


def seed_demo() -> bool:
    """Create the demo data that is missing; True when anything was created."""
    created = db.session.scalar(db.select(Edition.id).limit(1)) is None
    for step in DEMO_STEPS:
        step()
    db.session.flush()
    edition = _seed_current_edition()
    _seed_applications(edition)
    for step in EDITION_STEPS:
        step(edition)
    db.session.flush()
    return created


# Steps that extend the current edition (jury assignments, scores, events...).
EDITION_STEPS: list = []
EDITION_STEPS.append(seed_edition_events)
EDITION_STEPS.append(seed_jury_work)
