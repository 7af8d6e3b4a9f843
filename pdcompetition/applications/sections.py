"""The steps of the application form: titles, forms with their choices, values in and out."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from ..domain import application_content, field_merge
from ..domain.application_content import SECTION_FIELDS, SECTIONS
from ..domain.geography import RUSSIA, region_choices
from ..formtools import choices, whole_number
from ..i18n import country_choices, current_language
from . import forms

SECTION_TITLES = {
    "person": _l("About you"),
    "organization": _l("Organization"),
    "geography": _l("Geography"),
    "nomination": _l("Nomination"),
    "project": _l("Public-diplomacy work"),
    "documents": _l("Documents"),
    "review": _l("Check and submit"),
}
# Every step of the form, in order: the data sections, then documents and submission.
STEPS = (*SECTIONS, "documents", "review")


def next_step(step: str) -> str:
    index = STEPS.index(step)
    return STEPS[min(index + 1, len(STEPS) - 1)]


def step_endpoint(step: str) -> tuple[str, dict]:
    if step == "documents":
        return "applications.documents", {}
    if step == "review":
        return "applications.submit", {}
    return "applications.edit_section", {"section": step}


def to_form_value(name: str, value):
    """A model value as the form field expects it."""
    if name == "nomination_id":
        return str(value) if value is not None else ""
    return value if value is not None else ("" if name != "birth_date" else None)


def _add_choices(form, section: str, application) -> None:
    blank = _("— choose —")
    if section == "person":
        form.citizenship.choices = choices(country_choices(), blank=blank)
    elif section == "geography":
        form.country_code.choices = choices(country_choices(), blank=blank)
        form.region_code.choices = choices(region_choices(current_language()), blank=blank)
    elif section == "nomination":
        form.nomination_id.choices = choices(
            (n.id, n.name) for n in application.edition.active_nominations
        )


def build_form(section: str, application, formdata=None, *, posted: bool = False):
    """The section's form: from the request when `posted`, from `formdata` (restored text),
    or from the stored application."""
    cls = forms.SECTION_FORMS[section]
    stored = {name: getattr(application, name) for name in SECTION_FIELDS[section]}
    if posted:
        form = cls()
    elif formdata is not None:
        form = cls(formdata=MultiDict(formdata))
    else:
        initial = {name: to_form_value(name, value) for name, value in stored.items()}
        form = cls(
            formdata=None, data=initial, version=str(application.version),
            base=field_merge.encode_base(stored),
        )
    _add_choices(form, section, application)
    required = application_content.required_fields(application, section)
    for name in SECTION_FIELDS[section]:
        form[name].flags.required = name in required
    return form


def reset_hidden(form, section: str, application) -> None:
    """After a save, the form continues from what is stored now."""
    stored = {name: getattr(application, name) for name in SECTION_FIELDS[section]}
    form.version.data = str(application.version)
    form.base.data = field_merge.encode_base(stored)


def show_stored(form, names, application) -> None:
    """Show the stored value of these fields (another tab's change that was kept)."""
    for name in names:
        field = form[name]
        field.data = to_form_value(name, getattr(application, name))
        field.raw_data = None


def values_from(form, section: str) -> dict:
    """The model values of the fields that passed validation (invalid ones are left out)."""
    values = {}
    for name in SECTION_FIELDS[section]:
        field = form[name]
        if field.errors:
            continue
        value = field.data
        if name == "nomination_id":
            value = whole_number(value)
        elif name != "birth_date":
            value = value or ""
        values[name] = value
    if section == "geography" and "country_code" in values and values["country_code"] != RUSSIA:
        values["region_code"] = ""  # a region belongs only to Russia
    return values


def stash_data(form_data, section: str) -> dict:
    """What to keep of a posted section when the session has ended (text only, bounded)."""
    keep = {}
    limits = application_content.LIMITS
    for name in (*SECTION_FIELDS[section], "version", "base"):
        value = form_data.get(name)
        if value is not None:
            keep[name] = str(value)[: limits.get(name, 1000) + 200]
    return keep


PROBLEM_MESSAGES = {
    "required": _l("Required for submission."),
    "language": _l("Write this in Russian, the official language of the competition: "
                   "now most of the text is not in Cyrillic."),
    "nomination": _l("This nomination is no longer open. Choose another one."),
}


def problem_message(problem) -> str:
    return str(PROBLEM_MESSAGES[problem.code])


def field_label(section: str, name: str) -> str:
    """The label of a field, for lists of problems."""
    return str(getattr(forms.SECTION_FORMS[section], name).args[0])
