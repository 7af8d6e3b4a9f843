"""An edition's nominations and criteria: add, edit, reorder, archive, delete, copy."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from .. import audit
from ..domain.edition_rules import can_delete, reorder
from ..domain.moscow_time import now_utc
from ..extensions import db
from ..models import Application, Award, Criterion, Edition, Nomination, Score
from ..models.jury import jury_member_nominations


@dataclass(frozen=True)
class ItemKind:
    """What differs between the nominations page and the criteria page."""

    name: str  # the URL segment and relationship name
    model: type
    fields: tuple[str, ...]
    title: object


NOMINATIONS = ItemKind(
    "nominations",
    Nomination,
    ("name_ru", "name_en", "description_ru", "description_en"),
    _l("Nominations"),
)
CRITERIA = ItemKind(
    "criteria",
    Criterion,
    ("name_ru", "name_en", "description_ru", "description_en", "max_score", "weight"),
    _l("Scoring criteria"),
)
KINDS = {kind.name: kind for kind in (NOMINATIONS, CRITERIA)}


def _count_by(column, *where) -> dict[int, int]:
    rows = db.session.execute(
        db.select(column, db.func.count()).where(*where).group_by(column)
    ).all()
    return {key: count for key, count in rows if key is not None}


def uses_by_item(kind: ItemKind, edition: Edition) -> dict[int, int]:
    """Item id -> how many records refer to it (applications, awards, juror pools or scores)."""
    ids = [item.id for item in getattr(edition, kind.name)]
    if not ids:
        return {}
    uses: dict[int, int] = dict.fromkeys(ids, 0)
    if kind is NOMINATIONS:
        sources = [
            _count_by(Application.nomination_id, Application.nomination_id.in_(ids)),
            _count_by(Award.nomination_id, Award.nomination_id.in_(ids)),
            _count_by(
                jury_member_nominations.c.nomination_id,
                jury_member_nominations.c.nomination_id.in_(ids),
            ),
        ]
    else:
        sources = [_count_by(Score.criterion_id, Score.criterion_id.in_(ids))]
    for counts in sources:
        for item_id, count in counts.items():
            uses[item_id] += count
    return uses


def highest_score_given(criterion: Criterion) -> int | None:
    """The highest score any juror has given on a criterion (None when none yet)."""
    return db.session.scalar(
        db.select(db.func.max(Score.value)).where(Score.criterion_id == criterion.id)
    )


def _apply(kind: ItemKind, item, form) -> dict:
    changes = {}
    for name in kind.fields:
        value = getattr(form, name).data
        if isinstance(value, str):
            value = value.strip()
        if name == "weight":
            value = Decimal(value)
        if getattr(item, name, None) != value:
            changes[name] = {"old": getattr(item, name, None), "new": value}
        setattr(item, name, value)
    return changes


def add_item(kind: ItemKind, edition: Edition, form):
    """Add a nomination or criterion at the end of the list."""
    items = getattr(edition, kind.name)
    item = kind.model(edition=edition, position=len(items))
    _apply(kind, item, form)
    db.session.add(item)
    db.session.flush()
    audit.record(f"{kind.model.__name__.lower()}.added", item, edition_id=edition.id,
                 data={"name_ru": item.name_ru})
    return item


def update_item(kind: ItemKind, item, form) -> None:
    """Apply the form to a nomination or criterion, logging what changed."""
    changes = _apply(kind, item, form)
    db.session.flush()
    if changes:
        audit.record(f"{kind.model.__name__.lower()}.updated", item, data=changes)


def move_item(kind: ItemKind, edition: Edition, item, direction: int) -> None:
    """Move an item one place up (-1) or down (+1) and renumber the list."""
    items = list(getattr(edition, kind.name))
    order = reorder([i.id for i in items], item.id, direction)
    by_id = {i.id: i for i in items}
    for position, item_id in enumerate(order):
        by_id[item_id].position = position
    db.session.flush()
    db.session.expire(edition, [kind.name])


def set_archived(kind: ItemKind, item, archived: bool) -> None:
    """Archive an item (kept where used, no longer offered) or bring it back."""
    item.archived_at = now_utc() if archived else None
    db.session.flush()
    action = "archived" if archived else "restored"
    audit.record(f"{kind.model.__name__.lower()}.{action}", item, data={"name_ru": item.name_ru})


def delete_item(kind: ItemKind, item) -> bool:
    """Delete an unused item; False (nothing done) when something refers to it."""
    uses = uses_by_item(kind, item.edition).get(item.id, 0)
    if not can_delete(uses):
        return False
    audit.record(f"{kind.model.__name__.lower()}.deleted", item, data={"name_ru": item.name_ru})
    edition = item.edition
    getattr(edition, kind.name).remove(item)
    db.session.flush()
    for position, other in enumerate(getattr(edition, kind.name)):
        other.position = position
    db.session.flush()
    return True


def copy_structure(source: Edition, target: Edition) -> tuple[int, int]:
    """Copy the source's current nominations and criteria to the end of the target's lists.

    Items whose Russian name the target already has are skipped, so a second click
    does not duplicate them. Returns (nominations copied, criteria copied).
    """
    copied = []
    for kind in (NOMINATIONS, CRITERIA):
        existing = getattr(target, kind.name)
        names = {item.name_ru.strip().casefold() for item in existing}
        count = 0
        for item in getattr(source, kind.name):
            if item.archived_at is not None or item.name_ru.strip().casefold() in names:
                continue
            values = {name: getattr(item, name) for name in kind.fields}
            existing.append(kind.model(position=len(existing), **values))
            count += 1
        copied.append(count)
    db.session.flush()
    audit.record("edition.structure_copied", target, edition_id=target.id,
                 data={"from_edition": source.ordinal, "nominations": copied[0],
                       "criteria": copied[1]})
    return copied[0], copied[1]
