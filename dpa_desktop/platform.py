"""Everything that differs between Windows and the rest, in one place.

The target is Windows; development and CI run on Linux. Each function has a
branch per platform, and the tests exercise every branch that can run here
(the Windows branches by passing ``windows=True``).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from pathlib import Path

IS_WINDOWS = sys.platform == "win32"

_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


def safe_filename(name: str, *, max_length: int = 120) -> str:
    """A file name valid on Windows (and so everywhere): no reserved names or characters."""
    cleaned = _BAD_CHARS.sub("-", name)
    cleaned = re.sub(r"\s+", " ", cleaned).strip().rstrip(". ")
    cleaned = cleaned[:max_length].rstrip(". ")
    if not cleaned:
        cleaned = "verwerkersovereenkomst"
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned


def replace_file(src: Path, dst: Path, *, windows: bool = IS_WINDOWS, attempts: int = 20) -> None:
    """Atomically put src in place of dst.

    On Windows a virus scanner or the indexer may hold dst open for a moment,
    which makes ``os.replace`` fail with PermissionError: retry briefly there.
    """
    if not windows:
        os.replace(src, dst)
        return
    for attempt in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _fsync_dir(directory: Path, *, windows: bool = IS_WINDOWS) -> None:
    """Make a rename durable; directories cannot be opened for fsync on Windows."""
    if windows:
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, windows: bool = IS_WINDOWS) -> None:
    """Write beside the target and rename: readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        replace_file(tmp_path, path, windows=windows)
        _fsync_dir(path.parent, windows=windows)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def open_command(path: Path, *, platform: str = sys.platform) -> list[str] | None:
    """The command that opens a file in its default application; None means os.startfile."""
    if platform == "win32":
        return None
    if platform == "darwin":
        return ["open", str(path)]
    return ["xdg-open", str(path)]


class NoDefaultApp(OSError):
    """No program is set up to open this kind of file (or folder)."""


# Viewers started on Linux and macOS; kept so each is reaped once it exits.
_children: list[object] = []


def linux_default_app_known(path: Path) -> bool:
    """Whether xdg-open has a program for this file: False only when it surely has none.

    ``xdg-open`` itself may run the viewer in the foreground and reports a
    missing handler only through its exit code, so the answer is asked of
    ``xdg-mime`` first, which answers at once.
    """
    import shutil
    import subprocess

    if shutil.which("xdg-open") is None:
        return False
    if shutil.which("xdg-mime") is None:
        return True  # cannot tell; let xdg-open try
    try:
        kind = subprocess.run(["xdg-mime", "query", "filetype", str(path)], capture_output=True,
                              text=True, timeout=10, check=False).stdout.strip()
        if not kind:
            return True
        app = subprocess.run(["xdg-mime", "query", "default", kind], capture_output=True,
                             text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(app)


def open_with_default_app(path: Path, *, platform: str = sys.platform) -> None:
    """Open a file or folder in the program the system has for it.

    Raises ``NoDefaultApp`` when there is none, so the caller can say so
    instead of doing nothing visible.
    """
    command = open_command(path, platform=platform)
    if command is None:
        try:
            os.startfile(path)  # type: ignore[attr-defined]  # Windows only
        except FileNotFoundError:
            raise
        except OSError as exc:  # e.g. ERROR_NO_ASSOCIATION (1155)
            raise NoDefaultApp(str(path)) from exc
        return
    if platform.startswith("linux") and not linux_default_app_known(path):
        raise NoDefaultApp(str(path))
    import subprocess  # only here: a fill process would pay ≈ 5 ms for it at start

    for child in list(_children):
        if child.poll() is not None:  # type: ignore[attr-defined]
            _children.remove(child)
    try:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
    except OSError as exc:
        raise NoDefaultApp(str(path)) from exc
    _children.append(child)


def keyring_advice(*, platform: str = sys.platform) -> str:
    """What she can do when the system keyring cannot hold the register's key (Dutch)."""
    if platform == "win32":
        return ("DPA Desktop bewaart de sleutel van het register in Windows Referentiebeheer "
                "(Credential Manager). Dat was nu niet bereikbaar. Meld u af en weer aan bij "
                "Windows, of start de computer opnieuw, en kies dan 'Opnieuw proberen'.")
    if platform == "darwin":
        return ("DPA Desktop bewaart de sleutel van het register in de sleutelhanger van macOS. "
                "Die was nu niet bereikbaar. Ontgrendel de sleutelhanger (Sleutelhangertoegang) "
                "en kies 'Opnieuw proberen'.")
    return ("DPA Desktop bewaart de sleutel van het register in de Secret Service van uw "
            "bureaublad (GNOME Sleutelbos of KDE Wallet). Die was nu niet bereikbaar. Start of "
            "installeer er een (bijvoorbeeld het pakket gnome-keyring), ontgrendel hem en kies "
            "'Opnieuw proberen'.\n\nLukt dat niet, dan kunt u DPA Desktop starten met "
            "DPA_DESKTOP_KEYRING=file. De sleutel staat dan in een gewoon bestand naast de "
            "gegevensmap: iedereen die uw bestanden kan lezen, kan dan ook het register openen. "
            "Doe dit alleen op een computer die alleen u gebruikt en waarvan de schijf "
            "versleuteld is.")
