"""The jury dashboard for organizers: done/total, overdue jurors, reminder mails."""

import pytest

from pdcompetition.models import ApplicationState, ConflictDeclaration, Role, SheetStatus

from .factories import (
    add_to_jury,
    assign,
    make_application,
    make_edition,
    make_juror,
    make_sheet,
    make_user,
)


@pytest.fixture
def organizer(db, auth):
    user = make_user(Role.ORGANIZER, locale="en")
    db.session.commit()
    auth.login(user)
    return user


def jury(edition):
    """Three jurors: Анна done, Борис with a draft and an untouched one, Italian idle."""
    apps = [make_application(edition, state=ApplicationState.ACCEPTED) for _ in range(2)]
    anna = make_juror(full_name="Анна Done")
    boris = make_juror(full_name="Борис Busy", locale="en")
    idle = make_juror(full_name="Esperto Idle")
    for juror in (anna, boris, idle):
        add_to_jury(edition, juror)
    for app in apps:
        make_sheet(assign(app, anna))
    make_sheet(assign(apps[0], boris), status=SheetStatus.DRAFT)
    assign(apps[1], boris)
    return apps, anna, boris, idle


def test_progress_shows_done_total_and_per_application(client, db, organizer):
    edition = make_edition()
    apps, anna, boris, idle = jury(edition)
    db.session.commit()
    text = client.get(f"/manage/editions/{edition.id}/jury/progress").get_data(as_text=True)
    assert "Анна Done" in text and "2 / 2" in text
    assert "0 / 2" in text  # Boris
    assert "Nothing assigned" in text  # the idle juror
    assert "In progress" in text and "Overdue" not in text
    assert apps[0].display_number in text and "1 / 2" in text


def test_overdue_jurors_are_flagged(client, db, organizer):
    edition = make_edition(judging_in_days=-1, close_in_days=-5, open_days_ago=30)
    jury(edition)
    db.session.commit()
    text = client.get(f"/manage/editions/{edition.id}/jury/progress").get_data(as_text=True)
    assert "Overdue" in text
    assert 'class="status-overdue"' in text


def test_deadline_near_is_flagged(client, db, organizer):
    edition = make_edition(judging_in_days=2)
    jury(edition)
    db.session.commit()
    text = client.get(f"/manage/editions/{edition.id}/jury/progress").get_data(as_text=True)
    assert "Deadline near" in text


def test_reminders_go_only_to_unfinished_jurors_in_their_language(client, db, organizer, outbox):
    edition = make_edition(judging_in_days=-1, close_in_days=-5, open_days_ago=30)
    _apps, anna, boris, idle = jury(edition)
    db.session.commit()
    response = client.post(f"/manage/editions/{edition.id}/jury/progress/remind",
                           follow_redirects=True)
    assert "Reminders sent: 1." in response.get_data(as_text=True)
    mails = outbox()
    assert [m.to_email for m in mails] == [boris.email]
    assert mails[0].locale == "en"
    assert mails[0].subject == "The jury deadline has passed: 2 applications await your scores"
    assert "submitted 0 of 2 score sheets" in mails[0].body_text
    text = client.get(f"/manage/editions/{edition.id}/jury/progress").get_data(as_text=True)
    assert text.count("Send a reminder") == 1


def test_reminder_to_one_juror_and_to_nobody(client, db, organizer, outbox):
    edition = make_edition()
    _apps, anna, boris, idle = jury(edition)
    db.session.commit()
    url = f"/manage/editions/{edition.id}/jury/progress/remind"
    client.post(url, data={"juror_id": str(anna.id)})
    assert outbox() == []  # nothing unfinished
    client.post(url, data={"juror_id": str(boris.id)})
    assert [m.to_email for m in outbox()] == [boris.email]
    assert outbox()[0].subject == "Reminder: 2 applications await your scores"


def test_declared_conflicts_are_not_the_jurors_work(client, db, organizer, outbox):
    edition = make_edition()
    apps, anna, boris, idle = jury(edition)
    db.session.add(ConflictDeclaration(application_id=apps[1].id, juror_id=boris.id,
                                       reason="родственник"))
    db.session.commit()
    text = client.get(f"/manage/editions/{edition.id}/jury/progress").get_data(as_text=True)
    assert "0 / 1" in text
    assert "declared conflict: reassign" in text
