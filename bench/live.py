"""A live site for load and fault runs: scratch PostgreSQL, applicants with drafts due
tonight, gunicorn, an SMTP sink, and the check that the database and the upload store agree.

Used by bench/deadline_surge.py and bench/upload_memory.py, and by the slow tests
(tests/test_load_faults.py) through `live_site()`.
"""

import hashlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from harness import PASSWORD, ROOT, Gunicorn, make_app, scratch_postgres

sys.path.insert(0, str(ROOT))

RUSSIAN = ("Наш проект объединяет молодёжь из разных стран через совместные волонтёрские "
           "дела, культурные обмены и открытые встречи, укрепляя доверие между народами. ")
VALID_OGRN, VALID_INN = "1027700132195", "7707083893"


def padded_pdf(size: int) -> bytes:
    """A well-formed one-page PDF of about `size` bytes (a long comment in its content)."""
    filler = b"% " + b"0123456789abcdef" * 4 + b"\n"
    content = b"BT /F1 12 Tf 72 720 Td (Letter of support) Tj ET\n"
    content += filler * max((size - 600) // len(filler), 0)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def seed_applicants(app, count: int) -> dict:
    """An edition open until tomorrow and `count` confirmed applicants, each with a draft whose
    person, geography and nomination sections are done (the rest is typed tonight)."""
    from werkzeug.security import generate_password_hash

    from pdcompetition.extensions import db
    from pdcompetition.models import (
        Application,
        ApplicationState,
        Criterion,
        Edition,
        EditionStatus,
        Nomination,
        Role,
        User,
        UserRole,
    )

    now = datetime.now(UTC)
    with app.app_context():
        db.create_all()
        edition = Edition(
            ordinal=4, year=now.year, status=EditionStatus.ACTIVE,
            title_ru="IV Международный конкурс «Лидер общественной дипломатии»",
            applications_open_at=now - timedelta(days=60),
            applications_close_at=now + timedelta(hours=3),
            judging_close_at=now + timedelta(days=30), results_publish_at=now + timedelta(days=40),
        )
        for i in range(2):
            edition.nominations.append(Nomination(name_ru=f"Номинация {i + 1}", position=i))
        edition.criteria.append(Criterion(name_ru="Критерий", max_score=10, position=0))
        db.session.add(edition)
        db.session.flush()
        password_hash = generate_password_hash(PASSWORD)
        db.session.execute(sa.insert(User), [
            {"email": f"applicant{i}@surge.example", "password_hash": password_hash,
             "full_name": f"Заявитель Номер {i}", "locale": "ru", "timezone": "Europe/Moscow",
             "is_active_account": True, "email_confirmed_at": now, "session_nonce": f"s{i}",
             "created_at": now} for i in range(count)])
        users = db.session.execute(
            sa.select(User.id, User.email).where(User.email.like("%@surge.example"))
            .order_by(User.id)).all()
        db.session.execute(sa.insert(UserRole), [
            {"user_id": uid, "role": Role.APPLICANT, "granted_at": now} for uid, _ in users])
        nominations = [n.id for n in edition.nominations]
        db.session.execute(sa.insert(Application), [
            {"edition_id": edition.id, "owner_id": uid, "state": ApplicationState.DRAFT,
             "nomination_id": nominations[i % 2], "version": 1,
             "full_name": f"Заявитель Номер {i}", "birth_date": date(1990, 1, 1),
             "citizenship": "RU", "email": email, "phone": "+7 900 000-00-00",
             "country_code": "RU", "region_code": "RU-PER", "city": "Пермь",
             "created_at": now, "updated_at": now}
            for i, (uid, email) in enumerate(users)])
        drafts = dict(db.session.execute(
            sa.select(Application.owner_id, Application.id)).all())
        db.session.commit()
        return {"edition_id": edition.id,
                "applicants": [(email, drafts[uid]) for uid, email in users]}


@dataclass
class Outcome:
    """What one applicant got: each request's reply, and whether the submission went in."""

    email: str
    application_id: int
    replies: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    submitted: bool = False


def applicant_evening(base_url: str, email: str, application_id: int, pdf: bytes,
                      start: threading.Barrier | None = None) -> Outcome:
    """Log in, save the draft three times, attach the PDF, submit, see the confirmation."""
    from browser import Browser

    outcome = Outcome(email, application_id)
    browser = Browser(base_url)
    base = f"/applications/{application_id}"
    steps = [
        ("login", lambda: browser.login(email, PASSWORD), 302),
        ("my applications", lambda: browser.get("/applications/"), 200),
        ("save organization", lambda: browser.submit_form(f"{base}/edit/organization", {
            "organization": "АНО «Мост дружбы»", "organization_role": "Директор",
            "organization_ogrn": VALID_OGRN, "organization_inn": VALID_INN}), 302),
        ("save project", lambda: browser.submit_form(f"{base}/edit/project", {
            "project_title": "Мосты между народами", "project_description": RUSSIAN,
            "project_goals": RUSSIAN, "project_results": RUSSIAN,
            "project_partners": "Партнёры в Казахстане"}), 302),
        ("save project again", lambda: browser.submit_form(f"{base}/edit/project", {
            "project_title": "Мосты между народами", "project_description": RUSSIAN * 2,
            "project_goals": RUSSIAN, "project_results": RUSSIAN + "Участников: 300.",
            "project_partners": "Партнёры в Казахстане и Узбекистане"}), 302),
        ("upload", lambda: browser.submit_form(
            f"{base}/documents", files={"document": (pdf, "Письмо поддержки.pdf",
                                                     "application/pdf")}), 302),
        ("submit", lambda: browser.submit_form(f"{base}/submit", {"consent": "y"}), 302),
        ("confirmation", lambda: browser.get(f"{base}/submitted"), 200),
    ]
    if start is not None:
        start.wait()
    for name, step, expected in steps:
        try:
            reply = step()
        except Exception as exc:  # a refused connection or a timeout is an error too
            outcome.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            break
        if reply.status != expected:
            outcome.errors.append(f"{name}: HTTP {reply.status} {reply.path}")
            break
        if name == "submit":
            outcome.submitted = reply.location.endswith("/submitted")
    outcome.replies = browser.replies
    return outcome


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def store_check(app) -> dict:
    """Compare the database with the upload folder: rows without files, files without rows,
    half-written uploads, attachments whose bytes differ from the recorded size and hash."""
    from pdcompetition.applications import uploads
    from pdcompetition.extensions import db
    from pdcompetition.models import Attachment

    folder = Path(app.config["UPLOAD_FOLDER"])
    with app.app_context():
        rows = db.session.execute(
            sa.select(Attachment.stored_name, Attachment.size, Attachment.sha256)).all()
        missing = damaged = 0
        for stored_name, size, sha256 in rows:
            path = uploads.stored_path(stored_name)
            if not path.is_file():
                missing += 1
            elif path.stat().st_size != size or _sha256(path) != sha256:
                damaged += 1
        names = {row[0] for row in rows}
    files = [p for p in folder.glob("*/*") if p.is_file()
             and not p.parent.name.startswith(".") and p.parent.name != "logos"]
    return {
        "attachment_rows": len(rows),
        "attachments_without_file": missing,
        "attachments_damaged": damaged,
        "files_without_row": sum(1 for p in files if p.name not in names),
        "incoming_left": sum(1 for p in (folder / ".incoming").glob("*") if p.is_file()),
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def submissions(app) -> dict:
    """Submitted applications and their numbers, and the submission mails queued."""
    from pdcompetition.extensions import db
    from pdcompetition.models import Application, ApplicationState, OutboxMessage

    with app.app_context():
        submitted = db.session.execute(
            sa.select(Application.id, Application.number)
            .where(Application.state == ApplicationState.SUBMITTED)).all()
        mails = db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count())
            .where(OutboxMessage.template == "application_submitted")
            .group_by(OutboxMessage.status)).all()
    numbers = [number for _, number in submitted]
    return {
        "ids": {application_id for application_id, _ in submitted},
        "numbers_unique": len(set(numbers)) == len(numbers) and None not in numbers,
        "mails": {status.value: count for status, count in mails},
    }


