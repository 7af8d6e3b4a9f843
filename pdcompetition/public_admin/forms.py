"""Forms for the organizers' editing of events, committee, partners and the archive."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..formtools import choices
from ..i18n import country_choices
from ..models import AwardKind, EventKind

MOSCOW_INPUT = "%Y-%m-%dT%H:%M"


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes instead of a multiple select, which is hard to use without a mouse."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _text(label, max_length, required=False, **kwargs):
    validators = [DataRequired()] if required else [Optional()]
    return StringField(label, validators + [Length(max=max_length)], **kwargs)


def _area(label, max_length=10000, **kwargs):
    return TextAreaField(label, [Optional(), Length(max=max_length)], **kwargs)


class CountryMixin:
    def set_country_choices(self) -> None:
        self.country_code.choices = choices(country_choices(), blank="—")


class EventForm(FlaskForm, CountryMixin):
    edition_id = SelectField(_l("Edition"), validators=[Optional()])
    kind = SelectField(_l("Kind of event"), validators=[DataRequired()])
    announces_results = BooleanField(_l("The results of the edition are announced at this event"))
    title_ru = _text(_l("Title (Russian)"), 300, required=True)
    title_en = _text(_l("Title (English)"), 300)
    description_ru = _area(_l("Description (Russian)"))
    description_en = _area(_l("Description (English)"))
    city_ru = _text(_l("City (Russian)"), 120)
    city_en = _text(_l("City (English)"), 120)
    country_code = SelectField(_l("Country"), validators=[Optional()])
    venue = _text(
        _l("Venue"), 300, description=_l("The building and address, as people should find it.")
    )
    starts_at = DateTimeLocalField(
        _l("Starts (Moscow time)"), format=MOSCOW_INPUT, validators=[DataRequired()]
    )
    ends_at = DateTimeLocalField(
        _l("Ends (Moscow time)"), format=MOSCOW_INPUT, validators=[Optional()]
    )
    speakers_ru = _area(
        _l("Moderators and speakers (Russian)"),
        5000,
        description=_l("One per line: name, position, organization."),
    )
    speakers_en = _area(_l("Moderators and speakers (English)"), 5000)
    partner_ids = MultiCheckboxField(_l("Partners of the event"), coerce=int)
    capacity = IntegerField(
        _l("Seats"),
        [Optional(), NumberRange(min=1, max=100000)],
        description=_l("Leave empty for no limit."),
    )
    waitlist_enabled = BooleanField(_l("Keep a waiting list when all seats are taken"))
    registration_open = BooleanField(_l("Registration on the site is open"))
    is_published = BooleanField(_l("Published on the site"), default=True)

    def setup(self, editions, partners) -> None:
        """Fill the select boxes (they depend on the database and the UI language)."""
        self.edition_id.choices = choices(
            ((e.id, f"{e.roman} ({e.year}) — {e.title}") for e in editions), blank="—"
        )
        self.kind.choices = choices((kind.value, kind.title) for kind in EventKind)
        self.partner_ids.choices = choices((p.id, p.name) for p in partners)
        self.set_country_choices()

    def validate_ends_at(self, field):
        if field.data and self.starts_at.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The end must be later than the start."))

    def validate_announces_results(self, field):
        if field.data and not self.edition_id.data:
            raise ValidationError(_l("Choose the edition whose results are announced here."))


class CommitteeMemberForm(FlaskForm, CountryMixin):
    full_name_ru = _text(_l("Full name (Russian)"), 200, required=True)
    full_name_en = _text(_l("Full name (English)"), 200)
    role_ru = _text(
        _l("Role in the committee (Russian)"),
        300,
        description=_l("For example: chair of the organizing committee."),
    )
    role_en = _text(_l("Role in the committee (English)"), 300)
    organization_ru = _text(_l("Organization and position (Russian)"), 300)
    organization_en = _text(_l("Organization and position (English)"), 300)
    country_code = SelectField(_l("Country"), validators=[Optional()])
    position = IntegerField(
        _l("Order on the page"),
        [Optional(), NumberRange(min=0, max=9999)],
        default=0,
        description=_l("Smaller numbers come first."),
    )
    is_published = BooleanField(_l("Published on the site"), default=True)


class PartnerForm(FlaskForm):
    name_ru = _text(_l("Name (Russian)"), 300, required=True)
    name_en = _text(_l("Name (English)"), 300)
    url = URLField(
        _l("Website"),
        [
            Optional(),
            Length(max=500),
            URL(require_tld=True, message=_l("Enter a full address starting with https://")),
        ],
    )
    logo = FileField(
        _l("Logo"),
        description=_l(
            "PNG, JPEG, GIF or WebP; it is converted to PNG of at most 480×240 pixels."
        ),
    )
    remove_logo = BooleanField(_l("Remove the current logo"))
    position = IntegerField(
        _l("Order on the page"),
        [Optional(), NumberRange(min=0, max=9999)],
        default=0,
        description=_l("Smaller numbers come first."),
    )
    is_published = BooleanField(_l("Published on the site"), default=True)

    def validate_url(self, field):
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError(_l("Enter a full address starting with https://"))


class ArchiveFiguresForm(FlaskForm):
    results_announced_at = DateTimeLocalField(
        _l("Results announced (Moscow time)"),
        format=MOSCOW_INPUT,
        validators=[Optional()],
        description=_l("The winners below are shown from this moment."),
    )
    archive_region_count = IntegerField(
        _l("Regions of Russia"),
        [InputRequired(message=_l("Enter a number (0 if none).")), NumberRange(min=0, max=100)],
    )
    archive_country_count = IntegerField(
        _l("Foreign countries"),
        [InputRequired(message=_l("Enter a number (0 if none).")), NumberRange(min=0, max=250)],
        description=_l("All countries counted, even if not all of them are named below."),
    )
    archive_country_codes = MultiCheckboxField(_l("Countries on record"))

    def setup(self) -> None:
        self.archive_country_codes.choices = choices(
            (code, name) for code, name in country_choices() if code != "RU"
        )

    def validate_archive_country_count(self, field):
        named = len(self.archive_country_codes.data or [])
        if field.data is not None and field.data < named:
            raise ValidationError(
                _("You have ticked %(named)s countries; the total cannot be smaller.", named=named)
            )


class ArchiveWinnerForm(FlaskForm, CountryMixin):
    full_name = _text(_l("Name"), 200, required=True)
    organization = _text(_l("Organization"), 300)
    country_code = SelectField(_l("Country"), validators=[Optional()])
    nomination_ru = _text(_l("Nomination (Russian)"), 300)
    nomination_en = _text(_l("Nomination (English)"), 300)
    kind = SelectField(_l("Award"), validators=[DataRequired()])
    position = IntegerField(
        _l("Order on the page"),
        [Optional(), NumberRange(min=0, max=9999)],
        default=0,
        description=_l("Smaller numbers come first."),
    )

    def setup(self) -> None:
        self.kind.choices = choices((kind.value, kind.title) for kind in AwardKind)
        self.set_country_choices()
