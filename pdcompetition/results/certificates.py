"""Diplomas and participation certificates: issued at approval, rendered as PDF in Russian."""

import io
import secrets
import zipfile

from babel.dates import format_date
from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from fpdf.enums import XPos, YPos
from sqlalchemy.orm import contains_eager

from ..domain.moscow_time import to_moscow
from ..extensions import db
from ..models import (
    Application,
    ApplicationState,
    Certificate,
    CertificateKind,
    Edition,
)
from ..pdf import FONT_FAMILY, new_document, to_bytes
from .services import award_of, awards_query

# No 0/O or 1/I: codes are read aloud and typed from paper. 16 symbols of 32: 80 bits.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_GROUPS = 4
# After each block of text, continue at the left margin on the next line.
NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def new_code() -> str:
    """An unguessable verification code such as 7KQM-2XHD-9PLC-TW4R."""
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * 4))
    return "-".join(symbols[i:i + 4] for i in range(0, len(symbols), 4))


def normalize_code(text: str) -> str:
    """What a person typed, as stored: upper case, dashes every four symbols."""
    symbols = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return "-".join(symbols[i:i + 4] for i in range(0, len(symbols), 4))[:32]


def issue_certificates(edition: Edition) -> None:
    """A participation certificate per accepted application, a diploma per award; flushes.

    Run at approval: diplomas of awards removed since a reopening are withdrawn, so a
    code never confirms an award that no longer exists.
    """
    accepted = db.session.scalars(
        db.select(Application.id).where(
            Application.edition_id == edition.id, Application.state == ApplicationState.ACCEPTED
        )
    ).all()
    awarded = {award.application_id for award in db.session.scalars(awards_query(edition))}
    existing = {
        (c.application_id, c.kind): c
        for c in db.session.scalars(
            db.select(Certificate)
            .join(Application, Application.id == Certificate.application_id)
            .where(Application.edition_id == edition.id)
        )
    }
    wanted = {(app_id, CertificateKind.PARTICIPATION) for app_id in accepted}
    wanted |= {(app_id, CertificateKind.DIPLOMA) for app_id in awarded}
    for key, certificate in existing.items():
        if key not in wanted:
            db.session.delete(certificate)
    for app_id, kind in sorted(wanted - existing.keys(), key=lambda k: (k[0], k[1].value)):
        db.session.add(Certificate(application_id=app_id, kind=kind, code=new_code()))
    db.session.flush()


def certificates_of(application: Application) -> list[Certificate]:
    """The application's certificates, the diploma first."""
    found = db.session.scalars(
        db.select(Certificate).where(Certificate.application_id == application.id)
    ).all()
    return sorted(found, key=lambda c: c.kind != CertificateKind.DIPLOMA)


def find_by_code(code: str) -> Certificate | None:
    return db.session.scalar(db.select(Certificate).where(Certificate.code == normalize_code(code)))


def _document(title: str):
    pdf = new_document("L", title=title)
    pdf.set_auto_page_break(False)
    return pdf


def forum_line(edition: Edition) -> str:
    """«Forum, city, 12 December 2023» in Russian, from the forum event or the moment."""
    forum = edition.forum_event
    moment = forum.starts_at if forum is not None else edition.results_publish_at
    parts = []
    if forum is not None:
        parts.append(forum.title_ru)
        if forum.city_ru:
            parts.append(forum.city_ru)
    if moment is not None:
        parts.append(format_date(to_moscow(moment).date(), "long", locale="ru"))
    return ", ".join(parts)


def render_certificate(certificate: Certificate) -> bytes:
    """The PDF of one certificate, in Russian whatever the reader's language."""
    return _render(certificate, award_of(certificate.application))


