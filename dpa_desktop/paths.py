"""Every path the app reads or writes comes from here.

One module so that tests, the frozen build and a user's override all agree on
where things are; nothing else calls platformdirs or looks at ``__file__`` for
resources.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
    import platformdirs  # here: the CLI's fill needs only the install's own folders

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def documents_output_dir() -> Path:
    """Default folder for generated agreements: Documenten/Verwerkersovereenkomsten."""
    import platformdirs

    return Path(platformdirs.user_documents_dir()) / "Verwerkersovereenkomsten"


def _beside_data(suffix: str) -> Path:
    """A folder or file next to the data folder, named after it.

    The data folder holds the register and nothing else the app keeps open or
    must keep across a restore: a restore swaps that folder as a whole in one
    rename, which Windows refuses while a file inside it is open (the log, a
    copy in a viewer). platformdirs puts the cache and the log inside the data
    folder on Windows, so they are not asked for.
    """
    data = data_dir().absolute()
    return data.parent / f"{data.name}-{suffix}"


def private_temp_dir() -> Path:
    """This user's folder for decrypted copies opened in a viewer.

    Emptied at every start; never the shared system temp folder, where another
    user could create the folder first. On Linux the session's runtime folder
    (memory, removed at logout) when there is one, unless ``DPA_DESKTOP_DATA_DIR``
    is set (tests, portable installs); otherwise beside the data folder, in the
    user's profile. The caller makes it private (``platform.make_private_dir``).
    """
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if not os.environ.get(DATA_DIR_ENV) and sys.platform.startswith("linux") and runtime \
            and Path(runtime).is_absolute() and Path(runtime).is_dir():
        return Path(runtime) / "dpa-desktop-geopend"
    return _beside_data("geopend")


def log_dir() -> Path:
    """The app's log files (events and ids, never answers or names), for whoever helps her."""
    return _beside_data("logboek")


def settings_file() -> Path:
    """Small settings beside the register (dates only, such as the last backup); they
    stay when a backup replaces the register."""
    return _beside_data("instellingen.json")


def backups_output_dir() -> Path:
    """Default folder offered for a backup: Documenten/Verwerkersovereenkomsten."""
    return documents_output_dir()
