"""Screenshot every screen of the app for the vcare form (run under Xvfb).

    Xvfb :99 -screen 0 1600x1000x24 &
    DISPLAY=:99 python docs/screenshots/make_screenshots.py OUT_DIR
    DISPLAY=:99 QT_SCALE_FACTOR=1.5 python docs/screenshots/make_screenshots.py OUT_DIR

Uses a throwaway data directory and file keyring; never the user's register.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
_tmp = Path(tempfile.mkdtemp(prefix="dpa-shots-"))
os.environ["DPA_DESKTOP_DATA_DIR"] = str(_tmp / "data")
os.environ["DPA_DESKTOP_KEYRING"] = "file"
os.environ["DPA_DESKTOP_KEYRING_FILE"] = str(_tmp / "keyring.json")

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QWidget  # noqa: E402

import dpa_desktop.gui  # noqa: E402, F401
from dpa_desktop.answers import example_answers  # noqa: E402
from dpa_desktop.gui import operations  # noqa: E402
from dpa_desktop.gui.app import create_app  # noqa: E402
from dpa_desktop.gui.dialogs import AboutDialog, ProfileDialog, RecoveryCodeDialog  # noqa: E402
from dpa_desktop.gui.register import SignedDialog  # noqa: E402
from dpa_desktop.gui.session import Session  # noqa: E402
from dpa_desktop.gui.start import StartWindow  # noqa: E402
from dpa_desktop.store import SIGNED, Store  # noqa: E402
from tests.gui.driver import PROFILE, fill_current_page, type_into  # noqa: E402


class _Bot:
    keyClicks = staticmethod(QTest.keyClicks)
    keyClick = staticmethod(QTest.keyClick)
    mouseClick = staticmethod(QTest.mouseClick)


def settle(ms: int = 300) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    operations.wait_idle()


def shot(widget: QWidget, out: Path, name: str) -> None:
    widget.raise_()
    widget.activateWindow()
    settle(250)
    widget.grab().save(str(out / f"{name}.png"))
    print(out / f"{name}.png")


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    form_id = sys.argv[2] if len(sys.argv) > 2 else "vcare"
    store, code = Store.create()
    store.save_profile({**PROFILE, "organisatie_naam": "Huisartsenpraktijk De Linde",
                        "plaats": "Enschede", "adres": "Lindelaan 12", "postcode": "7511 AB"})
    store.close()
    app = create_app([])
    bot = _Bot()
    window = StartWindow(Session())
    window.show()
    window.begin()
    loop = QEventLoop()
    window.ready.connect(loop.quit)
    loop.exec()
    settle()
    shot(window, out, "01-start")

    wiz = window.start_new(form_id)
    assert wiz is not None
    answers = example_answers(wiz.spec)
    shot(wiz, out, "02-partij-profiel")
    kvk = next((q for q in wiz.spec.questions if q.type == "kvk" and q.page == "partij"), None)
    if kvk is not None:
        fill_current_page(bot, wiz, answers)
        type_into(bot, wiz.question_field(kvk.id), "1234")
        wiz.next()
        shot(wiz, out, "03-partij-kvk-fout")
    n = 4
    while wiz.current_page_name() != "review":
        fill_current_page(bot, wiz, answers)
        settle(100)
        shot(wiz, out, f"{n:02d}-{wiz.current_page_name()}")
        n += 1
        wiz.next()
    shot(wiz, out, f"{n:02d}-review")
    n += 1
    wiz.pages["review"].folder.setText(str(_tmp / "documenten"))  # type: ignore[attr-defined]
    wiz.next()
    while not wiz.pages["result"].isComplete():
        settle(100)
    settle(1500)
    shot(wiz, out, f"{n:02d}-result")
    n += 1
    wiz.close()

    reg = window.open_register()
    assert reg is not None
    settle()
    shot(reg, out, f"{n:02d}-register")
    n += 1
    signed = SignedDialog(reg)
    signed.show()
    shot(signed, out, f"{n:02d}-register-ondertekend")
    n += 1
    signed.close()
    session = window.session
    operations.Op(None, lambda: session.store.set_status(1, SIGNED, dt.date.today())) \
        .run_in_background()
    settle()
    reg.refresh()
    settle()
    reg.tabs.setCurrentIndex(1)
    shot(reg, out, f"{n:02d}-subverwerkers")
    n += 1
    reg.close()

    for name, dialog in (("profiel", ProfileDialog(session.profile, window, first_start=True)),
                         ("herstelcode", RecoveryCodeDialog(code, window)),
                         ("over", AboutDialog(window))):
        dialog.show()
        shot(dialog, out, f"{n:02d}-{name}")
        n += 1
        dialog.close()
    window.close()
    operations.shutdown()
    app.quit()
    sys.stdout.flush()
    os._exit(0)  # a screenshot tool: skip PySide's teardown of still-parented dialogs


if __name__ == "__main__":
    raise SystemExit(main())
