"""Menus built from a list of entries, so that every window's menus read alike."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMenu

# (name, text, slot); an entry without a slot is a separator.
MenuEntry = tuple[str, str, Callable[[], object] | None]


def add_actions(menu: QMenu, entries: Iterable[MenuEntry]) -> dict[str, QAction]:
    """Each entry as an action named ``action_<name>``, by which tests and the window find it."""
    actions: dict[str, QAction] = {}
    for name, text, slot in entries:
        if slot is None:
            menu.addSeparator()
            continue
        action = menu.addAction(text)
        action.setObjectName(f"action_{name}")
        action.triggered.connect(lambda _checked=False, s=slot: s())
        actions[name] = action
    return actions
