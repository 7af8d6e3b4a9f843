"""Helpers shared by the feature forms."""

from wtforms.fields.choices import SelectChoice


def choices(pairs, blank: str | None = None) -> list[SelectChoice]:
    """Select options from (value, label) pairs, optionally led by an empty choice."""
    out = [SelectChoice("", blank)] if blank is not None else []
    out.extend(SelectChoice(str(value), label) for value, label in pairs)
    return out


# The largest id or version a 4-byte integer column holds.
MAX_ID = 2**31 - 1


def whole_number(value, maximum: int = MAX_ID) -> int | None:
    """A posted id or version as an int; None unless it is plain digits up to `maximum`.

    `str.isdigit` accepts "²", which `int()` refuses, and a very long digit string makes
    `int()` raise; both came from fuzzing and would have been 500s.
    """
    text = str(value or "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None
