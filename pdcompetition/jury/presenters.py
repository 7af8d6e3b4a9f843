"""What the scoring page shows, gathered in one place so the view stays short."""

from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _

from ..domain import score_rules
from . import services

# Attachment types a juror is told about, when blind review hides the file name.
FILE_KINDS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.ms-powerpoint": "PPT",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "text/plain": "TXT",
}


@dataclass
class AttachmentView:
    label: str
    kind: str
    size: str
    url: str | None


def format_number(value, pattern: str = "#,##0.##") -> str:
    """A number in the UI language's notation (a decimal comma in Russian)."""
    return format_decimal(value, pattern)


def human_size(size: int) -> str:
    """A file size the way people read it (KB below a megabyte, MB above)."""
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_decimal(max(1, round(size / 1024))))
    return _("%(n)s MB", n=format_decimal(round(size / (1024 * 1024), 1)))


def attachment_views(application, blind: bool) -> list[AttachmentView]:
    """Attachments as the juror sees them: names hidden in blind review, links once the
    applicants' download endpoint exists."""
    can_link = "applications.attachment" in current_app.view_functions
    views = []
    for number, attachment in enumerate(application.attachments, 1):
        kind = FILE_KINDS.get(attachment.content_type, attachment.content_type.split("/")[-1])
        label = _("Document %(n)s", n=number) if blind else attachment.original_name
        url = (
            url_for("applications.attachment", attachment_id=attachment.id, inline=1)
            if can_link
            else None
        )
        views.append(AttachmentView(label, kind.upper(), human_size(attachment.size), url))
    return views


def typed_values(form, criteria) -> dict[int, int | None]:
    """The in-range integer in each score field (typed or stored), None where there is none."""
    values = {}
    for criterion in criteria:
        value, error = score_rules.parse_score(form[score_rules.score_field(criterion.id)].data)
        ok = error is None and value is not None and 0 <= value <= criterion.max_score
        values[criterion.id] = value if ok else None
    return values


def stale_differences(stored_sheet, form, criteria) -> dict:
    """Per criterion id, the stored (value, comment) where it differs from what was typed."""
    stored = {s.criterion_id: (s.value, s.comment) for s in stored_sheet.scores}
    typed = typed_values(form, criteria)
    out = {}
    for criterion in criteria:
        value, comment = stored.get(criterion.id, (None, ""))
        typed_comment = (form[score_rules.comment_field(criterion.id)].data or "").strip()
        if value != typed.get(criterion.id) or comment != typed_comment:
            out[criterion.id] = (value, comment)
    return out


def scoring_context(assignment, form, *, refused=None, form_errors=(), stale_sheet=None) -> dict:
    """Template context of the scoring page."""
    application = assignment.application
    edition = application.edition
    criteria = edition.active_criteria
    sheet = assignment.score_sheet
    values = typed_values(form, criteria)
    read_only = refused or score_rules.scoring_closed_reason(edition)
    version = sheet.version if sheet else 0
    stale = None
    if stale_sheet is not None:
        version = stale_sheet.version if stale_sheet else 0
        stale = stale_differences(stale_sheet, form, criteria) if stale_sheet else {}
        stale_comment = stale_sheet.overall_comment if stale_sheet else ""
        if stale_comment != (form.overall_comment.data or "").strip():
            stale["overall"] = stale_comment
        sheet = stale_sheet or None
    next_id = services.next_unscored(assignment.juror, edition.id, application.id)
    return {
        "assignment": assignment,
        "application": application,
        "edition": edition,
        "criteria": criteria,
        "sheet": sheet,
        "state": services.sheet_state(sheet),
        "form": form,
        "sheet_errors": list(form_errors),
        "read_only": read_only,
        "refused": refused,
        "total": score_rules.sheet_total(criteria, values),
        "scored_count": sum(1 for v in values.values() if v is not None),
        "version": version,
        "stale": stale,
        "blind": edition.blind_review,
        "attachments": attachment_views(application, edition.blind_review),
        "format_number": format_number,
        "next_url": url_for("jury.application", application_id=next_id) if next_id else None,
    }
