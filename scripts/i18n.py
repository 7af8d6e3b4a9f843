"""Translation catalogs: extract, update, fill, check and compile.

    python scripts/i18n.py update                 # extract messages, update ru and en, compile
    python scripts/i18n.py translate FILE.json    # update, then set Russian translations, compile
    python scripts/i18n.py check                  # exit 1 when a message lacks a translation

FILE.json maps an English msgid to its Russian text (a list of three forms for plurals).
English msgids are the source text, so the en catalog gets msgstr = msgid.
Every write holds a lock, so several people (or agents) can add translations at once.
"""

import fcntl
import json
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = ("ru", "en")


def _run(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", *args],
        cwd=ROOT, capture_output=True, text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(result.returncode)


@contextmanager
def _locked():
    TRANSLATIONS.mkdir(exist_ok=True)
    with open(TRANSLATIONS / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def catalog_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def extract() -> None:
    _run(
        "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-wrap",
        "--sort-by-file", "--omit-header", "-o", str(POT), "pdcompetition", "templates",
    )


def update_catalogs() -> None:
    extract()
    for lang in LANGUAGES:
        path = catalog_path(lang)
        if not path.exists():
            _run("init", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang, "--no-wrap")
        else:
            _run("update", "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang, "--no-wrap",
                 "--ignore-obsolete", "--no-fuzzy-matching")
    _fill_english()


def _fill_english() -> None:
    import polib  # a test/dev dependency: `compile` works without it

    po = polib.pofile(str(catalog_path("en")), wrapwidth=0)
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()


def apply_russian(translations: dict) -> list[str]:
    """Set Russian texts; returns the msgids that are not in the catalog."""
    import polib  # a test/dev dependency: `compile` works without it

    po = polib.pofile(str(catalog_path("ru")), wrapwidth=0)
    unknown = []
    for msgid, text in translations.items():
        entry = po.find(msgid)
        if entry is None:
            unknown.append(msgid)
            continue
        if entry.msgid_plural:
            forms = text if isinstance(text, list) else [text] * 3
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = text
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    return unknown


def compile_catalogs() -> None:
    _run("compile", "-d", str(TRANSLATIONS), "--use-fuzzy")


def missing(lang: str) -> list[str]:
    """Msgids of the template that have no usable translation in `lang`."""
    import polib  # a test/dev dependency: `compile` works without it

    extract()
    template = {entry.msgid for entry in polib.pofile(str(POT))}
    po = polib.pofile(str(catalog_path(lang)))
    done = {
        entry.msgid
        for entry in po
        if not entry.obsolete
        and "fuzzy" not in entry.flags
        and (entry.msgstr or any(entry.msgstr_plural.values()))
    }
    return sorted(template - done)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "update"
    if command == "update":
        with _locked():
            update_catalogs()
            compile_catalogs()
        return 0
    if command == "translate":
        data = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        with _locked():
            update_catalogs()
            unknown = apply_russian(data)
            compile_catalogs()
        for msgid in unknown:
            print(f"not in the catalog (check the exact text): {msgid!r}", file=sys.stderr)
        return 1 if unknown else 0
    if command == "check":
        with _locked():
            gaps = {lang: missing(lang) for lang in LANGUAGES}
        for lang, msgids in gaps.items():
            for msgid in msgids:
                print(f"{lang}: missing {msgid!r}")
        return 1 if any(gaps.values()) else 0
    if command == "compile":
        with _locked():
            compile_catalogs()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
