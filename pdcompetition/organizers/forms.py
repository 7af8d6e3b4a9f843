"""Forms of the organizers' pages: an edition, its nominations and criteria, decisions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    DecimalField,
    IntegerField,
    SearchField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..domain.edition_rules import DATE_LABELS, date_problems, ordinal_problem
from ..domain.moscow_time import MOSCOW, from_moscow, now_utc
from ..domain.stages import results_are_public
from ..extensions import db
from ..formtools import choices
from ..models import Edition, EditionStatus

# The browser's datetime-local format first: it is the one rendered back into the field.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
MOSCOW_HINT = _l("Moscow time.")


def record_id(value) -> int:
    """A database id typed into a form; anything else is refused like a wrong choice."""
    number = int(value)
    if not 0 < number < 2**31:
        raise ValueError(value)
    return number


class PlausibleYear:
    """A year far from now is a typing mistake (and year 1 or 9999 overflows in UTC)."""

    FIRST, LAST = 1990, 2200

    def __call__(self, form, field):
        if field.data is not None and not self.FIRST <= field.data.year <= self.LAST:
            raise ValidationError(_l("Check the year: it should be between %(first)s and "
                                     "%(last)s.", first=self.FIRST, last=self.LAST))


def moscow_datetime(label, *validators, description=MOSCOW_HINT) -> DateTimeLocalField:
    """A date-and-time field typed in Moscow time; its data is aware (Europe/Moscow)."""
    return DateTimeLocalField(
        label,
        validators=[*(list(validators) or [Optional()]), PlausibleYear()],
        format=DATETIME_FORMATS,
        tz=MOSCOW,
        description=description,
        invalid_value_message=_l("Enter a date and time, e.g. 2025-10-31 23:59."),
    )


class EditionForm(FlaskForm):
    """Everything about an edition except its nominations and criteria."""

    ordinal = IntegerField(
        _l("Edition number"),
        validators=[InputRequired(), NumberRange(max=100)],
        description=_l("1 for the I edition, 2 for the II, ..."),
    )
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    status = SelectField(
        _l("Status"),
        choices=choices((s.value, s.title) for s in EditionStatus),
        description=_l("Draft: only organizers see it. Active: run on the platform. "
                       "Archive: a past edition."),
    )
    title_ru = StringField(_l("Title in Russian"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=300)])
    description_ru = TextAreaField(_l("Description in Russian"), validators=[Length(max=20000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=20000)])
    rules_ru = TextAreaField(_l("Rules in Russian"), validators=[Length(max=100000)])
    rules_en = TextAreaField(_l("Rules in English"), validators=[Length(max=100000)])

    applications_open_at = moscow_datetime(DATE_LABELS["applications_open_at"])
    applications_close_at = moscow_datetime(DATE_LABELS["applications_close_at"])
    judging_close_at = moscow_datetime(DATE_LABELS["judging_close_at"])

    forum_title_ru = StringField(_l("Forum name in Russian"), validators=[Length(max=300)])
    forum_title_en = StringField(_l("Forum name in English"), validators=[Length(max=300)])
    forum_city_ru = StringField(_l("City in Russian"), validators=[Length(max=120)])
    forum_city_en = StringField(_l("City in English"), validators=[Length(max=120)])
    forum_venue = StringField(_l("Venue"), validators=[Length(max=300)])
    forum_starts_at = moscow_datetime(
        _l("Date and time of the announcement"),
        description=_l("Moscow time. Results stay secret until this moment."),
    )

    one_application_per_nomination = BooleanField(
        _l("One application per person in each nomination (otherwise one in the edition)")
    )
    jurors_per_application = IntegerField(
        _l("Jurors per application"),
        default=3,
        validators=[InputRequired(), NumberRange(min=1, max=15)],
    )
    blind_review = BooleanField(_l("Blind review: jurors do not see the applicant's name"))
    conflict_same_country = BooleanField(_l("A juror from the applicant's country is in conflict"))
    conflict_same_region = BooleanField(
        _l("A juror from the applicant's Russian region is in conflict")
    )
    normalize_scores = BooleanField(_l("Normalize each juror's scores in the ranking"))
    divergence_threshold = DecimalField(
        _l("Divergence threshold, points out of 100"),
        places=2,
        default=30,
        validators=[InputRequired(), NumberRange(min=0, max=100)],
        description=_l("Totals further apart than this are flagged for an extra juror."),
    )
    applicant_feedback = BooleanField(_l("Applicants see the jury's comments after the results"))

    FORUM_FIELDS = ("forum_title_ru", "forum_title_en", "forum_city_ru", "forum_city_en",
                    "forum_venue", "forum_starts_at")

    def __init__(self, *args, edition: Edition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._edition = edition

    @property
    def has_forum(self) -> bool:
        return any(getattr(self, name).data for name in self.FORUM_FIELDS)

    def validate(self, extra_validators=None) -> bool:
        """Field checks, then the edition's own rules: ordinal, dates in order, the forum."""
        valid = super().validate(extra_validators)
        if not self.ordinal.errors:
            this_one = self._edition.id if self._edition is not None else 0
            others = db.select(Edition.ordinal).where(Edition.id != this_one)
            problem = ordinal_problem(self.ordinal.data, db.session.scalars(others))
            if problem:
                self.ordinal.errors.append(problem)
        if self.has_forum:
            if not (self.forum_title_ru.data or "").strip():
                self.forum_title_ru.errors.append(_l("Name the forum."))
            if self.forum_starts_at.data is None and not self.forum_starts_at.errors:
                self.forum_starts_at.errors.append(_l("When are the results announced?"))
            elif self._moves_approved_results_into_the_past():
                self.forum_starts_at.errors.append(_l(
                    "The results are approved and would be published at once. Choose a "
                    "moment in the future, or publish them from the results page."))
        fields = {
            "applications_open_at": self.applications_open_at,
            "applications_close_at": self.applications_close_at,
            "judging_close_at": self.judging_close_at,
            "results_publish_at": self.forum_starts_at,
        }
        if not any(field.errors for field in fields.values()):
            problems = date_problems(
                {name: field.data for name, field in fields.items()},
                active=self.status.data == EditionStatus.ACTIVE.value,
            )
            for name, message in problems.items():
                fields[name].errors.append(message)
        return valid and not any(field.errors for field in self)

    def _moves_approved_results_into_the_past(self) -> bool:
        """An approved result goes public at the announcement moment: a moment in the past,
        typed by mistake, must not announce the winners before the forum."""
        edition = self._edition
        if edition is None or edition.results_approved_at is None or self.forum_starts_at.errors:
            return False
        if results_are_public(edition):
            return False
        return from_moscow(self.forum_starts_at.data) <= now_utc()


