"""Password strength rules, with messages a person can act on."""

from flask_babel import lazy_gettext as _l

MIN_LENGTH = 10
MAX_LENGTH = 128

# The most common passwords that satisfy the length rule, refused outright.
COMMON_PASSWORDS = {
    "1234567890", "12345678910", "0123456789", "qwertyuiop", "password12", "password123",
    "1q2w3e4r5t", "qwerty1234", "qwerty12345", "iloveyou12", "abcdefghij", "1111111111",
    "0000000000", "йцукенгшщз", "пароль1234", "parol12345", "1qaz2wsx3edc", "zaq12wsxcde",
}


def password_problems(password: str, email: str = "") -> list:
    """Why `password` is too weak (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_l("Use at least %(n)s characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_l("Use at most %(n)s characters.", n=MAX_LENGTH))
    if password.isdigit():
        problems.append(_l("Do not use only digits."))
    if len(set(password)) < 4:
        problems.append(_l("Use more different characters."))
    if password.lower() in COMMON_PASSWORDS:
        problems.append(_l("This password is too common."))
    local_part = email.split("@")[0].lower() if email else ""
    if len(local_part) >= 4 and local_part in password.lower():
        problems.append(_l("Do not use your email address in the password."))
    return problems
