"""Browser tests: the real app served on localhost, a real SMTP server, Debian's Chromium.

Fixtures:
- live_app: the Flask app behind the server (use `with live_app.app_context():` to set data up)
- live_server: its base URL, e.g. http://127.0.0.1:54321
- mailbox: the RecordingSMTPServer that receives the app's mails
- page: pytest-playwright's page, in Chromium at /usr/bin/chromium, Russian locale
- phone_page: the same on a phone-sized viewport (390x844, touch)
"""

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from pdcompetition import create_app
from pdcompetition.extensions import db

from ..conftest import make_test_config
from ..smtp import RecordingSMTPServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "ru-RU", "timezone_id": "Europe/Moscow"}


@pytest.fixture
def mailbox():
    server = RecordingSMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_app(tmp_path, mailbox):
    app = create_app(
        make_test_config(
            tmp_path,
            f"sqlite:///{tmp_path / 'e2e.sqlite3'}",
            TESTING=False,
            WTF_CSRF_ENABLED=True,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=mailbox.port,
            MAIL_SEND_ON_COMMIT=True,
        )
    )
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="ru-RU",
        timezone_id="Europe/Moscow",
    )
    page = context.new_page()
    yield page
    context.close()


def wait_for_mail(mailbox, count: int = 1, timeout: float = 10.0):
    """Wait until the mailbox holds at least `count` messages; return them."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if len(mailbox.messages) >= count:
            return mailbox.messages
        time.sleep(0.1)
    raise AssertionError(f"expected {count} mail(s), got {len(mailbox.messages)}")
