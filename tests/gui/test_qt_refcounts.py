"""PySide6 6.12.0 on Python 3.11 dropped a reference to None on every Qt call that
returns nothing, crashing the app within seconds; pyproject pins below 6.12.
This guards the pin: thousands of such calls leave the singletons' counts alone."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

pytestmark = pytest.mark.gui


def test_void_qt_calls_do_not_leak_references_to_none(qtbot: object) -> None:
    label = QLabel()
    before = [sys.getrefcount(x) for x in (None, True, False)]
    for _ in range(5000):
        label.setText("x")
        label.setVisible(False)
        QCoreApplication.processEvents()
    after = [sys.getrefcount(x) for x in (None, True, False)]
    assert [a - b for a, b in zip(after, before, strict=True)] == pytest.approx([0, 0, 0], abs=50)

