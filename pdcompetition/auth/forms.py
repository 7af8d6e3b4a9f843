"""Account forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..formtools import choices
from .passwords import MAX_LENGTH, password_problems

TIMEZONE_CHOICES = [
    "Europe/Moscow", "Europe/Kaliningrad", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
    "Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
    "Asia/Magadan", "Asia/Kamchatka", "Europe/Minsk", "Asia/Almaty", "Asia/Tashkent",
    "Asia/Bishkek", "Asia/Dushanbe", "Asia/Baku", "Asia/Yerevan", "Asia/Tbilisi",
    "Europe/Chisinau", "Europe/Belgrade", "Europe/Istanbul", "Europe/Berlin", "Europe/Paris",
    "Europe/Rome", "Europe/Madrid", "Europe/London", "Africa/Cairo", "Africa/Tunis",
    "Asia/Dubai", "Asia/Riyadh", "Asia/Beirut", "Asia/Damascus", "Asia/Jerusalem",
    "Asia/Kolkata", "Asia/Jakarta", "Asia/Shanghai", "America/Toronto", "America/Mexico_City",
    "UTC",
]


class StrongPassword:
    """Password strength rules; the email field, if present, is checked against it."""

    def __call__(self, form, field):
        email = form.email.data if hasattr(form, "email") and form.email.data else ""
        problems = password_problems(field.data or "", email)
        if problems:
            raise ValidationError(" ".join(str(p) for p in problems))


class RegistrationForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), StrongPassword()],
        description=_l("At least 10 characters, not only digits."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
    language = SelectField(
        _l("Language of emails and pages"), choices=choices([("ru", "Русский"), ("en", "English")])
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    remember = BooleanField(_l("Remember me on this device"))


class ResendConfirmationForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email"), validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)]
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), StrongPassword()],
        description=_l("At least 10 characters, not only digits."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(
        _l("Language of emails and pages"), choices=choices([("ru", "Русский"), ("en", "English")])
    )
    timezone = SelectField(
        _l("Your time zone"),
        choices=choices((tz, tz.replace("_", " ")) for tz in TIMEZONE_CHOICES),
        description=_l("Deadlines are set in Moscow time; jurors also see them in this zone."),
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)]
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), StrongPassword()],
        description=_l("At least 10 characters, not only digits."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords do not match."))],
    )
