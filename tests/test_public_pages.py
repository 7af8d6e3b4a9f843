"""Public pages in Russian and English: home, about, editions, archive, people, partners."""

import html
import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from PIL import Image

from pdcompetition.models import (
    ArchiveWinner,
    Award,
    AwardKind,
    CommitteeMember,
    CustomCountry,
    Edition,
    EditionStatus,
    EventKind,
    Partner,
    Role,
)

from . import factories


def text_of(page: str) -> str:
    """The visible text, whitespace collapsed, for asserting what a reader sees."""
    body = page.split("<main", 1)[1].split(">", 1)[1]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    return re.sub(r" ([,.;:)])", r"\1", text)


def get(client, url, lang="ru"):
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def forum(edition, **fields):
    values = dict(kind=EventKind.FORUM, announces_results=True, title_ru="Екатерининский форум",
                  title_en="Catherine Forum", city_ru="Москва", city_en="Moscow",
                  starts_in_days=40)
    values.update(fields)
    return factories.make_event(edition, **values)


def archived(ordinal=1, year=2022, published=True, **fields):
    """A past edition entered by hand; its results were announced long ago unless told not."""
    edition = factories.make_edition(ordinal=ordinal, status=EditionStatus.ARCHIVED,
                                     nominations=0, criteria=0, **fields)
    moment = factories.now() - timedelta(days=700)
    edition.year = year
    edition.results_publish_at = moment if published else None
    edition.results_approved_at = edition.results_published_at = moment if published else None
    edition.results_mailed_at = moment if published else None
    return edition


# Home

@pytest.mark.parametrize(
    ("lang", "stage", "line"),
    [("ru", "Идёт приём заявок", "Заявки принимаются до"),
     ("en", "Accepting applications", "Applications are accepted until")],
)
def test_home_while_accepting_shows_deadline_and_next_dates(client, db, lang, stage, line):
    edition = factories.make_edition(ordinal=3)
    forum(edition)
    factories.make_event(edition, title_ru="Круглый стол в Баку", title_en="Round table in Baku")
    db.session.commit()
    text = text_of(get(client, "/", lang))
    assert stage in text and line in text
    assert ("Ближайшие даты" if lang == "ru" else "Coming up") in text
    assert ("окончание приёма заявок" if lang == "ru" else "the application deadline") in text
    assert ("Круглый стол в Баку" if lang == "ru" else "Round table in Baku") in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ru", "Итоги будут объявлены"), ("en", "Results will be announced on")],
)
def test_home_while_jury_works_names_the_forum(client, db, lang, expected):
    edition = factories.make_edition(ordinal=3, open_days_ago=40, close_in_days=-10)
    forum(edition)
    db.session.commit()
    text = text_of(get(client, "/", lang))
    assert ("Работает жюри" if lang == "ru" else "The jury is at work") in text
    assert expected in text
    assert ("Екатерининский форум" if lang == "ru" else "Catherine Forum") in text


def test_home_after_publication_says_results_published(client, db):
    edition = factories.make_edition(ordinal=3, open_days_ago=90, close_in_days=-60,
                                     judging_in_days=-30, results_in_days=-1)
    edition.results_approved_at = edition.results_publish_at
    forum(edition, starts_in_days=-1)
    db.session.commit()
    page = get(client, "/", "en")
    text = text_of(page)
    assert "Results published" in text and "Results were announced on" in text
    assert 'href="/editions/3/results"' in page


def test_home_without_edition(client):
    text = text_of(get(client, "/", "en"))
    assert "will be announced soon" in text
    assert "No events are planned at the moment." in text


# About and edition pages

@pytest.mark.parametrize(("lang", "heading", "rules"), [("ru", "О конкурсе", "Положение"),
                                                        ("en", "About the competition", "Rules")])
def test_about_shows_current_rules_and_nominations(client, db, lang, heading, rules):
    edition = factories.make_edition(ordinal=3, rules_ru="1. Пункт первый.\n2. Пункт второй.",
                                     rules_en="1. First.\n2. Second.")
    db.session.commit()
    page = get(client, "/about", lang)
    assert f"<h1>{heading}</h1>" in page
    assert f"<h2>{rules}</h2>" in page
    assert ("<p>2. Пункт второй.</p>" if lang == "ru" else "<p>2. Second.</p>") in page
    assert edition.nominations[1].name_ru in page or edition.nominations[1].name_en in page


