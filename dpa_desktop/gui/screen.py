"""Window sizes that fit the screen, also at 150% scaling on a small laptop."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit_resize(widget: QWidget, width: int, height: int, *, share: float = 0.92) -> None:
    """Resize to the wanted size, or to ``share`` of the available screen if that is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        available = screen.availableGeometry()
        width = min(width, int(available.width() * share))
        height = min(height, int(available.height() * share))
    widget.resize(width, height)
