"""Demo data for the public face: committee, partners with logos, speakers, an open round table."""

import io
import os
from datetime import datetime, timedelta

from PIL import Image, ImageDraw, ImageFont

from ..domain.moscow_time import from_moscow, now_utc, to_moscow
from ..extensions import db
from ..models import CommitteeMember, Event, EventKind, Partner
from . import logos

FONT = os.path.join(os.path.dirname(os.path.dirname(__file__)), "static", "fonts",
                    "DejaVuSans-Bold.ttf")

COMMITTEE = [
    # (name ru, name en, role ru, role en, organization ru, organization en, country)
    ("Елена Викторовна Морозова", "Elena Morozova", "Председатель оргкомитета",
     "Chair of the organizing committee", "Ассоциация общественной дипломатии",
     "Public Diplomacy Association", "RU"),
    ("Бахтиёр Алимович Рахимов", "Bakhtiyor Rakhimov", "Заместитель председателя",
     "Deputy chair", "Центр международного диалога «Шёлковый путь»",
     "Silk Road International Dialogue Centre", "UZ"),
    ("Айгуль Маратовна Жумабаева", "Aigul Zhumabaeva", "Член оргкомитета",
     "Committee member", "Общественный фонд «Евразийские мосты»", "Eurasian Bridges Foundation",
     "KZ"),
    ("Драган Петрович", "Dragan Petrović", "Член оргкомитета", "Committee member",
     "Общество сербско-российской дружбы", "Serbian-Russian Friendship Society", "RS"),
    ("Анна Сергеевна Лебедева", "Anna Lebedeva", "Ответственный секретарь",
     "Executive secretary", "Ассоциация общественной дипломатии",
     "Public Diplomacy Association", "RU"),
]

PARTNERS = [
    # (name ru, name en, url, initials, colour)
    ("Ассоциация общественной дипломатии", "Public Diplomacy Association",
     "https://example.org/diplomacy", "АОД", (29, 63, 114)),
    ("Дом дружбы народов", "House of Friendship of Peoples", "https://example.org/druzhba",
     "ДДН", (30, 107, 58)),
    ("Молодёжный клуб «Евразия»", "Eurasia Youth Club", "https://example.org/eurasia", "ЕВ",
     (179, 38, 30)),
    ("Фонд «Диалог культур»", "Dialogue of Cultures Foundation", "https://example.org/dialog",
     "ДК", (120, 72, 160)),
]

SPEAKERS = {
    "Бишкек": (
        "Модератор: Азамат Ибраимов, общественный фонд «Диалог культур» (Киргизия)\n"
        "Елена Морозова, председатель оргкомитета конкурса\n"
        "Гульнара Сафина, победитель I конкурса, НКО «Наследие»\n"
        "Бахтиёр Рахимов, центр международного диалога «Шёлковый путь» (Узбекистан)",
        "Moderator: Azamat Ibraimov, Dialogue of Cultures Foundation (Kyrgyzstan)\n"
        "Elena Morozova, chair of the organizing committee\n"
        "Gulnara Safina, winner of the I edition, Heritage NGO\n"
        "Bakhtiyor Rakhimov, Silk Road International Dialogue Centre (Uzbekistan)",
    ),
    "Баку": (
        "Модератор: Анна Лебедева, ответственный секретарь оргкомитета\n"
        "Лейла Мамедова, общественное объединение «Бакинский мост» (Азербайджан)\n"
        "Айгуль Жумабаева, общественный фонд «Евразийские мосты» (Казахстан)\n"
        "Драган Петрович, общество сербско-российской дружбы (Сербия)",
        "Moderator: Anna Lebedeva, executive secretary of the organizing committee\n"
        "Leyla Mammadova, Baku Bridge public association (Azerbaijan)\n"
        "Aigul Zhumabaeva, Eurasian Bridges Foundation (Kazakhstan)\n"
        "Dragan Petrović, Serbian-Russian Friendship Society (Serbia)",
    ),
}


