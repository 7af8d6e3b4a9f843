"""The application as a PDF document (A4, DejaVu fonts, Russian text)."""

from flask_babel import gettext as _
from fpdf.enums import XPos, YPos

from ..domain.moscow_time import now_utc
from ..i18n import format_moscow
from ..pdf import FONT_FAMILY, new_document, to_bytes
from . import summary, uploads

_NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _title(application) -> str:
    if application.number is None:
        return _("Application draft")
    return _("Application %(number)s", number=application.display_number)


def application_pdf(application) -> bytes:
    """Every section of the application, its documents and its state, as PDF bytes."""
    pdf = new_document(title=_title(application))
    pdf.set_author(application.full_name or application.owner.display_name)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 16)
    pdf.multi_cell(0, 8, _title(application), **_NEXT_LINE)
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(0, 5, application.edition.title, **_NEXT_LINE)
    status = _("Status: %(state)s", state=application.state.title)
    if application.last_submitted_at:
        status += " · " + _("submitted %(when)s", when=format_moscow(application.last_submitted_at))
    pdf.multi_cell(0, 5, status, **_NEXT_LINE)
    for _section, title, fields in summary.rows(application):
        pdf.ln(4)
        pdf.set_font(FONT_FAMILY, "B", 13)
        pdf.multi_cell(0, 7, title, **_NEXT_LINE)
        for _name, label, value in fields:
            pdf.set_font(FONT_FAMILY, "B", 10)
            pdf.multi_cell(0, 5, label, **_NEXT_LINE)
            pdf.set_font(FONT_FAMILY, "", 10)
            pdf.multi_cell(0, 5, value or "—", **_NEXT_LINE)
            pdf.ln(1)
    pdf.ln(4)
    pdf.set_font(FONT_FAMILY, "B", 13)
    pdf.multi_cell(0, 7, _("Documents"), **_NEXT_LINE)
    pdf.set_font(FONT_FAMILY, "", 10)
    if not application.attachments:
        pdf.multi_cell(0, 5, _("No documents attached."), **_NEXT_LINE)
    for attachment in application.attachments:
        line = f"{attachment.original_name} ({uploads.human_size(attachment.size)})"
        pdf.multi_cell(0, 5, line, **_NEXT_LINE)
    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, "", 8)
    pdf.multi_cell(0, 4, _("Generated %(when)s (Moscow time).",
                           when=format_moscow(now_utc())), **_NEXT_LINE)
    return to_bytes(pdf)
