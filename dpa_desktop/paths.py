"""Every path the app reads or writes comes from here.

One module so that tests, the frozen build and a user's override all agree on
where things are; nothing else calls platformdirs or looks at ``__file__`` for
resources.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "DPA Desktop"
APP_AUTHOR = "DPA Desktop"
DATA_DIR_ENV = "DPA_DESKTOP_DATA_DIR"
FORMS_DIR_ENV = "DPA_DESKTOP_FORMS_DIR"


def bundle_root() -> Path | None:
    """The frozen app's folder (PyInstaller's ``_MEIPASS``), or None when run from Python.

    The one test for "are we the frozen app": the install root follows from it.
    """
    frozen_root = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and isinstance(frozen_root, str) and frozen_root:
        return Path(frozen_root)
    return None


def install_root() -> Path:
    """Where forms/ and resources/ live: the source tree, or the frozen bundle.

    From source this is also the folder the package is imported from.
    """
    return bundle_root() or Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    override = os.environ.get(FORMS_DIR_ENV)
    return Path(override) if override else install_root() / "forms"


def resources_dir() -> Path:
    return install_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def data_dir() -> Path:
    """The user's data directory; ``DPA_DESKTOP_DATA_DIR`` wins when set."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def documents_output_dir() -> Path:
    """Default folder for generated agreements: Documenten/Verwerkersovereenkomsten."""
    return Path(platformdirs.user_documents_dir()) / "Verwerkersovereenkomsten"


def private_temp_dir() -> Path:
    """This user's folder for decrypted copies opened in a viewer or printed.

    Emptied at every start; never the shared system temp folder, where another
    user could create the folder first. Beside the data when
    ``DPA_DESKTOP_DATA_DIR`` is set (tests, portable installs). On Linux the
    session's runtime folder (memory, removed at logout) when there is one.
    The caller makes it private (``platform.make_private_dir``).
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        data = Path(override).absolute()
        return data.parent / f"{data.name}-geopend"
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if sys.platform.startswith("linux") and runtime and Path(runtime).is_absolute() \
            and Path(runtime).is_dir():
        return Path(runtime) / "dpa-desktop-geopend"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR)) / "geopend"
