"""Load and faults (slow): a small deadline surge, the jury closed while jurors save, the mail
server down at submission, database connections dropped mid-run, a worker killed mid-upload.

The surge and the fault tests run the app under gunicorn on a scratch PostgreSQL database
(bench/live.py, the same code as bench/deadline_surge.py); the jury race runs threads against
the test app on PostgreSQL. The shared PostgreSQL server is never restarted: dropping the
app's connections is done with pg_terminate_backend on its own database only.
"""

import os
import re
import signal
import socket
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from pdcompetition import PROJECT_ROOT
from pdcompetition.models import (
    ApplicationState,
    Assignment,
    MailStatus,
    OutboxMessage,
    Role,
    ScoreSheet,
)

from . import factories
from .conftest import TEST_DATABASE_URL

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import deadline_surge  # noqa: E402
import live  # noqa: E402
from browser import Browser, csrf_token  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)"),
]


def test_deadline_surge_loses_nothing():
    """30 applicants at once: no error, every confirmed submission stored, store consistent."""
    figures = deadline_surge.run(applicants=30)
    errors = figures.pop("_errors")
    assert figures["surge_errors"] == 0, errors
    assert figures["server_log_errors"] == 0, errors
    assert deadline_surge.consistent(figures), figures
    assert figures["mails_delivered"] == 30


# The jury closed while jurors save.

CLOSED = "Организаторы завершили работу жюри"


def test_jury_close_race_keeps_every_save_whole(app, db, backend):
    """Eight jurors save as fast as they can while the organizer closes the jury. What the
    close confirmed is final: no save lands after it, a refused save says why, and every
    sheet holds one save's values entirely (never half of one and half of another)."""
    if backend != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL")
    edition = factories.make_edition(criteria=3)
    organizer = factories.make_user(Role.ORGANIZER)
    jurors = []
    for _ in range(8):
        juror = factories.make_juror()
        factories.add_to_jury(edition, juror, coi_confirmed_at=factories.now())
        application = factories.make_application(
            edition, state=ApplicationState.ACCEPTED)
        factories.assign(application, juror)
        jurors.append((juror, application))
    criteria = [c.id for c in edition.active_criteria]
    db.session.commit()
    # Plain values for the threads: the test's own session is not theirs to use.
    people = [(juror.id, juror.get_id(), application.id) for juror, application in jurors]
    closer, edition_id = organizer.get_id(), edition.id

    results = {juror_id: [] for juror_id, _, _ in people}
    saved_enough = threading.Barrier(len(people) + 1, timeout=60)
    snapshot = {}

    def signed_in(session_id):
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
        return client

    def juror_saves(juror_id, session_id, application_id):
        try:
            save_until_refused(juror_id, session_id, application_id)
        except Exception as exc:  # reported by the assertions below, not lost in the thread
            results[juror_id].append((0, type(exc).__name__, repr(exc)))
            saved_enough.abort()

    def save_until_refused(juror_id, session_id, application_id):
        client = signed_in(session_id)
        url = f"/jury/applications/{application_id}"
        for i in range(1, 200):
            opened = client.get(url)
            page = opened.get_data(as_text=True)
            assert opened.status_code == 200, (opened.status_code, page[-500:])
            version = re.search(r'name="version" value="(\d+)"', page).group(1)
            data = {"version": version, "overall_comment": f"save {i}", "save": "1"}
            for criterion_id in criteria:
                data[f"score_{criterion_id}"] = str(i % 11)
                data[f"comment_{criterion_id}"] = f"save {i}"
            response = client.post(url, data=data)
            results[juror_id].append((i, response.status_code, response.get_data(as_text=True)))
            if i == 3:
                saved_enough.wait()
            if response.status_code != 302:
                break

    def organizer_closes():
        saved_enough.wait()
        response = signed_in(closer).post(f"/manage/editions/{edition_id}/results/close-jury")
        assert response.status_code == 302
        with app.app_context():
            for sheet in db.session.scalars(sa.select(ScoreSheet)):
                snapshot[sheet.id] = _sheet_state(sheet)

    threads = [threading.Thread(target=juror_saves, args=person) for person in people]
    threads.append(threading.Thread(target=organizer_closes))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    db.session.expire_all()
    final = {sheet.id: _sheet_state(sheet) for sheet in db.session.scalars(sa.select(ScoreSheet))}
    assert final == snapshot, "a save landed after the jury was closed"
    for juror_id, _, _ in people:
        outcomes = results[juror_id]
        assert outcomes and all(isinstance(status, int) for _, status, _ in outcomes), outcomes
        accepted = [i for i, status, _ in outcomes if status == 302]
        refused = [(status, body) for _, status, body in outcomes if status != 302]
        assert len(refused) == 1, outcomes[-1][:2]  # saved until the close, then refused
        status, body = refused[0]
        assert status == 403 and CLOSED in body
        sheet = db.session.scalar(sa.select(ScoreSheet).join(ScoreSheet.assignment)
                                  .where(Assignment.juror_id == juror_id))
        values, comments, overall = final[sheet.id]
        last = accepted[-1]
        assert values == [last % 11] * len(criteria)  # one save, whole
        assert comments == [f"save {last}"] * len(criteria) and overall == f"save {last}"


