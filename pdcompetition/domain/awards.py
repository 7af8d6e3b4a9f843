"""When an award departs from the ranking, and therefore needs a written reason.

Kinds are given by their values ("winner", "second", "third", "laureate",
"special_mention"), so the rule stays free of the database. Within one nomination:

1. an award to an application that is not ranked (its sheets are not all submitted)
   departs from the ranking;
2. a prize place (1st, 2nd, 3rd) departs when the application's rank differs from it;
3. a prize place or a laureate title departs when an application ranked higher in the
   nomination gets less (a lower award or none).

A special mention is outside the order of merit and never departs.
"""

from collections.abc import Mapping, Sequence

PLACES = {"winner": 1, "second": 2, "third": 3}
# Order of merit: the lower, the higher the award; no award (or a mention) ranks last.
MERIT = {"winner": 1, "second": 2, "third": 3, "laureate": 4}
NO_MERIT = 5

UNRANKED = "unranked"
PLACE_MISMATCH = "place_mismatch"
HIGHER_GETS_LESS = "higher_gets_less"


def departures(ranked_ids: Sequence[int], awards: Mapping[int, str]) -> dict[int, str]:
    """Application id -> why its award departs from the ranking, for one nomination.

    `ranked_ids` lists the nomination's ranked applications, best first; `awards` maps an
    application id (ranked or not) to the kind of award it is given.
    """
    out: dict[int, str] = {}
    rank = {app_id: position for position, app_id in enumerate(ranked_ids, 1)}
    # The lowest merit met so far going down the ranking, to find a higher one getting less.
    worst_above = 0
    for app_id in ranked_ids:
        kind = awards.get(app_id)
        merit = MERIT.get(kind, NO_MERIT)
        if kind in PLACES and PLACES[kind] != rank[app_id]:
            out[app_id] = PLACE_MISMATCH
        elif kind in MERIT and worst_above > merit:
            out[app_id] = HIGHER_GETS_LESS
        worst_above = max(worst_above, merit)
    for app_id, kind in awards.items():
        if app_id not in rank and kind in MERIT:
            out[app_id] = UNRANKED
    return out


def suggested_awards(ranked_ids: Sequence[int]) -> dict[int, str]:
    """The awards the ranking alone would give: 1st, 2nd and 3rd place to the top three."""
    kinds = ("winner", "second", "third")
    return {app_id: kind for app_id, kind in zip(ranked_ids, kinds, strict=False)}