def test_edition_page_of_an_archived_edition(client, db):
    edition = archived(archive_region_count=34, archive_country_count=2,
                       archive_country_codes=["AZ", "TR"])
    forum(edition, starts_in_days=-700, title_en="Perm Open Forum", city_en="Perm")
    db.session.commit()
    text = text_of(get(client, "/editions/1", "en"))
    assert "I edition, 2022" in text
    assert "34 regions of Russia" in text and "2 foreign countries" in text
    assert "Azerbaijan, Türkiye" in text
    assert "Perm Open Forum" in text


def test_draft_and_missing_editions_are_hidden(client, db, auth):
    factories.make_edition(ordinal=7, status=EditionStatus.DRAFT).title_ru = "Черновик"
    organizer = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    assert client.get("/editions/7").status_code == 404
    assert client.get("/editions/99").status_code == 404
    assert "Черновик" not in get(client, "/archive")
    auth.login(organizer)
    assert "Черновик" in get(client, "/editions/7")


# Archive

def test_archive_lists_editions_with_geography_in_both_languages(client, db):
    db.session.add(CustomCountry(code="XA", name_ru="Абхазия", name_en="Abkhazia"))
    archived(1, 2022, archive_region_count=34, archive_country_count=23,
             archive_country_codes=["AZ", "TR", "RO"])
    archived(2, 2023, archive_region_count=24, archive_country_count=2,
             archive_country_codes=["DE", "XA"])
    current = factories.make_edition(ordinal=3)
    for country, region in (("RU", "RU-PER"), ("RU", "RU-TA"), ("RU", "RU-PER"), ("KZ", ""),
                            ("AM", "")):
        factories.make_application(current, country_code=country, region_code=region)
    factories.make_application(current, country_code="UZ", region_code="",
                               state=factories.ApplicationState.DRAFT)
    db.session.commit()

    ru = text_of(get(client, "/archive", "ru"))
    assert ru.index("III конкурс") < ru.index("II конкурс, 2023") < ru.index("I конкурс, 2022")
    assert "34 региона России" in ru and "23 зарубежные страны" in ru
    assert "В том числе: Азербайджан, Румыния, Турция" in ru
    assert "24 региона России" in ru and "2 зарубежные страны" in ru
    assert "Страны: Абхазия, Германия" in ru
    # Computed from submitted applications: drafts do not count.
    assert "2 региона России" in ru and "Страны: Армения, Казахстан" in ru
    assert "Узбекистан" not in ru

    en = text_of(get(client, "/archive", "en"))
    assert "34 regions of Russia" in en and "23 foreign countries" in en
    assert "Including: Azerbaijan, Romania, Türkiye" in en
    assert "Countries: Abkhazia, Germany" in en


def test_archive_shows_winners_only_once_results_are_public(client, db):
    past = archived(1, 2022, archive_region_count=1, archive_country_count=0)
    db.session.add(ArchiveWinner(edition=past, kind=AwardKind.WINNER, full_name="Анна Петрова",
                                 organization="АНО «Мост»", country_code="RU",
                                 nomination_ru="Народная дипломатия",
                                 nomination_en="People's diplomacy"))
    embargoed = archived(2, 2023, published=False, archive_region_count=1,
                         archive_country_count=0)
    db.session.add(ArchiveWinner(edition=embargoed, kind=AwardKind.WINNER,
                                 full_name="Тайный Победитель"))
    current = factories.make_edition(ordinal=3)
    application = factories.make_application(current, full_name="Гульнара Сафина",
                                             project_title="Дружба без границ")
    db.session.add(Award(application=application, edition_id=current.id,
                         nomination_id=application.nomination_id, kind=AwardKind.LAUREATE))
    db.session.commit()

    text = text_of(get(client, "/archive", "en"))
    assert "People's diplomacy" in text and "Анна Петрова, АНО «Мост» (Russia)" in text
    assert "Тайный Победитель" not in text
    assert "Гульнара Сафина" not in text  # the current edition's results are under embargo

    current.results_approved_at = factories.now() - timedelta(hours=1)
    current.results_publish_at = factories.now() - timedelta(minutes=5)
    db.session.commit()
    text = text_of(get(client, "/archive", "en"))
    assert "Laureate Гульнара Сафина" in text and "«Дружба без границ»" in text


# Committee, jury, partners

@pytest.mark.parametrize(("lang", "name", "country"), [("ru", "Елена Морозова", "Россия"),
                                                       ("en", "Elena Morozova", "Russia")])
