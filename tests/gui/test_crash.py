"""A killed app loses nothing: the draft reopens on the same page with the same answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dpa_desktop.answers import Answers
from dpa_desktop.gui import operations
from dpa_desktop.gui.session import Session
from dpa_desktop.gui.start import StartWindow
from dpa_desktop.gui.wizard import AgreementWizard
from dpa_desktop.store import Store
from tests.gui.driver import PROFILE

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_draft_survives_a_killed_app_and_resumes_where_she_was(
        qtbot: Any, run_op: Callable[[Callable[[], Any]], Any]) -> None:
    store, _code = Store.create()
    store.save_profile(PROFILE)
    store.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-m", "tests.gui.child_app", "vcare"], cwd=ROOT,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line, child.stderr.read() if child.stderr else "child said nothing"
        report = json.loads(line)
    finally:
        child.kill()  # no goodbye: like a crash or a pulled plug
        child.wait(timeout=30)
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert report["page"] != "partij"

    window = StartWindow(Session())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.ready, timeout=30_000):
        window.begin()
    qtbot.waitUntil(lambda: window.drafts_list.count() == 1, timeout=10_000)
    window.drafts_list.setCurrentRow(0)
    wiz = window.resume_selected()
    assert isinstance(wiz, AgreementWizard)
    assert wiz.current_page_name() == report["page"]
    assert wiz.model.answers() == Answers.from_json(report["answers"])
    window.close()
    operations.wait_idle()
    run_op(lambda: window.session.store.close())
