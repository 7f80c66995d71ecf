"""The frozen build's hooks into the app: the smoke-exit switch, the stderr filter, the icon.

The bundle itself is built and run by ``installers/build.py --smoke`` in CI;
these tests keep the parts it relies on honest without a 50-second build.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def _smoke_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("installers_smoke", ROOT / "installers" / "smoke.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.gui
@pytest.mark.slow
def test_smoke_exit_shows_the_main_window_in_dutch_and_exits_0(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DPA_DESKTOP_SMOKE_EXIT_MS": "500",
           "DPA_DESKTOP_DATA_DIR": str(tmp_path / "data")}
    proc = subprocess.run([sys.executable, "-m", "dpa_desktop"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = [line for line in proc.stdout.splitlines() if line.startswith("smoke:")]
    assert report, proc.stdout
    assert "zichtbaar=True" in report[0]
    assert "annuleren='Annuleren'" in report[0]
    assert "formuliermeldingen=[]" in report[0]
    assert _smoke_module().unexpected_stderr(proc.stderr) == []


def test_smoke_exit_names_a_damaged_form_on_the_start_screen(tmp_path: Path) -> None:
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "vcare.yaml").write_bytes((ROOT / "forms" / "vcare.yaml").read_bytes())
    (forms / "kapot.yaml").write_text("id: kapot\nversion: [\n", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DPA_DESKTOP_SMOKE_EXIT_MS": "1500",
           "DPA_DESKTOP_DATA_DIR": str(tmp_path / "data"), "DPA_DESKTOP_FORMS_DIR": str(forms)}
    proc = subprocess.run([sys.executable, "-m", "dpa_desktop"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Het formulierbestand kapot.yaml bevat fouten" in proc.stdout


def test_smoke_fails_on_a_traceback_but_not_on_known_qt_notes() -> None:
    stderr = ("This plugin does not support propagateSizeHints()\n"
              "QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '/tmp/runtime-x'\n"
              "Traceback (most recent call last):\n"
              "ModuleNotFoundError: No module named 'PIL'\n"
              "qt.qpa.plugin: Could not load the Qt platform plugin \"xcb\"\n")
    assert _smoke_module().unexpected_stderr(stderr) == [
        "Traceback (most recent call last):",
        "ModuleNotFoundError: No module named 'PIL'",
        "qt.qpa.plugin: Could not load the Qt platform plugin \"xcb\"",
    ]


def test_the_app_icon_has_the_sizes_windows_asks_for() -> None:
    with Image.open(ROOT / "resources" / "icons" / "dpa-desktop.ico") as ico:
        sizes = ico.info["sizes"]
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= sizes
    with Image.open(ROOT / "resources" / "icons" / "dpa-desktop.png") as png:
        assert png.size == (256, 256)
        assert png.mode == "RGBA"