def _render(certificate: Certificate, award) -> bytes:
    """The PDF of a certificate whose application's standing award (or None) is known."""
    application = certificate.application
    edition = application.edition
    verify_url = url_for("results.verify", code=certificate.code, _external=True)
    with force_locale("ru"):
        is_diploma = certificate.kind == CertificateKind.DIPLOMA
        heading = _("DIPLOMA") if is_diploma else _("CERTIFICATE OF PARTICIPATION")
        lines = {
            "competition": _("International Competition «Leader of Public Diplomacy»"),
            "award": str(award.kind.title) if (is_diploma and award) else "",
            "given": _("is awarded to") if is_diploma else _("is given to"),
            "for": (_("in the nomination «%(nomination)s»",
                      nomination=application.nomination.name_ru)
                    if application.nomination else ""),
            "participation": "" if is_diploma else _(
                "for taking part in the %(edition)s", edition=edition.title_ru
            ),
            "code": _("Verification code: %(code)s", code=certificate.code),
            "check": _("Check it at %(url)s", url=verify_url),
            "committee": _("The organizing committee of the competition"),
        }
    pdf = _document(f"{heading} — {application.full_name}")
    pdf.add_page()
    _frame(pdf)
    pdf.set_text_color(29, 63, 114)
    pdf.set_y(22)
    pdf.set_font(FONT_FAMILY, "B", 12)
    pdf.multi_cell(0, 6, lines["competition"].upper(), align="C", **NEXT_LINE)
    pdf.set_font(FONT_FAMILY, "", 11)
    pdf.multi_cell(0, 6, edition.title_ru, align="C", **NEXT_LINE)
    pdf.ln(6)
    pdf.set_font(FONT_FAMILY, "B", 34 if is_diploma else 26)
    pdf.multi_cell(0, 14, heading, align="C", **NEXT_LINE)
    if lines["award"]:
        pdf.set_font(FONT_FAMILY, "B", 18)
        pdf.set_text_color(150, 110, 20)
        pdf.multi_cell(0, 10, lines["award"], align="C", **NEXT_LINE)
    pdf.set_text_color(27, 27, 31)
    pdf.ln(3)
    pdf.set_font(FONT_FAMILY, "", 12)
    pdf.multi_cell(0, 7, lines["given"], align="C", **NEXT_LINE)
    pdf.set_font(FONT_FAMILY, "B", 22)
    pdf.multi_cell(0, 11, application.full_name, align="C", **NEXT_LINE)
    pdf.set_font(FONT_FAMILY, "", 12)
    if application.organization:
        pdf.multi_cell(0, 7, application.organization, align="C", **NEXT_LINE)
    for key in ("for", "participation"):
        if lines[key]:
            pdf.multi_cell(0, 7, lines[key], align="C", **NEXT_LINE)
    pdf.ln(3)
    pdf.multi_cell(0, 7, forum_line(edition), align="C", **NEXT_LINE)
    pdf.set_y(-42)
    pdf.set_x(25)
    pdf.set_font(FONT_FAMILY, "", 9)
    pdf.set_text_color(95, 99, 104)
    pdf.multi_cell(150, 5, lines["code"] + "\n" + lines["check"], **NEXT_LINE)
    pdf.set_xy(180, -42)
    pdf.set_font(FONT_FAMILY, "", 10)
    pdf.multi_cell(92, 5, lines["committee"], align="R", **NEXT_LINE)
    return to_bytes(pdf)


def _frame(pdf) -> None:
    pdf.set_draw_color(29, 63, 114)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_draw_color(242, 193, 78)
    pdf.set_line_width(0.5)
    pdf.rect(14, 14, 269, 182)


def file_name(certificate: Certificate) -> str:
    """A stable, ASCII file name: the application number and the kind."""
    number = certificate.application.display_number.replace("#", "id")
    return f"{number}-{certificate.kind.value}.pdf"


def certificates_zip(edition: Edition) -> bytes:
    """Every certificate of the edition as one ZIP archive."""
    certificates = db.session.scalars(
        db.select(Certificate)
        .join(Application, Application.id == Certificate.application_id)
        .where(Application.edition_id == edition.id)
        .options(contains_eager(Certificate.application).joinedload(Application.nomination))
        .order_by(Application.number, Application.id, Certificate.kind)
    ).all()
    # One query for the awards rather than one per certificate.
    awards = {award.application_id: award for award in db.session.scalars(awards_query(edition))}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for certificate in certificates:
            award = awards.get(certificate.application_id)
            archive.writestr(file_name(certificate), _render(certificate, award))
    return buffer.getvalue()
