"""The PySide6 desktop app: start screen, wizard and register.

Only this package imports Qt; it changes data solely through
``operations.Op`` so the window never freezes and the core stays Qt-free.
"""
