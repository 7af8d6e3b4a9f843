"""Hostile input to every form of the app: a clear 4xx or a correct save, never a 500.

The POST routes come from the URL map and each must have a case below, so a new form cannot
be forgotten. A case names the role that may use the form, the page that shows it and the
pages that show what it stores. The test opens the page, reads the form's real fields
(inputs, selects with their options, text areas, file inputs) and lets hypothesis post
hostile values: overlong strings, control characters and NUL, right-to-left and zero-width
characters, emoji, markup, wrong types, missing, duplicated and unknown fields, numbers out
of range, dates in year 1 and 9999, files that lie about their type, a zip bomb, a
decompression-bomb PNG. TESTING is on, so any exception in a view fails the test. After
each post, the pages that show the data are rendered again: nothing stored may break them.
"""

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from pdcompetition.models import User

from . import factories
from .results_support import fast_password_hashes  # noqa: F401  (autouse: quick accounts)
from .security_world import build_world, invitation_token, reset_token, sign_in

LIMIT = 1024 * 1024


@pytest.fixture
def app_config():
    # Small limits keep the oversized bodies small; the rules are the same at any size.
    return {"UPLOAD_MAX_FILE_BYTES": LIMIT, "UPLOAD_MAX_TOTAL_BYTES": 3 * LIMIT,
            "MAX_CONTENT_LENGTH": 2 * LIMIT}


# What people should not be able to break a page with.

NASTY_TEXT = [
    "", " ", "\x00", "a\x00b", "\x00" * 40, "\t\r\n\x0b\x0c\x1b[31mred", "\x7f\x85\u2028\u2029",
    "\u202eevil.exe\u202c", "\u200b\u200c\u200d\u2060\ufeff", "مرحبا بالعالم", "שלום עולם",
    "👩‍👩‍👧‍👦🇷🇺🏳️‍🌈😀" * 20, "Z̴̡̪͈̘̔a̵͎̓l̷̰̈́g̸̣̈o̴̳͝", "𝕬𝖇𝖈", "ß" * 300, "ǅ",
    "' OR 1=1 --", "\"; DROP TABLE users; --", "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{ 7*7 }}", "{% if %}",
    "%(name)s %s %d %n", "../../../../etc/passwd", "\\\\server\\share", "\r\n\r\nX-Injected: 1",
    "я" * 20_001, "x" * 70_000, "\n" * 5000, " " * 3000,
]
NASTY_NUMBERS = [
    "-1", "0", "-0", "1.5", "1,5", "1e309", "NaN", "inf", "-inf", "0x1F", "٣", "１２", "²",
    "99999999999999999999999999", "-99999999999999999999", "2147483648", "9223372036854775808",
    "+7", " 7 ", "7abc",
]
NASTY_DATES = [
    "0001-01-01", "9999-12-31", "10000-01-01", "-0001-01-01", "2024-02-30", "1900-02-29",
    "0000-00-00", "2024-13-01", "01.05.1990", "1990-05-01T25:61", "1970-01-01T00:00",
    "9999-12-31T23:59", "0001-01-01T00:00", "2038-01-19T03:14:08",
]
NASTY_ANY = NASTY_TEXT + NASTY_NUMBERS + NASTY_DATES

