"""Countries (Babel's locale data) and Russian regions (pycountry, ISO 3166-2:RU)."""

import gettext
from functools import lru_cache

import pycountry
from babel import Locale

RUSSIA = "RU"

# Territory codes in Babel that are not countries one comes from.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}

# Russian names of the ISO 3166-2:RU subdivisions that pycountry's Russian catalog lacks.
# ISO gives romanized names; the platform's official language is Russian.
_REGION_NAMES_RU = {
    "RU-AD": "Республика Адыгея",
    "RU-AL": "Республика Алтай",
    "RU-ALT": "Алтайский край",
    "RU-AMU": "Амурская область",
    "RU-ARK": "Архангельская область",
    "RU-AST": "Астраханская область",
    "RU-BEL": "Белгородская область",
    "RU-BRY": "Брянская область",
    "RU-BU": "Республика Бурятия",
    "RU-IRK": "Иркутская область",
    "RU-IVA": "Ивановская область",
    "RU-KB": "Кабардино-Балкарская Республика",
    "RU-KDA": "Краснодарский край",
    "RU-KEM": "Кемеровская область",
    "RU-KGD": "Калининградская область",
    "RU-KGN": "Курганская область",
    "RU-KHA": "Хабаровский край",
    "RU-KHM": "Ханты-Мансийский автономный округ — Югра",
    "RU-KIR": "Кировская область",
    "RU-KK": "Республика Хакасия",
    "RU-KL": "Республика Калмыкия",
    "RU-KOS": "Костромская область",
    "RU-KR": "Республика Карелия",
    "RU-KRS": "Курская область",
    "RU-KYA": "Красноярский край",
    "RU-LEN": "Ленинградская область",
    "RU-LIP": "Липецкая область",
    "RU-MAG": "Магаданская область",
    "RU-ME": "Республика Марий Эл",
    "RU-MO": "Республика Мордовия",
    "RU-MOS": "Московская область",
    "RU-MUR": "Мурманская область",
    "RU-NEN": "Ненецкий автономный округ",
    "RU-NGR": "Новгородская область",
    "RU-NVS": "Новосибирская область",
    "RU-OMS": "Омская область",
    "RU-ORE": "Оренбургская область",
    "RU-ORL": "Орловская область",
    "RU-PER": "Пермский край",
    "RU-PNZ": "Пензенская область",
    "RU-PRI": "Приморский край",
    "RU-PSK": "Псковская область",
    "RU-ROS": "Ростовская область",
    "RU-RYA": "Рязанская область",
    "RU-SAK": "Сахалинская область",
    "RU-SAM": "Самарская область",
    "RU-SAR": "Саратовская область",
    "RU-SE": "Республика Северная Осетия — Алания",
    "RU-SMO": "Смоленская область",
    "RU-STA": "Ставропольский край",
    "RU-SVE": "Свердловская область",
    "RU-TAM": "Тамбовская область",
    "RU-TOM": "Томская область",
    "RU-TUL": "Тульская область",
    "RU-TVE": "Тверская область",
    "RU-TYU": "Тюменская область",
    "RU-UD": "Удмуртская Республика",
    "RU-ULY": "Ульяновская область",
    "RU-VGG": "Волгоградская область",
    "RU-VLA": "Владимирская область",
    "RU-VLG": "Вологодская область",
    "RU-YAN": "Ямало-Ненецкий автономный округ",
    "RU-YAR": "Ярославская область",
    "RU-YEV": "Еврейская автономная область",
    "RU-ZAB": "Забайкальский край",
}


def _base_locale(locale: str | None) -> str:
    return (str(locale or "ru").split("_")[0]) or "ru"


@lru_cache(maxsize=8)
def _babel_countries(locale: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(locale).territories
    pairs = [
        (code, name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return tuple(pairs)


def country_choices(
    locale: str | None, custom: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """(code, name) of every country in the UI language, sorted by name, custom ones included.

    `custom` maps organizer-added codes to their names in this language.
    """
    pairs = dict(_babel_countries(_base_locale(locale)))
    pairs.update(custom or {})
    return sorted(pairs.items(), key=lambda pair: pair[1].casefold())


def country_name(code: str, locale: str | None, custom: dict[str, str] | None = None) -> str:
    """The name of a country code in the UI language ('' for an empty code, the code if unknown)."""
    if not code:
        return ""
    if custom and code in custom:
        return custom[code]
    return dict(_babel_countries(_base_locale(locale))).get(code, code)


def is_known_country(code: str, custom_codes=()) -> bool:
    """True for a Babel country code or an organizer-added one."""
    return code in dict(_babel_countries("en")) or code in set(custom_codes)


@lru_cache(maxsize=1)
def _pycountry_ru_catalog():
    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)


@lru_cache(maxsize=4)
def _regions(locale: str) -> tuple[tuple[str, str], ...]:
    subdivisions = pycountry.subdivisions.get(country_code=RUSSIA)
    pairs = []
    for sub in subdivisions:
        if locale == "ru":
            translated = _pycountry_ru_catalog().gettext(sub.name)
            name = _REGION_NAMES_RU.get(sub.code) if translated == sub.name else translated
            name = name or sub.name
        else:
            name = sub.name
        pairs.append((sub.code, name))
    return tuple(sorted(pairs, key=lambda pair: pair[1].casefold()))


def region_choices(locale: str | None) -> list[tuple[str, str]]:
    """(code, name) of the Russian regions (ISO 3166-2:RU), Russian names in Russian."""
    return list(_regions(_base_locale(locale) if _base_locale(locale) == "ru" else "en"))


def region_name(code: str, locale: str | None) -> str:
    """The name of an ISO 3166-2:RU code in the UI language ('' when empty)."""
    if not code:
        return ""
    return dict(region_choices(locale)).get(code, code)


def is_russian_region(code: str) -> bool:
    return code in dict(_regions("en"))
