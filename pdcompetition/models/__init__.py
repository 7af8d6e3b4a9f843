"""All models, imported here so that Alembic and the app see the whole schema."""

from .applications import Application, ApplicationState, ApplicationStatusChange, Attachment
from .archive import ArchiveWinner
from .audit import AuditEntry, AuditLogIsAppendOnly
from .base import UTCDateTime, utcnow
from .editions import Criterion, Edition, EditionStatus, Nomination, localized, roman
from .events import (
    CommitteeMember,
    Event,
    EventKind,
    EventRegistration,
    Partner,
    RegistrationStatus,
    event_partners,
)
from .geography import CustomCountry
from .jury import (
    Assignment,
    AssignmentConstraint,
    AssignmentSource,
    ConflictDeclaration,
    JurorInvitation,
    JurorProfile,
    JuryMember,
    PairRule,
    Score,
    ScoreSheet,
    SheetStatus,
    jury_member_nominations,
)
from .mail import MailStatus, OutboxMessage
from .results import Award, AwardKind, Certificate, CertificateKind
from .users import Role, User, UserRole, normalize_email

__all__ = [
    "Application", "ApplicationState", "ApplicationStatusChange", "Attachment", "ArchiveWinner",
    "AuditEntry", "AuditLogIsAppendOnly", "UTCDateTime", "utcnow",
    "Criterion", "Edition", "EditionStatus", "Nomination", "localized", "roman",
    "CommitteeMember", "Event", "EventKind", "EventRegistration", "Partner",
    "RegistrationStatus", "event_partners", "CustomCountry",
    "Assignment", "AssignmentConstraint", "AssignmentSource", "ConflictDeclaration",
    "JurorInvitation", "JurorProfile", "JuryMember", "PairRule", "Score", "ScoreSheet",
    "SheetStatus", "jury_member_nominations", "MailStatus", "OutboxMessage",
    "Award", "AwardKind", "Certificate", "CertificateKind",
    "Role", "User", "UserRole", "normalize_email",
]
