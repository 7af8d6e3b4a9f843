"""Conflicts of interest between jurors and applications: organization names and geography.

A conflict is found automatically when the juror's organization is the applicant's
(compared after `normalize_organization`), and, when the edition says so, when both come
from the same country or the same Russian region. Jurors also declare conflicts themselves;
those are stored, not computed, and are merged in by the caller.
"""

import re
import unicodedata
from dataclasses import dataclass

# Every kind of quotation mark people type around an organization's name.
_QUOTES = "«»“”„‟\"'‘’‚‛`´‹›「」『』″"

# Legal-form phrases, written out; removed before the abbreviations. Longest first matters
# ("региональная общественная организация" before "общественная организация").
_LEGAL_PHRASES = sorted(
    (
        "автономная некоммерческая организация",
        "некоммерческая организация",
        "некоммерческое партнерство",
        "общественная организация",
        "региональная общественная организация",
        "межрегиональная общественная организация",
        "местная общественная организация",
        "общероссийская общественная организация",
        "международная общественная организация",
        "молодежная общественная организация",
        "общественное объединение",
        "общественное движение",
        "общественный фонд",
        "благотворительный фонд",
        "общество с ограниченной ответственностью",
        "публичное акционерное общество",
        "закрытое акционерное общество",
        "открытое акционерное общество",
        "акционерное общество",
        "индивидуальный предприниматель",
        "non governmental organization",
        "non profit organization",
        "limited liability company",
        "eingetragener verein",
    ),
    key=len,
    reverse=True,
)

# Abbreviated legal forms (Russia, Central Asia, Caucasus, and common foreign ones), matched
# as whole words after punctuation is gone, so "АНО" goes but "Аноним" stays.
_LEGAL_WORDS = frozenset(
    {
        # Russian and CIS forms
        "ано", "нко", "роо", "моо", "мроо", "ооо", "оо", "оао", "зао", "пао", "ао", "нп",
        "ип", "оф", "бф", "мбф", "рбф", "фонд", "од", "оюл", "ро", "чу", "учреждение",
        # Latin-script forms
        "inc", "incorporated", "llc", "ltd", "limited", "ngo", "npo", "nko", "ano", "gmbh",
        "ggmbh", "ev", "corp", "corporation", "plc", "ag", "sa", "srl", "sarl", "bv", "oy",
        "ab", "aps", "co", "fund", "foundation",
    }
)

# Latin letters that look like Cyrillic ones, for names typed in a mix of both scripts.
_LATIN_TO_CYRILLIC = str.maketrans("aceopxykmthb", "асеорхукмтнв")
_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")
# "e.V." loses its meaning once the dots are gone, so it is removed first.
_EV = re.compile(r"(?<![\w])e\.\s?v\.?(?![\w])", re.IGNORECASE)


def _fold(text: str) -> str:
    """Lower case, ё as е, compatibility forms unified, accents dropped from Latin letters."""
    # NFKC would turn "№" into "No", a word; it is punctuation here.
    text = unicodedata.normalize("NFKC", text.replace("№", " ")).casefold().replace("ё", "е")
    decomposed = unicodedata.normalize("NFD", text)
    # Strip combining marks except the breve of "й" (й = и + U+0306).
    kept = []
    for char in decomposed:
        if unicodedata.combining(char) and not (char == "\u0306" and kept and kept[-1] == "и"):
            continue
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def _unmix(word: str) -> str:
    """A word mixing Latin and Cyrillic letters is read as Cyrillic ("AНО" is "АНО")."""
    if _CYRILLIC.search(word) and _LATIN.search(word):
        return word.translate(_LATIN_TO_CYRILLIC)
    return word


