"""The child of the restore kill test: counts every file operation of a restore and
dies (``os._exit``, no clean-up, like a kill) at the chosen one.

Counted: everything that creates, writes, flushes, renames or deletes a file or
folder through ``os`` (which ``pathlib``, ``tempfile``, ``shutil`` and the lock use),
files opened for writing with ``open``, and SQLite connections.
"""

from __future__ import annotations

import builtins
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

KILLED = 77
DONE = 0
_OS_CALLS = ("open", "close", "write", "fsync", "rename", "replace", "mkdir", "rmdir", "unlink",
             "remove", "chmod", "scandir", "listdir")


def run(archive: str, code: str, data_dir: str, keyring_file: str, kill_at: int,
        replace: bool, count_file: str) -> None:
    from dpa_desktop.store import FileKeyring, Store

    counter = [0]
    armed = [True]

    def tick() -> None:
        if not armed[0]:
            return
        counter[0] += 1
        if counter[0] == kill_at:
            os._exit(KILLED)

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            tick()
            return fn(*args, **kwargs)
        return wrapped

    for name in _OS_CALLS:
        setattr(os, name, wrap(getattr(os, name)))
    shutil.rmtree = wrap(shutil.rmtree)  # type: ignore[assignment]
    sqlite3.connect = wrap(sqlite3.connect)  # type: ignore[assignment]
    real_open = builtins.open

    def counted_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if any(flag in mode for flag in "wax+"):
            tick()
        return real_open(file, mode, *args, **kwargs)

    builtins.open = counted_open  # type: ignore[assignment]
    store = Store.restore(Path(archive), code, Path(data_dir), FileKeyring(Path(keyring_file)),
                          replace=replace)
    store.close()
    armed[0] = False
    fd = os.open(count_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.write(fd, str(counter[0]).encode())
    os._exit(DONE)
