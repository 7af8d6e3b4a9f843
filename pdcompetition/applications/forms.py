"""The application's section forms. Drafts save with required fields empty; the format of
whatever is filled is checked at once, and completeness is checked on submission."""

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Email, Length, Optional, ValidationError

from ..domain import ngo_registration
from ..domain.application_content import LIMITS
from ..domain.geography import is_russian_region
from ..domain.moscow_time import now_utc
from ..formtools import whole_number


def text(value):
    """Trim and use one kind of line break, so browser and server count characters alike."""
    if value is None:
        return ""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def number(value):
    return ngo_registration.clean_number(value)


def _limited(name):
    return Length(max=LIMITS[name], message=_l("At most %(max)d characters."))


def _limit_hint(name):
    return _l("Up to %(count)s characters.", count=LIMITS[name])


class SectionForm(FlaskForm):
    """The hidden fields every section carries: the version it was shown at, what each field
    held then (for merging with another tab's save) and a restored-text token."""

    version = HiddenField()
    base = HiddenField()
    restore = HiddenField()

    def posted_version(self) -> int | None:
        return whole_number(self.version.data)


class ChoiceFromList:
    """The value, when given, must be one of the offered options (checked on the server)."""

    def __init__(self, allowed, message):
        self.allowed = allowed
        self.message = message

    def __call__(self, form, field):
        if field.data and field.data not in self.allowed(form, field):
            raise ValidationError(self.message)


def _offered(form, field):
    return {choice.value for choice in field.choices if choice.value}


class PhoneNumber:
    def __call__(self, form, field):
        if not field.data:
            return
        digits = re.sub(r"\D", "", field.data)
        if not re.fullmatch(r"\+?[\d\s().-]+", field.data) or not 7 <= len(digits) <= 15:
            raise ValidationError(
                _l("Enter the phone number with the country code, e.g. +7 912 345-67-89.")
            )


class PlausibleBirthDate:
    def __call__(self, form, field):
        if field.data is None:
            return
        today = now_utc().date()
        if field.data > today:
            raise ValidationError(_l("The date of birth cannot be in the future."))
        if field.data < date(1900, 1, 1) or _age(field.data, today) < 14:
            raise ValidationError(_l("Check the date of birth: the year looks wrong."))


