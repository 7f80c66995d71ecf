"""Start-up: process start to start screen painted, against a bare PySide6 window.

Not a test. Each run starts a fresh Python process and times from just before
``Popen`` until the child reports its window's first paint; the child then
exits at once. The bare case imports PySide6, makes a QApplication and shows
one empty QWidget of the same size; the app case does what ``dpa-desktop``
does (``dpa_desktop.gui.app.run`` up to the first paint, including its
``begin()``, which its first paint starts, loading forms and the store on the
worker thread).

    python bench/bench_startup.py [--runs 9]

Budget: the app at most 1.3x the bare window (medians). Runs under the
current QT_QPA_PLATFORM / DISPLAY (use Xvfb for figures close to a desktop).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_REPORT = """
import os
from PySide6.QtCore import QEvent, QObject, QTimer

class _Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, _done)
        return False

def _done():
    print("painted", flush=True)
    os._exit(0)
"""

BARE = _REPORT + """
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
window = QWidget()
window.resize(980, 620)
_filter = _Painted()
window.installEventFilter(_filter)
window.show()
app.exec()
"""

APP = _REPORT + """
from dpa_desktop.gui.app import create_app
from dpa_desktop.gui.session import Session
from dpa_desktop.gui.start import StartWindow
app = create_app([])
window = StartWindow(Session())
_filter = _Painted()
window.installEventFilter(_filter)
window.show()  # as run(): the first paint starts StartWindow.begin
app.exec()
"""


def one_run(code: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait(timeout=60)
    child.stdout.close()
    if line.strip() != "painted":
        raise SystemExit(f"child did not paint (exit {child.returncode})")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="dpa-bench-startup-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "DPA_DESKTOP_DATA_DIR": str(tmp / "data"), "DPA_DESKTOP_KEYRING": "file",
           "DPA_DESKTOP_KEYRING_FILE": str(tmp / "keyring.json")}
    # An installed app (pip or the frozen build) runs from cached bytecode; this
    # environment may forbid writing it, so cache it beside the bench instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    if not env.get("DISPLAY") and not env.get("QT_QPA_PLATFORM"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    one_run(BARE, env)  # warm the page cache for both
    one_run(APP, env)
    bare: list[float] = []
    app: list[float] = []
    for _ in range(args.runs):  # interleaved, so drift hits both alike
        bare.append(one_run(BARE, env))
        app.append(one_run(APP, env))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"platform: {env.get('QT_QPA_PLATFORM') or 'xcb (DISPLAY=' + env['DISPLAY'] + ')'}")
    print(f"bare PySide6 window: median {b * 1000:.0f} ms (min {min(bare) * 1000:.0f})")
    print(f"DPA Desktop start:   median {a * 1000:.0f} ms (min {min(app) * 1000:.0f})")
    print(f"ratio: {a / b:.2f} (budget 1.30)")
    return 0 if a / b <= 1.3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