def _sheet_state(sheet):
    scores = sorted(sheet.scores, key=lambda s: s.criterion_id)
    return ([s.value for s in scores], [s.comment for s in scores], sheet.overall_comment)


# Faults against the live site.


def test_smtp_down_during_submission_mail_waits_and_leaves_later():
    """The submission succeeds with the mail server down; the mail waits in the outbox and
    `flask pdc send-mail` delivers it once the server is back."""
    import time_machine

    from tests.smtp import RecordingSMTPServer, free_port

    port = free_port()  # nothing listens here yet
    pdf = live.padded_pdf(50_000)
    with live.live_site(applicants=2, smtp=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                        MAIL_SEND_ON_COMMIT="true") as site:
        outcomes = [live.applicant_evening(site.url, email, application_id, pdf)
                    for email, application_id in site.seeded["applicants"]]
        assert [o.errors for o in outcomes] == [[], []]
        assert all(o.submitted for o in outcomes)
        app = site.app
        with app.app_context():
            from pdcompetition.extensions import db

            waiting = db.session.scalars(sa.select(OutboxMessage)).all()
            assert [(m.status, m.attempts) for m in waiting] == [(MailStatus.PENDING, 1)] * 2
            assert all("Connection refused" in m.last_error or "Errno" in m.last_error
                       for m in waiting)
            db.session.remove()

        server = RecordingSMTPServer(port=port)
        server.start()
        try:
            # The scheduler runs send-mail every minute; the retry is due a minute later.
            with time_machine.travel(factories.now() + timedelta(minutes=2)):
                with app.app_context():
                    result = app.test_cli_runner().invoke(args=["pdc", "send-mail"])
            assert result.exit_code == 0 and "sent: 2" in result.output, result.output
            assert len(server.messages) == 2
            assert all("подана" in m["Subject"] for m in server.messages)
        finally:
            server.stop()
        with app.app_context():
            statuses = db.session.scalars(sa.select(OutboxMessage.status)).all()
            db.session.remove()
        assert statuses == [MailStatus.SENT] * 2


NETWORK_ERROR = re.compile(
    r"Connection(Reset|Refused|Aborted)Error|RemoteDisconnected|BrokenPipe|URLError|"
    r"IncompleteRead|BadStatusLine|timed out")


def _terminate_connections(database_url: str) -> int:
    """Drop every connection to the app's database (the server itself keeps running)."""
    from pdcompetition.config import normalize_database_url

    url = sa.engine.make_url(normalize_database_url(database_url))
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return len(conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": url.database}
            ).all())
    finally:
        admin.dispose()


def test_database_connections_dropped_mid_run():
    """Connections are dropped again and again while applicants work: requests succeed
    (pre-ping reconnects) or fail with the error page and no trace; afterwards every worker
    serves again without a restart, and nothing half-stored remains."""
    pdf = live.padded_pdf(200_000)
    with live.live_site(applicants=16, smtp=False) as site:
        stop = threading.Event()
        dropped = []

        def keep_dropping():
            while not stop.is_set():
                dropped.append(_terminate_connections(site.env["DATABASE_URL"]))
                time.sleep(0.15)

        dropper = threading.Thread(target=keep_dropping)
        dropper.start()
        try:
            threads, outcomes = [], []
            for email, application_id in site.seeded["applicants"]:
                thread = threading.Thread(target=lambda e=email, a=application_id: outcomes.append(
                    live.applicant_evening(site.url, e, a, pdf)))
                thread.start()
                threads.append(thread)
            for thread in threads:
                thread.join(timeout=180)
        finally:
            stop.set()
            dropper.join()
        assert sum(dropped) > 0

        replies = [r for o in outcomes for r in o.replies]
        failed = [r for r in replies if r.status >= 500]
        for reply in failed:
            assert "Traceback" not in reply.text and "psycopg" not in reply.text
            assert '<html lang="ru">' in reply.text, ''.join(site.log)[-3000:]
        # A 500 page is a clean failure; a reset or refused connection means a worker died.
        broken = [e for o in outcomes for e in o.errors if NETWORK_ERROR.search(e)]
        assert not broken, broken

        # Recovery without a restart: every applicant works normally again.
        for email, application_id in site.seeded["applicants"]:
            browser = Browser(site.url)
            browser.login(email, live.PASSWORD)
            for _ in range(3):
                assert browser.get(f"/applications/{application_id}").status == 200
        confirmed = {o.application_id for o in outcomes if o.submitted}
        assert confirmed <= live.submissions(site.app)["ids"]
        store = live.store_check(site.app)
        assert store["attachments_without_file"] == store["attachments_damaged"] == 0
        clean = site.flask("pdc", "clean-uploads", "--older-than", "0")
        assert clean.returncode == 0, clean.stdout + clean.stderr
        store = live.store_check(site.app)
        assert store["files_without_row"] == store["incoming_left"] == 0


