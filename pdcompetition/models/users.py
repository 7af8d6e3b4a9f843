"""People and their roles."""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import UTCDateTime, enum_column, utcnow


class Role(enum.Enum):
    """What a person may do on the platform; one person may hold several."""

    APPLICANT = "applicant"
    JUROR = "juror"
    ORGANIZER = "organizer"
    ADMIN = "admin"

    @property
    def title(self) -> str:
        return {
            Role.APPLICANT: _l("Applicant"),
            Role.JUROR: _l("Juror"),
            Role.ORGANIZER: _l("Organizer"),
            Role.ADMIN: _l("Administrator"),
        }[self]


def normalize_email(email: str) -> str:
    """Emails are unique case-insensitively, so they are stored lower-cased and trimmed."""
    return (email or "").strip().lower()


def new_session_nonce() -> str:
    return secrets.token_hex(8)


class User(UserMixin, db.Model):
    """A person with an account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    full_name: Mapped[str] = mapped_column(sa.String(200), default="")
    locale: Mapped[str] = mapped_column(sa.String(8), default="ru", server_default="ru")
    timezone: Mapped[str] = mapped_column(
        sa.String(64), default="Europe/Moscow", server_default="Europe/Moscow"
    )
    is_active_account: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Changing it logs out every session of the user (password change, reset).
    session_nonce: Mapped[str] = mapped_column(sa.String(32), default=new_session_nonce)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    role_links: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    juror_profile: Mapped["JurorProfile | None"] = relationship(  # noqa: F821
        back_populates="user", uselist=False
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    # Flask-Login: the id carries the nonce, so old cookies stop working after a reset.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_active(self) -> bool:
        return self.is_active_account

    @property
    def roles(self) -> set[Role]:
        return {link.role for link in self.role_links}

    def has_role(self, *roles: Role) -> bool:
        """True when the user holds any of the given roles (admins hold every power)."""
        mine = self.roles
        return Role.ADMIN in mine or any(role in mine for role in roles)

    def grant(self, role: Role) -> None:
        if role not in self.roles:
            self.role_links.append(UserRole(role=role))

    def revoke(self, role: Role) -> None:
        self.role_links = [link for link in self.role_links if link.role != role]

    @property
    def is_organizer(self) -> bool:
        return self.has_role(Role.ORGANIZER)

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_juror(self) -> bool:
        return Role.JUROR in self.roles

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_nonce = new_session_nonce()
        self.password_changed_at = utcnow()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)


class UserRole(db.Model):
    """One role held by one user."""

    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_links")
