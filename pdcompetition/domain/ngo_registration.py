"""Russian NGO registration numbers: OGRN (13 digits) and INN (10 or 12), with check digits.

The check digits follow the Federal Tax Service rules, so a mistyped digit is caught
on the page instead of surfacing when the organizers verify the organization.
"""

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def clean_number(value: str | None) -> str:
    """The number without the spaces and dashes people type between digit groups."""
    return "".join((value or "").split()).replace("-", "")


def _weighted_check(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10


def ogrn_check_digit(first12: str) -> int:
    """The 13th digit of an OGRN: the first twelve as a number, mod 11, mod 10."""
    return int(first12) % 11 % 10


def is_valid_ogrn(value: str) -> bool:
    """True for a 13-digit OGRN of a legal entity whose check digit is right."""
    return (
        len(value) == 13
        and value.isascii()
        and value.isdigit()
        and value[0] != "0"
        and ogrn_check_digit(value[:12]) == int(value[12])
    )


def inn10_check_digit(first9: str) -> int:
    return _weighted_check(first9, _INN10_WEIGHTS)


def is_valid_inn(value: str) -> bool:
    """True for a 10-digit (organization) or 12-digit (person) INN with valid check digits."""
    if not (value.isascii() and value.isdigit()):
        return False
    if len(value) == 10:
        return inn10_check_digit(value[:9]) == int(value[9])
    if len(value) == 12:
        return _weighted_check(value[:10], _INN12_WEIGHTS_11) == int(value[10]) and (
            _weighted_check(value[:11], _INN12_WEIGHTS_12) == int(value[11])
        )
    return False


def ogrn_problem(value: str) -> str | None:
    """A code for what is wrong with an OGRN ("length" or "checksum"), None when valid."""
    if len(value) != 13 or not (value.isascii() and value.isdigit()):
        return "length"
    return None if is_valid_ogrn(value) else "checksum"


def inn_problem(value: str) -> str | None:
    """A code for what is wrong with an INN ("length" or "checksum"), None when valid."""
    if len(value) not in (10, 12) or not (value.isascii() and value.isdigit()):
        return "length"
    return None if is_valid_inn(value) else "checksum"


def with_ogrn_check_digit(first12: str) -> str:
    """A valid OGRN made from its first twelve digits (demo data and tests)."""
    return first12 + str(ogrn_check_digit(first12))


def with_inn10_check_digit(first9: str) -> str:
    """A valid 10-digit INN made from its first nine digits (demo data and tests)."""
    return first9 + str(inn10_check_digit(first9))