def logo_png(initials: str, colour) -> bytes:
    """A simple square logo: initials on a coloured disc."""
    image = Image.new("RGBA", (240, 240), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 232, 232), fill=colour + (255,))
    font = ImageFont.truetype(FONT, 72 if len(initials) > 2 else 92)
    draw.text((120, 122), initials, font=font, fill=(255, 255, 255, 255), anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seed_committee() -> None:
    if db.session.scalar(db.select(CommitteeMember.id).limit(1)) is not None:
        return
    for position, (name_ru, name_en, role_ru, role_en, org_ru, org_en, country) in enumerate(
        COMMITTEE
    ):
        db.session.add(CommitteeMember(
            full_name_ru=name_ru, full_name_en=name_en, role_ru=role_ru, role_en=role_en,
            organization_ru=org_ru, organization_en=org_en, country_code=country,
            position=position,
        ))


def seed_partners() -> list[Partner]:
    """The demo partners, with their logo files (re-made if the upload folder was emptied)."""
    partners = []
    for position, (name_ru, name_en, url, initials, colour) in enumerate(PARTNERS):
        partner = db.session.scalar(db.select(Partner).where(Partner.name_ru == name_ru))
        if partner is None:
            partner = Partner(name_ru=name_ru, name_en=name_en, url=url, position=position)
            db.session.add(partner)
        if not partner.logo_name or not os.path.exists(
            os.path.join(logos.logo_folder(), partner.logo_name)
        ):
            partner.logo_name = logos.save_logo(logo_png(initials, colour))
        partners.append(partner)
    db.session.flush()
    return partners


def _fill_round_table(city: str, partners) -> None:
    event = db.session.scalar(
        db.select(Event).where(Event.kind == EventKind.ROUND_TABLE, Event.city_ru == city)
    )
    if event is not None and not event.speakers_ru:
        event.speakers_ru, event.speakers_en = SPEAKERS[city]
        event.partners = list(partners)


def seed_public_face() -> None:
    """Committee, partners, and speakers of the Bishkek round table (II edition)."""
    seed_committee()
    partners = seed_partners()
    _fill_round_table("Бишкек", partners[:2] + partners[3:])


def seed_edition_events(edition) -> None:
    """Speakers of the Baku round table and an upcoming one open for registration."""
    partners = seed_partners()
    _fill_round_table("Баку", partners[:3])
    title = "Круглый стол «Молодёжь и общественная дипломатия», Ташкент"
    if db.session.scalar(db.select(Event.id).where(Event.title_ru == title)) is None:
        day = to_moscow(now_utc() + timedelta(days=14)).date()
        db.session.add(Event(
            edition=edition, kind=EventKind.ROUND_TABLE, title_ru=title,
            title_en="Round table «Youth and public diplomacy», Tashkent",
            description_ru=(
                "Круглый стол в рамках III Международного конкурса «Лидер общественной "
                "дипломатии»: молодёжные лидеры НКО из стран Евразии делятся опытом "
                "международных проектов.\nРабочий язык — русский."
            ),
            description_en=(
                "A round table held as part of the III edition: young NGO leaders from "
                "Eurasian countries share their experience of international projects.\n"
                "Working language: Russian."
            ),
            city_ru="Ташкент", city_en="Tashkent", country_code="UZ",
            venue="Дом дружбы, ул. Навои, 18",
            starts_at=from_moscow(datetime(day.year, day.month, day.day, 9, 0)),
            ends_at=from_moscow(datetime(day.year, day.month, day.day, 12, 0)),
            speakers_ru=(
                "Модератор: Бахтиёр Рахимов, центр международного диалога «Шёлковый путь»\n"
                "Нодира Юсупова, ННО «Мехр»\nДмитрий Ковалёв, РОО «Содружество»"
            ),
            speakers_en=(
                "Moderator: Bakhtiyor Rakhimov, Silk Road International Dialogue Centre\n"
                "Nodira Yusupova, Mehr NGO\nDmitry Kovalev, Commonwealth NGO"
            ),
            registration_open=True, capacity=40, waitlist_enabled=True,
            partners=[partners[0], partners[2]],
        ))
    db.session.flush()