class NominationForm(FlaskForm):
    name_ru = StringField(_l("Name in Russian"), validators=[DataRequired(), Length(max=300)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=300)])
    description_ru = TextAreaField(_l("Description in Russian"), validators=[Length(max=5000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=5000)])


class CriterionForm(NominationForm):
    max_score = IntegerField(
        _l("Maximum score"),
        default=10,
        validators=[InputRequired(), NumberRange(min=1, max=100)],
        description=_l("Jurors score from 0 to this number."),
    )
    weight = DecimalField(
        _l("Weight"),
        places=2,
        default=1,
        validators=[InputRequired(), NumberRange(min=0.01, max=100)],
        description=_l("How much the criterion counts in the total, relative to the others."),
    )


class CopyStructureForm(FlaskForm):
    source = SelectField(_l("Copy from"), validators=[DataRequired()])


class DecisionForm(FlaskForm):
    """Accept, reject or return one application; what is required depends on the decision."""

    comment = TextAreaField(_l("Comment to the applicant"), validators=[Length(max=5000)])
    changes_due_at = moscow_datetime(_l("Changes due by"))


class BulkDecisionForm(DecisionForm):
    decision = SelectField(_l("With the selected applications"),
                           validators=[DataRequired(message=_l("Choose what to do."))])
    selected = SelectMultipleField(coerce=record_id, validate_choice=False)


class ScreeningFilterForm(FlaskForm):
    """The filters of the screening list, read from the query string."""

    class Meta:
        csrf = False

    q = SearchField(_l("Search"), validators=[Optional(), Length(max=200)],
                    description=_l("Name, organization or project title"))
    state = SelectField(_l("State"), validators=[Optional()])
    nomination = SelectField(_l("Nomination"), validators=[Optional()])
    country = SelectField(_l("Country"), validators=[Optional()])
    region = SelectField(_l("Russian region"), validators=[Optional()])
    sort = SelectField(_l("Sort by"), validators=[Optional()])
    per_page = SelectField(_l("Per page"), validators=[Optional()],
                           choices=choices((n, n) for n in (25, 50, 100)))
