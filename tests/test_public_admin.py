"""Organizers edit events, committee, partners and archive figures from the browser."""

import csv
import io
import os
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from PIL import Image

from pdcompetition.models import (
    ArchiveWinner,
    AwardKind,
    CommitteeMember,
    EditionStatus,
    Event,
    EventRegistration,
    Partner,
    RegistrationStatus,
    Role,
)
from pdcompetition.public.logos import logo_folder

from . import factories


@pytest.fixture
def organizer(db, auth):
    user = factories.make_user(Role.ORGANIZER)
    db.session.commit()
    auth.login(user)
    return user


def event_form(**overrides):
    data = {
        "kind": "round_table", "edition_id": "", "title_ru": "Круглый стол в Баку",
        "title_en": "Round table in Baku", "description_ru": "Описание", "city_ru": "Баку",
        "city_en": "Baku", "country_code": "AZ", "venue": "Дом дружбы",
        "starts_at": "2030-02-20T11:00", "ends_at": "2030-02-20T14:30",
        "speakers_ru": "Модератор: Анна Лебедева\r\nЛейла Мамедова", "capacity": "30",
        "waitlist_enabled": "y", "registration_open": "y", "is_published": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Events

def test_create_event_in_moscow_time_with_partners(client, db, organizer):
    partner = Partner(name_ru="Дом дружбы")
    db.session.add(partner)
    db.session.commit()
    response = client.post("/manage/public/events/new",
                           data=event_form(partner_ids=[str(partner.id)]))
    event = db.session.scalar(db.select(Event))
    assert response.headers["Location"] == f"/events/{event.id}"
    assert event.starts_at == datetime(2030, 2, 20, 8, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2030, 2, 20, 11, 30, tzinfo=UTC)
    assert event.speakers_ru == "Модератор: Анна Лебедева\nЛейла Мамедова"
    assert event.capacity == 30 and event.waitlist_enabled and event.registration_open
    assert [p.name_ru for p in event.partners] == ["Дом дружбы"]
    page = client.get(f"/manage/public/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="2030-02-20T11:00"' in page


def test_bad_event_input_is_explained_and_kept(client, db, organizer):
    page = client.post("/manage/public/events/new", data=event_form(
        title_ru="", ends_at="2030-02-20T10:00", capacity="0", title_en="Kept title",
    )).get_data(as_text=True)
    assert "Окончание должно быть позже начала." in page
    assert 'value="Kept title"' in page
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
    assert page.count('class="error"') >= 3


def test_only_one_event_announces_an_editions_results(client, db, organizer):
    edition = factories.make_edition(ordinal=3)
    old = factories.make_event(edition, announces_results=True)
    db.session.commit()
    client.post("/manage/public/events/new", data=event_form(
        kind="forum", edition_id=str(edition.id), announces_results="y"))
    db.session.expire_all()
    assert not db.session.get(Event, old.id).announces_results
    assert edition.forum_event.title_ru == "Круглый стол в Баку"
    page = client.post("/manage/public/events/new", data=event_form(announces_results="y"))
    assert "Выберите конкурс" in page.get_data(as_text=True)


def test_raising_capacity_lets_the_waiting_list_in(client, db, organizer, outbox):
    event = factories.make_event(capacity=1, waitlist_enabled=True, title_ru="Стол")
    seated, waiting = factories.make_user(), factories.make_user()
    db.session.add_all([
        EventRegistration(event=event, user=seated, status=RegistrationStatus.REGISTERED),
        EventRegistration(event=event, user=waiting, status=RegistrationStatus.WAITLISTED),
    ])
    db.session.commit()
    data = factories_event_data(client, event)
    data["capacity"] = "2"
    assert client.post(f"/manage/public/events/{event.id}/edit", data=data).status_code == 302
    registration = db.session.scalar(
        db.select(EventRegistration).where(EventRegistration.user_id == waiting.id))
    assert registration.status == RegistrationStatus.REGISTERED
    assert [mail.to_email for mail in outbox()] == [waiting.email]


def factories_event_data(client, event):
    """The edit form as the browser would send it back unchanged."""
    return event_form(
        kind=event.kind.value, title_ru=event.title_ru, title_en=event.title_en,
        starts_at="2030-02-20T11:00", ends_at="", capacity=str(event.capacity or ""),
        waitlist_enabled="y" if event.waitlist_enabled else None,
    )


def test_delete_event_removes_its_registrations(client, db, organizer):
    event = factories.make_event()
    db.session.add(EventRegistration(event=event, user=factories.make_user(),
                                     status=RegistrationStatus.REGISTERED))
    db.session.commit()
    client.post(f"/manage/public/events/{event.id}/delete")
    assert db.session.scalar(db.select(db.func.count(Event.id))) == 0
    assert db.session.scalar(db.select(db.func.count(EventRegistration.id))) == 0


def test_attendees_list_and_exports(client, db, organizer):
    event = factories.make_event(capacity=1, waitlist_enabled=True)
    first = factories.make_user(full_name="Анна Петрова", email="anna@example.org")
    second = factories.make_user(full_name="=HYPERLINK(\"http://evil\")", email="x@example.org")
    db.session.add_all([
        EventRegistration(event=event, user=second, status=RegistrationStatus.WAITLISTED),
        EventRegistration(event=event, user=first, status=RegistrationStatus.REGISTERED),
    ])
    db.session.commit()
    page = client.get(f"/manage/public/events/{event.id}/attendees").get_data(as_text=True)
    assert page.index("Анна Петрова") < page.index("HYPERLINK")
    assert "Зарегистрирован" in page or "Registered" in page

    response = client.get(f"/manage/public/events/{event.id}/attendees.csv")
    assert response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0][1:3] == ["Имя", "Электронная почта"]
    assert rows[1][1:3] == ["Анна Петрова", "anna@example.org"]
    assert rows[2][1].startswith("'=")  # a name is never run as a formula

    response = client.get(f"/manage/public/events/{event.id}/attendees.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][1] == "Анна Петрова" and values[2][2] == "x@example.org"
    assert len(values) == 3


# Committee

def test_committee_member_create_edit_delete(client, db, organizer):
    response = client.post("/manage/public/committee/new", data={
        "full_name_ru": " Елена Морозова ", "full_name_en": "Elena Morozova",
        "role_ru": "Председатель", "country_code": "RU", "position": "2", "is_published": "y"})
    assert response.headers["Location"] == "/manage/public/committee"
    member = db.session.scalar(db.select(CommitteeMember))
    assert member.full_name_ru == "Елена Морозова" and member.position == 2
    assert "Елена Морозова" in client.get("/committee").get_data(as_text=True)

    client.post(f"/manage/public/committee/{member.id}/edit", data={
        "full_name_ru": "Елена Морозова", "position": "", "country_code": ""})
    db.session.expire_all()
    assert member.is_published is False and member.position == 0
    assert "Елена Морозова" not in client.get("/committee").get_data(as_text=True)

    page = client.post("/manage/public/committee/new", data={"full_name_ru": "",
                                                             "country_code": "ZZZ"})
    assert page.status_code == 200
    client.post(f"/manage/public/committee/{member.id}/delete")
    assert db.session.scalar(db.select(db.func.count(CommitteeMember.id))) == 0


# Partners and logos

def image_file(fmt="PNG", size=(1200, 900), name="logo.png"):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 60, 120)).save(out, format=fmt)
    out.seek(0)
    return (out, name)


