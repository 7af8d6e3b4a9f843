"""A small but complete world for the authorization matrix: one object of every kind.

Two applicants (the owner and another), two jurors (assigned to the owner's application,
and not), an organizer and an admin. The current edition (III) is open, its jury at work:
the owner's application there has an attachment and the assigned juror's score sheet.
The previous edition (II) has published results: the owner's application there has an
award and certificates. Plus an archived edition (I) with a winner, an event, a committee
member, a partner with a logo, a custom country and a pending jury invitation.
"""

import io
import os
from dataclasses import dataclass, field
from datetime import timedelta

from PIL import Image

from pdcompetition.extensions import db
from pdcompetition.models import (
    ApplicationState,
    ArchiveWinner,
    Attachment,
    Award,
    AwardKind,
    CommitteeMember,
    CustomCountry,
    Edition,
    EditionStatus,
    Event,
    EventKind,
    EventRegistration,
    JurorInvitation,
    Partner,
    RegistrationStatus,
    Role,
    SheetStatus,
)

from . import factories

ROLES = [
    "anonymous", "owner", "other_applicant", "assigned_juror", "other_juror", "organizer",
    "admin",
]


@dataclass
class World:
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)
    tokens: dict = field(default_factory=dict)


def _pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\nxref\n0 3\n"
            b"0000000000 65535 f \n0000000009 00000 n \n0000000052 00000 n \n"
            b"trailer<</Size 3/Root 1 0 R>>\nstartxref\n95\n%%EOF\n")


def build_world(app) -> World:
    """Create the world and commit it; returns the ids the URLs need."""
    from pdcompetition.applications.uploads import stored_path
    from pdcompetition.auth import tokens as auth_tokens
    from pdcompetition.jury_admin.members import invitation_link
    from pdcompetition.public.logos import save_logo
    from pdcompetition.results.certificates import issue_certificates

    world = World()
    now = factories.now()
    users = world.users
    users["owner"] = factories.make_user(Role.APPLICANT, full_name="Анна Владелица")
    users["other_applicant"] = factories.make_user(Role.APPLICANT, full_name="Борис Другой")
    users["assigned_juror"] = factories.make_juror(country_code="IT", organization="Uni")
    users["other_juror"] = factories.make_juror(country_code="KZ", organization="Fond")
    users["organizer"] = factories.make_user(Role.ORGANIZER)
    users["admin"] = factories.make_user(Role.ADMIN)

    edition = factories.make_edition(ordinal=3)
    edition.jury_published = True
    mine = factories.make_application(edition, users["owner"], state=ApplicationState.ACCEPTED)
    theirs = factories.make_application(edition, users["other_applicant"],
                                        state=ApplicationState.ACCEPTED,
                                        nomination=edition.nominations[1])
    members = {
        key: factories.add_to_jury(edition, users[key], coi_confirmed_at=now)
        for key in ("assigned_juror", "other_juror")
    }
    mine_assignment = factories.assign(mine, users["assigned_juror"])
    theirs_assignment = factories.assign(theirs, users["other_juror"])
    sheet = factories.make_sheet(mine_assignment, status=SheetStatus.DRAFT)
    factories.make_sheet(theirs_assignment, status=SheetStatus.DRAFT)

    published = factories.make_edition(ordinal=2, open_days_ago=400, close_in_days=-300,
                                       judging_in_days=-280, results_in_days=-270)
    published.jury_closed_at = now - timedelta(days=281)
    published.results_approved_at = now - timedelta(days=275)
    published.results_published_at = now - timedelta(days=270)
    published.results_mailed_at = now - timedelta(days=270)
    published.applicant_feedback = True
    mine_before = factories.make_application(published, users["owner"],
                                             state=ApplicationState.ACCEPTED)
    theirs_before = factories.make_application(published, users["other_applicant"],
                                               state=ApplicationState.ACCEPTED)
    for application, juror in ((mine_before, "assigned_juror"), (theirs_before, "other_juror")):
        factories.make_sheet(factories.assign(application, users[juror]))
    db.session.add(Award(application=mine_before, edition_id=published.id,
                         nomination_id=mine_before.nomination_id, kind=AwardKind.WINNER))

    stored = "authz-matrix-file.pdf"
    data = _pdf_bytes()
    with app.test_request_context():
        path = stored_path(stored)
    os.makedirs(path.parent, exist_ok=True)
    path.write_bytes(data)
    attachment = Attachment(application=mine, original_name="устав.pdf", stored_name=stored,
                            content_type="application/pdf", size=len(data), sha256="0" * 64)
    db.session.add(attachment)

    archived = Edition(ordinal=1, year=2022, status=EditionStatus.ARCHIVED, title_ru="I конкурс",
                       archive_region_count=34, archive_country_count=23,
                       archive_country_codes=["AZ"], results_published_at=now - timedelta(days=600),
                       results_approved_at=now - timedelta(days=600))
    db.session.add(archived)
    db.session.flush()
    winner = ArchiveWinner(edition_id=archived.id, kind=AwardKind.WINNER, full_name="Победитель")
    db.session.add(winner)
    event = Event(edition=edition, kind=EventKind.ROUND_TABLE, title_ru="Круглый стол",
                  city_ru="Баку", country_code="AZ", starts_at=now + timedelta(days=10),
                  registration_open=True, capacity=50)
    db.session.add(event)
    db.session.flush()
    db.session.add(EventRegistration(event=event, user=users["owner"],
                                     status=RegistrationStatus.REGISTERED))
    member = CommitteeMember(full_name_ru="Член комитета", role_ru="Председатель")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (29, 63, 114)).save(buffer, "PNG")
    with app.test_request_context():
        logo = save_logo(buffer.getvalue())
    partner = Partner(name_ru="Партнёр", url="https://example.org", logo_name=logo)
    db.session.add_all([member, partner, CustomCountry(code="XA", name_ru="Абхазия",
                                                       name_en="Abkhazia")])
    invitation = JurorInvitation(edition_id=edition.id, email="invited@example.org",
                                 invited_by_id=users["organizer"].id)
    db.session.add(invitation)
    db.session.flush()
    issue_certificates(published)
    db.session.flush()
    from pdcompetition.models import Certificate

    certificate = db.session.scalar(
        db.select(Certificate).where(Certificate.application_id == mine_before.id))
    with app.test_request_context():
        world.tokens = {
            "confirm": auth_tokens.make_confirmation_token(users["owner"]),
            "reset": auth_tokens.make_reset_token(users["owner"]),
            "invitation": invitation_link(invitation).rsplit("/", 1)[-1],
        }
    world.ids = {
        "edition_id": edition.id, "ordinal": edition.ordinal, "archived_id": archived.id,
        "application_id": mine.id, "other_application_id": theirs.id,
        "published_edition_id": published.id, "published_ordinal": published.ordinal,
        "published_application_id": mine_before.id,
        "published_nomination_id": published.nominations[0].id,
        "attachment_id": attachment.id, "sheet_id": sheet.id,
        "assignment_id": mine_assignment.id, "juror_member_id": members["other_juror"].id,
        "assigned_member_id": members["assigned_juror"].id,
        "nomination_id": edition.nominations[0].id, "criterion_id": edition.criteria[0].id,
        "event_id": event.id, "committee_member_id": member.id, "partner_id": partner.id,
        "winner_id": winner.id, "invitation_id": invitation.id, "logo": logo,
        "certificate_code": certificate.code, "user_id": users["other_applicant"].id,
    }
    db.session.commit()
    return world
