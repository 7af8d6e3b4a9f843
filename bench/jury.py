"""Jury pages benchmark: a juror's dashboard and scoring page at 20 and at 2,000 applications.

    .venv/bin/python bench/jury.py

At full size: an edition of 2,000 accepted applications (two attachments each), 60 jurors,
8 criteria, three jurors per application, most sheets scored; the measured juror has 200
assignments (a tenth of the applications, as at 20). Built with bulk inserts in a temporary
SQLite database, or in a scratch PostgreSQL database when TEST_DATABASE_URL is set.
Prints the SQL statements per page at both sizes, then median response times in the Flask
test client (`name: value` lines; the headline, the dashboard at 2,000, is last).
"""

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

JURORS = 60
CRITERIA = 8
PER_APPLICATION = 3
REQUESTS = 25
PASSWORD = "bench-password-2024"


@contextmanager
def database(tmp: str):
    """A scratch PostgreSQL database when TEST_DATABASE_URL is set, else a SQLite file."""
    admin_url = os.environ.get("TEST_DATABASE_URL")
    if not admin_url:
        yield f"sqlite:///{tmp}/bench-jury-{uuid.uuid4().hex[:6]}.sqlite3"
        return
    from pdcompetition.config import normalize_database_url

    admin_url = normalize_database_url(admin_url)
    name = f"pdc_bench_jury_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(admin_url).set(database=name).render_as_string(
            hide_password=False
        )
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(url: str, tmp: str):
    from pdcompetition import create_app

    return create_app({
        "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "TESTING": True,
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
        "UPLOAD_FOLDER": os.path.join(tmp, "uploads"), "MAIL_SERVER": None,
        "MAIL_SEND_ON_COMMIT": False,
    })


