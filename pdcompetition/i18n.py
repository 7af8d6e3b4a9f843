"""Language choice and the template helpers that format dates, countries and regions."""

from datetime import datetime

from babel.dates import format_datetime as babel_format_datetime
from flask import Flask, current_app, g, request, session
from flask_babel import format_date, get_locale
from flask_login import current_user

from .domain import geography
from .domain.moscow_time import MOSCOW, to_zone
from .extensions import db

LANGUAGE_COOKIE = "pdc_lang"


def visitor_locale() -> str:
    """The language of a visitor who is not signed in: `?lang=`, then the header switch
    (a cookie), then Accept-Language; Russian by default. Reads no session."""
    languages = current_app.config["LANGUAGES"]
    for chosen in (request.args.get("lang"), request.cookies.get(LANGUAGE_COOKIE)):
        if chosen in languages:
            return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def select_locale() -> str:
    """Saved preference, then the header switch, then Accept-Language; Russian by default."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if session.get("locale") in languages and not request.args.get("lang"):
        return session["locale"]
    return visitor_locale()


def select_timezone() -> str:
    """Every page shows Moscow time, the competition's official clock."""
    return "Europe/Moscow"


def current_language() -> str:
    try:
        return str(get_locale() or "ru")
    except (RuntimeError, AttributeError):
        return "ru"


def custom_country_names(locale: str | None = None) -> dict[str, str]:
    """Organizer-added countries in the UI language, loaded once per request."""
    from .models import CustomCountry

    locale = locale or current_language()
    cache = g.setdefault("_custom_countries", {})
    if locale not in cache:
        rows = db.session.scalars(db.select(CustomCountry)).all()
        cache[locale] = {
            row.code: (row.name_en if locale == "en" and row.name_en else row.name_ru)
            for row in rows
        }
    return cache[locale]


def country_choices(locale: str | None = None) -> list[tuple[str, str]]:
    """Countries for a select box, in the UI language, custom entries included."""
    locale = locale or current_language()
    return geography.country_choices(locale, custom_country_names(locale))


def country_name(code: str, locale: str | None = None) -> str:
    locale = locale or current_language()
    return geography.country_name(code, locale, custom_country_names(locale))


def region_name(code: str, locale: str | None = None) -> str:
    return geography.region_name(code, locale or current_language())


def format_moscow(moment: datetime | None, format: str = "medium") -> str:
    """A moment in Moscow time, formatted by Babel in the UI language, with the zone named."""
    if moment is None:
        return ""
    return babel_format_datetime(moment, format, tzinfo=MOSCOW, locale=current_language())


def format_in_zone(moment: datetime | None, zone_name: str, format: str = "medium") -> str:
    """A moment in the given time zone (a juror's own), formatted in the UI language."""
    if moment is None:
        return ""
    local = to_zone(moment, zone_name)
    return babel_format_datetime(local, format, tzinfo=local.tzinfo, locale=current_language())


def register_template_helpers(app: Flask) -> None:
    """Filters and globals every template may use."""
    app.jinja_env.filters["moscow"] = format_moscow
    app.jinja_env.filters["in_zone"] = format_in_zone
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["region_name"] = region_name
    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def inject_language():
        return {"current_language": current_language(), "languages": app.config["LANGUAGES"]}
