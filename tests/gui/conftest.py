"""GUI test setup: offscreen Qt, strict about Qt warnings, helpers to drive the app.

Qt warnings (a bad signal connection, a layout conflict) are bugs, so any
message at warning level or above fails the test that caused it.
"""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

T = TypeVar("T")
# The offscreen test platform cannot raise windows or resize to hints; on a
# real desktop these calls work, so its notes about them are not our bugs.
OFFSCREEN_LIMITS = ("This plugin does not support",)
_GUI_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _GUI_DIR in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.gui)
            # Our own handler below fails on warnings; pytest-qt's would swallow them.
            item.add_marker(pytest.mark.no_qt_log)


@pytest.fixture(autouse=True)
def strict_qt_messages() -> Iterator[list[str]]:
    seen: list[str] = []

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            if message.startswith(OFFSCREEN_LIMITS):
                return
            seen.append(f"{mode.name}: {message}")

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)
    if seen:
        pytest.fail("Qt gave warnings:\n" + "\n".join(seen))


@pytest.fixture(autouse=True)
def error_boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Error boxes would block a test forever; record them instead, and fail on them.

    A test that expects one takes this fixture and empties the list.
    """
    from PySide6.QtWidgets import QMessageBox

    shown: list[str] = []

    def exec_(box: QMessageBox) -> int:
        shown.append(box.text() + ("\n" + box.detailedText() if box.detailedText() else ""))
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    yield shown
    if shown:
        pytest.fail("Unexpected message boxes:\n" + "\n---\n".join(shown))


@pytest.fixture(scope="session", autouse=True)
def _dutch_qt(qapp: Any) -> None:
    """Qt's own Dutch translation, as the app loads it (standard buttons read Opslaan…)."""
    from dpa_desktop.gui.app import install_dutch

    assert install_dutch(qapp) is not None, "qtbase_nl not found in PySide6's translations"


@pytest.fixture(scope="session", autouse=True)
def _stop_worker_at_end() -> Iterator[None]:
    yield
    from dpa_desktop.gui import operations

    operations.shutdown()


@pytest.fixture
def run_op(qtbot: Any) -> Callable[[Callable[[], T]], T]:
    """Run a job on the app's worker thread (where the store lives) and return its result."""
    from dpa_desktop.gui.operations import Op

    def run(fn: Callable[[], T]) -> T:
        box: dict[str, Any] = {}
        Op(None, fn).success(lambda r: box.setdefault("r", r)).failure(
            lambda e: box.setdefault("e", e)).run_in_background()
        qtbot.waitUntil(lambda: "r" in box or "e" in box, timeout=30_000)
        if "e" in box:
            raise box["e"]
        return box["r"]  # type: ignore[no-any-return]

    return run
