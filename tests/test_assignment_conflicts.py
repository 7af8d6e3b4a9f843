"""Organization names compared for conflicts of interest, and the automatic conflict rules."""

from types import SimpleNamespace

import pytest

from pdcompetition.domain.conflicts import (
    ConflictIndex,
    ConflictReason,
    automatic_conflicts,
    normalize_organization,
    organization_names,
)


@pytest.mark.parametrize(
    "name",
    [
        "АНО «Мост»",
        '"Мост"',
        "мост",
        "МОСТ",
        "ООО \"Мост\"",
        "ООО 'Мост'",
        "АНО “Мост”",
        "АНО „Мост“",
        "Автономная некоммерческая организация «Мост»",
        "автономная  некоммерческая организация «МОСТ».",
        "НКО «Мост»",
        "РОО «Мост»",
        "МОО Мост",
        "ОО «Мост»",
        "ОФ «Мост»",
        "БФ «Мост»",
        "Фонд «Мост»",
        "Благотворительный фонд «Мост»",
        "ПАО Мост",
        "Мост, АНО",
        "«Мост» (АНО)",
        "AНО «Мост»",  # a Latin A typed among Cyrillic letters
        "OOO Мост",  # "OOO" typed in Latin letters
    ],
)
def test_legal_forms_quotes_and_case_do_not_count(name):
    assert normalize_organization(name) == "мост"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Most Inc.", "most"),
        ("Most, LLC", "most"),
        ("Most e.V.", "most"),
        ("Most NGO", "most"),
        ("MOST Ltd", "most"),
        ("Региональная общественная организация «Дом дружбы»", "дом дружбы"),
        ("Дом  Дружбы", "дом дружбы"),
        ("РОО «Ёлка»", "елка"),
        ("Фонд «Мост-Инфо»", "мост инфо"),
        ("АНО «Мост Инфо»", "мост инфо"),
        ("Центр «Диалог» № 5", "центр диалог 5"),
        ("Аноним", "аноним"),  # a word that merely starts like АНО stays
        ("Фондовый клуб", "фондовый клуб"),
        ("Объединённый центр", "объединенный центр"),
        ("Дальний Восток", "дальний восток"),  # й survives accent stripping
        ("Café Europa", "cafe europa"),
        ("", ""),
        (None, ""),
        ("ООО", ""),  # only a legal form: nothing left to compare
        ("АНО «»", ""),
    ],
)
def test_normalized_names(name, expected):
    assert normalize_organization(name) == expected


def test_different_organizations_stay_different():
    assert normalize_organization("АНО «Мост»") != normalize_organization("АНО «Мосты»")
    assert normalize_organization("Дом дружбы") != normalize_organization("Дом дружбы народов")


def test_several_organizations_of_a_juror():
    assert organization_names("АНО «Мост»; Фонд «Диалог»\nМГИМО") == [
        "АНО «Мост»",
        "Фонд «Диалог»",
        "МГИМО",
    ]
    assert organization_names("") == []


def person(organization="", country="", region=""):
    return SimpleNamespace(organization=organization, country_code=country, region_code=region)


def test_same_organization_is_a_conflict_with_the_matching_name():
    juror = person("Фонд «Диалог»; АНО «Мост»", "RU", "RU-PER")
    application = person("Мост", "RU", "RU-MOW")
    assert automatic_conflicts(juror, application) == [ConflictReason("organization", "АНО «Мост»")]


def test_country_and_region_only_when_the_edition_says_so():
    juror = person("Диалог", "RU", "RU-PER")
    application = person("Мост", "RU", "RU-PER")
    assert automatic_conflicts(juror, application) == []
    assert automatic_conflicts(juror, application, same_country=True) == [
        ConflictReason("country", "RU")
    ]
    assert automatic_conflicts(juror, application, same_region=True) == [
        ConflictReason("region", "RU-PER")
    ]
    both = automatic_conflicts(juror, application, same_country=True, same_region=True)
    assert [reason.kind for reason in both] == ["country", "region"]


def test_empty_values_never_conflict():
    juror = person("", "", "")
    application = person("", "", "")
    assert automatic_conflicts(juror, application, same_country=True, same_region=True) == []
    assert automatic_conflicts(person("ООО"), person("АНО")) == []


def test_other_country_or_region_is_no_conflict():
    juror = person("Диалог", "KG", "")
    application = person("Мост", "RU", "RU-PER")
    assert automatic_conflicts(juror, application, same_country=True, same_region=True) == []


def test_index_gives_the_same_answers():
    index = ConflictIndex(same_country=True)
    juror = person("АНО «Мост»", "KZ")
    assert index.reasons(juror, person("мост", "KZ")) == automatic_conflicts(
        juror, person("мост", "KZ"), same_country=True
    )
    assert [r.kind for r in index.reasons(juror, person("мост", "KZ"))] == [
        "organization",
        "country",
    ]
    assert ConflictReason("declared", "родственник").automatic is False
    assert ConflictReason("organization", "x").automatic is True


@pytest.mark.parametrize("seed", range(5))
def test_the_indexed_conflict_map_finds_exactly_the_pairwise_conflicts(seed):
    import random

    from pdcompetition.jury_admin.services import conflict_map

    rng = random.Random(seed)
    names = ["АНО «Мост»", "мост", "Фонд «Диалог»", "Диалог", "ООО Рассвет", "", "ООО"]
    edition = SimpleNamespace(conflict_same_country=rng.random() < 0.5,
                              conflict_same_region=rng.random() < 0.5)
    applications = [
        SimpleNamespace(id=i, owner_id=1000 + i, organization=rng.choice(names),
                        country_code=rng.choice(["RU", "KG", ""]),
                        region_code=rng.choice(["RU-PER", "RU-MOW", ""]))
        for i in range(30)
    ]
    members = []
    for j in range(8):
        profile = person("; ".join(rng.sample(names, 2)), rng.choice(["RU", "KG", ""]),
                         rng.choice(["RU-PER", ""]))
        members.append(SimpleNamespace(user_id=j, user=SimpleNamespace(juror_profile=profile)))
    found = conflict_map(edition, applications, members, {})
    expected = {}
    for application in applications:
        for member in members:
            reasons = automatic_conflicts(
                member.user.juror_profile, application,
                same_country=edition.conflict_same_country,
                same_region=edition.conflict_same_region,
            )
            if reasons:
                expected[(application.id, member.user_id)] = reasons
    assert found == expected
