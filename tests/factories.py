"""Small factories for test data; each adds to the session and flushes, tests commit."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from pdcompetition.extensions import db
from pdcompetition.models import (
    Application,
    ApplicationState,
    Assignment,
    Criterion,
    Edition,
    EditionStatus,
    JurorProfile,
    JuryMember,
    Nomination,
    Role,
    Score,
    ScoreSheet,
    SheetStatus,
    User,
)

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)

# A Russian description long enough to pass the official-language check.
RUSSIAN_TEXT = (
    "Наш проект объединяет молодёжь из разных стран через совместные волонтёрские дела, "
    "культурные обмены и открытые встречи, укрепляя доверие между народами."
)


def now() -> datetime:
    return datetime.now(UTC)


def make_user(*roles: Role, email: str | None = None, confirmed: bool = True, **fields) -> User:
    n = next(_seq)
    user = User(
        email=email or f"user{n}@example.org",
        full_name=fields.pop("full_name", f"Пользователь {n}"),
        email_confirmed_at=now() if confirmed else None,
        **fields,
    )
    user.set_password(PASSWORD)
    for role in roles or (Role.APPLICANT,):
        user.grant(role)
    db.session.add(user)
    db.session.flush()
    return user


def make_juror(country_code: str = "RU", organization: str = "", **fields) -> User:
    user = make_user(Role.JUROR, **fields)
    db.session.add(
        JurorProfile(user=user, country_code=country_code, organization=organization)
    )
    db.session.flush()
    return user


def make_edition(
    *,
    ordinal: int | None = None,
    status: EditionStatus = EditionStatus.ACTIVE,
    open_days_ago: int = 10,
    close_in_days: int = 10,
    judging_in_days: int = 30,
    results_in_days: int = 40,
    nominations: int = 2,
    criteria: int = 3,
    **fields,
) -> Edition:
    n = ordinal or (100 + next(_seq))
    t = now()
    edition = Edition(
        ordinal=n,
        year=2024,
        status=status,
        title_ru=f"Конкурс {n}",
        title_en=f"Competition {n}",
        applications_open_at=t - timedelta(days=open_days_ago),
        applications_close_at=t + timedelta(days=close_in_days),
        judging_close_at=t + timedelta(days=judging_in_days),
        results_publish_at=t + timedelta(days=results_in_days),
        **fields,
    )
    for i in range(nominations):
        edition.nominations.append(
            Nomination(name_ru=f"Номинация {i + 1}", name_en=f"Nomination {i + 1}", position=i)
        )
    for i in range(criteria):
        edition.criteria.append(
            Criterion(
                name_ru=f"Критерий {i + 1}",
                name_en=f"Criterion {i + 1}",
                max_score=10,
                weight=Decimal("1"),
                position=i,
            )
        )
    db.session.add(edition)
    db.session.flush()
    return edition


def make_application(
    edition: Edition,
    owner: User | None = None,
    *,
    state: ApplicationState = ApplicationState.SUBMITTED,
    nomination: Nomination | None = None,
    **fields,
) -> Application:
    owner = owner or make_user(Role.APPLICANT)
    n = next(_seq)
    values = dict(
        full_name=owner.full_name,
        birth_date=date(1990, 1, 1),
        citizenship="RU",
        email=owner.email,
        phone="+7 900 000-00-00",
        organization=f"АНО «Организация {n}»",
        organization_role="Руководитель",
        country_code="RU",
        region_code="RU-PER",
        city="Пермь",
        project_title=f"Проект {n}",
        project_description=RUSSIAN_TEXT,
        project_goals=RUSSIAN_TEXT,
        project_results=RUSSIAN_TEXT,
        project_partners="Партнёры в Казахстане",
        project_links="https://example.org",
    )
    values.update(fields)
    application = Application(
        edition=edition,
        owner=owner,
        nomination=nomination or edition.nominations[0],
        state=state,
        **values,
    )
    if state != ApplicationState.DRAFT:
        application.submitted_at = application.last_submitted_at = now() - timedelta(days=1)
        application.consent_given_at = application.submitted_at
        application.number = n
    db.session.add(application)
    db.session.flush()
    return application


def add_to_jury(edition: Edition, juror: User, **fields) -> JuryMember:
    member = JuryMember(edition=edition, user=juror, **fields)
    db.session.add(member)
    db.session.flush()
    return member


def assign(application: Application, juror: User) -> Assignment:
    assignment = Assignment(application=application, juror=juror)
    db.session.add(assignment)
    db.session.flush()
    return assignment


def make_sheet(
    assignment: Assignment,
    values: list[int] | None = None,
    *,
    status: SheetStatus = SheetStatus.SUBMITTED,
) -> ScoreSheet:
    criteria = assignment.application.edition.active_criteria
    values = values if values is not None else [5] * len(criteria)
    sheet = ScoreSheet(assignment=assignment, status=status)
    if status == SheetStatus.SUBMITTED:
        sheet.submitted_at = now()
    for criterion, value in zip(criteria, values, strict=True):
        sheet.scores.append(Score(criterion=criterion, value=value, comment="Комментарий"))
    db.session.add(sheet)
    db.session.flush()
    return sheet


def make_event(edition: Edition | None = None, *, starts_in_days: float = 10, **fields):
    """A published round table starting in `starts_in_days` days (negative: in the past)."""
    from pdcompetition.models import Event, EventKind

    n = next(_seq)
    values = dict(
        kind=EventKind.ROUND_TABLE,
        title_ru=f"Круглый стол {n}",
        title_en=f"Round table {n}",
        city_ru="Бишкек",
        city_en="Bishkek",
        country_code="KG",
        starts_at=now() + timedelta(days=starts_in_days),
        registration_open=True,
        is_published=True,
    )
    values.update(fields)
    event = Event(edition=edition, **values)
    db.session.add(event)
    db.session.flush()
    return event


def make_scored_application(edition: Edition, sheets, *, nomination=None, **fields) -> Application:
    """An accepted application with a sheet per (juror, values) pair; values None: no sheet,
    a ("draft", values) pair: a draft. Jurors join the edition's jury if needed."""
    application = make_application(
        edition, state=ApplicationState.ACCEPTED, nomination=nomination, **fields
    )
    for juror, values in sheets:
        if not db.session.scalar(db.select(JuryMember.id).where(
            JuryMember.edition_id == edition.id, JuryMember.user_id == juror.id
        )):
            add_to_jury(edition, juror)
        assignment = assign(application, juror)
        if values is None:
            continue
        if isinstance(values, tuple) and values[0] == "draft":
            make_sheet(assignment, values[1], status=SheetStatus.DRAFT)
        else:
            make_sheet(assignment, values)
    return application


# Applicants: a complete draft ready to submit, and small real documents.
VALID_OGRN = "1027700132195"
VALID_INN = "7707083893"


def make_draft(
    edition: Edition,
    owner: User | None = None,
    *,
    state: ApplicationState = ApplicationState.DRAFT,
    **fields,
) -> Application:
    """An application with every required field filled in Russian (valid OGRN and INN),
    a draft unless `state` says otherwise (without a number or submission date)."""
    values = dict(organization_ogrn=VALID_OGRN, organization_inn=VALID_INN)
    values.update(fields)
    application = make_application(edition, owner, state=ApplicationState.DRAFT, **values)
    application.state = state
    db.session.flush()
    return application


def pdf_bytes(text: str = "Письмо поддержки") -> bytes:
    """A small, valid PDF document."""
    from pdcompetition.pdf import new_document, to_bytes

    pdf = new_document()
    pdf.add_page()
    pdf.cell(0, 10, text)
    return to_bytes(pdf)


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    """A small, valid PNG or JPEG image."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, (29, 63, 114)).save(out, kind)
    return out.getvalue()