def seed(app, applications: int) -> dict:
    """The edition, people, assignments and sheets; returns what the measurements need."""
    from werkzeug.security import generate_password_hash

    from pdcompetition.extensions import db
    from pdcompetition.models import (
        Application,
        ApplicationState,
        Assignment,
        Attachment,
        Criterion,
        Edition,
        EditionStatus,
        JuryMember,
        Nomination,
        Role,
        Score,
        ScoreSheet,
        SheetStatus,
        User,
        UserRole,
    )

    rng = random.Random(2024)
    now = datetime.now(UTC)
    password_hash = generate_password_hash(PASSWORD, method="scrypt")
    db.create_all()
    edition = Edition(
        ordinal=3, year=now.year, status=EditionStatus.ACTIVE, title_ru="III конкурс",
        applications_open_at=now - timedelta(days=60),
        applications_close_at=now - timedelta(days=10),
        judging_close_at=now + timedelta(days=20), results_publish_at=now + timedelta(days=40),
    )
    for i in range(4):
        edition.nominations.append(Nomination(name_ru=f"Номинация {i + 1}", position=i))
    for i in range(CRITERIA):
        edition.criteria.append(Criterion(
            name_ru=f"Критерий {i + 1}", description_ru="Что оценивается по критерию. " * 4,
            max_score=10, weight=Decimal("1.5") if i < 2 else Decimal("1"), position=i,
        ))
    db.session.add(edition)
    db.session.flush()
    nominations = [n.id for n in edition.nominations]
    criteria = [c.id for c in edition.criteria]

    def add_users(prefix, count, role):
        db.session.execute(sa.insert(User), [{
            "email": f"{prefix}{i}@bench.example", "password_hash": password_hash,
            "full_name": f"{prefix} {i}", "locale": "ru", "timezone": "Asia/Bishkek",
            "is_active_account": True, "email_confirmed_at": now,
            "session_nonce": f"{prefix}{i}", "created_at": now,
        } for i in range(count)])
        ids = list(db.session.scalars(sa.select(User.id).where(
            User.email.like(f"{prefix}%@bench.example")).order_by(User.id)))
        db.session.execute(sa.insert(UserRole), [
            {"user_id": uid, "role": role, "granted_at": now} for uid in ids])
        return ids

    jurors = add_users("juror", JURORS, Role.JUROR)
    owners = add_users("applicant", applications, Role.APPLICANT)
    db.session.execute(sa.insert(JuryMember), [
        {"edition_id": edition.id, "user_id": uid, "coi_confirmed_at": now, "is_public": True,
         "position": 0, "created_at": now} for uid in jurors])
    text = "Проект объединяет людей разных стран через совместные дела и обмены. " * 6
    db.session.execute(sa.insert(Application), [{
        "edition_id": edition.id, "owner_id": uid, "nomination_id": nominations[i % 4],
        "number": i + 1, "state": ApplicationState.ACCEPTED, "version": 1,
        "full_name": f"Заявитель {i}", "email": f"applicant{i}@bench.example",
        "organization": f"АНО «Организация {i}»", "country_code": ["RU", "KZ", "AM"][i % 3],
        "region_code": "RU-PER" if i % 3 == 0 else "", "project_title": f"Проект {i}",
        "project_description": text, "project_goals": text, "project_results": text,
        "created_at": now, "updated_at": now, "submitted_at": now,
    } for i, uid in enumerate(owners)])
    app_ids = list(db.session.scalars(sa.select(Application.id).order_by(Application.id)))
    db.session.execute(sa.insert(Attachment), [{
        "application_id": aid, "original_name": f"документ-{aid}-{k}.pdf",
        "stored_name": f"{aid:08d}{k}{uuid.uuid4().hex[:20]}", "content_type": "application/pdf",
        "size": 200_000, "sha256": "0" * 64, "uploaded_at": now,
    } for aid in app_ids for k in range(2)])

    measured, others = jurors[0], jurors[1:]
    mine = set(app_ids[: max(1, applications // 10)])
    pairs, turn = [], 0
    for aid in app_ids:
        chosen = [measured] if aid in mine else []
        while len(chosen) < PER_APPLICATION:
            chosen.append(others[turn % len(others)])
            turn += 1
        pairs.extend((aid, jid) for jid in chosen)
    db.session.execute(sa.insert(Assignment), [
        {"application_id": aid, "juror_id": jid, "source": "automatic", "created_at": now}
        for aid, jid in pairs])
    assignment_ids = list(db.session.scalars(sa.select(Assignment.id).order_by(Assignment.id)))
    sheets = []
    for assignment_id in assignment_ids:
        roll = rng.random()
        if roll < 0.8:
            status = SheetStatus.SUBMITTED if roll < 0.6 else SheetStatus.DRAFT
            sheets.append({"assignment_id": assignment_id, "status": status, "version": 1,
                           "overall_comment": "Комментарий", "created_at": now,
                           "updated_at": now, "submitted_at": now})
    db.session.execute(sa.insert(ScoreSheet), sheets)
    sheet_ids = list(db.session.scalars(sa.select(ScoreSheet.id)))
    db.session.execute(sa.insert(Score), [
        {"sheet_id": sid, "criterion_id": cid, "value": rng.randint(3, 9), "comment": "Ок"}
        for sid in sheet_ids for cid in criteria])
    db.session.commit()
    first = min(mine)
    return {"juror_email": "juror0@bench.example", "application_id": first,
            "assignments": len(mine)}


def measure(client, engine, path: str) -> tuple[int, float]:
    """SQL statements of one request, then the median time of REQUESTS requests (ms)."""
    count = 0

    def counter(*_args, **_kwargs):
        nonlocal count
        count += 1

    sa.event.listen(engine, "before_cursor_execute", counter)
    response = client.get(path)
    sa.event.remove(engine, "before_cursor_execute", counter)
    assert response.status_code == 200, (path, response.status_code)
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
    return count, statistics.median(timings)


def run(size: int, tmp: str) -> dict:
    from pdcompetition.extensions import db

    with database(tmp) as url:
        app = make_app(url, tmp)
        with app.app_context():
            ids = seed(app, size)
            engine = db.engine
            db.session.remove()
        # Requests outside the set-up context: each gets its own context and session.
        client = app.test_client()
        login = client.post("/auth/login", data={"email": ids["juror_email"],
                                                 "password": PASSWORD})
        assert login.status_code == 302, "login failed"
        dashboard = measure(client, engine, "/jury/")
        scoring = measure(client, engine, f"/jury/applications/{ids['application_id']}")
        engine.dispose()
    return {"dashboard": dashboard, "scoring": scoring, "assignments": ids["assignments"]}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small, large = run(20, tmp), run(2000, tmp)
    backend = "postgresql" if os.environ.get("TEST_DATABASE_URL") else "sqlite"
    print(f"backend: {backend}")
    print(f"juror_assignments_at_2000: {large['assignments']}")
    print(f"dashboard_queries_at_20: {small['dashboard'][0]}")
    print(f"dashboard_queries_at_2000: {large['dashboard'][0]}")
    print(f"scoring_queries_at_20: {small['scoring'][0]}")
    print(f"scoring_queries_at_2000: {large['scoring'][0]}")
    print(f"scoring_median_ms_at_20: {small['scoring'][1]:.1f}")
    print(f"dashboard_median_ms_at_20: {small['dashboard'][1]:.1f}")
    print(f"scoring_median_ms_at_2000: {large['scoring'][1]:.1f}")
    print(f"dashboard_median_ms_at_2000: {large['dashboard'][1]:.1f}")
    if small["dashboard"][0] != large["dashboard"][0] or small["scoring"][0] != large["scoring"][0]:
        sys.exit("query counts grow with the data")


if __name__ == "__main__":
    main()
