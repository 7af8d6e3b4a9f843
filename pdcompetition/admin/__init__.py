"""Administration: people and roles, custom countries, the audit log and the mail outbox."""
