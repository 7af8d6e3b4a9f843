"""Files in the upload store that no database row refers to, and rows whose file is gone.

Uploads are written to disk first and recorded in the database after, so a row never points
at a missing file; but a worker killed between the two (or between deleting a row and its
file) leaves a file nobody refers to, and a killed copy leaves a half-written file in
`.incoming`. `flask pdc clean-uploads` removes them once they are older than any request can
take, so an upload still in flight is never touched.
"""

import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from ..extensions import db
from ..models import Attachment, Partner
from .uploads import upload_folder

# Longer than any request may run, so a file whose row is about to be committed is left alone.
DEFAULT_GRACE = timedelta(hours=1)


@dataclass
class StoreReport:
    """What `scan` found: orphan files (removable) and rows without their file (not)."""

    orphans: list[Path] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    bytes: int = 0


def scan(grace: timedelta = DEFAULT_GRACE) -> StoreReport:
    """Compare the upload folder with the attachment and partner-logo rows."""
    folder = upload_folder()
    attachments = set(db.session.scalars(db.select(Attachment.stored_name)))
    logos = set(db.session.scalars(db.select(Partner.logo_name).where(Partner.logo_name != "")))
    cutoff = time.time() - grace.total_seconds()
    report = StoreReport()
    for path in sorted(folder.glob("*/*")):
        kind = path.parent.name
        if not path.is_file() or kind == ".pending":  # kept forms expire on their own
            continue
        known = logos if kind == "logos" else attachments
        try:
            stat = path.stat()
        except FileNotFoundError:  # removed meanwhile
            continue
        if (kind == ".incoming" or path.name not in known) and stat.st_mtime < cutoff:
            report.orphans.append(path)
            report.bytes += stat.st_size
    for name in sorted(attachments):
        if not (folder / name[:2] / name).is_file():
            report.missing.append(name)
    for name in sorted(logos):
        if not (folder / "logos" / name).is_file():
            report.missing.append(f"logos/{name}")
    return report


def remove(paths: list[Path]) -> int:
    """Delete the files; returns how many were deleted."""
    removed = 0
    for path in paths:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed
