"""The PySide6 desktop app: start screen, wizard and register.

Only this package imports Qt; it changes data solely through
``operations.Op`` so the window never freezes and the core stays Qt-free.
"""

from dpa_desktop.gui import _nonefix  # noqa: F401  - before any Qt call, see its docstring
