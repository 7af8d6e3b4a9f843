"""The application as readable rows (section, label, value): the review page, print and PDF."""

from flask_babel import format_date

from ..domain.application_content import SECTION_FIELDS, SECTIONS
from ..i18n import country_name, region_name
from .sections import SECTION_TITLES, field_label


def display_value(application, name: str) -> str:
    """A field's value as people read it: names for codes, a formatted date."""
    value = getattr(application, name)
    if name == "birth_date":
        return format_date(value, "long") if value else ""
    if name in ("citizenship", "country_code"):
        return country_name(value)
    if name == "region_code":
        return region_name(value)
    if name == "nomination_id":
        return application.nomination.name if application.nomination else ""
    return value or ""


def rows(application) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
    """(section, title, [(field, label, value), ...]) for every section."""
    out = []
    for section in SECTIONS:
        fields = [
            (name, field_label(section, name), display_value(application, name))
            for name in SECTION_FIELDS[section]
            if not (name == "region_code" and application.country_code != "RU")
        ]
        out.append((section, str(SECTION_TITLES[section]), fields))
    return out
