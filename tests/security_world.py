"""One of everything, for the fuzzing and XSS tests: editions, people in every role,
applications in every state the pages show, a stored document, a score sheet, an event,
committee, partner, archive winner, invitation and custom country.

`build_world(db, text=...)` fills the free-text fields with `text` (the XSS tests pass their
probe) and returns the objects by name; `sign_in(client, user)` logs a client in without
the password round trip (the session holds what Flask-Login stores after a real login).
"""

from datetime import timedelta
from functools import cache
from io import BytesIO
from types import SimpleNamespace

from werkzeug.datastructures import FileStorage

from pdcompetition.models import (
    ApplicationState,
    ArchiveWinner,
    Attachment,
    AwardKind,
    CommitteeMember,
    CustomCountry,
    EditionStatus,
    JurorInvitation,
    Partner,
    Role,
    SheetStatus,
    User,
)

from . import factories


@cache
def small_pdf() -> bytes:
    """A valid one-page PDF, made once (fpdf2 takes a while to load its fonts)."""
    return factories.pdf_bytes()


def _attach(application, name: str = "Письмо поддержки.pdf") -> Attachment:
    from pdcompetition.applications import uploads
    from pdcompetition.extensions import db

    stored = uploads.store_upload(
        FileStorage(BytesIO(small_pdf()), filename=name), 10 * 1024 * 1024
    )
    attachment = Attachment(
        application=application, original_name=name, stored_name=stored.stored_name,
        content_type=stored.content_type, size=stored.size, sha256=stored.sha256,
        uploaded_at=factories.now(),
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def build_world(db, text: str | None = None) -> SimpleNamespace:
    """Every kind of object a form or page works on; free text is `text` when given."""
    t = text
    admin = factories.make_user(Role.ADMIN, full_name=t or "Администратор")
    organizer = factories.make_user(Role.ORGANIZER, full_name=t or "Наталья Организатор")
    owner = factories.make_user(Role.APPLICANT, full_name=t or "Анна Заявитель")
    other = factories.make_user(Role.APPLICANT, full_name=t or "Борис Другой")
    juror = factories.make_juror(full_name=t or "Ирина Эксперт", organization=t or "")
    newcomer = factories.make_user(Role.APPLICANT, full_name=t or "Вера Новенькая")

    past = factories.make_edition(ordinal=1, status=EditionStatus.ARCHIVED,
                                  open_days_ago=800, close_in_days=-700,
                                  judging_in_days=-690, results_in_days=-680)
    edition = factories.make_edition(
        ordinal=2, description_ru=t or "Конкурс для лидеров НКО.",
        rules_ru=t or "Правила конкурса.",
    )
    if t:
        edition.nominations[0].name_ru = t
        edition.nominations[0].description_ru = t
        edition.criteria[0].name_ru = t
        edition.criteria[0].description_ru = t
    texts = {}
    if t:
        texts = dict(
            full_name=t, organization=t, organization_role=t, city=t, project_title=t,
            project_description=t, project_goals=t, project_results=t, project_partners=t,
            project_links=t,
        )
    draft = factories.make_draft(edition, owner, **texts)
    document = _attach(draft, name=(t + ".pdf") if t else "Письмо поддержки.pdf")
    submitted = factories.make_application(edition, other, **texts)
    accepted = factories.make_application(edition, state=ApplicationState.ACCEPTED, **texts)
    _attach(accepted, name=(t + ".pdf") if t else "Устав.pdf")
    member = factories.add_to_jury(edition, juror, coi_confirmed_at=factories.now())
    assignment = factories.assign(accepted, juror)
    sheet = factories.make_sheet(assignment, [5, 6, 7], status=SheetStatus.DRAFT)
    if t:
        sheet.overall_comment = t
        for score in sheet.scores:
            score.comment = t
    event = factories.make_event(edition, description_ru=t or "Круглый стол.",
                                 venue=t or "Дом дружбы", speakers_ru=t or "")
    if t:
        event.title_ru = t
    committee = CommitteeMember(full_name_ru=t or "Пётр Комитетов", role_ru=t or "Председатель",
                                organization_ru=t or "Фонд", country_code="RU")
    partner = Partner(name_ru=t or "Фонд дружбы", url="https://example.org")
    winner = ArchiveWinner(edition=past, kind=AwardKind.WINNER, full_name=t or "Лауреат Прошлый",
                           organization=t or "АНО «Мост»", country_code="KZ",
                           nomination_ru=t or "Номинация")
    invitation = JurorInvitation(edition_id=edition.id, email="invited@example.org",
                                 full_name=t or "Приглашённый Эксперт", invited_by_id=organizer.id)
    country = CustomCountry(code="XK", name_ru=t or "Косово", name_en=t or "Kosovo")
    db.session.add_all([committee, partner, winner, invitation, country])
    db.session.flush()
    db.session.commit()
    return SimpleNamespace(
        admin=admin, organizer=organizer, owner=owner, other=other, juror=juror,
        newcomer=newcomer,
        past=past, edition=edition, draft=draft, document=document, submitted=submitted,
        accepted=accepted, member=member, assignment=assignment, sheet=sheet, event=event,
        committee=committee, partner=partner, winner=winner, invitation=invitation,
        country=country, nomination=edition.nominations[0], criterion=edition.criteria[0],
    )


def invitation_token(invitation) -> str:
    from pdcompetition.auth.tokens import make_signed_token
    from pdcompetition.jury_admin.members import TOKEN_PURPOSE

    return make_signed_token(TOKEN_PURPOSE, {"inv": invitation.id, "email": invitation.email})


def reset_token(user) -> str:
    from pdcompetition.auth.tokens import make_reset_token

    return make_reset_token(user)


def sign_in(client, user: User | None) -> None:
    """Log `client` in as `user` (None: log out), as a successful login would."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True


def later(days: float):
    return factories.now() + timedelta(days=days)
