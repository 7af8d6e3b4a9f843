"""Attached documents on disk: type checked by content, random names, outside the static folder."""

import hashlib
import os
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

# What may be attached, by the type found in the content, with the extension it is stored under.
ALLOWED_TYPES = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}
_CHUNK = 64 * 1024


class UploadRejected(Exception):
    """The file cannot be attached; `message` tells the applicant why, in the UI language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def human_size(size: int) -> str:
    """A size as people read it: "850 KB", "10 MB"."""
    if size < 1024 * 1024:
        return _("%(size)s KB", size=max(1, round(size / 1024)) if size else 0)
    megabytes = size / (1024 * 1024)
    text = f"{megabytes:.0f}" if megabytes >= 10 or megabytes.is_integer() else f"{megabytes:.1f}"
    return _("%(size)s MB", size=text)


def upload_folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


def stored_path(stored_name: str) -> Path:
    """Where a stored file lives: spread over subfolders by the first two characters."""
    if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}", stored_name):
        raise ValueError("not a stored file name")
    return upload_folder() / stored_name[:2] / stored_name


def sniff(head: bytes) -> str | None:
    """The content type given by the first bytes (magic numbers), or None."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
_ROOT = re.compile(rb"/Root")
_SCAN_CHUNK = 1024 * 1024
_SCAN_OVERLAP = 256


def _contains(stream, pattern: re.Pattern) -> bool:
    """Whether `pattern` occurs in the file, read in chunks (a match may span two)."""
    stream.seek(0)
    previous = b""
    while chunk := stream.read(_SCAN_CHUNK):
        if pattern.search(previous + chunk):
            return True
        previous = chunk[-_SCAN_OVERLAP:]
    return False


def pdf_is_well_formed(path: Path) -> bool:
    """A minimal parse: version header, an object, a catalog reference, and a final
    `startxref` pointing at a cross-reference table or stream inside the file.

    The file is read in pieces, never whole: a worker receiving a 20 MB scan must not
    hold it in memory (see bench/upload_memory.py).
    """
    size = path.stat().st_size
    with open(path, "rb") as stream:
        if not re.match(rb"%PDF-[12]\.\d", stream.read(16)):
            return False
        stream.seek(max(size - 2048, 0))
        match = _STARTXREF.search(stream.read())
        if match is None:
            return False
        offset = int(match.group(1))
        if not 0 < offset < size:
            return False
        stream.seek(offset)
        at_offset = stream.read(64).lstrip()
        if not (at_offset.startswith(b"xref") or _OBJECT.match(at_offset)):
            return False
        return _contains(stream, _OBJECT) and _contains(stream, _ROOT)


def image_is_well_formed(path: Path, content_type: str) -> bool:
    """Pillow reads the header and verifies the data; huge pixel counts are refused."""
    expected = {"image/jpeg": "JPEG", "image/png": "PNG"}[content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                if image.format != expected:
                    return False
                image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError):
        return False
    return True


def _copy_limited(
    stream, target: Path, max_bytes: int, too_large: str | None
) -> tuple[int, str, bytes]:
    """Copy the upload to `target`, hashing it; stop as soon as it exceeds `max_bytes`."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    with open(target, "wb") as out:
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise UploadRejected(
                    too_large
                    or _("The file is larger than %(limit)s. Attach a smaller file "
                         "(for example, a scan at a lower resolution).",
                         limit=human_size(max_bytes))
                )
            if len(head) < 16:
                head += chunk[:16]
            digest.update(chunk)
            out.write(chunk)
        # On disk before its row is committed: a row never outlives its file, even a power cut.
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest(), head


def store_upload(file_storage, max_bytes: int, too_large: str | None = None) -> StoredFile:
    """Check and store an uploaded file; raise UploadRejected with the reason otherwise.

    `too_large` replaces the message for a file over `max_bytes`.
    """
    incoming = upload_folder() / ".incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    temporary = incoming / secrets.token_hex(16)
    try:
        size, sha256, head = _copy_limited(
            file_storage.stream, temporary, max_bytes, too_large
        )
        if size == 0:
            raise UploadRejected(_("The file is empty."))
        content_type = sniff(head)
        if content_type is None:
            raise UploadRejected(
                _("Only PDF, JPEG and PNG files can be attached. This file is of another "
                  "type, whatever its name says.")
            )
        if content_type == "application/pdf":
            well_formed = pdf_is_well_formed(temporary)
        else:
            well_formed = image_is_well_formed(temporary, content_type)
        if not well_formed:
            raise UploadRejected(
                _("The file looks damaged and cannot be opened. Save it again and attach it.")
            )
        stored_name = secrets.token_hex(16) + ALLOWED_TYPES[content_type]
        final = stored_path(stored_name)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)
        return StoredFile(stored_name, content_type, size, sha256)
    finally:
        temporary.unlink(missing_ok=True)


def remove_stored(stored_name: str) -> None:
    """Delete a stored file (after the database change that dropped it has committed)."""
    try:
        stored_path(stored_name).unlink(missing_ok=True)
    except ValueError:
        pass


def display_name(filename: str | None, content_type: str) -> str:
    """The name shown to people: no folders or control characters, the right extension."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable()).strip()
    name = name.lstrip(".") or "document"
    extension = ALLOWED_TYPES[content_type]
    stem, dot, ext = name.rpartition(".")
    known = {".pdf", ".jpg", ".jpeg", ".png"}
    if dot and "." + ext.lower() in known:
        name = stem
    name = name[: 255 - len(extension)]
    return name + extension
