"""What a complete application holds: its sections, limits, required fields and language rule."""

from dataclasses import dataclass

from .geography import RUSSIA
from .language import is_mostly_cyrillic

# The sections in the order the applicant fills them, with the model fields of each.
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "person": ("full_name", "birth_date", "citizenship", "email", "phone"),
    "organization": (
        "organization", "organization_role", "organization_ogrn", "organization_inn",
    ),
    "geography": ("country_code", "region_code", "city"),
    "nomination": ("nomination_id",),
    "project": (
        "project_title", "project_description", "project_goals", "project_results",
        "project_partners", "project_links",
    ),
}
SECTIONS = tuple(SECTION_FIELDS)

# Character limits shown on the page before they are reached (the columns allow these).
LIMITS = {
    "full_name": 200, "email": 254, "phone": 40,
    "organization": 300, "organization_role": 200, "organization_ogrn": 13,
    "organization_inn": 12, "city": 120,
    "project_title": 300, "project_description": 6000, "project_goals": 3000,
    "project_results": 3000, "project_partners": 2000, "project_links": 1500,
}

_ALWAYS_REQUIRED = {
    "person": ("full_name", "birth_date", "citizenship", "email", "phone"),
    "organization": ("organization", "organization_role"),
    "geography": ("country_code", "city"),
    "nomination": ("nomination_id",),
    "project": (
        "project_title", "project_description", "project_goals", "project_results",
        "project_partners",
    ),
}
# Required only for an organization working in Russia.
_RUSSIA_REQUIRED = {
    "organization": ("organization_ogrn", "organization_inn"),
    "geography": ("region_code",),
}

# The descriptive fields that must be written in Russian, the official language.
RUSSIAN_TEXT_FIELDS = ("project_title", "project_description", "project_goals", "project_results")


@dataclass(frozen=True)
class Problem:
    """Something that stops the submission: a field of a section and a code for what is wrong
    ("required", "language" or "nomination")."""

    section: str
    field: str
    code: str


def required_fields(application, section: str) -> tuple[str, ...]:
    """The fields of `section` that must be filled before submitting."""
    fields = _ALWAYS_REQUIRED[section]
    if application.country_code == RUSSIA:
        fields = fields + _RUSSIA_REQUIRED.get(section, ())
    return fields


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def section_problems(application, section: str) -> list[Problem]:
    """What stops `section` from being complete."""
    problems = [
        Problem(section, name, "required")
        for name in required_fields(application, section)
        if _is_empty(getattr(application, name))
    ]
    if section == "project":
        problems += [
            Problem(section, name, "language")
            for name in RUSSIAN_TEXT_FIELDS
            if not _is_empty(getattr(application, name))
            and not is_mostly_cyrillic(getattr(application, name))
        ]
    if section == "nomination" and application.nomination is not None:
        nomination = application.nomination
        if nomination.archived_at is not None or nomination.edition_id != application.edition_id:
            problems.append(Problem(section, "nomination_id", "nomination"))
    return problems


def submission_problems(application) -> list[Problem]:
    """Everything, section by section, that stops the application from being submitted."""
    return [problem for section in SECTIONS for problem in section_problems(application, section)]


def progress(application) -> tuple[int, int]:
    """(complete sections, all sections) for the progress bar."""
    done = sum(1 for section in SECTIONS if not section_problems(application, section))
    return done, len(SECTIONS)