def test_committee_shows_published_members(client, db, lang, name, country):
    db.session.add_all([
        CommitteeMember(full_name_ru="Елена Морозова", full_name_en="Elena Morozova",
                        role_ru="Председатель", role_en="Chair", organization_ru="Ассоциация",
                        organization_en="Association", country_code="RU"),
        CommitteeMember(full_name_ru="Скрытый Член", is_published=False),
    ])
    db.session.commit()
    text = text_of(get(client, "/committee", lang))
    assert name in text and country in text
    assert ("Председатель" if lang == "ru" else "Chair") in text
    assert "Скрытый Член" not in text


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_jury_page_shows_published_jury_only(client, db, lang):
    edition = factories.make_edition(ordinal=3, jury_published=True)
    shown = factories.make_juror("IT", "Associazione Italia–Russia", full_name="Marco Rossi")
    shown.juror_profile.position_ru, shown.juror_profile.position_en = "Президент", "President"
    shown.juror_profile.bio_en = "Expert in cultural exchange."
    hidden = factories.make_juror("RU", full_name="Скрытый Судья")
    factories.add_to_jury(edition, shown)
    factories.add_to_jury(edition, hidden, is_public=False)
    unpublished = factories.make_edition(ordinal=4, jury_published=False)
    factories.add_to_jury(unpublished, factories.make_juror(full_name="Будущий Судья"))
    db.session.commit()
    text = text_of(get(client, "/jury-members", lang))
    assert "Marco Rossi" in text and "Associazione Italia–Russia" in text
    assert ("Италия" if lang == "ru" else "Italy") in text
    assert ("Президент" if lang == "ru" else "President") in text
    if lang == "en":
        assert "Expert in cultural exchange." in text
    assert "Скрытый Судья" not in text and "Будущий Судья" not in text


def test_jury_page_before_publication(client, db):
    factories.make_edition(ordinal=3)
    db.session.commit()
    assert "Состав жюри объявит оргкомитет." in text_of(get(client, "/jury-members"))


