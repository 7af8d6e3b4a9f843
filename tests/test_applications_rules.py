"""The applicant's rules as plain functions: states, deadlines, language, OGRN/INN, merging."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from pdcompetition.domain import application_content as content
from pdcompetition.domain import deadlines, eligibility, field_merge, language, ngo_registration
from pdcompetition.domain.application_states import (
    TransitionNotAllowed,
    can_transition,
    check_transition,
)
from pdcompetition.domain.moscow_time import from_moscow
from pdcompetition.models import ApplicationState as S

CLOSE = from_moscow(datetime(2024, 10, 31, 23, 59))  # 20:59 UTC


def edition(**fields):
    values = dict(
        applications_open_at=from_moscow(datetime(2024, 9, 1, 9, 0)),
        applications_close_at=CLOSE,
        one_application_per_nomination=False,
        active_nominations=[1, 2],
    )
    values.update(fields)
    return SimpleNamespace(**values)


def application(state=S.DRAFT, **fields):
    values = dict(state=state, edition=edition(), changes_due_at=None, id=1, nomination_id=1)
    values.update(fields)
    return SimpleNamespace(**values)


# The state machine.

@pytest.mark.parametrize(
    ("current", "target", "actor", "allowed"),
    [
        (S.DRAFT, S.SUBMITTED, "applicant", True),
        (S.RETURNED, S.SUBMITTED, "applicant", True),
        (S.DRAFT, S.ACCEPTED, "applicant", False),
        (S.SUBMITTED, S.ACCEPTED, "applicant", False),
        (S.SUBMITTED, S.ACCEPTED, "organizer", True),
        (S.SUBMITTED, S.WITHDRAWN, "applicant", True),
        (S.ACCEPTED, S.WITHDRAWN, "applicant", True),
        (S.REJECTED, S.WITHDRAWN, "applicant", False),
        (S.WITHDRAWN, S.SUBMITTED, "applicant", False),
        (S.SUBMITTED, S.SUBMITTED, "applicant", False),
    ],
)
def test_transitions(current, target, actor, allowed):
    assert can_transition(current, target, actor) is allowed


def test_check_transition_raises_for_a_missing_transition():
    with pytest.raises(TransitionNotAllowed):
        check_transition(S.WITHDRAWN, S.SUBMITTED, "applicant")
    check_transition(S.DRAFT, S.SUBMITTED, "applicant")


# Deadlines (Moscow time, server clock).

def test_draft_editable_until_the_moscow_deadline(frozen_time):
    app = application()
    frozen_time(datetime(2024, 10, 31, 20, 58, 59, tzinfo=UTC))  # 23:58:59 in Moscow
    assert deadlines.can_edit(app) and deadlines.can_submit(app)
    frozen_time(datetime(2024, 10, 31, 20, 59, tzinfo=UTC))  # 23:59 in Moscow
    assert not deadlines.can_edit(app) and not deadlines.can_submit(app)


def test_nothing_before_applications_open(frozen_time):
    frozen_time(datetime(2024, 9, 1, 5, 59, tzinfo=UTC))  # 08:59 in Moscow
    assert not deadlines.can_start(edition())
    assert not deadlines.can_edit(application())
    frozen_time(datetime(2024, 9, 1, 6, 0, tzinfo=UTC))
    assert deadlines.can_start(edition())


def test_returned_application_follows_the_organizers_deadline(frozen_time):
    due = CLOSE + timedelta(days=5)
    app = application(S.RETURNED, changes_due_at=due)
    frozen_time(CLOSE + timedelta(days=2))  # the edition is closed, the extension is not
    assert deadlines.can_edit(app) and deadlines.can_submit(app)
    assert deadlines.edit_deadline(app) == due
    frozen_time(due)
    assert not deadlines.can_submit(app)


def test_returned_without_a_deadline_follows_the_edition(frozen_time):
    app = application(S.RETURNED)
    frozen_time(CLOSE - timedelta(minutes=1))
    assert deadlines.can_submit(app)
    assert deadlines.edit_deadline(app) == CLOSE
    frozen_time(CLOSE)
    assert not deadlines.can_submit(app)


@pytest.mark.parametrize("state", [S.SUBMITTED, S.ACCEPTED, S.REJECTED, S.WITHDRAWN])
def test_submitted_and_later_states_are_read_only(frozen_time, state):
    frozen_time(CLOSE - timedelta(days=1))
    app = application(state)
    assert not deadlines.can_edit(app)
    assert not deadlines.can_submit(app)
    assert deadlines.edit_deadline(app) is None


@pytest.mark.parametrize(
    ("state", "jury_started", "allowed"),
    [
        (S.DRAFT, False, True),
        (S.SUBMITTED, False, True),
        (S.ACCEPTED, False, True),
        (S.ACCEPTED, True, False),
        (S.REJECTED, False, False),
        (S.WITHDRAWN, False, False),
    ],
)
def test_withdraw_only_before_the_jury(state, jury_started, allowed):
    assert deadlines.can_withdraw(application(state), jury_started) is allowed


# One application per person (or per nomination).

def test_one_application_per_edition():
    ed = edition()
    assert eligibility.may_start_another(ed, [])
    assert not eligibility.may_start_another(ed, [application(S.DRAFT)])
    assert eligibility.may_start_another(ed, [application(S.WITHDRAWN)])


def test_one_application_per_nomination():
    ed = edition(one_application_per_nomination=True)
    mine = application(S.DRAFT, edition=ed, id=1, nomination_id=None)
    other = application(S.SUBMITTED, edition=ed, id=2, nomination_id=2)
    assert eligibility.may_start_another(ed, [other])
    assert not eligibility.may_start_another(ed, [other, mine])
    assert eligibility.nomination_taken(mine, 2, [mine, other])
    assert not eligibility.nomination_taken(mine, 1, [mine, other])
    mine.nomination_id = 2
    assert eligibility.blocking_application(mine, [mine, other]) is other
    mine.nomination_id = 1
    assert eligibility.blocking_application(mine, [mine, other]) is None


def test_a_submitted_application_blocks_another_but_a_draft_does_not():
    ed = edition()
    mine = application(S.DRAFT, edition=ed, id=1)
    assert eligibility.blocking_application(mine, [mine, application(S.DRAFT, id=2)]) is None
    submitted = application(S.SUBMITTED, id=3)
    assert eligibility.blocking_application(mine, [mine, submitted]) is submitted
    withdrawn = application(S.WITHDRAWN, id=4)
    assert eligibility.blocking_application(mine, [mine, withdrawn]) is None


# The Russian-language rule.

@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Наш проект объединяет молодёжь России и Казахстана.", True),
        ("Мы проводим встречи вместе с партнёрами из Associazione Italia–Russia в Риме.", True),
        ("Проект с партнёрами из Associazione Italia–Russia и Dialogue e.V.", False),
        ("Подробнее: https://example.org/very/long/english/path/about/project", True),
        ("Our project brings young people from Russia and Kazakhstan together.", False),
        ("Unser Projekt verbindet junge Menschen aus vielen Ländern.", False),
        ("Volga Forum", True),  # too short to judge
        ("", True),
    ],
)
def test_mostly_cyrillic(text, ok):
    assert language.is_mostly_cyrillic(text) is ok


def test_cyrillic_share_ignores_links_and_digits():
    assert language.cyrillic_share("Итоги: 48 встреч, 3200 человек www.example.org/results") == 1.0


# OGRN and INN.

@pytest.mark.parametrize("value", ["1027700132195", "1037739010891"])
def test_valid_ogrn(value):
    assert ngo_registration.is_valid_ogrn(value)
    assert ngo_registration.ogrn_problem(value) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [("1027700132194", "checksum"), ("102770013219", "length"), ("10277001321９5", "length")],
)
def test_invalid_ogrn(value, problem):
    assert ngo_registration.ogrn_problem(value) == problem


@pytest.mark.parametrize("value", ["7707083893", "5902293266", "500100732259"])
def test_valid_inn(value):
    assert ngo_registration.is_valid_inn(value)


@pytest.mark.parametrize(
    ("value", "problem"),
    [("7707083894", "checksum"), ("500100732258", "checksum"), ("77070838", "length"),
     ("77070838931", "length"), ("770708389a", "length")],
)
def test_invalid_inn(value, problem):
    assert ngo_registration.inn_problem(value) == problem


def test_check_digit_helpers_make_valid_numbers():
    assert ngo_registration.is_valid_ogrn(ngo_registration.with_ogrn_check_digit("102590000001"))
    assert ngo_registration.is_valid_inn(ngo_registration.with_inn10_check_digit("590200001"))
    assert ngo_registration.clean_number(" 1027 7001-32195 ") == "1027700132195"


# Completeness.

def _full(**fields):
    values = dict(
        full_name="Анна Петрова", birth_date=date(1990, 1, 1), citizenship="RU",
        email="a@example.org", phone="+7 900 000-00-00", organization="АНО «Мост»",
        organization_role="Руководитель", organization_ogrn="1027700132195",
        organization_inn="7707083893", country_code="RU", region_code="RU-PER", city="Пермь",
        nomination_id=1, nomination=SimpleNamespace(archived_at=None, edition_id=1),
        edition_id=1, project_title="Письмо другу",
        project_description="Мы переписываемся с ровесниками из разных стран мира.",
        project_goals="Укрепить доверие между народами.", project_results="48 встреч, 12 стран",
        project_partners="НКО в Казахстане", project_links="",
    )
    values.update(fields)
    return SimpleNamespace(**values)


def test_a_complete_application_has_no_problems():
    assert content.submission_problems(_full()) == []
    assert content.progress(_full()) == (5, 5)


def test_russian_ngo_needs_region_ogrn_and_inn_but_a_foreign_one_does_not():
    russian = _full(region_code="", organization_ogrn="", organization_inn="")
    fields = {(p.field, p.code) for p in content.submission_problems(russian)}
    assert fields == {
        ("region_code", "required"), ("organization_ogrn", "required"),
        ("organization_inn", "required"),
    }
    foreign = _full(country_code="UZ", region_code="", organization_ogrn="", organization_inn="")
    assert content.submission_problems(foreign) == []


def test_english_description_is_a_language_problem():
    app = _full(project_description="We bring young people from many countries together.")
    assert content.submission_problems(app) == [
        content.Problem("project", "project_description", "language")
    ]
    assert content.progress(app) == (4, 5)


def test_archived_nomination_is_a_problem():
    app = _full(nomination=SimpleNamespace(archived_at=datetime.now(UTC), edition_id=1))
    assert [p.code for p in content.submission_problems(app)] == ["nomination"]


# Merging two saves per field.

def test_merge_applies_mine_keeps_theirs_and_reports_real_conflicts():
    shown = {"a": "1", "b": "2", "c": "3", "d": "4"}
    base = field_merge.decode_base(field_merge.encode_base(shown))
    mine = {"a": "1 mine", "b": "2", "c": "3 mine", "d": "4"}
    theirs = {"a": "1", "b": "2 theirs", "c": "3 theirs", "d": "4"}
    result = field_merge.merge(base, mine, theirs)
    assert result.apply == {"a": "1 mine"}
    assert result.kept == {"b": "2 theirs"}
    assert result.conflicts == {"c": "3 theirs"}


def test_merge_without_a_base_never_overwrites():
    result = field_merge.merge({}, {"a": "mine"}, {"a": "theirs"})
    assert result.conflicts == {"a": "theirs"} and not result.apply


def test_fingerprint_treats_dates_and_empty_values():
    assert field_merge.fingerprint(None) == field_merge.fingerprint("")
    assert field_merge.fingerprint(date(2024, 1, 2)) == field_merge.fingerprint("2024-01-02")
    assert field_merge.decode_base("x:short;;bad") == {}
