"""Qt's set-up in the frozen app, done when the GUI starts rather than in every process.

PyInstaller's runtime hook for PySide6 imports QtCore before the program
starts (≈ 100 ms), in every process of the bundle: the command line, and
fill's DOCX worker with it, paid that without ever using Qt. The spec
(installers/dpa-desktop.spec) leaves the hook out and this package calls
``prepare`` before it imports Qt, doing what the hook did (PyInstaller 6,
``pyi_rth_pyside6.py``): Qt's plugin and QML paths, the bundle on PATH for
DLLs on Windows, and an embedded ``qt.conf`` that puts Qt's prefix (its
translations, so standard buttons read "Annuleren") inside the bundle.
installers/smoke.py checks the result on the real bundle.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

from dpa_desktop import paths

_prepared = False


def qt_folder(meipass: str, *, windows: bool) -> str:
    """Where PyInstaller's PySide6 hook collects Qt: PySide6/ on Windows, PySide6/Qt/ elsewhere."""
    return os.path.join(meipass, "PySide6") if windows else os.path.join(meipass, "PySide6", "Qt")


def prepare(*, windows: bool = sys.platform == "win32") -> bool:
    """Set Qt up for the bundle, once; False (nothing done) outside a frozen app."""
    global _prepared
    bundle = paths.bundle_root()
    if _prepared or bundle is None:
        return False
    meipass = str(bundle)
    helpers = _pyinstaller_helpers()
    helpers.qt.ensure_single_qt_bindings_package("PySide6")
    folder = qt_folder(meipass, windows=windows)
    os.environ["QT_PLUGIN_PATH"] = os.path.join(folder, "plugins")
    os.environ["QML2_IMPORT_PATH"] = os.path.join(folder, "qml")
    if windows:
        helpers.prepend_path_to_environment_variable(meipass, "PATH")
    helpers.qt.create_embedded_qt_conf("PySide6", folder)
    _prepared = True
    return True


def _pyinstaller_helpers() -> ModuleType:
    """PyInstaller's own run-time helpers, which every bundle with PySide6 carries."""
    import _pyi_rth_utils  # type: ignore[import-not-found]  # only inside a PyInstaller bundle
    import _pyi_rth_utils.qt  # type: ignore[import-not-found]

    module: ModuleType = _pyi_rth_utils
    return module
