"""The PySide6 desktop app: start screen, wizard and register.

Only this package imports Qt; it changes data solely through
``operations.Op`` so the window never freezes and the core stays Qt-free.
"""

from dpa_desktop.gui import frozen_qt

frozen_qt.prepare()  # before any module of this package imports Qt (frozen app only)
