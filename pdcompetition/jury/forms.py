"""Jury forms: the declaration, the score sheet (one score and comment per criterion), conflicts."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..domain.score_rules import comment_field, score_field

COMMENT_MAX = 3000
OVERALL_MAX = 5000
_CRITERION_FIELD = re.compile(r"^(score|comment)_(\d{1,9})$")


class DeclarationForm(FlaskForm):
    """The edition-wide conflict-of-interest declaration, confirmed once."""

    confirm = BooleanField(
        _l("I have read the declaration and confirm it"),
        validators=[DataRequired(message=_l("Tick the box to confirm the declaration."))],
    )
    submit = SubmitField(_l("Confirm and see my applications"))


class ConflictForm(FlaskForm):
    """A conflict of interest on one application, with the reason."""

    reason = TextAreaField(
        _l("Reason"),
        description=_l(
            "For example: a family tie, work together, a financial interest, or membership "
            "of the applicant's organization. Only the organizers read it."
        ),
        validators=[
            DataRequired(message=_l("Say briefly what the conflict of interest is.")),
            Length(min=5, max=2000, message=_l("Write from 5 to 2,000 characters.")),
        ],
    )
    submit = SubmitField(_l("Declare the conflict of interest"))


class SheetFormBase(FlaskForm):
    """The fields every score sheet has; per-criterion fields are added by sheet_form()."""

    overall_comment = TextAreaField(
        _l("Overall comment"),
        validators=[Length(max=OVERALL_MAX, message=_l("At most %(max)d characters."))],
    )
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit scores"))


def sheet_form(criteria, **kwargs) -> SheetFormBase:
    """A score sheet form with a score and a comment field for each criterion."""

    class SheetForm(SheetFormBase):
        pass

    for criterion in criteria:
        setattr(
            SheetForm,
            score_field(criterion.id),
            StringField(
                _l("Score"),
                render_kw={
                    "type": "number",
                    "min": 0,
                    "max": criterion.max_score,
                    "step": 1,
                    "inputmode": "numeric",
                    "class": "score-input",
                    "data-max": criterion.max_score,
                    "data-weight": str(criterion.weight),
                },
            ),
        )
        setattr(
            SheetForm,
            comment_field(criterion.id),
            TextAreaField(
                _l("Comment"),
                validators=[Length(max=COMMENT_MAX, message=_l("At most %(max)d characters."))],
                render_kw={"rows": 3, "maxlength": COMMENT_MAX},
            ),
        )
    return SheetForm(**kwargs)


def posted_criterion_values(formdata) -> tuple[dict[int, str], dict[int, str]]:
    """Scores and comments as sent, keyed by criterion id, including ids the form lacks."""
    scores, comments = {}, {}
    for key in formdata:
        match = _CRITERION_FIELD.match(key)
        if match:
            target = scores if match.group(1) == "score" else comments
            target[int(match.group(2))] = formdata.get(key, "")
    return scores, comments


def posted_version(formdata) -> int:
    """The sheet version the form was built from (0: no sheet yet; -1: unreadable)."""
    raw = (formdata.get("version") or "").strip()
    return int(raw) if raw.isdecimal() and len(raw) < 10 else -1
