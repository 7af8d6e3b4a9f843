"""Exports opened as Excel and CSV would open them, and certificates read back as text."""

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from pdcompetition.models import Certificate, CertificateKind, Event, EventKind
from pdcompetition.results import services

from .factories import now
from .results_support import build_edition, fast_password_hashes  # noqa: F401  (autouse)


@pytest.fixture
def world(db):
    world = build_edition(db)
    edition = world.edition
    edition.events.append(Event(
        kind=EventKind.FORUM, announces_results=True, title_ru="Екатерининский форум",
        title_en="Catherine Forum", city_ru="Москва", city_en="Moscow",
        starts_at=edition.results_publish_at,
    ))
    services.close_jury(edition, world.organizer)
    loaded = services.load_ranking(edition)
    services.save_awards(loaded, world.n1.id, {
        world.a.id: ("winner", ""), world.b.id: ("second", ""),
        world.c.id: ("laureate", "Особый вклад"),
    }, world.organizer)
    services.approve_results(edition, world.organizer)
    db.session.commit()
    return world


def export(client, world, kind, fmt, **headers):
    response = client.get(f"/manage/editions/{world.edition.id}/results/export/{kind}.{fmt}",
                          headers=headers)
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    return response.get_data()


def read_xlsx(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def read_csv(data: bytes, delimiter=";") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def test_applications_export_has_every_field_in_russian(client, auth, world):
    auth.login(world.organizer)
    rows = read_xlsx(export(client, world, "applications", "xlsx"))
    header = rows[0]
    for title in ("Номер", "ФИО", "Организация", "Страна", "Регион", "Название проекта"):
        assert title in header
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    a = by_number[world.a.display_number]
    assert a["ФИО"] == "Анна Петрова"
    assert a["Регион"] == "Пермский край"
    assert a["Страна"] == "Россия"
    assert a["Описание"].startswith("Наш проект")
    assert world.rejected.display_number in by_number  # every state except drafts
    assert len(rows) == 1 + 7


def test_applications_csv_opens_with_semicolons_and_cyrillic(client, auth, world):
    auth.login(world.organizer)
    rows = read_csv(export(client, world, "applications", "csv"))
    assert rows[0][0] == "Номер"
    names = {row[rows[0].index("ФИО")] for row in rows[1:]}
    assert {"Анна Петрова", "Карим Саидов"} <= names
    # Multi-line texts stay in one cell.
    assert all(len(row) == len(rows[0]) for row in rows)


def test_english_headers_and_commas_for_an_english_organizer(client, auth, world, db):
    world.organizer.locale = "en"
    db.session.commit()
    auth.login(world.organizer)
    rows = read_csv(export(client, world, "ranking", "csv"), delimiter=",")
    assert rows[0][:3] == ["Nomination", "Rank", "Number"]


def test_score_matrix_application_by_juror_by_criterion(client, auth, world):
    auth.login(world.organizer)
    rows = read_xlsx(export(client, world, "scores", "xlsx"))
    header = rows[0]
    assert header[:4] == ["Номер", "ФИО", "Номинация", "Член жюри"]
    criteria = [h for h in header if h and h.startswith("Критерий")]
    assert len(criteria) == 3
    lines = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    c_lines = {line["Член жюри"]: line for line in lines if line["Номер"] == world.c.display_number}
    assert [c_lines["Ирина Соколова"][name] for name in criteria] == [2, 2, 2]
    assert c_lines["Marco Rossi"]["Взвешенный итог"] == 80.0
    draft = next(line for line in lines if line["Номер"] == world.d.display_number
                 and line["Член жюри"] == "Marco Rossi")
    assert draft["Оценочный лист"] == "Черновик"
    assert draft["Взвешенный итог"] in ("", None)
    # Two jurors on five applications of nomination 1, one on nomination 2.
    assert len(lines) == 11


def test_ranking_export_with_awards_and_reasons(client, auth, world):
    auth.login(world.organizer)
    rows = read_xlsx(export(client, world, "ranking", "xlsx"))
    header = rows[0]
    lines = [dict(zip(header, row, strict=True)) for row in rows[1:]]
    first = lines[0]
    assert first["Место в рейтинге"] == 1 and first["ФИО"] == "Анна Петрова"
    assert first["Средний балл"] == 85.0
    assert first["Награда"] == "Победитель (1-е место)"
    laureate = next(line for line in lines if line["ФИО"] == "Карим Саидов")
    assert laureate["Награда"] == "Лауреат"
    assert laureate["Причина отступления от рейтинга"] == "Особый вклад"
    assert laureate["Расхождение"] == 60.0
    tied = next(line for line in lines if line["ФИО"] == "Фатима Алиева")
    assert tied["Равенство баллов"] == "выше поданная раньше"
    pending = next(line for line in lines if line["ФИО"] == "Дарья Ким")
    assert pending["Место в рейтинге"] == "не ранжирована"
    csv_rows = read_csv(export(client, world, "ranking", "csv"))
    assert len(csv_rows) == len(rows)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_diploma_pdf_in_russian_with_name_and_code(client, auth, world, db):
    auth.login(world.organizer)
    code = db.session.scalar(db.select(Certificate.code).where(
        Certificate.application_id == world.a.id, Certificate.kind == CertificateKind.DIPLOMA))
    response = client.get(f"/results/applications/{world.a.id}/certificates/diploma.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.get_data())
    assert "ДИПЛОМ" in text
    assert "Победитель (1-е место)" in text
    assert "Анна Петрова" in text
    assert world.a.organization in text
    assert "Номинация 1" in text
    assert "Екатерининский форум" in text and "Москва" in text
    assert code in text
    assert f"/verify/{code}" in text


def test_participation_certificate_for_an_accepted_applicant(client, auth, world):
    auth.login(world.organizer)
    response = client.get(f"/results/applications/{world.e.id}/certificates/participation.pdf")
    text = pdf_text(response.get_data())
    assert "СЕРТИФИКАТ УЧАСТНИКА" in text
    assert "Елена Смирнова" in text
    assert "за участие" in text
    # No diploma without an award.
    assert client.get(
        f"/results/applications/{world.e.id}/certificates/diploma.pdf").status_code == 404


def test_all_certificates_as_one_zip(client, auth, world):
    auth.login(world.organizer)
    response = client.get(f"/manage/editions/{world.edition.id}/results/certificates.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    names = archive.namelist()
    # Six accepted applications get a certificate, three awards a diploma.
    assert len(names) == 9
    assert f"{world.a.display_number}-diploma.pdf" in names
    assert f"{world.c.display_number}-diploma.pdf" in names
    assert pdf_text(archive.read(f"{world.c.display_number}-diploma.pdf")).count("Лауреат") == 1


def test_codes_are_unguessable_and_unique(world, db):
    codes = db.session.scalars(db.select(Certificate.code)).all()
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert len(code) == 19 and code.count("-") == 3
        assert not set(code.replace("-", "")) & set("01IO")


def test_reapproval_withdraws_diplomas_of_removed_awards(world, db):
    c_diploma = db.session.scalar(db.select(Certificate).where(
        Certificate.application_id == world.c.id, Certificate.kind == CertificateKind.DIPLOMA))
    code = c_diploma.code
    services.reopen_results(world.edition, world.admin, "Лауреат исключён решением оргкомитета")
    loaded = services.load_ranking(world.edition)
    services.save_awards(loaded, world.n1.id, {world.c.id: (None, "")}, world.organizer)
    world.edition.results_publish_at = now().replace(year=now().year + 1)
    services.approve_results(world.edition, world.organizer)
    db.session.commit()
    assert db.session.scalar(db.select(Certificate).where(Certificate.code == code)) is None
    assert db.session.scalar(db.select(Certificate).where(
        Certificate.application_id == world.c.id,
        Certificate.kind == CertificateKind.PARTICIPATION)) is not None
