"""The official language rule: the descriptive parts of an application are written in Russian."""

import re

# Links, e-mail addresses and handles are not prose and would skew the count.
_NOT_PROSE = re.compile(r"(https?://\S+|www\.\S+|\S+@\S+|[@#]\w+)", re.IGNORECASE)

# More than half of the letters must be Cyrillic. Foreign names of partners,
# places and programmes stay possible; a text written in another language does not pass.
CYRILLIC_SHARE_REQUIRED = 0.5
# Below this many letters a text is too short to judge (an acronym, a name).
MIN_LETTERS_TO_JUDGE = 12


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff" or "\u0500" <= char <= "\u052f"


def cyrillic_share(text: str) -> float | None:
    """The share of Cyrillic among the letters of `text` (None when it has too few letters)."""
    letters = [c for c in _NOT_PROSE.sub(" ", text or "") if c.isalpha()]
    if len(letters) < MIN_LETTERS_TO_JUDGE:
        return None
    return sum(1 for c in letters if _is_cyrillic(c)) / len(letters)


def is_mostly_cyrillic(text: str) -> bool:
    """True when the text reads as Russian (or is too short to tell)."""
    share = cyrillic_share(text)
    return share is None or share > CYRILLIC_SHARE_REQUIRED
