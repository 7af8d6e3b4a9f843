"""Documents: checked by content, size limits, random names on disk, downloads and the PDF."""

import hashlib
import io
import os
from pathlib import Path

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from pdcompetition.applications import uploads
from pdcompetition.models import ApplicationState, Attachment, ConflictDeclaration, Role

from . import factories

MAX_FILE = 60_000
MAX_TOTAL = 100_000


@pytest.fixture
def app_config():
    return {
        "UPLOAD_MAX_FILE_BYTES": MAX_FILE,
        "UPLOAD_MAX_TOTAL_BYTES": MAX_TOTAL,
        "MAX_CONTENT_LENGTH": 200_000,
        "UPLOAD_MAX_FILES": 4,
    }


@pytest.fixture
def draft(db):
    edition = factories.make_edition(ordinal=3)
    application = factories.make_draft(edition, factories.make_user(Role.APPLICANT))
    db.session.commit()
    return application


@pytest.fixture
def owner_client(client, auth, draft):
    auth.login(draft.owner)
    return client


def upload(client, application, data: bytes, name: str, content_type="application/octet-stream"):
    return client.post(
        f"/applications/{application.id}/documents",
        data={"document": (io.BytesIO(data), name, content_type)},
        content_type="multipart/form-data",
    )


def noise_png(side: int) -> bytes:
    """An incompressible PNG of about side * side * 3 bytes."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def attachments(db, application):
    db.session.expire_all()
    return list(db.session.scalars(
        db.select(Attachment).where(Attachment.application_id == application.id)
    ))


@pytest.mark.parametrize(
    ("data", "name", "stored_type", "shown_name"),
    [
        (factories.pdf_bytes(), "Письмо поддержки.pdf", "application/pdf", "Письмо поддержки.pdf"),
        (factories.image_bytes("PNG"), "фото.PNG", "image/png", "фото.png"),
        (factories.image_bytes("JPEG"), "../../etc/scan.jpeg", "image/jpeg", "scan.jpg"),
        # The content decides the type, not the name.
        (factories.pdf_bytes(), "report.docx", "application/pdf", "report.docx.pdf"),
    ],
)
def test_valid_documents_are_stored_under_random_names(
    owner_client, db, app, draft, data, name, stored_type, shown_name
):
    response = upload(owner_client, draft, data, name)
    assert response.status_code == 302
    [attachment] = attachments(db, draft)
    assert attachment.content_type == stored_type
    assert attachment.original_name == shown_name
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    path = next(Path(app.config["UPLOAD_FOLDER"]).rglob(attachment.stored_name))
    assert path.read_bytes() == data
    assert Path(app.static_folder) not in path.parents
    assert name.split("/")[-1].split(".")[0] not in attachment.stored_name


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "photo.png", "другого типа"),
        (b"MZ\x90\x00" + b"\x00" * 200, "letter.pdf", "другого типа"),
        (b"%PDF-1.7\nnot really a pdf at all\n", "letter.pdf", "повреждён"),
        (factories.pdf_bytes()[:-40], "cut.pdf", "повреждён"),
        (factories.image_bytes("PNG")[:60], "cut.png", "повреждён"),
        (b"\xff\xd8\xff\xe0" + b"garbage" * 20, "fake.jpg", "повреждён"),
        (b"", "empty.pdf", "Файл пустой"),
    ],
)
def test_lying_or_damaged_files_are_refused(owner_client, db, app, draft, data, name, message):
    response = upload(owner_client, draft, data, name, "image/png")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert attachments(db, draft) == []
    stored = [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]
    assert stored == []  # nothing is left on disk


def test_no_file_chosen(owner_client, draft):
    response = owner_client.post(f"/applications/{draft.id}/documents", data={})
    assert "Выберите файл" in response.get_data(as_text=True)


def test_file_over_the_per_file_limit(owner_client, db, draft):
    response = upload(owner_client, draft, b"%PDF-1.4\n" + b"0" * MAX_FILE, "big.pdf")
    assert response.status_code == 422
    assert "Файл больше 59 КБ" in response.get_data(as_text=True)
    assert attachments(db, draft) == []


def test_per_application_total_limit(owner_client, db, draft):
    assert upload(owner_client, draft, noise_png(120), "a.png").status_code == 302
    assert upload(owner_client, draft, noise_png(120), "b.png").status_code == 302
    response = upload(owner_client, draft, noise_png(120), "c.png")
    assert response.status_code == 422
    assert "вместе могут занимать до 98 КБ" in response.get_data(as_text=True)
    assert len(attachments(db, draft)) == 2


def test_number_of_files_is_limited(owner_client, db, draft):
    for i in range(4):
        assert upload(owner_client, draft, factories.image_bytes(), f"{i}.png").status_code == 302
    response = upload(owner_client, draft, factories.image_bytes(), "5.png")
    assert "не больше 4 файлов" in response.get_data(as_text=True)


def test_oversized_request_gets_the_friendly_413_page_and_loses_nothing(owner_client, db, draft):
    title = draft.project_title
    response = upload(owner_client, draft, b"%PDF-1.4\n" + b"0" * 300_000, "huge.pdf")
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Введённые данные не потеряны" in html
    db.session.expire_all()
    assert draft.project_title == title and attachments(db, draft) == []


def test_remove_a_document_deletes_the_file(owner_client, db, app, draft):
    upload(owner_client, draft, factories.pdf_bytes(), "a.pdf")
    [attachment] = attachments(db, draft)
    path = next(Path(app.config["UPLOAD_FOLDER"]).rglob(attachment.stored_name))
    response = owner_client.post(
        f"/applications/{draft.id}/documents/{attachment.id}/remove"
    )
    assert response.status_code == 302
    assert attachments(db, draft) == [] and not path.exists()


def test_upload_limits_are_shown_on_the_page(owner_client, draft):
    html = owner_client.get(f"/applications/{draft.id}/documents").get_data(as_text=True)
    assert "до 59 КБ на файл и до 98 КБ всего" in html
    assert f'data-max-bytes="{MAX_FILE}"' in html


# Large files stream to disk; bench/upload_memory.py measures it under gunicorn (slow test
# tests/test_upload_memory.py), these keep the code paths honest in the quick suite.

class PieceByPieceUpload:
    """An upload stream that only answers bounded reads: no read(), no getvalue(), no
    iteration, so code holding the whole file in memory fails here."""

    def __init__(self, data: bytes):
        self._data = io.BytesIO(data)
        self.reads: list[int] = []

    def read(self, size: int = -1) -> bytes:
        assert 0 < size <= 1024 * 1024, f"read({size}) of an upload"
        self.reads.append(size)
        return self._data.read(size)


def test_store_copies_the_upload_in_bounded_pieces(app):
    data = factories.pdf_bytes()
    stream = PieceByPieceUpload(data)
    stored = uploads.store_upload(FileStorage(stream, "a.pdf"), max_bytes=10 * 1024 * 1024)
    assert stored.content_type == "application/pdf"
    assert stored.size == len(data) and stored.sha256 == hashlib.sha256(data).hexdigest()
    assert uploads.stored_path(stored.stored_name).read_bytes() == data
    assert stream.reads  # it was really read through the guard


def test_pdf_check_finds_a_catalog_split_between_two_pieces(app, tmp_path, monkeypatch):
    data = factories.pdf_bytes()
    assert data.count(b"/Root") == 1
    # The scan reads the file in pieces; make one end in the middle of "/Root".
    monkeypatch.setattr(uploads, "_SCAN_CHUNK", data.index(b"/Root") + 2)
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    assert uploads.pdf_is_well_formed(path)


# Downloads.

def fetch(client, url):
    """GET a file response, read it and close the file behind it."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def stored_pdf(owner_client, db, draft):
    upload(owner_client, draft, factories.pdf_bytes(), "Письмо.pdf")
    return attachments(db, draft)[0]


