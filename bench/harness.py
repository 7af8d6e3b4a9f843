"""Shared benchmark plumbing: scratch databases, bulk demo-scale data, gunicorn and wrk.

Everything runs on this machine only (loopback), with bounded request counts and times.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get(
    "BENCH_DATABASE_URL", os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
)
PASSWORD = "bench-password-2024"
USER_AGENT = "pdcompetition-bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def scratch_postgres():
    """A new PostgreSQL database for one benchmark run, dropped afterwards."""
    from pdcompetition.config import normalize_database_url

    admin_url = normalize_database_url(PG_ADMIN_URL)
    name = f"pdc_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(database_url: str, tmp_dir: str, **overrides):
    from pdcompetition import create_app

    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "bench-secret",
        "UPLOAD_FOLDER": os.path.join(tmp_dir, "uploads"),
        "RATELIMIT_ENABLED": False,
        "MAIL_SERVER": None,
        "MAIL_SEND_ON_COMMIT": False,
    }
    config.update(overrides)
    return create_app(config)


def seed_scale(app, applications: int = 2000, jurors: int = 60, per_application: int = 3,
               criteria: int = 8, publish: bool = True) -> dict:
    """An active edition with `applications` scored by `per_application` of `jurors` each.

    Bulk inserts keep seeding fast; returns ids the benchmarks need.
    """
    from werkzeug.security import generate_password_hash

    from pdcompetition.extensions import db
    from pdcompetition.models import (
        Application,
        ApplicationState,
        Assignment,
        Award,
        AwardKind,
        Criterion,
        Edition,
        EditionStatus,
        Event,
        EventKind,
        JurorProfile,
        JuryMember,
        Nomination,
        Role,
        Score,
        ScoreSheet,
        SheetStatus,
        User,
        UserRole,
    )

    now = datetime.now(UTC)
    password_hash = generate_password_hash(PASSWORD, method="scrypt")
    with app.app_context():
        db.create_all()
        edition = Edition(
            ordinal=3, year=now.year, status=EditionStatus.ACTIVE,
            title_ru="III Международный конкурс «Лидер общественной дипломатии»",
            title_en="III International Competition", description_ru="Конкурс.",
            applications_open_at=now - timedelta(days=90),
            applications_close_at=now - timedelta(days=60),
            judging_close_at=now - timedelta(days=20) if publish else now + timedelta(days=20),
            results_publish_at=now - timedelta(days=1) if publish else now + timedelta(days=30),
            jury_closed_at=now - timedelta(days=20) if publish else None,
            results_approved_at=now - timedelta(days=2) if publish else None,
            results_published_at=now - timedelta(days=1) if publish else None,
            results_mailed_at=now - timedelta(days=1) if publish else None,
        )
        for i in range(4):
            edition.nominations.append(Nomination(name_ru=f"Номинация {i + 1}", position=i))
        for i in range(criteria):
            edition.criteria.append(Criterion(name_ru=f"Критерий {i + 1}", max_score=10,
                                              weight=Decimal("1"), position=i))
        db.session.add(edition)
        db.session.add(Event(edition=edition, kind=EventKind.FORUM, announces_results=True,
                             title_ru="Форум", city_ru="Москва", country_code="RU",
                             starts_at=edition.results_publish_at))
        db.session.flush()
        nomination_ids = [n.id for n in edition.nominations]
        criterion_ids = [c.id for c in edition.criteria]

        def add_users(prefix, count, role):
            rows = [{"email": f"{prefix}{i}@bench.example", "password_hash": password_hash,
                     "full_name": f"{prefix.title()} {i}", "locale": "ru",
                     "timezone": "Europe/Moscow", "is_active_account": True,
                     "email_confirmed_at": now, "session_nonce": f"n{prefix}{i}",
                     "created_at": now} for i in range(count)]
            db.session.execute(sa.insert(User), rows)
            ids = list(db.session.scalars(
                sa.select(User.id).where(User.email.like(f"{prefix}%@bench.example"))
                .order_by(User.id)))
            db.session.execute(sa.insert(UserRole), [
                {"user_id": uid, "role": role, "granted_at": now} for uid in ids])
            return ids

        juror_ids = add_users("juror", jurors, Role.JUROR)
        applicant_ids = add_users("applicant", applications, Role.APPLICANT)
        db.session.execute(sa.insert(JurorProfile), [
            {"user_id": uid, "country_code": "RU", "organization": f"Организация {uid}"}
            for uid in juror_ids])
        db.session.execute(sa.insert(JuryMember), [
            {"edition_id": edition.id, "user_id": uid, "coi_confirmed_at": now,
             "is_public": True, "position": 0, "created_at": now} for uid in juror_ids])
        countries = ["RU", "KZ", "UZ", "AM", "BY", "RS", "AZ", "TJ", "KG", "DE"]
        regions = ["RU-PER", "RU-MOW", "RU-TA", "RU-BA", "RU-SVE", "RU-SPE"]
        text = ("Проект объединяет молодёжь разных стран через совместные волонтёрские дела, "
                "культурные обмены и открытые встречи, укрепляя доверие между народами. ") * 3
        app_rows = []
        for i, uid in enumerate(applicant_ids):
            country = countries[i % len(countries)]
            app_rows.append({
                "edition_id": edition.id, "owner_id": uid,
                "nomination_id": nomination_ids[i % len(nomination_ids)], "number": i + 1,
                "state": ApplicationState.ACCEPTED, "version": 1,
                "full_name": f"Заявитель {i}", "email": f"applicant{i}@bench.example",
                "citizenship": country, "phone": "+7 900 000-00-00",
                "organization": f"АНО «Организация {i}»", "organization_role": "Руководитель",
                "country_code": country,
                "region_code": regions[i % len(regions)] if country == "RU" else "",
                "city": "Город", "project_title": f"Проект {i}", "project_description": text,
                "project_goals": text, "project_results": text, "project_partners": "Партнёры",
                "project_links": "https://example.org", "consent_given_at": now,
                "created_at": now, "updated_at": now,
                "submitted_at": now - timedelta(days=70, minutes=i),
                "last_submitted_at": now - timedelta(days=70, minutes=i),
            })
        db.session.execute(sa.insert(Application), app_rows)
        app_ids = list(db.session.scalars(sa.select(Application.id).order_by(Application.id)))
        assignment_rows = []
        for index, aid in enumerate(app_ids):
            for k in range(per_application):
                juror = juror_ids[(index * per_application + k) % len(juror_ids)]
                assignment_rows.append({"application_id": aid, "juror_id": juror,
                                        "source": "automatic", "created_at": now})
        db.session.execute(sa.insert(Assignment), assignment_rows)
        assignments = db.session.execute(
            sa.select(Assignment.id, Assignment.application_id)).all()
        db.session.execute(sa.insert(ScoreSheet), [
            {"assignment_id": aid, "status": SheetStatus.SUBMITTED, "overall_comment": "Хорошо",
             "version": 2, "created_at": now, "updated_at": now, "submitted_at": now}
            for aid, _ in assignments])
        sheets = db.session.execute(sa.select(ScoreSheet.id)).scalars().all()
        score_rows = [
            {"sheet_id": sid, "criterion_id": cid, "value": (sid * 7 + cid * 3) % 11,
             "comment": "Комментарий"}
            for sid in sheets for cid in criterion_ids]
        for start in range(0, len(score_rows), 20000):
            db.session.execute(sa.insert(Score), score_rows[start:start + 20000])
        if publish:
            award_rows = []
            for n_index, nid in enumerate(nomination_ids):
                ids = app_ids[n_index::len(nomination_ids)][:5]
                kinds = [AwardKind.WINNER, AwardKind.SECOND, AwardKind.THIRD,
                         AwardKind.LAUREATE, AwardKind.LAUREATE]
                award_rows += [{"application_id": aid, "edition_id": edition.id,
                                "nomination_id": nid, "kind": kind, "decided_at": now}
                               for aid, kind in zip(ids, kinds, strict=True)]
            db.session.execute(sa.insert(Award), award_rows)
        db.session.commit()
        busiest = juror_ids[0]
        return {"edition_id": edition.id, "ordinal": edition.ordinal,
                "juror_email": "juror0@bench.example", "juror_id": busiest,
                "application_ids": app_ids}


class Gunicorn:
    """A gunicorn server on a free loopback port, stopped on exit."""

    def __init__(self, target: str, env: dict, workers: int = 4, cwd: Path = ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.process = subprocess.Popen(
            [gunicorn, "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", target],
            cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, start_new_session=True,
        )
        # Read the log as it comes (a full pipe would block the workers); kept for checks.
        self.log: list[str] = []
        self._log_reader = threading.Thread(target=self._read_log, daemon=True)
        self._log_reader.start()

    def _read_log(self) -> None:
        for line in iter(self.process.stderr.readline, b""):
            self.log.append(line.decode("utf-8", "replace"))

    def wait_ready(self, path: str = "/", timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log_reader.join(timeout=10)
                raise RuntimeError("gunicorn exited: " + "".join(self.log)[-2000:])
            try:
                urllib.request.urlopen(self.url + path, timeout=2).read()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer on {self.url}{path}")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        # The pipe ends with the process group; close it once the reader has seen the end
        # (an open pipe left to the garbage collector is a ResourceWarning in the tests).
        self._log_reader.join(timeout=10)
        if not self._log_reader.is_alive():
            self.process.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def wrk(url: str, seconds: int = 10, connections: int = 16, threads: int = 2,
        headers: dict | None = None) -> dict:
    """Requests per second and latency from wrk (Debian package `wrk`)."""
    binary = shutil.which("wrk")
    if binary is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk (make bench does it)")
    args = [binary, "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
            "--latency", url]
    for name, value in (headers or {}).items():
        args[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "non_2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": errors.group(0) if errors else "", "raw": out}


def login_cookie(base_url: str, email: str, password: str = PASSWORD, then: str = "") -> str:
    """Log in through the real form (CSRF token included) and open `then` once, as a person
    would (the first page after signing in settles the session); returns the Cookie header."""
    import http.cookiejar
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    # The browser that logs in is the one that comes back: Flask-Login's session
    # protection marks a session seen with another User-Agent as not fresh (a change
    # to the session on every request, which nobody's real browser causes).
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(base_url + "/auth/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "email": email,
                                   "password": password}).encode()
    opener.open(base_url + "/auth/login", data=data).read()
    if then:
        opener.open(base_url + then).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)
