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


def _fake_pyinstaller_helpers(monkeypatch: pytest.MonkeyPatch, calls: list[tuple[str, ...]]) -> None:
    """Stand-ins for PyInstaller's ``_pyi_rth_utils``, which only exists inside a bundle."""
    helpers = ModuleType("_pyi_rth_utils")
    qt = ModuleType("_pyi_rth_utils.qt")
    qt.ensure_single_qt_bindings_package = lambda name: calls.append(("single", name))  # type: ignore[attr-defined]
    qt.create_embedded_qt_conf = lambda name, folder: calls.append(("qt.conf", name, folder))  # type: ignore[attr-defined]
    helpers.qt = qt  # type: ignore[attr-defined]
    helpers.prepend_path_to_environment_variable = (  # type: ignore[attr-defined]
        lambda path, name: calls.append(("prepend", name, path)))
    monkeypatch.setitem(sys.modules, "_pyi_rth_utils", helpers)
    monkeypatch.setitem(sys.modules, "_pyi_rth_utils.qt", qt)


@pytest.mark.parametrize("windows", [True, False])
def test_the_frozen_gui_sets_qt_up_as_pyinstallers_hook_did(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                           windows: bool) -> None:
    from dpa_desktop.gui import frozen_qt

    calls: list[tuple[str, ...]] = []
    _fake_pyinstaller_helpers(monkeypatch, calls)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(frozen_qt, "_prepared", False)
    for name in ("QT_PLUGIN_PATH", "QML2_IMPORT_PATH"):
        monkeypatch.delenv(name, raising=False)
    qt = tmp_path / "PySide6" if windows else tmp_path / "PySide6" / "Qt"

    assert frozen_qt.prepare(windows=windows) is True
    assert os.environ["QT_PLUGIN_PATH"] == str(qt / "plugins")
    assert os.environ["QML2_IMPORT_PATH"] == str(qt / "qml")
    expected = [("single", "PySide6"), *([("prepend", "PATH", str(tmp_path))] if windows else []),
                ("qt.conf", "PySide6", str(qt))]
    assert calls == expected
    assert frozen_qt.prepare(windows=windows) is False  # once: PyInstaller's helper refuses a second time
    assert calls == expected


def test_outside_a_bundle_the_gui_leaves_qt_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from dpa_desktop.gui import frozen_qt

    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(frozen_qt, "_prepared", False)
    before = dict(os.environ)
    assert frozen_qt.prepare() is False
    assert dict(os.environ) == before


def test_the_spec_drops_only_runtime_hooks_the_app_does_without() -> None:
    """The bundle runs without PyInstaller's multiprocessing hook: nothing here may use multiprocessing."""
    import ast

    users = []
    for path in sorted((ROOT / "dpa_desktop").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            users += [f"{path.name}: {name}" for name in names
                      if name.split(".")[0] == "multiprocessing" or name == "concurrent.futures"]
    assert users == []
    spec = (ROOT / "installers" / "dpa-desktop.spec").read_text(encoding="utf-8")
    assert 'DROPPED_RUNTIME_HOOKS = {"pyi_rth_pyside6", "pyi_rth_multiprocessing"}' in spec
