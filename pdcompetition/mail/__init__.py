"""Mail: an outbox filled in the same transaction as the change, and a sender that retries."""