def png_bytes(size=(50, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def test_partners_page_and_logo_route(client, db, auth, app):
    import os

    from pdcompetition.public.logos import logo_folder, save_logo

    shown = Partner(name_ru="Дом дружбы", name_en="House of Friendship",
                    url="https://example.org/", logo_name=save_logo(png_bytes()))
    hidden = Partner(name_ru="Скрытый партнёр", logo_name=save_logo(png_bytes()),
                     is_published=False)
    db.session.add_all([shown, hidden])
    organizer = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    page = get(client, "/partners", "en")
    assert "House of Friendship" in page and "Скрытый партнёр" not in page
    assert f'src="/logos/{shown.logo_name}"' in page
    assert 'href="https://example.org/"' in page

    response = client.get(f"/logos/{shown.logo_name}")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert Image.open(io.BytesIO(response.data)).size == (50, 30)
    response.close()
    assert client.get(f"/logos/{hidden.logo_name}").status_code == 404
    assert client.get("/logos/..%2Fsecret_key").status_code == 404
    assert client.get("/logos/" + "0" * 32 + ".png").status_code == 404
    auth.login(organizer)
    response = client.get(f"/logos/{hidden.logo_name}")
    assert response.status_code == 200
    response.close()
    os.remove(os.path.join(logo_folder(), shown.logo_name))
    assert client.get(f"/logos/{shown.logo_name}").status_code == 404


# Search engines and link previews

PUBLIC_PAGES = ["/", "/about", "/editions/3", "/archive", "/events", "/events/{event}",
                "/committee", "/jury-members", "/partners"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("lang", ["ru", "en"])
def test_every_public_page_has_title_description_og_and_alternates(client, db, path, lang):
    edition = factories.make_edition(ordinal=3)
    event = factories.make_event(edition)
    db.session.commit()
    url = path.format(event=event.id)
    head = get(client, f"{url}?lang={lang}").split("<body", 1)[0]
    title = re.search(r"<title>(.+?)</title>", head).group(1)
    assert len(title) > 10
    description = re.search(r'<meta name="description" content="([^"]+)">', head).group(1)
    assert len(description.strip()) > 20
    assert f'<html lang="{lang}">' in head
    for prop in ("og:title", "og:description", "og:site_name", "og:type"):
        assert re.search(rf'<meta property="{prop}" content="[^"]+">', head), prop
    assert f'<meta property="og:url" content="http://localhost{url}?lang={lang}">' in head
    assert f'<link rel="canonical" href="http://localhost{url}?lang={lang}">' in head
    assert '<meta property="og:image" content="http://localhost/static/img/og-image.png">' in head
    for alternate in ("ru", "en"):
        assert (f'<link rel="alternate" hreflang="{alternate}" '
                f'href="http://localhost{url}?lang={alternate}">') in head
    assert f'<link rel="alternate" hreflang="x-default" href="http://localhost{url}">' in head


def test_og_image_is_served(client):
    response = client.get("/static/img/og-image.png")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).size == (1200, 630)
    response.close()


def test_sitemap_lists_public_pages_with_language_alternates(client, db):
    factories.make_edition(ordinal=3)
    factories.make_edition(ordinal=8, status=EditionStatus.DRAFT)
    shown = factories.make_event()
    hidden = factories.make_event(is_published=False)
    db.session.commit()
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert "http://localhost/archive" in locations
    assert "http://localhost/editions/3" in locations
    assert f"http://localhost/events/{shown.id}" in locations
    assert "http://localhost/editions/8" not in locations
    assert f"http://localhost/events/{hidden.id}" not in locations
    alternates = root.findall("s:url/x:link", ns)
    assert any(link.get("href") == "http://localhost/archive?lang=en" for link in alternates)


def test_robots_points_to_the_sitemap_and_keeps_private_pages_out(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert "Sitemap: http://localhost/sitemap.xml" in body
    assert "Disallow: /manage/" in body


# The demo data

def test_demo_archive_shows_the_recorded_figures(client, db):
    from pdcompetition.demo import seed_demo

    seed_demo()
    db.session.commit()
    assert seed_demo() is False  # running it again changes nothing
    ru = text_of(get(client, "/archive", "ru"))
    assert "34 региона России" in ru and "23 зарубежные страны" in ru
    assert "24 региона России" in ru and "17 зарубежных стран" in ru
    for name in ("Азербайджан", "Турция", "Саудовская Аравия", "Тунис", "Израиль", "Сирия",
                 "Абхазия", "ОАЭ", "Ливан", "Индонезия"):
        assert name in ru, name
    assert "Пермский открытый форум" in ru and "Екатерининский форум" in ru
    en = text_of(get(client, "/archive", "en"))
    assert "8 December 2022, Perm" in en and "12 December 2023, Moscow, Catherine Forum" in en
    assert "Abkhazia" in en and "II International Competition" in en
    events = text_of(get(client, "/events", "en"))
    assert "Bishkek" in events and "Baku" in events and "Tashkent" in events
    committee = text_of(get(client, "/committee", "en"))
    assert "Chair of the organizing committee" in committee
    assert len(re.findall(r'src="/logos/[0-9a-f]{32}\.png"', get(client, "/partners"))) == 4


# List pages load what they show in a fixed number of queries

def queries_for(client, db, url) -> int:
    import sqlalchemy as sa

    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)

    db.session.expunge_all()  # the request must load everything itself
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    return len(statements)


def add_archive_rows(db, start: int, count: int) -> None:
    for ordinal in range(start, start + count):
        edition = archived(ordinal, 2000 + ordinal, archive_region_count=3,
                           archive_country_count=1, archive_country_codes=["AM"])
        forum(edition, starts_in_days=-500)
        db.session.add(ArchiveWinner(edition=edition, kind=AwardKind.WINNER, full_name="Имя"))
        factories.make_event(edition, starts_in_days=-400 + ordinal)
        factories.make_event(edition, starts_in_days=5 + ordinal)
        db.session.add(CommitteeMember(full_name_ru=f"Член {ordinal}"))
        db.session.add(Partner(name_ru=f"Партнёр {ordinal}"))
        jury = db.session.scalar(db.select(Edition).where(Edition.ordinal == 90))
        factories.add_to_jury(jury, factories.make_juror("AM", f"Организация {ordinal}"))
    db.session.commit()


@pytest.mark.parametrize("url", ["/archive", "/events", "/committee", "/partners",
                                 "/jury-members", "/sitemap.xml"])
def test_list_pages_do_not_query_per_row(client, db, url):
    factories.make_edition(ordinal=90, jury_published=True)
    add_archive_rows(db, 1, 2)
    client.get(url)  # once-per-process work of other features (e.g. the results clock)
    few = queries_for(client, db, url)
    add_archive_rows(db, 3, 6)
    assert queries_for(client, db, url) == few
