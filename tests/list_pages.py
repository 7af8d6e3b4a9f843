"""Every list page of the app, the records around the applications they list, and a counter
of the SQL statements one request to each of them runs.

Shared by tests/test_queries_per_page.py (3 and 30 applications, on both backends) and
bench/queries_per_page.py (20 and 2,000): a list page must run as many statements for a
large edition as for a small one. Every GET endpoint is either in LIST_PAGES or in
NOT_LIST_PAGES with the reason, so a new page cannot be left out unnoticed.
"""

import contextvars
import math
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa


@dataclass(frozen=True)
class Page:
    """A list page: who may see it, which edition it is about, and its URL variants."""

    role: str  # "anonymous", "applicant", "juror" or "organizer"
    edition: str = "current"  # or "archived": the hand-entered edition
    variants: tuple[dict, ...] = ({},)


EXPORT_VARIANTS = tuple({"kind": kind, "fmt": fmt}
                        for kind in ("applications", "scores", "ranking")
                        for fmt in ("csv", "xlsx"))

LIST_PAGES: dict[str, Page] = {
    # The public site: what a visitor browses.
    "public.home": Page("anonymous"),  # upcoming events, key dates
    "public.about": Page("anonymous"),  # the current edition: nominations, events, winners
    "public.edition": Page("anonymous"),
    "public.archive": Page("anonymous"),  # every edition with its geography and winners
    "public.committee": Page("anonymous"),
    "public.jury": Page("anonymous"),
    "public.partners": Page("anonymous"),
    "public.sitemap": Page("anonymous"),
    "events.index": Page("anonymous"),
    "results.index": Page("anonymous"),
    "results.edition_results": Page("anonymous"),
    # The applicant's and the juror's own lists.
    "applications.index": Page("applicant"),
    "jury.dashboard": Page("juror"),
    # Organizers: editions, screening, jury, results, public pages, administration.
    "organizers.editions": Page("organizer"),
    "organizers.overview": Page("organizer"),
    "organizers.applications": Page("organizer"),
    "organizers.nominations": Page("organizer"),
    "organizers.criteria": Page("organizer"),
    "jury_admin.members": Page("organizer"),
    "jury_admin.assignments": Page("organizer"),
    "jury_admin.application": Page("organizer"),  # every juror who might take it
    "jury_admin.conflicts": Page("organizer"),
    "jury_admin.progress": Page("organizer"),
    "results_admin.index": Page("organizer"),
    "results_admin.dashboard": Page("organizer"),
    "results_admin.nomination": Page("organizer"),
    "results_admin.preview": Page("organizer"),
    "results_admin.export": Page("organizer", variants=EXPORT_VARIANTS),
    "results_admin.certificates_zip": Page("organizer"),
    "public_admin.events": Page("organizer"),
    "public_admin.attendees": Page("organizer"),
    "public_admin.export_attendees": Page("organizer", variants=({"fmt": "csv"},
                                                                 {"fmt": "xlsx"})),
    "public_admin.committee": Page("organizer"),
    "public_admin.partners": Page("organizer"),
    "public_admin.archive": Page("organizer"),
    "public_admin.archive_edition": Page("organizer", edition="archived"),
    "admin.users": Page("organizer"),
    "admin.audit_log": Page("organizer"),
    "admin.outbox": Page("organizer"),
    "admin.countries": Page("organizer"),
}