def partner_form(**overrides):
    data = {"name_ru": "Дом дружбы", "name_en": "House of Friendship",
            "url": "https://example.org/", "position": "1", "is_published": "y"}
    data.update(overrides)
    return data


def stored_logos():
    return sorted(os.listdir(logo_folder()))


def test_logo_is_checked_resized_and_stored_under_a_random_name(client, db, organizer):
    response = client.post("/manage/public/partners/new",
                           data=partner_form(logo=image_file("JPEG", name="../../evil.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    partner = db.session.scalar(db.select(Partner))
    assert partner.logo_name != "evil.png" and partner.logo_name.endswith(".png")
    assert stored_logos() == [partner.logo_name]
    with Image.open(os.path.join(logo_folder(), partner.logo_name)) as image:
        assert image.format == "PNG"
        assert image.size == (320, 240)  # 1200×900 fitted into 480×240


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "logo.svg"),
     (b"MZ\x90\x00 not an image at all", "logo.png"),
     (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png"),
     (b"%PDF-1.4\n", "logo.pdf")],
)
def test_files_that_are_not_images_are_refused(client, db, organizer, content, name):
    response = client.post("/manage/public/partners/new",
                           data=partner_form(logo=(io.BytesIO(content), name)),
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Этот файл не подходит как изображение" in page
    assert 'value="House of Friendship"' in page  # what was typed is kept
    assert db.session.scalar(db.select(db.func.count(Partner.id))) == 0
    assert stored_logos() == []


def test_replace_and_remove_logo_clean_up_files(client, db, organizer):
    client.post("/manage/public/partners/new", data=partner_form(logo=image_file()),
                content_type="multipart/form-data")
    partner = db.session.scalar(db.select(Partner))
    first = partner.logo_name
    client.post(f"/manage/public/partners/{partner.id}/edit",
                data=partner_form(logo=image_file(size=(100, 100))),
                content_type="multipart/form-data")
    db.session.expire_all()
    assert partner.logo_name != first and stored_logos() == [partner.logo_name]
    client.post(f"/manage/public/partners/{partner.id}/edit",
                data=partner_form(remove_logo="y"), content_type="multipart/form-data")
    db.session.expire_all()
    assert partner.logo_name == "" and stored_logos() == []
    client.post(f"/manage/public/partners/{partner.id}/edit",
                data=partner_form(logo=image_file()), content_type="multipart/form-data")
    client.post(f"/manage/public/partners/{partner.id}/delete")
    assert stored_logos() == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "example.org", "ftp://example.org/x"])