def test_download_as_attachment_with_safe_headers(owner_client, stored_pdf):
    response = fetch(owner_client, f"/applications/attachments/{stored_pdf.id}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "%D0%9F%D0%B8%D1%81%D1%8C%D0%BC%D0%BE.pdf" in response.headers["Content-Disposition"]
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response.headers["Cache-Control"]
    assert response.data.startswith(b"%PDF-")


def test_inline_view(owner_client, stored_pdf):
    response = fetch(owner_client, f"/applications/attachments/{stored_pdf.id}?inline=1")
    assert response.headers["Content-Disposition"].startswith("inline")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Security-Policy"] == "sandbox"


def test_unknown_stored_type_is_never_served_inline(owner_client, db, stored_pdf):
    stored_pdf.content_type = "text/html"
    db.session.commit()
    response = fetch(owner_client, f"/applications/attachments/{stored_pdf.id}?inline=1")
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Disposition"].startswith("attachment")


def test_missing_file_on_disk_is_404(owner_client, app, stored_pdf):
    next(Path(app.config["UPLOAD_FOLDER"]).rglob(stored_pdf.stored_name)).unlink()
    assert fetch(owner_client, f"/applications/attachments/{stored_pdf.id}").status_code == 404


@pytest.mark.parametrize("blind", [True, False])
def test_assigned_juror_downloads_with_a_neutral_name_in_blind_review(
    client, auth, db, draft, stored_pdf, blind
):
    draft.edition.blind_review = blind
    draft.state = ApplicationState.ACCEPTED
    juror = factories.make_juror()
    factories.assign(draft, juror)
    db.session.commit()
    auth.logout()
    auth.login(juror)
    response = fetch(client, f"/applications/attachments/{stored_pdf.id}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    if blind:
        assert 'filename=document-1.pdf' in disposition
    else:
        assert "%D0%9F%D0%B8%D1%81%D1%8C%D0%BC%D0%BE.pdf" in disposition
    # The application itself stays closed to the juror.
    assert client.get(f"/applications/{draft.id}").status_code == 404


def test_juror_who_declared_a_conflict_cannot_download(client, auth, db, draft, stored_pdf):
    juror = factories.make_juror()
    factories.assign(draft, juror)
    db.session.add(ConflictDeclaration(application=draft, juror=juror, reason="Мой коллега"))
    db.session.commit()
    auth.logout()
    auth.login(juror)
    assert fetch(client, f"/applications/attachments/{stored_pdf.id}").status_code == 404


# The printable view and the PDF.

def test_pdf_of_the_application(owner_client, db, draft, stored_pdf):
    from pypdf import PdfReader

    draft.project_title = "Клуб «Письмо другу»"
    db.session.commit()
    response = owner_client.get(f"/applications/{draft.id}/pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Черновик заявки" in text
    assert "Клуб «Письмо другу»" in text and draft.full_name in text
    assert "Пермский край" in text  # codes are shown as names
    assert "Письмо.pdf" in text


def test_print_view(owner_client, db, draft):
    html = owner_client.get(f"/applications/{draft.id}/print").get_data(as_text=True)
    assert draft.project_title in html and "Пермский край" in html
    assert "data-print" in html
