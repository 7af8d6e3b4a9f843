"""Merging two saves of the same form per field, so two tabs never silently overwrite each other.

Each form carries a fingerprint of every field as it was shown. On save, a field the
person changed replaces the stored value unless someone else changed it meanwhile too;
a field only the other save changed keeps the other save's value.
"""

import hashlib
from dataclasses import dataclass, field


def fingerprint(value) -> str:
    """A short, stable fingerprint of a field value (None and "" are the same)."""
    if value is None:
        text = ""
    else:
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def encode_base(values: dict) -> str:
    """The fingerprints of the shown values, for a hidden form field."""
    return ";".join(f"{name}:{fingerprint(value)}" for name, value in sorted(values.items()))


def decode_base(text: str) -> dict[str, str]:
    """Fingerprints back from the hidden field; anything malformed is left out."""
    out = {}
    for part in (text or "").split(";"):
        name, sep, digest = part.partition(":")
        if sep and name and len(digest) == 16:
            out[name] = digest
    return out


@dataclass
class Merge:
    """What to write and what to show: `apply` holds the person's values that win;
    `conflicts` the other save's value of each field both changed differently;
    `kept` the fields only the other save changed (their value stays)."""

    apply: dict = field(default_factory=dict)
    conflicts: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)


def merge(base: dict[str, str], mine: dict, theirs: dict) -> Merge:
    """Merge per field. `base` holds fingerprints of what the person saw, `mine` what they
    send, `theirs` what is stored now. A field without a fingerprint counts as changed by
    both, so an unknown base never overwrites silently."""
    result = Merge()
    for name, my_value in mine.items():
        their_value = theirs.get(name)
        if fingerprint(my_value) == fingerprint(their_value):
            continue  # same value either way: nothing to write or to tell
        seen = base.get(name)
        i_changed = seen is None or fingerprint(my_value) != seen
        they_changed = seen is None or fingerprint(their_value) != seen
        if i_changed and they_changed:
            result.conflicts[name] = their_value
        elif i_changed:
            result.apply[name] = my_value
        else:
            result.kept[name] = their_value
    return result
