"""The header navigation, built from what each feature registers and who is signed in."""

from dataclasses import dataclass

from flask import Flask, url_for
from flask_login import current_user

from .models import Role


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy_gettext string
    roles: tuple[Role, ...] = ()  # empty: everyone
    signed_in: bool = False  # True: only for signed-in users
    order: int = 50


def add_nav_item(app: Flask, item: NavItem) -> None:
    """Called by a feature's register step to put a link in the header."""
    app.extensions.setdefault("pdc_nav", []).append(item)


def visible_nav_items(app: Flask) -> list[tuple[str, str, str]]:
    """(url, label, endpoint) of the links the current user may follow, in order."""
    items = sorted(app.extensions.get("pdc_nav", []), key=lambda item: item.order)
    out = []
    for item in items:
        if (item.signed_in or item.roles) and not current_user.is_authenticated:
            continue
        if item.roles and not current_user.has_role(*item.roles):
            continue
        out.append((url_for(item.endpoint), str(item.label), item.endpoint))
    return out


def register(app: Flask) -> None:
    @app.context_processor
    def inject_navigation():
        return {"nav_items": lambda: visible_nav_items(app)}