NOT_LIST_PAGES: dict[str, str] = {
    "static": "a file",
    "public.robots": "a fixed text",
    "public.logo": "one image",
    "public.switch_language": "a redirect",
    "auth.login": "a form",
    "auth.register": "a form",
    "auth.forgot_password": "a form",
    "auth.resend_confirmation": "a form",
    "auth.confirm_email": "a link from a mail",
    "auth.reset_password": "a form from a mail",
    "auth.profile": "one person's form",
    "applications.start": "a form",
    "applications.overview": "one application",
    "applications.documents": "one application",
    "applications.edit_section": "one application",
    "applications.pdf": "one application",
    "applications.print_view": "one application",
    "applications.submit": "one application",
    "applications.confirmation": "one application",
    "applications.withdraw": "one application",
    "applications.attachment": "one file",
    "events.detail": "one event",
    "events.calendar": "one event",
    "jury.application": "one application (bench/jury.py measures it)",
    "jury.conflict": "one application",
    "jury.sheet": "one score sheet",
    "jury.declaration": "one juror's form",
    "jury.next_unscored": "a redirect",
    "jury_admin.index": "a redirect to the current edition's jury",
    "jury_admin.accept_invitation": "a link from a mail",
    "jury_admin.edit_member": "one juror's form",
    "organizers.new_edition": "a form",
    "organizers.edit_edition": "one edition's form",
    "organizers.edit_item": "one nomination or criterion",
    "organizers.application": "one application",
    "results_admin.explain": "one application's sheets",
    "results_admin.reopen": "a form",
    "results.my_result": "one applicant's result",
    "results.certificate": "one certificate",
    "results.verify_form": "a form",
    "results.verify": "one certificate",
    "public_admin.index": "links only",
    "public_admin.new_event": "a form",
    "public_admin.edit_event": "one event's form",
    "public_admin.edit_member": "one person's form",
    "public_admin.edit_partner": "one partner's form",
    "public_admin.edit_winner": "one winner's form",
}


