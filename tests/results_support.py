"""Shared set-up of the results tests: an edition with scored applications, quick hashes."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

import pdcompetition.models.users as users_module
from pdcompetition.models import ApplicationState, Role

from .factories import (
    add_to_jury,
    make_application,
    make_edition,
    make_juror,
    make_scored_application,
    make_user,
    now,
)

_hashes: dict = {}
_real_hash = users_module.generate_password_hash


def _cached_hash(password, method="scrypt", salt_length=16):
    # The results tests create a dozen accounts each; hashing the one test password once
    # keeps them quick. Logging in still checks the password for real.
    key = (password, method, salt_length)
    if key not in _hashes:
        _hashes[key] = _real_hash(password, method=method, salt_length=salt_length)
    return _hashes[key]


@pytest.fixture(autouse=True)
def fast_password_hashes(monkeypatch):
    monkeypatch.setattr(users_module, "generate_password_hash", _cached_hash)


def build_edition(db, **edition_fields):
    """Nomination 1: A 85, B 65 (earlier), F 65, C 50 (diverging 20/80), D pending (a draft).
    Nomination 2: E 60. Three criteria out of 10 with weight 1: a total is the mean x 10."""
    edition = make_edition(criteria=3, nominations=2, **edition_fields)
    j1 = make_juror(full_name="Ирина Соколова")
    j2 = make_juror(full_name="Marco Rossi", country_code="IT")
    j3 = make_juror(full_name="Азамат Ибраимов", country_code="KG")
    spare = make_juror(full_name="Запасной Эксперт")
    n1, n2 = edition.nominations
    t = now() - timedelta(days=5)
    a = make_scored_application(edition, [(j1, [9, 9, 9]), (j2, [8, 8, 8])], nomination=n1,
                                full_name="Анна Петрова", submitted_at=t)
    b = make_scored_application(edition, [(j1, [7, 7, 7]), (j2, [6, 6, 6])], nomination=n1,
                                full_name="Борис Орлов", submitted_at=t + timedelta(hours=1))
    f = make_scored_application(edition, [(j1, [6, 6, 6]), (j2, [7, 7, 7])], nomination=n1,
                                full_name="Фатима Алиева", submitted_at=t + timedelta(hours=2))
    c = make_scored_application(edition, [(j1, [2, 2, 2]), (j2, [8, 8, 8])], nomination=n1,
                                full_name="Карим Саидов", submitted_at=t + timedelta(hours=3),
                                country_code="UZ", region_code="")
    d = make_scored_application(edition, [(j1, [9, 9, 9]), (j2, ("draft", [5, 5, 5]))],
                                nomination=n1, full_name="Дарья Ким", submitted_at=t)
    e = make_scored_application(edition, [(j3, [6, 6, 6])], nomination=n2,
                                full_name="Елена Смирнова", submitted_at=t)
    add_to_jury(edition, spare)
    rejected = make_application(edition, state=ApplicationState.REJECTED, nomination=n1)
    organizer = make_user(Role.ORGANIZER, full_name="Наталья Орлова")
    admin = make_user(Role.ADMIN, full_name="Администратор")
    db.session.commit()
    return SimpleNamespace(edition=edition, n1=n1, n2=n2, a=a, b=b, c=c, d=d, e=e, f=f,
                           j1=j1, j2=j2, j3=j3, spare=spare, rejected=rejected,
                           organizer=organizer, admin=admin)
