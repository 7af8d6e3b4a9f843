"""The jury's members: invitations and their signed links, profiles, pools, publication,
and the conflicts page."""

import re
from datetime import timedelta

import pytest

from pdcompetition.models import (
    ApplicationState,
    AuditEntry,
    ConflictDeclaration,
    JurorInvitation,
    JuryMember,
    Role,
    User,
)

from .factories import (
    add_to_jury,
    assign,
    make_application,
    make_edition,
    make_juror,
    make_user,
    now,
)

NEW_PASSWORD = "жюри-2024-доверие"


@pytest.fixture
def organizer(db, auth):
    user = make_user(Role.ORGANIZER, locale="en")  # pages in English for the assertions
    db.session.commit()
    auth.login(user)
    return user


def invite(client, edition, email="Expert@Example.org", name="Айгуль Садыкова", language="ru"):
    return client.post(f"/manage/editions/{edition.id}/jury/invite",
                       data={"email": email, "full_name": name, "language": language})


def link_from(message) -> str:
    return re.search(r"http://\S+/invitation/jury/\S+", message.body_text).group(0)


def path(url: str) -> str:
    """The link's path, asking for English pages when nobody is signed in."""
    return url.split("localhost", 1)[-1] + "?lang=en"


def test_invitation_is_mailed_in_its_language_and_listed(client, db, organizer, outbox):
    edition = make_edition()
    db.session.commit()
    response = invite(client, edition, language="en")
    assert response.status_code == 302
    mail = outbox()[-1]
    assert mail.to_email == "expert@example.org"
    assert mail.locale == "en"
    assert mail.subject == "Invitation to the jury of the competition «Leader of Public Diplomacy»"
    assert "/invitation/jury/" in mail.body_text
    page = client.get(f"/manage/editions/{edition.id}/jury").get_data(as_text=True)
    assert "Айгуль Садыкова" in page and "expert@example.org" in page
    entry = db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "jury.invited"))
    assert entry.actor_id == organizer.id


def test_bad_invitations_are_refused_on_the_page(client, db, organizer, outbox):
    edition = make_edition()
    member = make_juror(email="sitting@example.org")
    add_to_jury(edition, member)
    db.session.commit()
    response = invite(client, edition, email="not-an-email")
    assert response.status_code == 400
    assert 'value="not-an-email"' in response.get_data(as_text=True)
    response = invite(client, edition, email="Sitting@example.org")
    assert response.status_code == 400
    assert "sitting@example.org is already on this edition" in response.get_data(as_text=True)
    assert outbox() == []


