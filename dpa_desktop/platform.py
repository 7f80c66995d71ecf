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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

IS_WINDOWS = sys.platform == "win32"

_WINDOWS_RESERVED = {
    "CON", "PRN", "AUX", "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')


# Longest file name component most file systems take: 255 bytes (ext4, APFS in
# UTF-8) or 255 UTF-16 code units (NTFS). A name is kept well below both, so the
# extension and the temporary name beside it (``atomic_write``) fit as well.
NAME_BYTES = 200
NAME_UNITS = 200
# Windows without long-path support: a whole path has at most 259 characters (MAX_PATH
# minus its terminator). TEMP_OVERHEAD is what atomic_write adds to a name (".", ".docx.",
# eight random characters, ".tmp").
WINDOWS_MAX_PATH = 259
TEMP_OVERHEAD = 20


def safe_filename(name: str, *, max_length: int = 120, directory: Path | None = None,
                  windows: bool = IS_WINDOWS) -> str:
    """A file name valid on Windows (and so everywhere): no reserved names or characters.

    The name is cut to ``max_length`` characters and to what a file system takes
    (``NAME_BYTES`` in UTF-8, ``NAME_UNITS`` in UTF-16), never inside a character
    or between a letter and its accents. On Windows, given the folder, the whole
    path stays within MAX_PATH where the folder leaves room for a name at all.
    """
    cleaned = _BAD_CHARS.sub("-", name)
    cleaned = re.sub(r"\s+", " ", cleaned).strip().rstrip(". ")
    units = NAME_UNITS
    if windows and directory is not None:
        units = min(units, max(WINDOWS_MAX_PATH - len(str(directory)) - 1 - TEMP_OVERHEAD, 16))
    cleaned = _cut(cleaned, max_length, NAME_BYTES, units).rstrip(". ")
    if not cleaned:
        cleaned = "verwerkersovereenkomst"
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned


def _cut(text: str, max_chars: int, max_bytes: int, max_units: int) -> str:
    """The longest start of ``text`` within all three limits that ends between two characters
    a reader sees as separate (not before a combining accent)."""
    import unicodedata

    end = 0
    size = units = 0
    for i, ch in enumerate(text):
        size += len(ch.encode("utf-8"))
        units += 2 if ord(ch) > 0xFFFF else 1
        if i + 1 > max_chars or size > max_bytes or units > max_units:
            break
        end = i + 1
    else:
        return text
    # Do not leave a letter without the accents that follow it.
    while end > 0 and unicodedata.combining(text[end]):
        end -= 1
    return text[:end]


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
    atomic_write_all({path: data}, windows=windows)


def atomic_write_all(files: dict[Path, bytes], *, windows: bool = IS_WINDOWS) -> None:
    """Write several files so that either all are written or none is changed.

    Every file is first written completely beside its target; only then are
    they renamed into place. If a rename fails, the files already renamed are
    put back as they were (removed, or their old content restored), so a
    failure never leaves one document new and the other old or missing.
    """
    temps: dict[Path, Path] = {}
    replaced: list[tuple[Path, bytes | None]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps[path] = Path(tmp_name)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for path, temp in temps.items():
            old = path.read_bytes() if len(files) > 1 and path.is_file() else None
            replace_file(temp, path, windows=windows)
            replaced.append((path, old))
        for directory in {p.parent for p in files}:
            _fsync_dir(directory, windows=windows)
    except BaseException:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
        for path, old in replaced:
            if old is None:
                path.unlink(missing_ok=True)
            else:
                atomic_write(path, old, windows=windows)
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

    import subprocess  # here, not at the top: a fill never starts a program

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


# --------------------------------------------------------------------------- private folders and files
#
# The register, its recovery file and decrypted copies opened for viewing may
# be read by this user only. On POSIX that is the mode (0700 folders, 0600
# files) and the owner; on Windows the folders sit in the user's profile,
# whose ACL already grants only the user (plus SYSTEM and Administrators),
# and a folder outside the profile gets that ACL explicitly with icacls.

PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


class UnsafeFolder(OSError):
    """A folder meant to be private is owned by someone else or is a link."""


def make_private_dir(path: Path, *, windows: bool = IS_WINDOWS) -> Path:
    """Create ``path`` (with parents) readable by this user only; refuse one someone else owns.

    A folder that another user created first (on a shared machine) or a
    symbolic link put in its place is never used: writing a decrypted
    document into it would hand the document to that user.
    """
    import stat

    existed = path.is_dir()
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR_MODE)
    if windows:
        # Only a folder made here: one that existed has the ACL it was given
        # then (and icacls is a process start, too slow for every open).
        command = None if existed else windows_acl_command(
            path, profile=os.environ.get("USERPROFILE", ""), user=os.environ.get("USERNAME", ""),
            domain=os.environ.get("USERDOMAIN", ""))
        if command is not None:
            import subprocess

            subprocess.run(command, check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        return path
    info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise UnsafeFolder(f"{path} is geen gewone map")
    if info.st_uid != os.getuid():  # type: ignore[attr-defined,unused-ignore]  # POSIX only
        raise UnsafeFolder(f"{path} is van een andere gebruiker")
    if stat.S_IMODE(info.st_mode) != PRIVATE_DIR_MODE:
        os.chmod(path, PRIVATE_DIR_MODE)
    return path


def windows_acl_command(path: Path, *, profile: str, user: str, domain: str = "") -> list[str] | None:
    """The icacls call that gives a folder outside the user's profile the profile's privacy.

    None inside the profile: folders there inherit an ACL that grants only the
    user, SYSTEM and Administrators, which is what a private folder needs.
    """
    if profile and _is_within(path, Path(profile)):
        return None
    if not user:
        raise UnsafeFolder(f"{path}: de Windows-gebruiker is onbekend")
    account = f"{domain}\\{user}" if domain else user
    return ["icacls", str(path), "/inheritance:r", "/grant:r", f"{account}:(OI)(CI)F",
            "/grant:r", "*S-1-5-18:(OI)(CI)F"]  # S-1-5-18: SYSTEM (backup software)


def _is_within(path: Path, folder: Path) -> bool:
    def norm(p: Path) -> str:
        return os.path.normcase(os.path.abspath(p)).rstrip("\\/")

    inner, outer = norm(path), norm(folder)
    return inner == outer or inner.startswith(outer + os.sep) or inner.startswith(outer + "\\")


def make_private_file(path: Path, *, windows: bool = IS_WINDOWS) -> None:
    """Restrict an existing file to this user (POSIX); on Windows it has its folder's ACL."""
    import stat

    if not windows and stat.S_IMODE(os.stat(path).st_mode) != PRIVATE_FILE_MODE:
        os.chmod(path, PRIVATE_FILE_MODE)


def create_private_file(path: Path) -> int:
    """A new file only this user can read, opened for writing; fails if the name exists.

    The exclusive create means a file planted under the same name beforehand
    is never written into.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    return os.open(path, flags, PRIVATE_FILE_MODE)


def rename_dir(src: Path, dst: Path, *, windows: bool = IS_WINDOWS, attempts: int = 20) -> None:
    """Move a folder to a name that does not exist, in one rename, and make it durable.

    On Windows a virus scanner or the indexer may briefly hold a file inside
    ``src``, which makes the rename fail with PermissionError: retry there.
    """
    if dst.exists():
        raise FileExistsError(f"{dst} bestaat al")
    for attempt in range(attempts if windows else 1):
        try:
            os.rename(src, dst)
            break
        except PermissionError:
            if not windows or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    _fsync_dir(dst.parent, windows=windows)


def fsync_file(path: Path) -> None:
    """Flush a file that another library (SQLite) wrote, before it is renamed into place.

    Opened for writing (without truncating): Windows flushes only a handle with write access.
    """
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(directory: Path, *, windows: bool = IS_WINDOWS) -> None:
    _fsync_dir(directory, windows=windows)


@contextmanager
def exclusive_lock(path: Path, timeout: float) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block.

    ``filelock`` takes an OS lock (LockFileEx on Windows, flock elsewhere) that
    the OS drops when the process dies, so a crash never leaves the register
    locked. Raises TimeoutError when another process holds it for ``timeout`` seconds.
    """
    from filelock import FileLock, Timeout

    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path), timeout=timeout, mode=PRIVATE_FILE_MODE)
    try:
        lock.acquire()
    except Timeout as exc:
        raise TimeoutError(str(path)) from exc
    try:
        yield
    finally:
        lock.release()
