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


def install_root() -> Path:
    """Where forms/ and resources/ live: the source tree, or the frozen bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


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


def cache_dir() -> Path:
    """Rebuildable speed-ups (parsed hyphenation patterns); safe to delete at any time.

    Beside the data when ``DPA_DESKTOP_DATA_DIR`` is set, so tests and portable
    installs never write to the user's real cache.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def documents_output_dir() -> Path:
    """Default folder for generated agreements: Documenten/Verwerkersovereenkomsten."""
    return Path(platformdirs.user_documents_dir()) / "Verwerkersovereenkomsten"
