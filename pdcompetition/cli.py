"""`flask pdc ...` commands: the first admin, demo data, the mail sender."""

import sys

import click
from flask.cli import AppGroup

from .extensions import db

pdc = AppGroup("pdc", help="pdcompetition administration commands.")


@pdc.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="", help="Full name.")
def create_admin(email: str, password: str, name: str) -> None:
    """Create the first administrator, or make an existing account an administrator."""
    from . import audit
    from .auth.passwords import password_problems
    from .models import Role, User, normalize_email, utcnow

    email = normalize_email(email)
    if "@" not in email:
        click.echo("error: not an email address", err=True)
        sys.exit(1)
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        problems = password_problems(password, email)
        if problems:
            click.echo("error: " + " ".join(str(p) for p in problems), err=True)
            sys.exit(1)
        user = User(email=email, full_name=name or email, email_confirmed_at=utcnow())
        user.set_password(password)
        db.session.add(user)
    user.grant(Role.ADMIN)
    user.grant(Role.ORGANIZER)
    db.session.flush()
    audit.record("user.role_granted", user, actor=None, data={"role": "admin", "via": "cli"})
    db.session.commit()
    click.echo(f"{email} is an administrator.")


@pdc.command("send-mail")
@click.option("--limit", default=500, show_default=True)
def send_mail(limit: int) -> None:
    """Deliver the mails waiting in the outbox (run it from a scheduler every minute)."""
    from .mail.outbox import deliver_due

    sent, failed = deliver_due(limit=limit)
    click.echo(f"sent: {sent}, failed attempts: {failed}")
    if failed:
        sys.exit(1)


@pdc.command("clean-uploads")
@click.option("--older-than", default=60, show_default=True, type=click.IntRange(min=0),
              help="Minutes: younger files may belong to an upload still in progress.")
@click.option("--dry-run", is_flag=True, help="List what would be removed, remove nothing.")
def clean_uploads(older_than: int, dry_run: bool) -> None:
    """Remove uploaded files no row refers to (left by a worker killed mid-upload)."""
    from datetime import timedelta

    from .applications import cleanup

    report = cleanup.scan(timedelta(minutes=older_than))
    for path in report.orphans:
        click.echo(f"orphan: {path}")
    removed = 0 if dry_run else cleanup.remove(report.orphans)
    click.echo(f"orphan files: {len(report.orphans)} ({report.bytes} bytes), removed: {removed}")
    for name in report.missing:
        click.echo(f"error: a row refers to a missing file: {name}", err=True)
    if report.missing:
        sys.exit(1)


@pdc.command("seed-demo")
def seed_demo_command() -> None:
    """Fill an empty database with demo data (running it again changes nothing)."""
    from .demo import DEMO_PASSWORD, seed_demo

    created = seed_demo()
    db.session.commit()
    state = "created" if created else "already present"
    click.echo(f"Demo data {state}. Logins (password for all: {DEMO_PASSWORD}):")
    from .demo import DEMO_LOGINS

    for role, email in DEMO_LOGINS:
        click.echo(f"  {role:<10} {email}")