def test_new_juror_accepts_once_and_gets_an_account(client, db, organizer, outbox, auth):
    edition = make_edition()
    db.session.commit()
    invite(client, edition)
    url = path(link_from(outbox()[-1]))
    auth.logout()
    page = client.get(url).get_data(as_text=True)
    assert 'value="Айгуль Садыкова"' in page
    response = client.post(url, data={"full_name": "Айгуль Садыкова", "password": "short",
                                      "confirm": "short"})
    assert response.status_code == 200 and "at least 10" in response.get_data(as_text=True)
    response = client.post(url, data={"full_name": "Айгуль Садыкова", "password": NEW_PASSWORD,
                                      "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    user = db.session.scalar(db.select(User).where(User.email == "expert@example.org"))
    assert user.is_juror and user.email_confirmed_at is not None and user.juror_profile
    assert user.check_password(NEW_PASSWORD)
    member = db.session.scalar(db.select(JuryMember).where(JuryMember.user_id == user.id))
    assert member.edition_id == edition.id
    invitation = db.session.scalar(db.select(JurorInvitation))
    assert invitation.accepted_user_id == user.id
    # Signed in at once, and the link does not work a second time.
    assert client.get("/auth/profile").status_code == 200
    auth.logout()
    response = client.get(url)
    assert response.status_code == 404
    assert "does not work" in response.get_data(as_text=True)


def test_existing_account_logs_in_then_accepts(client, db, organizer, outbox, auth):
    edition = make_edition()
    person = make_user(Role.APPLICANT, email="expert@example.org", locale="en")
    other = make_user(Role.APPLICANT, locale="en")
    db.session.commit()
    invite(client, edition)
    url = path(link_from(outbox()[-1]))
    auth.logout()
    page = client.get(url).get_data(as_text=True)
    assert "already have an account" in page
    auth.login(other)
    assert "You are logged in as" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 200
    assert db.session.scalar(db.select(JuryMember)) is None
    auth.logout()
    auth.login(person)
    assert client.post(url).status_code == 302
    db.session.expire_all()
    assert Role.JUROR in db.session.get(User, person.id).roles
    assert Role.APPLICANT in db.session.get(User, person.id).roles
    assert db.session.scalar(db.select(JuryMember)).user_id == person.id


def test_link_expires_and_withdrawn_links_stop_working(client, db, organizer, outbox, frozen_time):
    edition = make_edition()
    db.session.commit()
    frozen_time(now())
    invite(client, edition, email="first@example.org")
    invite(client, edition, email="second@example.org")
    first, second = (path(link_from(m)) for m in outbox())
    withdrawn = db.session.scalar(
        db.select(JurorInvitation).where(JurorInvitation.email == "second@example.org"))
    response = client.post(
        f"/manage/editions/{edition.id}/jury/invitations/{withdrawn.id}/revoke")
    assert response.headers["Location"].endswith(f"/manage/editions/{edition.id}/jury")
    assert client.get(second).status_code == 404
    assert client.get(first).status_code == 200
    frozen_time(now() + timedelta(days=15))
    assert client.get(first).status_code == 404
    assert client.get("/invitation/jury/garbage?lang=en").status_code == 404


def test_resend_mails_again(client, db, organizer, outbox):
    edition = make_edition()
    db.session.commit()
    invite(client, edition)
    invitation = db.session.scalar(db.select(JurorInvitation))
    client.post(f"/manage/editions/{edition.id}/jury/invitations/{invitation.id}/resend")
    assert [m.template for m in outbox()] == ["juror_invitation", "juror_invitation"]


def test_profile_cap_pool_and_visibility_are_saved(client, db, organizer):
    edition = make_edition(nominations=3)
    juror = make_juror(country_code="KG")
    member = add_to_jury(edition, juror)
    db.session.commit()
    url = f"/manage/editions/{edition.id}/jury/members/{member.id}"
    assert "Nomination 2" in client.get(url).get_data(as_text=True)
    data = {
        "country_code": "RU", "region_code": "RU-PER", "organization": "АНО «Мост»",
        "position_ru": "Директор", "position_en": "Director", "languages": "русский, English",
        "bio_ru": "Эксперт", "bio_en": "Expert", "max_applications": "10",
        "nominations": [str(edition.nominations[1].id)], "position": "2",
    }
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    member = db.session.get(JuryMember, member.id)
    profile = member.user.juror_profile
    assert (profile.country_code, profile.region_code, profile.organization) == (
        "RU", "RU-PER", "АНО «Мост»")
    assert member.max_applications == 10 and member.is_public is False and member.position == 2
    assert [n.id for n in member.nominations] == [edition.nominations[1].id]
    page = client.get(f"/manage/editions/{edition.id}/jury").get_data(as_text=True)
    assert "АНО «Мост»" in page


def test_region_outside_russia_is_refused_and_input_kept(client, db, organizer):
    edition = make_edition()
    member = add_to_jury(edition, make_juror())
    db.session.commit()
    response = client.post(f"/manage/editions/{edition.id}/jury/members/{member.id}",
                           data={"country_code": "KZ", "region_code": "RU-PER",
                                 "organization": "Фонд «Диалог»", "max_applications": "-3"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A Russian region is only for jurors from Russia." in text
    assert 'value="Фонд «Диалог»"' in text


def test_removing_a_member_with_assignments_is_refused(client, db, organizer):
    edition = make_edition()
    application = make_application(edition, state=ApplicationState.ACCEPTED)
    busy = add_to_jury(edition, make_juror())
    free = add_to_jury(edition, make_juror())
    assign(application, busy.user)
    db.session.commit()
    client.post(f"/manage/editions/{edition.id}/jury/members/{busy.id}/remove")
    client.post(f"/manage/editions/{edition.id}/jury/members/{free.id}/remove")
    remaining = db.session.scalars(db.select(JuryMember.id)).all()
    assert remaining == [busy.id]
    page = client.get(f"/manage/editions/{edition.id}/jury").get_data(as_text=True)
    assert "still has 1 assignments" in page


def test_publish_and_hide_the_jury_page(client, db, organizer):
    edition = make_edition()
    db.session.commit()
    client.post(f"/manage/editions/{edition.id}/jury/publish", data={"published": "1"})
    db.session.refresh(edition)
    assert edition.jury_published is True
    client.post(f"/manage/editions/{edition.id}/jury/publish", data={"published": "0"})
    db.session.refresh(edition)
    assert edition.jury_published is False


def test_conflicts_page_shows_every_source(client, db, organizer):
    edition = make_edition(conflict_same_country=True)
    kg = make_application(edition, state=ApplicationState.ACCEPTED, organization="АНО «Мост»",
                          country_code="KG", region_code="")
    ru = make_application(edition, state=ApplicationState.ACCEPTED, organization="Диалог")
    juror = make_juror(country_code="KZ", organization="Мост", full_name="Эксперт Мостов")
    compatriot = make_juror(country_code="RU", full_name="Эксперт Россиянин")
    declaring = make_juror(country_code="IT", full_name="Esperto Italiano")
    for person in (juror, compatriot, declaring):
        add_to_jury(edition, person)
    assign(ru, declaring)
    db.session.add(ConflictDeclaration(application_id=ru.id, juror_id=declaring.id,
                                       reason="Бывший коллега заявителя"))
    db.session.commit()
    text = client.get(f"/manage/editions/{edition.id}/jury/conflicts").get_data(as_text=True)
    assert "Same organization: Мост" in text
    assert "Same country: Russia" in text or "Same country: Россия" in text
    assert "Declared by the juror: Бывший коллега заявителя" in text
    assert "Awaiting reassignment" in text
    assert text.index("Бывший коллега") < text.index("Same organization")  # awaiting first
    assert kg.display_number in text
