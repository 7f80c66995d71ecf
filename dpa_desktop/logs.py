"""The app's log file: what happened and when, for whoever helps the practice.

A rotating file in ``paths.log_dir()`` (1 MB, five old files kept). It
records events and ids only: which form, which draft or agreement number,
how long something took, the type of an error and the code lines it passed.
It never records answers, names, addresses, file names of agreements or
error messages (a message may quote what she typed); a test fills a form
with distinctive answers and searches the log for them.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from dpa_desktop import __version__, paths

LOG_NAME = "dpa-desktop.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_handler: logging.Handler | None = None


def log_file() -> Path:
    return paths.log_dir() / LOG_NAME


def setup(directory: Path | None = None) -> Path:
    """Send the ``dpa_desktop`` loggers to the rotating file; idempotent. Returns its path.

    The folder is created when the first record is written; a log that
    cannot be written never stops the app.
    """
    global _handler
    target = (directory or paths.log_dir()) / LOG_NAME
    root = logging.getLogger("dpa_desktop")
    if _handler is not None:
        if Path(getattr(_handler, "baseFilename", "")) == target.resolve():
            return target
        stop()
    target.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(target, maxBytes=MAX_BYTES,
                                                   backupCount=BACKUPS, encoding="utf-8",
                                                   delay=True)
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _handler = handler
    root.info("start: DPA Desktop %s, Python %s, %s", __version__,
              sys.version.split()[0], sys.platform)
    return target


def stop() -> None:
    """Close the file (before the data folder moves, and in tests)."""
    global _handler
    if _handler is None:
        return
    logging.getLogger("dpa_desktop").removeHandler(_handler)
    _handler.close()
    _handler = None


def exception_summary(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """An error for the log: its type and the code lines it passed, never its message."""
    frames = traceback.extract_tb(tb)
    where = " < ".join(f"{frame.name} ({_short(frame.filename)}:{frame.lineno})"
                       for frame in reversed(frames[-8:]))
    return f"{exc_type.__module__}.{exc_type.__qualname__}" + (f" in {where}" if where else "")


def _short(filename: str) -> str:
    return "/".join(filename.replace("\\", "/").split("/")[-2:])


def log_uncaught(exc_type: type[BaseException], exc: BaseException,
                 tb: TracebackType | None) -> None:
    """For ``sys.excepthook``: the summary goes to the log, the rest to the previous hook."""
    logging.getLogger("dpa_desktop").error("uncaught: %s", exception_summary(exc_type, tb))
