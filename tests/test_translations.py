"""Both catalogs are complete: a message without a translation fails the suite."""

import subprocess
import sys

import polib

from pdcompetition import PROJECT_ROOT


def test_catalogs_cover_every_message():
    result = subprocess.run(
        [sys.executable, "scripts/i18n.py", "check"], cwd=PROJECT_ROOT,
        capture_output=True, text=True,
    )
    assert result.returncode == 0, "missing translations:\n" + result.stdout[-4000:]


def test_placeholders_survive_translation():
    po = polib.pofile(str(PROJECT_ROOT / "translations/ru/LC_MESSAGES/messages.po"))
    import re

    for entry in po:
        if entry.msgid_plural or not entry.msgstr:
            continue
        wanted = set(re.findall(r"%\((\w+)\)s", entry.msgid))
        assert set(re.findall(r"%\((\w+)\)s", entry.msgstr)) == wanted, entry.msgid


def test_compiled_catalogs_are_current():
    for lang in ("ru", "en"):
        po = PROJECT_ROOT / f"translations/{lang}/LC_MESSAGES/messages.po"
        mo = PROJECT_ROOT / f"translations/{lang}/LC_MESSAGES/messages.mo"
        assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime - 1
