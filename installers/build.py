"""Build the frozen app (and on Windows the installer), then measure and smoke-test it.

One script for Windows and the Linux CI so both build from the same spec with
the same options; see installers/README.md for the steps around it.

    python installers/build.py              # PyInstaller one-folder build + sizes
    python installers/build.py --smoke      # ... and run installers/smoke.py on it
    python installers/build.py --installer  # ... and Inno Setup (Windows, needs iscc)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "dpa-desktop.spec"
DIST = HERE / "dist"
WORK = HERE / "build"
BUNDLE = DIST / "dpa-desktop"
ISS = HERE / "dpa-desktop.iss"
# Linux-only: PySide6's Linux wheels ship their own ICU; on Windows Qt uses the
# ICU built into Windows 10+ (icu.dll), so these do not exist in the Windows bundle.
ICU = re.compile(r"^libicu[a-z0-9]*\.so")
# The budget for the Windows bundle on disk (installers/README.md).
BUDGET_MB = 120


def version() -> str:
    text = (ROOT / "dpa_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.MULTILINE)
    if not match:
        raise SystemExit("__version__ not found in dpa_desktop/__init__.py")
    return match.group(1)


def pyinstaller() -> None:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
           "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    print("+", " ".join(cmd), flush=True)
    started = time.monotonic()
    subprocess.run(cmd, cwd=ROOT, check=True)
    print(f"PyInstaller: {time.monotonic() - started:.0f} s", flush=True)


def _is_linux_system_library(path: Path, bundle: Path) -> bool:
    """Libraries PyInstaller copied from the Linux system (glib, X11/xcb, libstdc++, cups,
    OpenSSL, Pillow's codecs...). On Windows these come with Windows itself or are
    linked into the extension modules, so they have no counterpart in the Windows bundle.
    """
    rel = path.relative_to(bundle / "_internal") if (bundle / "_internal") in path.parents else None
    if rel is None or ".so" not in path.name:
        return False
    if rel.parts[0] == "pillow.libs":
        return True
    return (len(rel.parts) == 1 and path.name.startswith("lib")
            and not path.name.startswith(("libpython", "libpyside6", "libshiboken6", "libQt6")))


def sizes(bundle: Path) -> dict[str, int]:
    """Bytes on disk: total, ICU, Linux system libraries; and the file count."""
    out = {"total": 0, "icu": 0, "system": 0, "files": 0}
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            size = path.stat().st_size
            out["total"] += size
            out["files"] += 1
            if ICU.match(path.name):
                out["icu"] += size
            elif _is_linux_system_library(path, bundle):
                out["system"] += size
    return out


def report_sizes(bundle: Path) -> int:
    s = sizes(bundle)
    mb = 1024 * 1024
    without_icu = s["total"] - s["icu"]
    comparable = without_icu - s["system"]
    print(f"Bundle {bundle}: {s['files']} files, {s['total'] / mb:.1f} MB on disk\n"
          f"  ICU (Linux-only, not counted)        {s['icu'] / mb:6.1f} MB\n"
          f"  without ICU                          {without_icu / mb:6.1f} MB\n"
          f"  Linux system libraries               {s['system'] / mb:6.1f} MB\n"
          f"  without ICU and system libraries     {comparable / mb:6.1f} MB "
          f"(budget for the Windows bundle: {BUDGET_MB} MB)", flush=True)
    largest = sorted((p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()),
                     key=lambda p: p.stat().st_size, reverse=True)[:12]
    for path in largest:
        print(f"  {path.stat().st_size / mb:6.1f} MB  {path.relative_to(bundle)}")
    # On Windows the measured total is the real figure; on Linux the part that has a
    # Windows counterpart is (installers/README.md compares it with the Windows DLLs).
    measured = s["total"] if sys.platform == "win32" else comparable
    if measured > BUDGET_MB * mb:
        print(f"FOUT: de bundel is groter dan {BUDGET_MB} MB.", file=sys.stderr)
        return 1
    return 0


def find_iscc() -> str | None:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    # Windows environment names are case-insensitive; the default install folders.
    bases = [os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")]
    local = os.environ.get("LOCALAPPDATA")
    if local:
        bases.append(str(Path(local) / "Programs"))
    for base in bases:
        if base:
            candidate = Path(base) / "Inno Setup 6" / "ISCC.exe"
            if candidate.is_file():
                return str(candidate)
    return None


def installer() -> None:
    if sys.platform != "win32":
        raise SystemExit("The installer (Inno Setup) is built on Windows only.")
    iscc = find_iscc()
    if iscc is None:
        raise SystemExit("ISCC.exe not found: install Inno Setup 6 (installers/README.md).")
    cmd = [iscc, f"/DAppVersion={version()}", str(ISS)]
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=HERE, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="run installers/smoke.py after")
    parser.add_argument("--installer", action="store_true", help="Inno Setup (Windows)")
    parser.add_argument("--no-build", action="store_true", help="reuse installers/dist")
    args = parser.parse_args()

    if not args.no_build:
        pyinstaller()
    if not BUNDLE.is_dir():
        raise SystemExit(f"{BUNDLE} does not exist; build first.")
    status = report_sizes(BUNDLE)
    if args.smoke:
        smoke = subprocess.run([sys.executable, str(HERE / "smoke.py"), str(BUNDLE)], cwd=ROOT)
        status = status or smoke.returncode
    if args.installer and status == 0:
        installer()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
