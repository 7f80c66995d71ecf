"""What the windows share: the loaded forms, the profile and the open store.

The store object is created and used only inside ``Op`` jobs (the worker
thread); widgets never call it directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dpa_desktop.forms.loader import LoadedForms
    from dpa_desktop.store import Store


class Session:
    def __init__(self) -> None:
        self.forms: LoadedForms | None = None
        self.profile: dict[str, str] = {}
        self._store: Store | None = None

    @property
    def store(self) -> Store:
        """The open store; only call from an ``Op`` job."""
        if self._store is None:
            from dpa_desktop.errors import DpaError

            raise DpaError("Het register is nog niet geopend. Start het programma opnieuw.")
        return self._store

    @store.setter
    def store(self, value: Store) -> None:
        self._store = value

    @property
    def has_store(self) -> bool:
        return self._store is not None

    def close_store(self) -> None:
        """Close and forget the store; only call from an ``Op`` job (restore swaps it)."""
        if self._store is not None:
            self._store.close()
            self._store = None