def test_partner_link_must_be_a_web_address(client, db, organizer, url):
    page = client.post("/manage/public/partners/new", data=partner_form(url=url),
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Введите полный адрес, начиная с https://" in page
    assert db.session.scalar(db.select(db.func.count(Partner.id))) == 0


# Archive figures and winners

def test_archive_figures_of_an_archived_edition(client, db, organizer):
    edition = factories.make_edition(ordinal=1, status=EditionStatus.ARCHIVED)
    active = factories.make_edition(ordinal=3)
    db.session.commit()
    assert client.get(f"/manage/public/archive/{active.id}").status_code == 404
    response = client.post(f"/manage/public/archive/{edition.id}", data={
        "archive_region_count": "34", "archive_country_count": "23",
        "archive_country_codes": ["AZ", "TR"],
        "results_announced_at": "2022-12-08T15:00"})
    assert response.status_code == 302
    db.session.expire_all()
    assert edition.archive_region_count == 34 and edition.archive_country_count == 23
    assert edition.archive_country_codes == ["AZ", "TR"]
    assert edition.results_published_at == datetime(2022, 12, 8, 12, 0, tzinfo=UTC)
    text = client.get("/archive").get_data(as_text=True)
    assert "34 региона России" in text and "Азербайджан, Турция" in text

    page = client.post(f"/manage/public/archive/{edition.id}", data={
        "archive_region_count": "0", "archive_country_count": "1",
        "archive_country_codes": ["AZ", "TR"]}).get_data(as_text=True)
    assert "Отмечено стран: 2; общее число не может быть меньше." in page
    page = client.post(f"/manage/public/archive/{edition.id}", data={
        "archive_region_count": "", "archive_country_count": "1"}).get_data(as_text=True)
    assert "Введите число (0, если их не было)." in page
    db.session.expire_all()
    assert edition.archive_region_count == 34


def test_archive_winners_create_edit_delete(client, db, organizer):
    edition = factories.make_edition(ordinal=1, status=EditionStatus.ARCHIVED)
    other = factories.make_edition(ordinal=2, status=EditionStatus.ARCHIVED)
    foreign = ArchiveWinner(edition=other, kind=AwardKind.WINNER, full_name="Чужой")
    db.session.add(foreign)
    edition.results_published_at = factories.now()
    db.session.commit()
    response = client.post(f"/manage/public/archive/{edition.id}/winners/new", data={
        "kind": "winner", "full_name": "Анна Петрова", "organization": "АНО «Мост»",
        "country_code": "RU", "nomination_ru": "Народная дипломатия", "position": "1"})
    assert response.headers["Location"] == f"/manage/public/archive/{edition.id}"
    winner = db.session.scalar(
        db.select(ArchiveWinner).where(ArchiveWinner.edition_id == edition.id))
    assert winner.kind == AwardKind.WINNER
    client.post(f"/manage/public/archive/{edition.id}/winners/{winner.id}/edit", data={
        "kind": "laureate", "full_name": "Анна Петрова", "organization": "",
        "country_code": ""})
    db.session.expire_all()
    assert winner.kind == AwardKind.LAUREATE and winner.organization == ""
    assert "Анна Петрова" in client.get("/archive").get_data(as_text=True)
    # A winner is reached only through its own edition.
    url = f"/manage/public/archive/{edition.id}/winners/{foreign.id}"
    assert client.get(url + "/edit").status_code == 404
    assert client.post(url + "/delete").status_code == 404
    page = client.post(f"/manage/public/archive/{edition.id}/winners/new",
                       data={"kind": "gold", "full_name": ""}).get_data(as_text=True)
    assert page.count('class="error"') == 2
    winner_id, foreign_id = winner.id, foreign.id
    client.post(f"/manage/public/archive/{edition.id}/winners/{winner_id}/delete")
    db.session.expire_all()
    assert db.session.get(ArchiveWinner, winner_id) is None
    assert db.session.get(ArchiveWinner, foreign_id) is not None
