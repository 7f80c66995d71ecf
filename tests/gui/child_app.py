"""Run the real app in a child process, fill two wizard pages, report, then wait to be killed.

Used by test_crash.py: the parent kills this process without warning and checks
that reopening the app resumes the draft where she was.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest

from dpa_desktop.answers import example_answers
from dpa_desktop.gui.app import create_app
from dpa_desktop.gui.session import Session
from dpa_desktop.gui.start import StartWindow
from tests.gui.driver import fill_current_page, next_page


class _Bot:
    """The few qtbot methods the driver uses, on plain QTest."""

    keyClicks = staticmethod(QTest.keyClicks)
    keyClick = staticmethod(QTest.keyClick)
    mouseClick = staticmethod(QTest.mouseClick)


def wait_for(signal: Any, timeout_ms: int = 30_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def main() -> int:
    form_id = sys.argv[1]
    app = create_app([])
    window = StartWindow(Session())
    window.show()
    QTimer.singleShot(0, window.begin)
    wait_for(window.ready)
    wiz = window.start_new(form_id)
    assert wiz is not None
    answers = example_answers(wiz.spec)
    bot = _Bot()
    fill_current_page(bot, wiz, answers)
    next_page(bot, wiz)
    fill_current_page(bot, wiz, answers)
    wait_for(wiz.draft_saved)
    print(json.dumps({"page": wiz.current_page_name(), "answers": wiz.model.answers().to_json()}),
          flush=True)
    return int(app.exec())


if __name__ == "__main__":
    raise SystemExit(main())
