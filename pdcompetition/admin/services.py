"""Administration operations; they flush, the view commits."""

from flask_babel import lazy_gettext as _l

from .. import audit
from ..extensions import db
from ..models import Application, CustomCountry, Event, JurorProfile, Role, User


class ActionRefused(Exception):
    """An administrative action that is not allowed; the message says why."""


def search_users(query: str, page: int, per_page: int = 50):
    """Users whose name or email contains `query` (case-insensitive), newest first."""
    select = db.select(User).order_by(User.id.desc())
    query = (query or "").strip()
    if query:
        pattern = f"%{query.lower()}%"
        select = select.where(
            db.or_(User.email.like(pattern), db.func.lower(User.full_name).like(pattern),
                   User.full_name.like(f"%{query}%"))
        )
    return db.paginate(select, page=page, per_page=per_page, error_out=False)


def change_role(user: User, role: Role, grant: bool, actor: User) -> None:
    """Grant or revoke a role. Only admins touch the admin role; nobody locks themselves out."""
    if role == Role.ADMIN and not actor.is_admin:
        raise ActionRefused(_l("Only an administrator can grant or revoke this role."))
    if not grant and user.id == actor.id and role in (Role.ADMIN, Role.ORGANIZER):
        raise ActionRefused(_l("You cannot take this role from yourself."))
    if grant:
        user.grant(role)
    else:
        user.revoke(role)
    audit.record(
        "user.role_granted" if grant else "user.role_revoked", user, actor=actor,
        data={"role": role.value},
    )


def country_in_use(code: str) -> bool:
    """True when any application, juror profile or event refers to the country code."""
    for column in (Application.country_code, Application.citizenship, JurorProfile.country_code,
                   Event.country_code):
        if db.session.scalar(db.select(column).where(column == code).limit(1)):
            return True
    return False


def save_custom_country(code: str, name_ru: str, name_en: str, actor: User) -> CustomCountry:
    """Create or rename a custom country entry."""
    country = db.session.get(CustomCountry, code)
    old = {"name_ru": country.name_ru, "name_en": country.name_en} if country else None
    if country is None:
        country = CustomCountry(code=code)
        db.session.add(country)
    country.name_ru, country.name_en = name_ru.strip(), name_en.strip()
    db.session.flush()
    audit.record("country.saved", None, actor=actor,
                 data={"code": code, "old": old, "name_ru": name_ru, "name_en": name_en})
    return country


def delete_custom_country(country: CustomCountry, actor: User) -> None:
    """Delete an entry no record uses (used ones stay so old records keep their names)."""
    if country_in_use(country.code):
        raise ActionRefused(_l("This country is used by records and cannot be deleted."))
    audit.record("country.deleted", None, actor=actor, data={"code": country.code})
    db.session.delete(country)