def catalogue_problems(app) -> list[str]:
    """GET endpoints in neither list, endpoints listed twice, and names no route has."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    problems = [f"{name}: a GET page in neither LIST_PAGES nor NOT_LIST_PAGES"
                for name in sorted(endpoints - LIST_PAGES.keys() - NOT_LIST_PAGES.keys())]
    problems += [f"{name}: in both lists" for name in sorted(LIST_PAGES.keys()
                                                             & NOT_LIST_PAGES.keys())]
    problems += [f"{name}: listed but no GET route has it"
                 for name in sorted((LIST_PAGES.keys() | NOT_LIST_PAGES.keys()) - endpoints)]
    return problems


@dataclass
class World:
    """What the counting needs: ids to fill URLs with, and who signs in as each role."""

    ids: dict
    logins: dict  # role -> email
    password: str
    rows: dict = field(default_factory=dict)  # what was built, for the report


def spread(applications: int) -> int:
    """How many of each other kind of record go with `applications` (2 at the least, so
    every branch of a page runs at the small size as well)."""
    return max(2, math.isqrt(applications))


def add_surroundings(edition_id: int, juror_email: str, applicant_id: int, password: str,
                     applications: int) -> World:
    """Everything else the list pages show, scaled with the number of applications.

    The edition (its applications, jury and published results already built) gets
    attachments, certificates, conflicts, invitations and a published jury; around it come
    earlier editions run on the platform (in each an application of the measured
    applicant, with an award), hand-entered archived editions with winners, events with
    registrations, committee members, partners, custom countries, audit entries and mails.
    Commits; returns the World.
    """
    from werkzeug.security import generate_password_hash

    from pdcompetition.extensions import db
    from pdcompetition.models import (
        Application,
        ApplicationState,
        ArchiveWinner,
        Assignment,
        Attachment,
        AuditEntry,
        Award,
        AwardKind,
        CommitteeMember,
        ConflictDeclaration,
        Criterion,
        CustomCountry,
        Edition,
        EditionStatus,
        Event,
        EventKind,
        EventRegistration,
        JurorInvitation,
        MailStatus,
        Nomination,
        OutboxMessage,
        Partner,
        RegistrationStatus,
        Role,
        User,
        UserRole,
        event_partners,
    )
    from pdcompetition.results.certificates import issue_certificates

    k = spread(applications)
    now = datetime.now(UTC)
    organizer = User(email="organizer@list-pages.example", full_name="Организатор",
                     password_hash=generate_password_hash(password, method="scrypt"),
                     email_confirmed_at=now)
    organizer.role_links.append(UserRole(role=Role.ORGANIZER))
    db.session.add(organizer)
    edition = db.session.get(Edition, edition_id)
    # Earlier editions take the small ordinals; the current one must stay the newest.
    edition.ordinal = 2 * k + 10
    edition.jury_published = True
    db.session.flush()

    app_ids = list(db.session.scalars(
        sa.select(Application.id).where(Application.edition_id == edition.id)
        .order_by(Application.id)))
    db.session.execute(sa.insert(Attachment), [{
        "application_id": aid, "original_name": f"устав-{aid}.pdf",
        "stored_name": f"{aid:08d}{uuid.uuid4().hex[:24]}", "content_type": "application/pdf",
        "size": 100_000, "sha256": "0" * 64, "uploaded_at": now} for aid in app_ids])
    pairs = db.session.execute(
        sa.select(Assignment.application_id, Assignment.juror_id)
        .join(Application, Application.id == Assignment.application_id)
        .where(Application.edition_id == edition.id).order_by(Assignment.id).limit(k)).all()
    db.session.add_all(ConflictDeclaration(application_id=aid, juror_id=jid, reason="Коллега")
                       for aid, jid in pairs)
    db.session.add_all(JurorInvitation(edition_id=edition.id, email=f"invited{i}@list.example",
                                       full_name=f"Приглашённый {i}", invited_by_id=organizer.id)
                       for i in range(k))

    # Earlier editions on the platform, each with one application of the measured applicant.
    applicant = db.session.get(User, applicant_id)
    for i in range(min(k, 6)):
        years_ago = min(k, 6) - i
        earlier = Edition(
            ordinal=k + 1 + i, year=now.year - years_ago, status=EditionStatus.ACTIVE,
            title_ru=f"Конкурс {k + 1 + i}", jury_published=True,
            applications_open_at=now - timedelta(days=365 * years_ago + 90),
            applications_close_at=now - timedelta(days=365 * years_ago + 60),
            judging_close_at=now - timedelta(days=365 * years_ago + 30),
            results_publish_at=now - timedelta(days=365 * years_ago),
            jury_closed_at=now - timedelta(days=365 * years_ago + 30),
            results_approved_at=now - timedelta(days=365 * years_ago + 10),
            results_published_at=now - timedelta(days=365 * years_ago),
            results_mailed_at=now - timedelta(days=365 * years_ago),
        )
        earlier.nominations.append(Nomination(name_ru="Номинация", position=0))
        earlier.criteria.append(Criterion(name_ru="Критерий", max_score=10, position=0))
        db.session.add(earlier)
        db.session.add(Event(edition=earlier, kind=EventKind.FORUM, announces_results=True,
                             title_ru=f"Форум {i}", city_ru="Москва", country_code="RU",
                             starts_at=earlier.results_publish_at))
        db.session.flush()
        mine = Application(
            edition=earlier, owner=applicant, nomination=earlier.nominations[0], number=1,
            state=ApplicationState.ACCEPTED, full_name=applicant.full_name,
            email=applicant.email, organization="АНО «Мост»", country_code="KZ",
            project_title=f"Проект {i}", submitted_at=earlier.applications_open_at,
        )
        db.session.add(mine)
        db.session.flush()
        db.session.add(Award(application=mine, edition_id=earlier.id,
                             nomination_id=earlier.nominations[0].id, kind=AwardKind.WINNER))

    # Hand-entered editions from before the platform, with their winners.
    archived_ids = []
    for i in range(min(k, 6)):
        archived = Edition(
            ordinal=1 + i, year=2000 + i, status=EditionStatus.ARCHIVED,
            title_ru=f"{i + 1} конкурс",
            archive_region_count=10 + i, archive_country_count=5 + i,
            archive_country_codes=["AZ", "KZ"], results_approved_at=now - timedelta(days=3000),
            results_published_at=now - timedelta(days=3000),
            results_mailed_at=now - timedelta(days=3000))
        db.session.add(archived)
        db.session.flush()
        archived_ids.append(archived.id)
        db.session.add_all(ArchiveWinner(edition_id=archived.id, kind=AwardKind.LAUREATE,
                                         full_name=f"Лауреат {i}-{j}", organization="Фонд",
                                         country_code="AM", nomination_ru="Номинация",
                                         position=j) for j in range(k))

    partners = [Partner(name_ru=f"Партнёр {i}", url="https://example.org", position=i)
                for i in range(k)]
    db.session.add_all(partners)
    db.session.add_all(CommitteeMember(full_name_ru=f"Член комитета {i}", role_ru="Член",
                                       organization_ru="Фонд", country_code="RU", position=i)
                       for i in range(k))
    db.session.add_all(CustomCountry(code="X" + chr(ord("A") + i), name_ru=f"Страна {i}",
                                     name_en=f"Country {i}") for i in range(min(k, 26)))

    # Events to come and past ones, each with partners and k registrations.
    people = list(db.session.scalars(
        sa.select(User.id).join(UserRole).where(UserRole.role == Role.APPLICANT)
        .order_by(User.id).limit(k)))
    statuses = list(RegistrationStatus)
    events = []
    for i in range(2 * k):
        days = (i + 1) * 7 if i % 2 == 0 else -(i + 1) * 7
        event = Event(edition=edition if i % 3 == 0 else None, kind=EventKind.ROUND_TABLE,
                      title_ru=f"Круглый стол {i}", city_ru="Бишкек", country_code="KG",
                      starts_at=now + timedelta(days=days), registration_open=True)
        db.session.add(event)
        events.append(event)
    db.session.flush()
    db.session.execute(sa.insert(event_partners), [
        {"event_id": event.id, "partner_id": partner.id}
        for event in events for partner in partners[:2]])
    db.session.execute(sa.insert(EventRegistration), [
        {"event_id": event.id, "user_id": uid, "status": statuses[j % len(statuses)],
         "created_at": now} for event in events for j, uid in enumerate(people)])

    # The administration's lists: one audit entry and one mail per application.
    db.session.execute(sa.insert(AuditEntry), [
        {"at": now, "actor_id": organizer.id if i % 2 else None, "action": "application.accepted",
         "object_type": "application", "object_id": aid, "edition_id": edition.id,
         "data": {}, "ip_address": "127.0.0.1"} for i, aid in enumerate(app_ids)])
    db.session.execute(sa.insert(OutboxMessage), [
        {"to_email": f"applicant{i}@list.example", "subject": "Заявка принята",
         "body_text": "Ваша заявка принята.", "status": list(MailStatus)[i % len(MailStatus)],
         "created_at": now, "next_attempt_at": now} for i in range(len(app_ids))])
    issue_certificates(edition)
    first = db.session.scalar(sa.select(Application.id).where(
        Application.edition_id == edition.id, Application.state == ApplicationState.ACCEPTED)
        .order_by(Application.id).limit(1))
    ids = {"edition_id": edition.id, "ordinal": edition.ordinal, "archived_id": archived_ids[0],
           "nomination_id": edition.nominations[0].id, "event_id": events[0].id,
           "application_id": first}
    rows = {"applications": len(app_ids), "each_other_kind": k}
    db.session.commit()
    return World(ids=ids, password=password, rows=rows, logins={
        "organizer": organizer.email, "juror": juror_email, "applicant": applicant.email})


# Which seeded id each URL argument takes.
ARGUMENTS = {"edition_id": "edition_id", "ordinal": "ordinal", "nomination_id": "nomination_id",
             "event_id": "event_id", "application_id": "application_id"}


def page_urls(app, world: World) -> list[tuple[str, str, str]]:
    """(label, role, URL) of every list page variant, arguments filled from the world."""
    from flask import url_for

    urls = []
    with app.test_request_context():
        for endpoint, page in LIST_PAGES.items():
            rule = next(r for r in app.url_map.iter_rules(endpoint) if "GET" in r.methods)
            for variant in page.variants:
                values = dict(variant)
                for argument in rule.arguments - values.keys():
                    if argument not in ARGUMENTS:
                        raise LookupError(f"{endpoint}: no seeded value for <{argument}>")
                    values[argument] = world.ids[ARGUMENTS[argument]]
                if page.edition == "archived":
                    values["edition_id"] = world.ids["archived_id"]
                label = "_".join([endpoint, *(str(v) for v in variant.values())])
                urls.append((label, page.role, url_for(endpoint, **values)))
    return urls


class Measured(NamedTuple):
    status: int
    statements: list[str]
    seconds: float


def count_statements(app, engine, world: World) -> dict[str, Measured]:
    """label -> status code, SQL statements and time of one request to each list page.

    Each role signs in once through the login form; the statements of that request are
    not counted. Requests run as in a server's worker: plain clients, no application
    context around them (a test's context would keep the session of a streamed response
    open). A streamed body (CSV) is read while counting: its queries run then.
    """
    from flask.testing import FlaskClient

    clients = {"anonymous": FlaskClient(app, app.response_class)}
    for role, email in world.logins.items():
        client = FlaskClient(app, app.response_class)
        response = as_in_a_worker(client.post, "/auth/login",
                                  data={"email": email, "password": world.password})
        if response.status_code != 302:
            raise RuntimeError(f"{role} {email} could not sign in ({response.status_code})")
        clients[role] = client
    found = {}
    for label, role, url in page_urls(app, world):
        _publication_just_checked(app)
        statements: list[str] = []
        listener = _recorder(statements)
        sa.event.listen(engine, "before_cursor_execute", listener)
        started = time.perf_counter()
        try:
            response = as_in_a_worker(clients[role].get, url)
        finally:
            sa.event.remove(engine, "before_cursor_execute", listener)
        found[label] = Measured(response.status_code, statements,
                                time.perf_counter() - started)
    return found


def _publication_just_checked(app) -> None:
    """The publication hook asks the database at most once a minute per process, on
    whichever request comes then; mark it as just done so it lands in no page's count."""
    from pdcompetition.domain.moscow_time import now_utc
    from pdcompetition.results.publication import _STATE_KEY

    app.extensions[_STATE_KEY].update(checked=now_utc(), next=None)