random_text = st.text(
    st.characters(blacklist_categories=("Cs",)), max_size=120
)
hostile_text = st.one_of(st.sampled_from(NASTY_ANY), random_text)
hostile_number = st.one_of(
    st.sampled_from(NASTY_NUMBERS + NASTY_TEXT[:12]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
hostile_date = st.one_of(
    st.sampled_from(NASTY_DATES + NASTY_TEXT[:8]),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M")),
)


def _zip_bomb() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.pdf", b"\0" * (20 * 1024 * 1024))
    return out.getvalue()


def _png_bomb() -> bytes:
    """A valid PNG header claiming 60,000 x 60,000 pixels, with a few bytes of data."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
FILES = [
    (HTML, "letter.pdf", "application/pdf"),
    (HTML, "photo.png", "image/png"),
    (b"%PDF-1.4\n" + HTML, "polyglot.pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n" + HTML, "polyglot.png", "image/png"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 100, "truncated.jpg", "image/jpeg"),
    (_zip_bomb(), "documents.pdf", "application/zip"),
    (_zip_bomb(), "bomb.zip", "application/zip"),
    (_png_bomb(), "huge.png", "image/png"),
    (b"", "empty.pdf", "application/pdf"),
    (b"MZ\x90\x00" + b"\0" * 200, "cod\u202efdp.exe", "application/pdf"),
    (b"%PDF-1.4\n" + b"0" * (LIMIT + 10), "big.pdf", "application/pdf"),
    (factories.pdf_bytes(), "../../etc/passwd.pdf", "text/html"),
    (factories.pdf_bytes(), "a\x00b.pdf", "application/pdf"),
    (factories.pdf_bytes(), "😀" * 300 + ".pdf", "application/pdf"),
    (factories.pdf_bytes(), "", "application/octet-stream"),
    (factories.image_bytes("PNG"), "logo.pdf", "application/pdf"),
    (factories.image_bytes("JPEG"), "\u200b.jpg", "image/jpeg"),
    (factories.image_bytes("GIF"), "anim.gif", "image/gif"),
]
hostile_file = st.sampled_from(FILES).map(lambda f: (BytesIO(f[0]), f[1], f[2]))


# Reading a page's form.


@dataclass
class Field:
    name: str
    kind: str  # text, number, date, select, checkbox, hidden, file
    value: str = ""
    options: list = field(default_factory=list)


class _FormReader(HTMLParser):
    """The POST forms of a page: action and fields, as a browser would submit them."""

    KINDS = {"number": "number", "date": "date", "datetime-local": "date", "file": "file",
             "checkbox": "checkbox", "radio": "select", "hidden": "hidden"}

    def __init__(self, method: str = "post"):
        super().__init__(convert_charrefs=True)
        self.method = method
        self.forms: list[tuple[str, dict[str, Field]]] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == self.method:
                self._form = {}
                self.forms.append((a.get("action") or "", self._form))
            return
        if self._form is None or not a.get("name") or a["name"] == "csrf_token":
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
            return
        name = a["name"]
        if tag == "input":
            kind = self.KINDS.get((a.get("type") or "text").lower(), "text")
            if kind in ("submit", "button"):
                kind = "text"
            known = self._form.get(name)
            if known is not None and kind in ("select", "checkbox"):
                known.options.append(a.get("value", "y"))
            else:
                self._form[name] = Field(name, kind, a.get("value", ""),
                                         [a.get("value", "y")] if kind != "text" else [])
        elif tag == "button":
            self._form.setdefault(name, Field(name, "select", a.get("value", ""), []))
            self._form[name].options.append(a.get("value", ""))
        elif tag == "textarea":
            self._form[name] = Field(name, "text")
        elif tag == "select":
            self._select = self._form[name] = Field(name, "select")
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def form_fields(html: str, action: str, page_path: str, method: str = "post"):
    """The fields of the page's form that sends to `action`; None if there is none."""
    reader = _FormReader(method)
    reader.feed(html)
    for form_action, fields in reader.forms:
        target = re.sub(r"[?#].*", "", form_action) or page_path
        if target == action:
            return fields
    return None


# Values for a form.


def value_for(f: Field):
    if f.kind == "file":
        return st.one_of(hostile_file, hostile_file, hostile_text)
    if f.kind == "number":
        return hostile_number
    if f.kind == "date":
        return hostile_date
    if f.kind in ("select", "checkbox"):
        return st.one_of(st.sampled_from(f.options or ["y"]), hostile_text, hostile_number)
    if f.kind == "hidden":
        return st.one_of(st.just(f.value), hostile_text, hostile_number)
    return st.one_of(hostile_text, hostile_text, hostile_number, hostile_date)


def posted_data(fields: dict[str, Field]):
    """Pairs to post: hostile values, sometimes a field missing, twice, or a file instead."""

    @st.composite
    def build(draw):
        pairs = []
        for f in fields.values():
            shape = draw(st.sampled_from(["value"] * 6 + ["missing", "twice", "file"]))
            if shape == "missing":
                continue
            if shape == "file":
                pairs.append((f.name, draw(hostile_file)))
                continue
            pairs.append((f.name, draw(value_for(f))))
            if shape == "twice":
                pairs.append((f.name, draw(value_for(f))))
        if draw(st.booleans()):
            pairs.append((draw(st.sampled_from(["id", "owner_id", "state", "is_admin",
                                                "version", "__proto__", "x" * 300])),
                          draw(hostile_text)))
        return pairs

    return build()


# The cases: every POST route of the app.


@dataclass
class Case:
    """A form: who posts it, where it is shown, where it posts, what shows its data."""

    id: str
    endpoint: str
    role: str
    post: Callable
    page: Callable | None = None  # None: a button shown only in another state
    fields: tuple = ()  # the fields of such a button form
    shows: tuple = ()  # (role, url) pairs to render again after each post
    prepare: Callable | None = None
    examples: int = 8


def _close_jury(w, db):
    w.edition.jury_closed_at = factories.now()
    db.session.commit()


def _approve(w, db):
    w.edition.jury_closed_at = w.edition.results_approved_at = factories.now()
    db.session.commit()


def _unconfirm(w, db):
    w.member.coi_confirmed_at = None
    db.session.commit()


def _register(w, db):
    from pdcompetition.models import EventRegistration, RegistrationStatus

    db.session.add(EventRegistration(event=w.event, user=w.owner,
                                     status=RegistrationStatus.REGISTERED))
    db.session.commit()


def _e(w):
    return f"/manage/editions/{w.edition.id}"


def _a(w, application=None):
    return f"/applications/{(application or w.draft).id}"


APPLICANT_PAGES = (
    ("owner", lambda w: _a(w)), ("owner", lambda w: _a(w) + "/print"),
    ("owner", lambda w: _a(w) + "/pdf"), ("owner", lambda w: _a(w) + "/submit"),
    ("owner", lambda w: "/applications/"),
)
SCREENING_PAGES = (
    ("organizer", lambda w: _e(w) + "/applications"),
    ("organizer", lambda w: f"/manage/applications/{w.submitted.id}"),
    ("organizer", lambda w: _e(w)),
)
JURY_PAGES = (
    ("juror", lambda w: "/jury/"), ("juror", lambda w: f"/jury/applications/{w.accepted.id}"),
    ("organizer", lambda w: f"/jury/sheets/{w.sheet.id}"),
    ("organizer", lambda w: _e(w) + "/jury/progress"),
    ("organizer", lambda w: _e(w) + "/results"),
    ("organizer", lambda w: _e(w) + "/results/export/scores.xlsx"),
    ("organizer", lambda w: _e(w) + "/results/export/applications.csv"),
)
JURY_ADMIN_PAGES = (
    ("organizer", lambda w: _e(w) + "/jury"), ("organizer", lambda w: _e(w) + "/jury/assignments"),
    ("organizer", lambda w: _e(w) + f"/jury/assignments/{w.accepted.id}"),
    ("organizer", lambda w: _e(w) + "/jury/conflicts"), ("anon", lambda w: "/jury-members"),
)
STRUCTURE_PAGES = (
    ("organizer", lambda w: _e(w) + "/nominations"), ("organizer", lambda w: _e(w) + "/criteria"),
    ("anon", lambda w: "/"), ("anon", lambda w: "/editions/2"),
    ("owner", lambda w: _a(w) + "/edit/nomination"),
    ("juror", lambda w: f"/jury/applications/{w.accepted.id}"),
)
EDITION_PAGES = (
    ("organizer", lambda w: "/manage/"), ("organizer", lambda w: _e(w)),
    ("anon", lambda w: "/"), ("anon", lambda w: "/editions/2"), ("anon", lambda w: "/archive"),
    ("anon", lambda w: "/sitemap.xml"), ("owner", lambda w: "/applications/"),
)
PUBLIC_PAGES = (
    ("anon", lambda w: "/events"), ("anon", lambda w: f"/events/{w.event.id}"),
    ("anon", lambda w: f"/events/{w.event.id}/calendar.ics"), ("anon", lambda w: "/committee"),
    ("anon", lambda w: "/partners"), ("anon", lambda w: "/archive"),
    ("anon", lambda w: "/editions/1"), ("organizer", lambda w: "/manage/public/"),
    ("organizer", lambda w: "/manage/public/events"),
    ("organizer", lambda w: "/manage/public/committee"),
    ("organizer", lambda w: "/manage/public/partners"),
)
RESULTS_PAGES = (
    ("organizer", lambda w: _e(w) + "/results"),
    ("organizer", lambda w: _e(w) + "/results/preview"),
    ("organizer", lambda w: _e(w) + "/results/export/ranking.csv"),
    ("organizer", lambda w: _e(w) + "/results/export/ranking.xlsx"),
)
SECTIONS = ("person", "organization", "geography", "nomination", "project")
DECISIONS = ("accept", "reject", "return", "reopen")


def _pa(path):
    return lambda w: "/manage/public" + path(w)


CASES = [
    # Accounts.
    Case("register", "auth.register", "anon", lambda w: "/auth/register", examples=20),
    Case("login", "auth.login", "anon", lambda w: "/auth/login", examples=20),
    Case("logout", "auth.logout", "owner", lambda w: "/auth/logout", page=lambda w: "/"),
    Case("resend-confirmation", "auth.resend_confirmation", "anon", lambda w: "/auth/confirm"),
    Case("forgot-password", "auth.forgot_password", "anon", lambda w: "/auth/forgot"),
    Case("reset-password", "auth.reset_password", "anon",
         lambda w: f"/auth/reset/{reset_token(w.owner)}"),
    Case("profile", "auth.profile", "owner", lambda w: "/auth/profile", examples=20,
         shows=(("owner", lambda w: "/auth/profile"), ("owner", lambda w: "/"),
                ("admin", lambda w: "/admin/users"))),
    Case("change-password", "auth.change_password", "owner", lambda w: "/auth/password",
         page=lambda w: "/auth/profile"),
    # The header shows RU/EN links; the form endpoint remains for forms that post a choice.
    Case("language", "public.set_language", "anon", lambda w: "/language",
         fields=("language", "next")),
    # Applicants.
    Case("start", "applications.start", "newcomer", lambda w: "/applications/new"),
    *[Case(f"section-{s}", "applications.edit_section", "owner",
           lambda w, s=s: _a(w) + f"/edit/{s}", shows=APPLICANT_PAGES, examples=25)
      for s in SECTIONS],
    Case("documents", "applications.documents", "owner", lambda w: _a(w) + "/documents",
         shows=(("owner", lambda w: _a(w) + "/documents"), *APPLICANT_PAGES), examples=25),
    Case("remove-document", "applications.remove_document", "owner",
         lambda w: _a(w) + f"/documents/{w.document.id}/remove",
         page=lambda w: _a(w) + "/documents"),
    Case("submit", "applications.submit", "owner", lambda w: _a(w) + "/submit",
         shows=APPLICANT_PAGES),
    Case("withdraw", "applications.withdraw", "other", lambda w: _a(w, w.submitted) + "/withdraw"),
    # Events.
    Case("event-register", "events.register", "owner", lambda w: f"/events/{w.event.id}/register",
         page=lambda w: f"/events/{w.event.id}",
         shows=(("organizer", lambda w: f"/manage/public/events/{w.event.id}/attendees"),
                ("organizer", lambda w: f"/manage/public/events/{w.event.id}/attendees.xlsx"))),
    Case("event-cancel", "events.cancel", "owner", lambda w: f"/events/{w.event.id}/cancel",
         page=lambda w: f"/events/{w.event.id}", prepare=_register),
    # Jurors.
    Case("declaration", "jury.declaration", "juror",
         lambda w: f"/jury/editions/{w.edition.id}/declaration", prepare=_unconfirm),
    Case("score-sheet", "jury.application", "juror",
         lambda w: f"/jury/applications/{w.accepted.id}", shows=JURY_PAGES, examples=25),
    Case("conflict", "jury.conflict", "juror",
         lambda w: f"/jury/applications/{w.accepted.id}/conflict",
         shows=(("organizer", lambda w: _e(w) + "/jury/conflicts"),)),
    Case("accept-invitation", "jury_admin.accept_invitation", "anon",
         lambda w: f"/invitation/jury/{invitation_token(w.invitation)}"),
    # Organizers: editions and structure.
    Case("new-edition", "organizers.new_edition", "organizer", lambda w: "/manage/editions/new",
         shows=EDITION_PAGES, examples=20),
    Case("edit-edition", "organizers.edit_edition", "organizer", lambda w: _e(w) + "/edit",
         shows=EDITION_PAGES, examples=20),
    Case("nominations", "organizers.nominations", "organizer", lambda w: _e(w) + "/nominations",
         shows=STRUCTURE_PAGES),
    Case("criteria", "organizers.criteria", "organizer", lambda w: _e(w) + "/criteria",
         shows=STRUCTURE_PAGES),
    Case("edit-nomination", "organizers.edit_item", "organizer",
         lambda w: _e(w) + f"/nominations/{w.nomination.id}/edit", shows=STRUCTURE_PAGES),
    Case("edit-criterion", "organizers.edit_item", "organizer",
         lambda w: _e(w) + f"/criteria/{w.criterion.id}/edit", shows=STRUCTURE_PAGES),
    Case("move-item", "organizers.move_item", "organizer",
         lambda w: _e(w) + f"/criteria/{w.criterion.id}/move", page=lambda w: _e(w) + "/criteria"),
    Case("archive-item", "organizers.archive_item", "organizer",
         lambda w: _e(w) + f"/nominations/{w.nomination.id}/archive",
         page=lambda w: _e(w) + "/nominations", shows=STRUCTURE_PAGES),
    Case("delete-item", "organizers.delete_item", "organizer",
         lambda w: _e(w) + f"/nominations/{w.edition.nominations[1].id}/delete",
         page=lambda w: _e(w) + "/nominations"),
    Case("copy-structure", "organizers.copy_structure", "organizer",
         lambda w: _e(w) + "/copy-structure", page=lambda w: _e(w) + "/criteria",
         shows=STRUCTURE_PAGES),
    # Organizers: screening.
    Case("bulk-decision", "organizers.applications", "organizer", lambda w: _e(w) + "/applications",
         shows=SCREENING_PAGES),
    *[Case(f"decide-{d}", "organizers.decide_application", "organizer",
           lambda w, d=d: f"/manage/applications/{w.submitted.id}/{d}",
           fields=(f"{d}-comment", f"{d}-changes_due_at"), shows=SCREENING_PAGES)
      for d in DECISIONS],
    # Organizers: the jury.
    Case("invite", "jury_admin.invite", "organizer", lambda w: _e(w) + "/jury/invite",
         page=lambda w: _e(w) + "/jury", shows=JURY_ADMIN_PAGES),
    *[Case(f"invitation-{action}", "jury_admin.invitation_action", "organizer",
           lambda w, action=action: _e(w) + f"/jury/invitations/{w.invitation.id}/{action}",
           page=lambda w: _e(w) + "/jury") for action in ("resend", "revoke")],
    Case("edit-member", "jury_admin.edit_member", "organizer",
         lambda w: _e(w) + f"/jury/members/{w.member.id}", shows=JURY_ADMIN_PAGES, examples=20),
    Case("remove-member", "jury_admin.remove_member", "organizer",
         lambda w: _e(w) + f"/jury/members/{w.member.id}/remove", page=lambda w: _e(w) + "/jury"),
    Case("publish-jury", "jury_admin.publish", "organizer", lambda w: _e(w) + "/jury/publish",
         page=lambda w: _e(w) + "/jury", shows=JURY_ADMIN_PAGES),
    Case("add-juror", "jury_admin.add_juror", "organizer",
         lambda w: _e(w) + f"/jury/assignments/{w.accepted.id}/add",
         page=lambda w: _e(w) + f"/jury/assignments/{w.accepted.id}", shows=JURY_ADMIN_PAGES),
    Case("remove-juror", "jury_admin.remove_juror", "organizer",
         lambda w: _e(w) + f"/jury/assignments/{w.accepted.id}/remove/{w.assignment.id}",
         fields=("confirm",), shows=JURY_ADMIN_PAGES),
    Case("pair-rule", "jury_admin.set_rule", "organizer",
         lambda w: _e(w) + f"/jury/assignments/{w.accepted.id}/rule",
         page=lambda w: _e(w) + f"/jury/assignments/{w.accepted.id}", shows=JURY_ADMIN_PAGES),
    Case("auto-assign", "jury_admin.auto_assign", "organizer",
         lambda w: _e(w) + "/jury/auto-assign", page=lambda w: _e(w) + "/jury/assignments",
         shows=JURY_ADMIN_PAGES),
    Case("remind", "jury_admin.remind", "organizer", lambda w: _e(w) + "/jury/progress/remind",
         page=lambda w: _e(w) + "/jury/progress"),
    # Organizers: results.
    Case("close-jury", "results_admin.close_jury", "organizer",
         lambda w: _e(w) + "/results/close-jury", page=lambda w: _e(w) + "/results",
         shows=RESULTS_PAGES),
    Case("reopen-jury", "results_admin.reopen_jury", "organizer",
         lambda w: _e(w) + "/results/reopen-jury", page=lambda w: _e(w) + "/results",
         prepare=_close_jury),
    Case("awards", "results_admin.nomination", "organizer",
         lambda w: _e(w) + f"/results/nominations/{w.nomination.id}", prepare=_close_jury,
         shows=RESULTS_PAGES, examples=20),
    Case("extra-juror", "results_admin.extra_juror", "organizer",
         lambda w: _e(w) + f"/results/applications/{w.accepted.id}/extra-juror",
         fields=("juror_id",), shows=RESULTS_PAGES),
    Case("approve", "results_admin.approve", "organizer", lambda w: _e(w) + "/results/approve",
         page=lambda w: _e(w) + "/results", prepare=_close_jury, shows=RESULTS_PAGES),
    Case("publish-results", "results_admin.publish", "organizer",
         lambda w: _e(w) + "/results/publish", page=lambda w: _e(w) + "/results",
         prepare=_approve, shows=(*RESULTS_PAGES, ("anon", lambda w: "/editions/2/results"))),
    Case("reopen-results", "results_admin.reopen", "admin", lambda w: _e(w) + "/results/reopen",
         prepare=_approve, shows=RESULTS_PAGES),
    # Organizers: the public pages.
    Case("new-event", "public_admin.new_event", "organizer", _pa(lambda w: "/events/new"),
         shows=PUBLIC_PAGES, examples=20),
    Case("edit-event", "public_admin.edit_event", "organizer",
         _pa(lambda w: f"/events/{w.event.id}/edit"), shows=PUBLIC_PAGES, examples=20),
    Case("delete-event", "public_admin.delete_event", "organizer",
         _pa(lambda w: f"/events/{w.event.id}/delete"),
         page=_pa(lambda w: f"/events/{w.event.id}/edit"), shows=PUBLIC_PAGES),
    Case("new-committee-member", "public_admin.edit_member", "organizer",
         _pa(lambda w: "/committee/new"), shows=PUBLIC_PAGES),
    Case("edit-committee-member", "public_admin.edit_member", "organizer",
         _pa(lambda w: f"/committee/{w.committee.id}/edit"), shows=PUBLIC_PAGES),
    Case("delete-committee-member", "public_admin.delete_member", "organizer",
         _pa(lambda w: f"/committee/{w.committee.id}/delete"),
         page=_pa(lambda w: "/committee")),
    Case("new-partner", "public_admin.edit_partner", "organizer", _pa(lambda w: "/partners/new"),
         shows=PUBLIC_PAGES, examples=20),
    Case("edit-partner", "public_admin.edit_partner", "organizer",
         _pa(lambda w: f"/partners/{w.partner.id}/edit"), shows=PUBLIC_PAGES, examples=20),
    Case("delete-partner", "public_admin.delete_partner", "organizer",
         _pa(lambda w: f"/partners/{w.partner.id}/delete"), page=_pa(lambda w: "/partners")),
    Case("archive-edition", "public_admin.archive_edition", "organizer",
         _pa(lambda w: f"/archive/{w.past.id}"), shows=PUBLIC_PAGES, examples=20),
    Case("new-winner", "public_admin.edit_winner", "organizer",
         _pa(lambda w: f"/archive/{w.past.id}/winners/new"), shows=PUBLIC_PAGES),
    Case("edit-winner", "public_admin.edit_winner", "organizer",
         _pa(lambda w: f"/archive/{w.past.id}/winners/{w.winner.id}/edit"), shows=PUBLIC_PAGES),
    Case("delete-winner", "public_admin.delete_winner", "organizer",
         _pa(lambda w: f"/archive/{w.past.id}/winners/{w.winner.id}/delete"),
         page=_pa(lambda w: f"/archive/{w.past.id}")),
    # Administration.
    Case("change-role", "admin.change_role", "admin", lambda w: f"/admin/users/{w.owner.id}/roles",
         page=lambda w: "/admin/users", shows=(("admin", lambda w: "/admin/users"),
                                               ("admin", lambda w: "/admin/audit"))),
    Case("custom-country", "admin.countries", "admin", lambda w: "/admin/countries",
         shows=(("admin", lambda w: "/admin/countries"), ("anon", lambda w: "/committee"),
                ("owner", lambda w: _a(w) + "/edit/geography")), examples=20),
    Case("delete-country", "admin.delete_country", "admin",
         lambda w: f"/admin/countries/{w.country.code}/delete", page=lambda w: "/admin/countries"),
    Case("retry-outbox", "admin.retry_outbox", "admin", lambda w: "/admin/outbox/retry",
         page=lambda w: "/admin/outbox"),
]


def test_every_post_route_has_a_case(app):
    """A new form must be added here (and so gets fuzzed)."""
    posting = {rule.endpoint for rule in app.url_map.iter_rules()
               if {"POST", "PUT", "PATCH", "DELETE"} & (rule.methods or set())}
    covered = {case.endpoint for case in CASES}
    assert posting - covered == set()
    assert covered - posting == set()
    assert len({case.id for case in CASES}) == len(CASES)


def examples(count: int, app) -> int:
    """PostgreSQL, the production database, gets every example; SQLite a third of them."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return max(3, count // 3)
    return count


def _user(w, role: str, db) -> User | None:
    user = getattr(w, role, None) if role != "anon" else None
    return db.session.get(User, user.id) if user is not None else None


def post_multipart(client, url: str, pairs):
    """Post as a browser does (multipart), built in memory so no temporary file is left."""
    values = MultiDict([
        (name, FileStorage(value[0], filename=value[1], content_type=value[2])
         if isinstance(value, tuple) else value)
        for name, value in pairs
    ])
    boundary, body = encode_multipart(values)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


# Slow to render (PDF, workbooks): checked once after the examples, not after each.
HEAVY = re.compile(r"(/pdf|\.pdf|\.xlsx|\.zip)$")


def check_page(response, method: str, url: str) -> None:
    """No 500; a refusal is a page of ours with the reason, never a bare error or a trace."""
    status = response.status_code
    body = response.get_data()
    response.close()
    assert status < 500, f"{method} {url} -> {status}"
    assert b"Traceback" not in body
    if 400 <= status < 500 and response.mimetype == "text/html":
        assert b'<html lang="' in body and b"<h1" in body, f"{method} {url} -> bare {status}"


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input(case, app, client, db):
    w = build_world(db)
    if case.prepare:
        case.prepare(w, db)
    post_url = case.post(w)
    action = re.sub(r"[?#].*", "", post_url)
    sign_in(client, _user(w, case.role, db))
    if case.page is None and case.fields:
        fields = {name: Field(name, "text") for name in case.fields}
    else:
        page_url = (case.page or case.post)(w)
        page = client.get(page_url)
        assert page.status_code == 200, f"GET {page_url} -> {page.status_code}"
        fields = form_fields(page.get_data(as_text=True), action, re.sub(r"\?.*", "", page_url))
        assert fields is not None, f"{page_url} shows no form posting to {action}"
    shows = [(role, url(w)) for role, url in case.shows]

    def render(pages):
        for role, url in pages:
            sign_in(client, _user(w, role, db))
            check_page(client.get(url), "GET", url)

    @settings(max_examples=examples(case.examples, app), deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(posted_data(fields))
    def post_hostile(pairs):
        sign_in(client, _user(w, case.role, db))
        check_page(post_multipart(client, post_url, pairs), "POST", post_url)
        render([(role, url) for role, url in shows if not HEAVY.search(url)])

    post_hostile()
    render([(role, url) for role, url in shows if HEAVY.search(url)])



GET_FORMS = [
    ("screening", "organizer", lambda w: _e(w) + "/applications"),
    ("assignments", "organizer", lambda w: _e(w) + "/jury/assignments"),
    ("users", "admin", lambda w: "/admin/users"),
    ("audit", "admin", lambda w: "/admin/audit"),
    ("verify", "anon", lambda w: "/verify"),
]


@pytest.mark.parametrize("name, role, page_url", GET_FORMS, ids=[g[0] for g in GET_FORMS])
def test_hostile_filters(name, role, page_url, app, client, db):
    """Search and filter forms (GET): hostile query strings give a page, never a 500."""
    w = build_world(db)
    sign_in(client, _user(w, role, db))
    url = page_url(w)
    html = client.get(url).get_data(as_text=True)
    fields = form_fields(html, url, url, method="get")
    assert fields, f"{url} shows no search form"
    fields.setdefault("page", Field("page", "number"))

    @settings(max_examples=examples(20, app), deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(posted_data(fields))
    def search(pairs):
        query = [(k, v) for k, v in pairs if isinstance(v, str)]
        check_page(client.get(url, query_string=MultiDict(query)), "GET", url)

    search()


@pytest.mark.parametrize("case", [c for c in CASES if c.id in {
    "documents", "section-project", "score-sheet", "new-partner", "register", "new-event"}],
    ids=lambda case: case.id)
def test_oversized_body_gets_the_413_page(case, app, client, db):
    """A body over the limit is refused with the translated page, and nothing is kept."""
    w = build_world(db)
    sign_in(client, _user(w, case.role, db))
    response = post_multipart(client, case.post(w), [
        ("document", (BytesIO(b"%PDF-1.4\n" + b"0" * (3 * LIMIT)), "big.pdf", "application/pdf")),
        ("project_title", "x")])
    assert response.status_code == 413
    assert "Файл больше" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/verify/abc%00def", "/auth/confirm/abc%00", "/auth/reset/%00", "/invitation/jury/%00%01",
    "/manage/editions/1/applications?q=%00%01&sort=%00", "/verify?code=%00", "/logos/%00.png",
    "/events?page=%00", "/admin/users?q=a%00b",
])
def test_control_characters_in_urls(path, app, client, db):
    """NUL in a path or query string is dropped or answers 404, never a database error."""
    w = build_world(db)
    sign_in(client, _user(w, "admin", db))
    check_page(client.get(path), "GET", path)


def test_nul_and_control_characters_are_removed_before_saving(app, client, db):
    w = build_world(db)
    sign_in(client, _user(w, "owner", db))
    response = client.post(_a(w) + "/edit/project", data={
        "version": str(w.draft.version), "project_title": "Мост\x00 дружбы\x0b",
        "project_description": "Строка 1\r\nСтрока\x1b 2\tконец",
    })
    assert response.status_code == 302
    assert w.draft.project_title == "Мост дружбы"
    assert w.draft.project_description == "Строка 1\nСтрока 2\tконец"
