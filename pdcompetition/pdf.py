"""PDF documents with Cyrillic text: fpdf2 with the DejaVu fonts shipped in the package."""

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"
FONT_FAMILY = "DejaVu"


def new_document(orientation: str = "P", title: str = "") -> FPDF:
    """An A4 document with the DejaVu family (regular and bold) ready for Russian text."""
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_font(FONT_FAMILY, size=11)
    pdf.set_auto_page_break(auto=True, margin=15)
    if title:
        pdf.set_title(title)
    pdf.set_creator("pdcompetition")
    return pdf


def to_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