def _worker_serving(site, client_port: int) -> int | None:
    """The gunicorn worker holding the server side of our connection (from /proc)."""
    server_port = int(site.url.rsplit(":", 1)[1])
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        local_port = int(parts[1].split(":")[1], 16)
        remote_port = int(parts[2].split(":")[1], 16)
        if local_port == server_port and remote_port == client_port:
            inode = parts[9]
    if inode is None:
        return None
    for pid in site.worker_pids():
        try:
            links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
        except OSError:
            continue
        if f"socket:[{inode}]" in links:
            return pid
    return None


def _start_upload(site, browser, application_id: int, pdf: bytes) -> tuple[socket.socket, bytes]:
    """Open a raw connection and send the request head; returns it and the body to send."""
    page = browser.get(f"/applications/{application_id}/documents")
    token = csrf_token(page.text)
    boundary = "pdcKillBoundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="document"; '
            f'filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n').encode()
    body += pdf + f"\r\n--{boundary}--\r\n".encode()
    cookie = "; ".join(f"{c.name}={c.value}" for c in browser.jar)
    host = site.url.split("//", 1)[1]
    head = (f"POST /applications/{application_id}/documents HTTP/1.1\r\nHost: {host}\r\n"
            f"Cookie: {cookie}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    sock = socket.create_connection(("127.0.0.1", int(host.rsplit(":", 1)[1])), timeout=30)
    sock.sendall(head)
    return sock, body


def _kill_when(site, sock, condition, timeout: float = 20) -> bool:
    """SIGKILL the worker serving `sock` as soon as `condition()` holds."""
    pid = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = pid or _worker_serving(site, sock.getsockname()[1])
        if pid and condition():
            os.kill(pid, signal.SIGKILL)
            return True
        time.sleep(0.001)
    return False


def test_worker_killed_mid_upload_leaves_no_orphans():
    """A worker is killed while receiving a 20 MB upload, and again while storing one: no row
    without its file ever; files without a row are removed by `flask pdc clean-uploads`; the
    master starts a new worker and the applicant attaches the document normally."""
    pdf = live.padded_pdf(20 * 1024 * 1024)
    with live.live_site(applicants=1, workers=2, smtp=False, UPLOAD_MAX_FILE_MB=25,
                        UPLOAD_MAX_TOTAL_MB=100) as site:
        (email, application_id), = site.seeded["applicants"]
        browser = Browser(site.url)
        browser.login(email, live.PASSWORD)
        folder = Path(site.env["UPLOAD_FOLDER"])

        # 1. While the body is arriving.
        sock, body = _start_upload(site, browser, application_id, pdf)
        sock.sendall(body[: len(body) // 2])
        assert _kill_when(site, sock, lambda: True)
        sock.close()

        # 2. While the upload is being copied into the store (or just after).
        sock, body = _start_upload(site, browser, application_id, pdf)
        sock.sendall(body)
        _kill_when(site, sock, lambda: any(p.is_file() for p in folder.glob("*/*")))
        sock.close()

        assert live.wait_for(lambda: len(site.worker_pids()) == 2)
        for _ in range(6):
            assert browser.get(f"/applications/{application_id}/documents").status == 200
        store = live.store_check(site.app)
        assert store["attachments_without_file"] == store["attachments_damaged"] == 0
        clean = site.flask("pdc", "clean-uploads", "--older-than", "0")
        assert clean.returncode == 0, clean.stdout + clean.stderr
        store = live.store_check(site.app)
        assert store["files_without_row"] == store["incoming_left"] == 0

        reply = browser.submit_form(
            f"/applications/{application_id}/documents",
            files={"document": (live.padded_pdf(100_000), "Устав.pdf", "application/pdf")})
        assert reply.status == 302
        assert live.store_check(site.app)["attachments_without_file"] == 0