class Site:
    """The running site: `url`, the app (for checks in this process), the server process."""

    def __init__(self, app, server: Gunicorn, env: dict, seeded: dict, smtp=None):
        self.app, self.server, self.env, self.seeded, self.smtp = app, server, env, seeded, smtp
        self.url = server.url
        self.log = server.log  # gunicorn's stderr, read as it comes

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.server.process.pid)],
                             capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def flask(self, *args: str) -> subprocess.CompletedProcess:
        """Run `flask --app app <args>` with the site's configuration."""
        flask = Path(sys.executable).parent / "flask"
        return subprocess.run([str(flask), "--app", "app", *args], cwd=ROOT,
                              env={**os.environ, **self.env}, capture_output=True, text=True,
                              timeout=120)


@contextmanager
def live_site(applicants: int = 10, workers: int = 4, smtp: bool = True, **config):
    """Scratch PostgreSQL, seeded applicants, gunicorn with `workers`, an SMTP sink."""
    sink = None
    if smtp:
        from tests.smtp import RecordingSMTPServer

        sink = RecordingSMTPServer()
        sink.start()
    try:
        with tempfile.TemporaryDirectory() as tmp, scratch_postgres() as database_url:
            env = {"DATABASE_URL": database_url, "SECRET_KEY": "bench-secret",
                   "UPLOAD_FOLDER": os.path.join(tmp, "uploads"), "RATELIMIT_ENABLED": "false",
                   "MAIL_SEND_ON_COMMIT": "true" if sink else "false",
                   "MAIL_SERVER": "127.0.0.1" if sink else "", "MAIL_PORT": str(sink.port if
                                                                                 sink else 25),
                   "PYTHONUNBUFFERED": "1"}
            env.update({name: str(value) for name, value in config.items()})
            app = make_app(database_url, tmp, MAIL_SERVER=env["MAIL_SERVER"] or None,
                           MAIL_PORT=int(env["MAIL_PORT"]))
            seeded = seed_applicants(app, applicants)
            with Gunicorn("app:app", env, workers) as server:
                site = Site(app, server, env, seeded, sink)
                server.wait_ready("/auth/login")
                try:
                    yield site
                finally:
                    with app.app_context():
                        from pdcompetition.extensions import db

                        db.engine.dispose()
    finally:
        if sink is not None:
            sink.stop()


def wait_for(condition, timeout: float = 30, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()