def as_in_a_worker(call, *args, **kwargs):
    """Make a test client's request as a server's worker thread would: with no application
    context around it, the body read to the end (a streamed one too), then closed."""
    context = contextvars.Context()
    response = context.run(call, *args, **kwargs)
    context.run(response.get_data)
    response.close()
    return response


def _recorder(statements: list[str]):
    """A `before_cursor_execute` listener that keeps each statement's text."""

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    return record


def _shape(statement: str) -> str:
    """A statement without its IN lists' length and with spaces collapsed."""
    return re.sub(r"IN \([^()]*\)", "IN (...)", " ".join(statement.split()))


def differences(small: dict, large: dict) -> list[str]:
    """Pages whose statements grow with the data (with a statement the larger run repeats
    more often), or that did not answer 200."""
    problems = []
    for label, (status, statements, _seconds) in small.items():
        big_status, big_statements, _seconds = large[label]
        if status != 200 or big_status != 200:
            problems.append(f"{label}: status {status} / {big_status}")
        elif len(statements) != len(big_statements):
            shapes = Counter(map(_shape, statements))
            grown = Counter(map(_shape, big_statements)) - shapes
            problems.append(f"{label}: {len(statements)} statements, then "
                            f"{len(big_statements)}; more of: {list(grown)[:1]}")
    return problems
