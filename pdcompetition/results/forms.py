"""Forms of the results pages: awards per nomination, reopening, plain confirmations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..formtools import choices
from ..models import AwardKind


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token is checked."""


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are the results reopened?"),
        validators=[DataRequired(message=_l("Give the reason: it is kept in the audit log.")),
                    Length(min=10, max=2000)],
        description=_l("Kept in the audit log together with your name."),
    )


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a GET lookup that changes nothing

    code = StringField(_l("Verification code"), validators=[DataRequired(), Length(max=40)])


def award_field(application_id: int) -> str:
    return f"award_{application_id}"


def reason_field(application_id: int) -> str:
    return f"reason_{application_id}"


def awards_form(application_ids, current: dict, formdata=None) -> FlaskForm:
    """A form with an award choice and a reason per application of one nomination."""

    class AwardsForm(FlaskForm):
        pass

    kinds = choices(((kind.value, kind.title) for kind in AwardKind), blank=_l("No award"))
    for app_id in application_ids:
        setattr(AwardsForm, award_field(app_id), SelectField(
            _l("Award"), choices=kinds, validators=[Optional()],
            default=current.get(app_id, ("", ""))[0],
        ))
        setattr(AwardsForm, reason_field(app_id), TextAreaField(
            _l("Reason for departing from the ranking"),
            validators=[Length(max=2000)], default=current.get(app_id, ("", ""))[1],
        ))
    return AwardsForm(formdata=formdata) if formdata is not None else AwardsForm()


def award_decisions(form, application_ids) -> dict[int, tuple[str | None, str]]:
    """{application id: (kind or None, reason)} from a submitted awards form."""
    return {
        app_id: ((form[award_field(app_id)].data or "").strip() or None,
                 (form[reason_field(app_id)].data or "").strip())
        for app_id in application_ids
    }