def normalize_organization(name: str | None) -> str:
    """The comparable core of an organization's name: АНО «Мост», "Мост" and мост give "мост".

    Case, ё, every kind of quotes, punctuation and legal-form words (АНО, НКО, РОО, ООО,
    фонд, Inc, LLC, e.V. ...) do not count. A name made only of such words gives "".
    """
    if not name:
        return ""
    text = _EV.sub(" ", _fold(name))
    text = "".join(" " if char in _QUOTES else char for char in text)
    # Punctuation (hyphens, dots, commas, №, brackets) separates words.
    text = "".join(
        char if char.isalnum() or char.isspace() else " " for char in text
    )
    words = [_unmix(word) for word in text.split()]
    text = " " + " ".join(words) + " "
    for phrase in _LEGAL_PHRASES:
        text = text.replace(f" {phrase} ", " ")
    return " ".join(word for word in text.split() if not _is_legal_form(word))


def _is_legal_form(word: str) -> bool:
    # "OOO" or "AO" typed in Latin letters look exactly like the Russian forms.
    return word in _LEGAL_WORDS or word.translate(_LATIN_TO_CYRILLIC) in _LEGAL_WORDS


def organization_names(text: str | None) -> list[str]:
    """A juror may list several organizations, separated by ";" or new lines."""
    return [part.strip() for part in re.split(r"[;\n]", text or "") if part.strip()]


@dataclass(frozen=True)
class ConflictReason:
    """Why a juror may not judge an application.

    kind: "organization", "country", "region" (automatic) or "declared" (by the juror);
    detail: what matched (the organization name, the country or region code, the reason
    the juror gave).
    """

    kind: str
    detail: str = ""

    @property
    def automatic(self) -> bool:
        return self.kind != "declared"


def automatic_conflicts(
    juror,
    application,
    *,
    same_country: bool = False,
    same_region: bool = False,
) -> list[ConflictReason]:
    """The automatic conflicts between a juror profile and an application, with their source.

    `juror` and `application` are anything with `organization`, `country_code` and
    `region_code` (a JurorProfile and an Application, or plain records in tests).
    """
    index = ConflictIndex(same_country=same_country, same_region=same_region)
    return index.reasons(juror, application)


@dataclass(frozen=True)
class Party:
    """One side of a pair, prepared once: normalized organizations, country, region."""

    organizations: tuple[tuple[str, str], ...]  # (normalized, as written)
    country: str
    region: str


class ConflictIndex:
    """Automatic conflicts for many pairs at once, normalizing each name only once."""

    def __init__(self, *, same_country: bool = False, same_region: bool = False):
        self.same_country = same_country
        self.same_region = same_region
        self._names: dict[str, str] = {}

    def _normalized(self, name: str) -> str:
        if name not in self._names:
            self._names[name] = normalize_organization(name)
        return self._names[name]

    def party(self, obj, *, several: bool = False) -> Party:
        """Prepare a juror profile (several organizations allowed) or an application."""
        text = getattr(obj, "organization", "") or ""
        names = organization_names(text) if several else [text]
        organizations = tuple(
            (self._normalized(name), name) for name in names if self._normalized(name)
        )
        return Party(
            organizations,
            (getattr(obj, "country_code", "") or "").upper(),
            (getattr(obj, "region_code", "") or "").upper(),
        )

    def between(self, juror: Party, application: Party) -> list[ConflictReason]:
        """The conflicts of two prepared parties, with their sources."""
        reasons = []
        wanted = {normalized for normalized, _name in application.organizations}
        for normalized, name in juror.organizations:
            if normalized in wanted:
                reasons.append(ConflictReason("organization", name))
                break
        if self.same_country and juror.country and juror.country == application.country:
            reasons.append(ConflictReason("country", juror.country))
        if self.same_region and juror.region and juror.region == application.region:
            reasons.append(ConflictReason("region", juror.region))
        return reasons

    def reasons(self, juror, application) -> list[ConflictReason]:
        """Same answer as `automatic_conflicts`."""
        return self.between(self.party(juror, several=True), self.party(application))

    def may_conflict(self, juror: Party, application: Party) -> bool:
        """A cheap test before `between` (used to skip most pairs of a large edition)."""
        return bool(
            {n for n, _ in juror.organizations} & {n for n, _ in application.organizations}
            or (self.same_country and juror.country and juror.country == application.country)
            or (self.same_region and juror.region and juror.region == application.region)
        )
