"""Accounts: registration, email confirmation, login, password reset, profile."""
