"""Administration forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..formtools import choices
from ..models import Role


class RoleChangeForm(FlaskForm):
    role = SelectField(_l("Role"), choices=choices((role.value, role.title) for role in Role))
    action = HiddenField(validators=[DataRequired()])


class CustomCountryForm(FlaskForm):
    code = StringField(
        _l("Code"),
        validators=[
            DataRequired(),
            Regexp(
                r"^X[A-Z]$",
                message=_l("Use a code from the range XA to XZ reserved for such entries."),
            ),
        ],
        description=_l("Two letters, XA to XZ: codes ISO 3166 leaves to users."),
        filters=[lambda value: (value or "").strip().upper()],
    )
    name_ru = StringField(_l("Name in Russian"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name or email"), validators=[Length(max=100)])
