"""`flask pdc clean-uploads`: files nobody refers to go, everything referred to stays."""

import os
import time
from pathlib import Path

from pdcompetition.applications import uploads

from . import factories
from .results_support import fast_password_hashes  # noqa: F401  (autouse: quick accounts)
from .security_world import build_world


def _age(path: Path, hours: float) -> Path:
    moment = time.time() - hours * 3600
    os.utime(path, (moment, moment))
    return path


def _file(folder: Path, name: str, hours: float) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%PDF-1.4 left behind")
    return _age(path, hours)


def test_orphans_removed_after_the_grace_period(app, db, runner):
    world = build_world(db)
    folder = Path(app.config["UPLOAD_FOLDER"])
    kept = uploads.stored_path(world.document.stored_name)
    _age(kept, 5)  # an old, referenced document
    orphan = _file(folder, "ab/ab" + "0" * 30 + ".pdf", 2)
    half_written = _file(folder, ".incoming/" + "1" * 32, 2)
    old_logo = _file(folder, "logos/" + "2" * 32 + ".png", 2)
    in_flight = _file(folder, "cd/cd" + "0" * 30 + ".pdf", 0.1)  # its row may be committing now
    pending_form = _file(folder, ".pending/" + "x" * 32 + ".json", 2)

    dry = runner.invoke(args=["pdc", "clean-uploads", "--dry-run"])
    assert dry.exit_code == 0 and "orphan files: 3" in dry.output
    assert orphan.exists()

    result = runner.invoke(args=["pdc", "clean-uploads"])
    assert result.exit_code == 0, result.output
    assert "removed: 3" in result.output
    assert not orphan.exists() and not half_written.exists() and not old_logo.exists()
    assert kept.exists() and in_flight.exists() and pending_form.exists()

    now = runner.invoke(args=["pdc", "clean-uploads", "--older-than", "0"])
    assert "removed: 1" in now.output and not in_flight.exists()
    assert kept.exists()


def test_a_row_without_its_file_is_reported(app, db, runner):
    world = build_world(db)
    uploads.stored_path(world.document.stored_name).unlink()
    result = runner.invoke(args=["pdc", "clean-uploads"])
    assert result.exit_code == 1
    assert world.document.stored_name in result.output


def test_nothing_to_clean_after_normal_uploads(app, db, client, auth, runner):
    owner = factories.make_user()
    edition = factories.make_edition()
    draft = factories.make_draft(edition, owner)
    db.session.commit()
    auth.login(owner)
    from io import BytesIO

    response = client.post(f"/applications/{draft.id}/documents", data={
        "document": (BytesIO(factories.pdf_bytes()), "letter.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    result = runner.invoke(args=["pdc", "clean-uploads", "--older-than", "0"])
    assert result.exit_code == 0 and "orphan files: 0" in result.output
