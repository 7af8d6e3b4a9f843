"""The demo jury work: jurors assigned to the accepted demo applications, idempotent."""

import sqlalchemy as sa

from pdcompetition.demo import DEMO_PASSWORD, seed_demo
from pdcompetition.models import Assignment, ScoreSheet, SheetStatus


def _counts(db):
    return (db.session.scalar(sa.select(sa.func.count(Assignment.id))),
            db.session.scalar(sa.select(sa.func.count(ScoreSheet.id))))


def test_demo_jurors_have_work_and_reseeding_changes_nothing(app, db, client):
    seed_demo()
    db.session.commit()
    first = _counts(db)
    assert first[0] == 15  # three jurors on each of the five accepted applications
    assert first[1] == 5
    seed_demo()
    db.session.commit()
    assert _counts(db) == first
    statuses = db.session.scalars(sa.select(ScoreSheet.status)).all()
    assert statuses.count(SheetStatus.SUBMITTED) == 3

    client.post("/auth/login", data={"email": "juror1@demo.pdcompetition.ru",
                                     "password": DEMO_PASSWORD})
    page = client.get("/jury/").get_data(as_text=True)
    assert 'max="5" value="2"' in page
    assert "Клуб международной переписки" in page
    client.post("/auth/logout")
    # The third demo juror has not confirmed the declaration yet: the demo shows that step.
    client.post("/auth/login", data={"email": "juror3@demo.pdcompetition.ru",
                                     "password": DEMO_PASSWORD})
    page = client.get("/jury/").get_data(as_text=True)
    assert "/declaration" in page and "Клуб международной переписки" not in page
