"""Exports for the organizers and the grant report: applications, the score matrix, the ranking.

Each export is a header row and rows of plain values, written as XLSX (openpyxl, write-only
mode) or CSV (UTF-8 with a BOM so Excel reads Cyrillic; semicolons for a Russian Excel,
commas for an English one). Headers are translated into the organizer's language.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy.orm import raiseload, selectinload

from ..domain.moscow_time import to_moscow
from ..domain.ranking import display
from ..extensions import db
from ..i18n import country_name, region_name
from ..models import (
    Application,
    ApplicationState,
    Assignment,
    Attachment,
    ScoreSheet,
)
from ..sanitize import clean_text
from .services import load_ranking, ranked_applications, score_values

EXPORTS = ("applications", "scores", "ranking")


def _moscow(moment: datetime | None) -> str:
    return to_moscow(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _figure(value: float | None):
    return display(value) if value is not None else ""


def applications_rows(edition) -> Iterator[list]:
    """Every application of the edition except drafts, with all its fields."""
    yield [str(h) for h in (
        _l("Number"), _l("State"), _l("Nomination"), _l("Full name"), _l("Date of birth"),
        _l("Citizenship"), _l("Email"), _l("Phone"), _l("Organization"),
        _l("Role in the organization"),
        _l("OGRN"), _l("INN"), _l("Country"), _l("Region"), _l("City"), _l("Project title"),
        _l("Description"), _l("Goals"), _l("Results"), _l("Partners"), _l("Links"),
        _l("Attachments"), _l("Consent given (Moscow time)"),
        _l("First submitted (Moscow time)"), _l("Last submitted (Moscow time)"),
        _l("Organizers' comment"),
    )]
    exported = (Application.edition_id == edition.id) & (
        Application.state != ApplicationState.DRAFT
    )
    # Attachment names in one query: selectinload would send one per 500 applications.
    attachments: dict[int, list[str]] = {}
    for application_id, name in db.session.execute(
        db.select(Attachment.application_id, Attachment.original_name)
        .join(Application, Application.id == Attachment.application_id)
        .where(exported)
        .order_by(Attachment.id)
    ):
        attachments.setdefault(application_id, []).append(name)
    query = (
        db.select(Application)
        .where(exported)
        .options(selectinload(Application.nomination))
        .order_by(Application.number, Application.id)
    )
    for a in db.session.scalars(query):
        yield [
            a.display_number, str(a.state.title), a.nomination.name if a.nomination else "",
            a.full_name, a.birth_date or "", country_name(a.citizenship) if a.citizenship else "",
            a.email, a.phone, a.organization, a.organization_role, a.organization_ogrn,
            a.organization_inn, country_name(a.country_code) if a.country_code else "",
            region_name(a.region_code) if a.region_code else "", a.city, a.project_title,
            a.project_description, a.project_goals, a.project_results, a.project_partners,
            a.project_links, ", ".join(attachments.get(a.id, ())),
            _moscow(a.consent_given_at), _moscow(a.submitted_at), _moscow(a.last_submitted_at),
            a.decision_comment,
        ]


def score_rows(edition) -> Iterator[list]:
    """One row per application and juror, one column per criterion (the score matrix)."""
    criteria = edition.active_criteria
    loaded = load_ranking(edition)
    yield [str(h) for h in (
        _l("Number"), _l("Full name"), _l("Nomination"), _l("Juror"), _l("Sheet"),
        _l("Submitted (Moscow time)"),
    )] + [f"{c.name} (0–{c.max_score}, ×{c.weight.normalize()})" for c in criteria] + [
        str(_l("Weighted total")), str(_l("Normalized total")), str(_l("Overall comment")),
    ]
    if not loaded.applications:
        return
    # The ranking's applications: the edition's accepted ones. Sheets and scores each come
    # in one query (selectinload would send one per 500 assignments and sheets).
    ranked = ranked_applications(edition)
    values = score_values(ranked)
    sheets = db.session.execute(
        db.select(Assignment, ScoreSheet)
        .join(Application, Application.id == Assignment.application_id)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(ranked)
        .order_by(Application.number, Application.id, Assignment.id)
        .options(raiseload(ScoreSheet.scores))  # the values come from the query above
    )
    for assignment, sheet in sheets:
        application = loaded.applications[assignment.application_id]
        juror = loaded.jurors.get(assignment.juror_id)
        given = values.get(sheet.id, {}) if sheet else {}
        scored = loaded.ranking.applications[application.id]
        total = next((t for t in scored.totals if t.juror_id == assignment.juror_id), None)
        if assignment.juror_id in loaded.conflicts.get(application.id, ()):
            state = str(_l("Conflict of interest"))
        else:
            state = str(sheet.status.title) if sheet else str(_l("Not started"))
        yield [
            application.display_number, application.full_name,
            application.nomination.name if application.nomination else "",
            juror.display_name if juror else "", state,
            _moscow(sheet.submitted_at) if sheet else "",
        ] + ["" if given.get(c.id) is None else given[c.id] for c in criteria] + [
            _figure(total.raw) if total else "",
            _figure(total.normalized) if total and total.normalized is not None else "",
            sheet.overall_comment if sheet else "",
        ]


def ranking_rows(edition) -> Iterator[list]:
    """The ranking per nomination with its figures, tie-breaks and the awards."""
    loaded = load_ranking(edition)
    yield [str(h) for h in (
        _l("Nomination"), _l("Rank"), _l("Number"), _l("Full name"), _l("Organization"),
        _l("Country"), _l("Region"), _l("Jurors"), _l("Mean score"), _l("Normalized score"),
        _l("Divergence"), _l("Tie-break"), _l("Award"), _l("Reason for departing from the ranking"),
    )]
    nominations = list(edition.nominations) + [None]
    for nomination in nominations:
        nomination_id = nomination.id if nomination else None
        rows = loaded.ranked(nomination_id) + loaded.pending_in(nomination_id)
        for item in rows:
            a = loaded.applications[item.id]
            award = loaded.awards.get(item.id)
            yield [
                nomination.name if nomination else "", item.rank or str(_l("not ranked")),
                a.display_number, a.full_name, a.organization,
                country_name(a.country_code) if a.country_code else "",
                region_name(a.region_code) if a.region_code else "",
                len(item.totals), _figure(item.raw_mean), _figure(item.normalized_mean),
                _figure(item.divergence.difference) if item.divergence else "",
                str(_l("earlier submission ranks higher")) if item.tie else "",
                str(award.kind.title) if award else "",
                award.departure_reason if award else "",
            ]


ROWS = {"applications": applications_rows, "scores": score_rows, "ranking": ranking_rows}


# Spreadsheets run a cell starting with one of these as a formula. Applicants and jurors type
# these texts; opening an export must never run what they typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(sheet, value):
    if isinstance(value, date | int | float):
        return value
    text = clean_text("" if value is None else str(value))  # openpyxl refuses control chars
    if text.startswith("="):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # openpyxl would store it as a formula; it stays the typed text
        return cell
    return text


def _csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def to_xlsx(rows: Iterable[list], title: str) -> bytes:
    """A workbook with one sheet, built in write-only mode (constant memory per row)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append([_cell(sheet, v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(rows: Iterable[list], delimiter: str) -> Iterator[str]:
    """CSV text chunk by chunk, led by a BOM for Excel."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    yield "\ufeff"
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