def _age(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


class Ogrn:
    def __call__(self, form, field):
        problem = ngo_registration.ogrn_problem(field.data) if field.data else None
        if problem == "length":
            raise ValidationError(_l("The OGRN has 13 digits."))
        if problem == "checksum":
            raise ValidationError(
                _l("This OGRN has a wrong check digit: compare it with the registration record.")
            )


class Inn:
    def __call__(self, form, field):
        problem = ngo_registration.inn_problem(field.data) if field.data else None
        if problem == "length":
            raise ValidationError(_l("The INN has 10 digits (12 for a person)."))
        if problem == "checksum":
            raise ValidationError(
                _l("This INN has a wrong check digit: compare it with the registration record.")
            )


_URL = re.compile(r"https?://[^\s/$.?#][^\s]*\.[^\s]+|https?://[^\s/$.?#]+\.[^\s]+", re.I)


def links(value):
    """One link per line; a bare "vk.com/club" gets https:// in front."""
    lines = []
    for line in text(value).split("\n"):
        line = line.strip()
        if not line:
            continue
        if not re.match(r"[a-z][a-z0-9+.-]*://", line, re.I) and re.match(r"[\w-]+\.", line):
            line = "https://" + line
        lines.append(line)
    return "\n".join(lines)


class Links:
    def __call__(self, form, field):
        for line in (field.data or "").split("\n"):
            if line and (not _URL.fullmatch(line) or len(line) > 500):
                raise ValidationError(
                    _l("«%(link)s» is not a web address. Put one link per line, for example "
                       "https://vk.com/our_ngo.", link=line[:80])
                )


class PersonForm(SectionForm):
    full_name = StringField(
        _l("Full name"), filters=[text], validators=[_limited("full_name")],
        description=_l("Surname, first name and patronymic, as in your passport."),
    )
    birth_date = DateField(
        _l("Date of birth"), validators=[Optional(), PlausibleBirthDate()],
        description=_l("Day, month and year, for example 17.05.1990."),
    )
    citizenship = SelectField(
        _l("Citizenship"), validate_choice=False,
        validators=[ChoiceFromList(_offered, _l("Choose a country from the list."))],
    )
    email = EmailField(
        _l("Email for contacts"), filters=[text],
        validators=[
            Optional(), Email(check_deliverability=False,
                              message=_l("Enter an email address like name@example.org.")),
            _limited("email"),
        ],
        description=_l("The organizers write to your account address; add another if you wish."),
    )
    phone = TelField(
        _l("Phone"), filters=[text], validators=[_limited("phone"), PhoneNumber()],
        description=_l("With the country code, e.g. +7 912 345-67-89."),
    )


class OrganizationForm(SectionForm):
    organization = StringField(
        _l("Organization"), filters=[text], validators=[_limited("organization")],
        description=_l("The full name of the NGO, e.g. АНО «Мост дружбы»."),
    )
    organization_role = StringField(
        _l("Your role in the organization"), filters=[text],
        validators=[_limited("organization_role")],
        description=_l("For example: director, chair of the board, project leader."),
    )
    organization_ogrn = StringField(
        _l("OGRN"), filters=[number], validators=[Length(max=13), Ogrn()],
        description=_l("13 digits. Required for organizations registered in Russia."),
    )
    organization_inn = StringField(
        _l("INN"), filters=[number], validators=[Length(max=12), Inn()],
        description=_l("10 digits. Required for organizations registered in Russia."),
    )


class GeographyForm(SectionForm):
    country_code = SelectField(
        _l("Country where you work"), validate_choice=False,
        validators=[ChoiceFromList(_offered, _l("Choose a country from the list."))],
    )
    region_code = SelectField(
        _l("Region of Russia"), validate_choice=False,
        validators=[ChoiceFromList(
            lambda form, field: {c for c in _offered(form, field) if is_russian_region(c)},
            _l("Choose a region from the list."),
        )],
        description=_l("Only for Russia."),
    )
    city = StringField(
        _l("City or town"), filters=[text], validators=[_limited("city")],
    )


class NominationForm(SectionForm):
    nomination_id = RadioField(
        _l("Nomination"), validate_choice=False,
        validators=[ChoiceFromList(_offered, _l("Choose one of the nominations."))],
    )


class ProjectForm(SectionForm):
    project_title = StringField(
        _l("Title of the work or project"), filters=[text],
        validators=[_limited("project_title")], description=_limit_hint("project_title"),
    )
    project_description = TextAreaField(
        _l("Description"), filters=[text], validators=[_limited("project_description")],
        description=_l("What you do, with whom and where. In Russian. Up to %(count)s characters.",
                       count=LIMITS["project_description"]),
    )
    project_goals = TextAreaField(
        _l("Goals"), filters=[text], validators=[_limited("project_goals")],
        description=_l("What the work is for. In Russian. Up to %(count)s characters.",
                       count=LIMITS["project_goals"]),
    )
    project_results = TextAreaField(
        _l("Results in numbers"), filters=[text], validators=[_limited("project_results")],
        description=_l("Events, participants, countries, partners, publications: with numbers. "
                       "In Russian. Up to %(count)s characters.", count=LIMITS["project_results"]),
    )
    project_partners = TextAreaField(
        _l("Partner countries and organizations"), filters=[text],
        validators=[_limited("project_partners")], description=_limit_hint("project_partners"),
    )
    project_links = TextAreaField(
        _l("Links"), filters=[links], validators=[_limited("project_links"), Links()],
        description=_l("Website, social networks, publications: one link per line. Optional."),
    )


SECTION_FORMS = {
    "person": PersonForm,
    "organization": OrganizationForm,
    "geography": GeographyForm,
    "nomination": NominationForm,
    "project": ProjectForm,
}


class StartForm(FlaskForm):
    """Starting an application: a button with its CSRF token."""


class UploadForm(FlaskForm):
    document = FileField(
        _l("Document"), validators=[FileRequired(_l("Choose a file to attach."))]
    )


class SubmitForm(FlaskForm):
    version = HiddenField()
    consent = BooleanField(
        _l("I consent to the processing of my personal data for the competition.")
    )

    def posted_version(self) -> int | None:
        return whole_number(self.version.data)


class ConfirmForm(FlaskForm):
    """A confirmation step (withdrawal, removing a document): just the button and CSRF."""
