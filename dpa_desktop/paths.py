"""Every path the app reads or writes comes from here.

One module so that tests, the frozen build and a user's override all agree on
where things are; nothing else calls platformdirs or looks at ``__file__`` for
resources.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# platformdirs is imported where a user folder is asked for: every CLI command
# imports this module (docx_worker asks bundle_root()) before it starts fill's
# worker, and only some commands ever need a user folder.

APP_NAME = "DPA Desktop"
APP_AUTHOR = "DPA Desktop"
DATA_DIR_ENV = "DPA_DESKTOP_DATA_DIR"
FORMS_DIR_ENV = "DPA_DESKTOP_FORMS_DIR"


def bundle_root() -> Path | None:
    """The frozen app's folder (PyInstaller's ``_MEIPASS``), or None when run from Python.

    The one test for "are we the frozen app": the install root, fill's worker
    command and the GUI's Qt set-up all follow from it.
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
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def cache_dir() -> Path:
    """Rebuildable speed-ups (validated forms, font tables, hyphenation patterns, line breaks); safe to delete.

    Beside the data when ``DPA_DESKTOP_DATA_DIR`` is set, so tests and portable
    installs never write to the user's real cache.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override) / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def documents_output_dir() -> Path:
    """Default folder for generated agreements: Documenten/Verwerkersovereenkomsten."""
    import platformdirs

    return Path(platformdirs.user_documents_dir()) / "Verwerkersovereenkomsten"


def log_dir() -> Path:
    """The app's log files (events and ids, never answers or names), for whoever helps her."""
    return data_dir() / "logboek"


def settings_file() -> Path:
    """Small settings beside the register (dates only, such as the last backup)."""
    return data_dir() / "instellingen.json"


def backups_output_dir() -> Path:
    """Default folder offered for a backup: Documenten/Verwerkersovereenkomsten."""
    return documents_output_dir()
