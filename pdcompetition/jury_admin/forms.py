"""Forms of the jury administration."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..auth.forms import StrongPassword
from ..domain.geography import region_choices
from ..formtools import choices
from ..i18n import country_choices, current_language

LANGUAGES = [("ru", "Русский"), ("en", "English")]


class InviteForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    language = SelectField(_l("Language of the invitation"), choices=choices(LANGUAGES))


class AcceptNewForm(FlaskForm):
    """The invitee without an account chooses a name and a password."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), StrongPassword()],
        description=_l("At least 10 characters, not only digits."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class AcceptExistingForm(FlaskForm):
    """An invitee who is signed in as the invited address accepts with one button."""


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MemberForm(FlaskForm):
    country_code = SelectField(_l("Country"), validators=[Optional()])
    region_code = SelectField(
        _l("Russian region"), validators=[Optional()],
        description=_l("Only for jurors from Russia."),
    )
    organization = StringField(
        _l("Organization"), validators=[Optional(), Length(max=300)],
        description=_l("Several organizations: separate them with «;». Used to find conflicts "
                       "of interest."),
    )
    position_ru = StringField(_l("Position (Russian)"), validators=[Optional(), Length(max=300)])
    position_en = StringField(_l("Position (English)"), validators=[Optional(), Length(max=300)])
    languages = StringField(
        _l("Languages"), validators=[Optional(), Length(max=200)],
        description=_l("For example: русский, English, кыргыз тили"),
    )
    bio_ru = TextAreaField(_l("Short bio (Russian)"), validators=[Optional(), Length(max=3000)])
    bio_en = TextAreaField(_l("Short bio (English)"), validators=[Optional(), Length(max=3000)])
    max_applications = IntegerField(
        _l("Cap: at most this many applications"),
        validators=[Optional(), NumberRange(min=0, max=10000)],
        description=_l("Leave empty for no cap."),
    )
    nominations = CheckboxesField(
        _l("Nominations this juror judges"), validators=[Optional()],
        description=_l("None ticked: every nomination."),
    )
    is_public = BooleanField(_l("Show on the public jury page"))
    position = IntegerField(
        _l("Order on the jury page"), validators=[Optional(), NumberRange(min=0, max=10000)]
    )

    def __init__(self, *args, nominations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.country_code.choices = choices(country_choices(), blank="—")
        self.region_code.choices = choices(region_choices(current_language()), blank="—")
        self.nominations.choices = choices((n.id, n.name) for n in nominations)

    def validate_region_code(self, field):
        if field.data and self.country_code.data != "RU":
            from wtforms.validators import ValidationError

            raise ValidationError(_l("A Russian region is only for jurors from Russia."))


class JurorChoiceForm(FlaskForm):
    """Pick a juror for an application: assign, pin or forbid."""

    juror_id = SelectField(_l("Juror"), validators=[DataRequired()])

    def __init__(self, *args, jurors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.juror_id.choices = choices(((u.id, u.display_name) for u in jurors), blank="—")


class PairRuleForm(JurorChoiceForm):
    rule = SelectField(
        _l("Rule"),
        choices=choices([("pin", _l("Pin: must judge it")),
                         ("forbid", _l("Forbid: must never judge it"))]),
    )


class AutoAssignForm(FlaskForm):
    allow_uneven = BooleanField(
        _l("If exact balance is impossible, accept the most even loads possible"),
    )


class ReminderForm(FlaskForm):
    """Remind every juror with unfinished work, or one (juror_id)."""
