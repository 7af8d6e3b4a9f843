"""Words for organizers: why an assignment failed, and where a conflict comes from."""

from flask_babel import gettext as _

from ..domain.assignment import Reason
from ..domain.conflicts import ConflictReason
from ..i18n import country_name, region_name

LISTED = 12  # at most this many names in one message


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:LISTED])
    if len(names) > LISTED:
        shown += " " + _("and %(count)s more", count=len(names) - LISTED)
    return shown


def _pool(params: dict) -> str:
    return params.get("pool") or _("all nominations")


def explain(reason: Reason) -> str:
    """One sentence for one reason the optimizer gave."""
    p = reason.params
    if reason.kind == "too_few_eligible":
        if p.get("nomination"):
            return _("Application %(application)s (nomination «%(nomination)s») has only "
                     "%(eligible)s eligible jurors, needs %(needed)s: too few jurors without "
                     "conflicts judge this nomination.", **p)
        return _("Application %(application)s has only %(eligible)s eligible jurors, needs "
                 "%(needed)s.", application=p["application"], eligible=p["eligible"],
                 needed=p["needed"])
    if reason.kind == "capacity":
        return _("The caps are too small: the jurors can take %(capacity)s more applications "
                 "in total, %(needed)s are needed. Raise caps or invite more jurors.", **p)
    if reason.kind == "nomination_shortage":
        return _("Nomination «%(nomination)s»: its applications need %(needed)s more jurors, "
                 "but the jurors who may judge them can take at most %(possible)s "
                 "(at their cap: %(at_cap)s).", nomination=p["nomination"],
                 needed=p["needed"], possible=p["possible"],
                 at_cap=_names(p["at_cap"]) or "—")
    if reason.kind == "shortage":
        return _("Applications %(applications)s need %(needed)s more jurors, but the jurors "
                 "who may judge them (%(jurors)s) can take at most %(possible)s "
                 "(at their cap: %(at_cap)s).", applications=_names(p["applications"]),
                 needed=p["needed"], possible=p["possible"], jurors=_names(p["jurors"]) or "—",
                 at_cap=_names(p["at_cap"]) or "—")
    if reason.kind == "pin_conflict":
        return _("%(juror)s is pinned to application %(application)s but has a conflict of "
                 "interest with it: remove the pin.", **p)
    if reason.kind == "cap_below_fixed":
        return _("%(juror)s already has %(fixed)s assignments and pins, more than their cap "
                 "of %(cap)s.", **p)
    if reason.kind == "unbalanced":
        return _("Loads cannot be balanced among the jurors of %(pool)s: the most even "
                 "assignment possible gives %(low_juror)s %(low_load)s applications and "
                 "%(high_juror)s %(high_load)s. Conflicts, forbids, pins or existing "
                 "assignments keep work from moving to %(low_juror)s.",
                 pool=_pool(p), low_juror=p["low_juror"], low_load=p["low_load"],
                 high_juror=p["high_juror"], high_load=p["high_load"])
    if reason.kind == "search_limit":
        return _("The search for a balanced assignment stopped after %(seconds)s seconds "
                 "without finding one.", seconds=p["seconds"])
    return reason.kind


def conflict_source(reason: ConflictReason) -> str:
    """Where a conflict comes from, e.g. "Same organization: АНО «Мост»"."""
    if reason.kind == "organization":
        return _("Same organization: %(name)s", name=reason.detail)
    if reason.kind == "country":
        return _("Same country: %(country)s", country=country_name(reason.detail))
    if reason.kind == "region":
        return _("Same region: %(region)s", region=region_name(reason.detail))
    if reason.kind == "applicant":
        return _("The juror is the applicant")
    if reason.kind == "declared":
        return _("Declared by the juror: %(reason)s", reason=reason.detail or "—")
    return reason.kind
