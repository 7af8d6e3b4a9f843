"""Memory under a large upload (slow): a gunicorn worker receiving a 20 MB PDF through the
documents form stays within 5 MB of its idle RSS, because the file streams to disk.

Runs bench/upload_memory.py's measurement (scratch PostgreSQL, one sync worker, RSS sampled
from /proc every 2 ms), so the figure in bench/README.md stays true.
"""

import sys

import pytest

from pdcompetition import PROJECT_ROOT

from .conftest import TEST_DATABASE_URL

sys.path.insert(0, str(PROJECT_ROOT / "bench"))

import upload_memory  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not TEST_DATABASE_URL, reason="needs PostgreSQL (TEST_DATABASE_URL)"),
    pytest.mark.skipif(sys.platform != "linux", reason="reads worker memory from /proc"),
]


def test_20_mb_upload_stays_within_5_mb_of_idle():
    figures = upload_memory.run(upload_mb=20)
    assert upload_memory.succeeded(figures), figures
    assert figures["upload_mb"] == 20.0
    assert figures["upload_peak_above_idle_mb"] <= upload_memory.TARGET_MB, figures
