"""Run store, generation and printing work off the UI thread.

Every change to data goes through ``Op`` (after Anki's operations): a job runs
on a worker thread of its lane, one job at a time per lane. The ``store`` lane
is the only thread that ever touches the store (and its database
connection), so store jobs never overlap; the ``print`` lane keeps a long
print run from holding up draft saves. Results and errors come back on the UI
thread, where the callbacks may touch widgets. ``fn`` itself must never touch
a widget.

A ``ProgressOp`` shows a progress dialog with "Annuleren" while it runs; its
job reports through ``Progress`` and stops at the next step once she cancels.

Decrypted copies of documents opened from the register (``store.copies``)
are swept away by the store lane when it starts, every minute while the app
runs (those no viewer holds any more, after two minutes) and when it stops.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QObject, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QWidget

T = TypeVar("T")
SWEEP_EVERY_MS = 60_000
COPY_MIN_AGE_S = 120.0


def _sweep_copies(min_age_seconds: float = 0.0) -> int:
    from dpa_desktop.store import copies

    return copies.sweep(min_age_seconds)


def remove_copy(path: Path) -> None:
    """Delete a decrypted copy once it has been printed (a later sweep if it is still held)."""
    from dpa_desktop.store import copies

    copies.remove(path)


STORE = "store"
PRINT = "print"
log = logging.getLogger(__name__)


class Cancelled(Exception):
    """She cancelled the job; not an error, so no message box."""


class Progress(QObject):
    """Shared by a job (reports steps, on its thread) and the UI (cancels)."""

    changed = Signal(int, int, str)  # done, total, what is happening

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def report(self, done: int, total: int, text: str = "") -> None:
        """Called by the job before each step; raises Cancelled once she cancelled."""
        self.check()
        self.changed.emit(done, total, text)

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    @Slot()
    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class _Worker(QObject):
    """Lives on a worker thread; runs each job it is handed, in order."""

    done = Signal(object, object, object)  # op, result, exception

    @Slot(object)
    def execute(self, op: Op[Any]) -> None:
        try:
            result = op.fn()
        except BaseException as exc:  # every failure goes back to the UI
            self.done.emit(op, None, exc)
        else:
            self.done.emit(op, result, None)


class _Runner(QObject):
    """The UI-thread side of one lane: hands jobs to its worker and delivers their outcome."""

    submit = Signal(object)

    def __init__(self, lane: str) -> None:
        super().__init__()
        self.worker_thread = QThread()
        self.worker_thread.setObjectName(f"dpa-{lane}")
        self.worker = _Worker()
        self.worker.moveToThread(self.worker_thread)
        self.submit.connect(self.worker.execute)
        self.worker.done.connect(self._deliver)
        self.pending = 0
        self.worker_thread.start()
        self.sweeper = QTimer(self)
        # Only the store lane sweeps: a lane started later (printing) must not
        # remove at once a copy a viewer or the printer has just been given.
        self.sweeps = lane == STORE
        if self.sweeps:
            # Copies left by a previous run (killed, or viewers that held them).
            Op(None, _sweep_copies).failure(lambda exc: None).run_on(self)
            self.sweeper.setInterval(SWEEP_EVERY_MS)
            self.sweeper.timeout.connect(
                lambda: Op(None, lambda: _sweep_copies(COPY_MIN_AGE_S)).failure(
                    lambda exc: None).run_on(self))
            self.sweeper.start()

    @Slot(object, object, object)
    def _deliver(self, op: Op[Any], result: object, exc: BaseException | None) -> None:
        self.pending -= 1
        op.deliver(result, exc)

    def stop(self) -> None:
        self.sweeper.stop()
        self.worker_thread.quit()
        self.worker_thread.wait()
        if self.sweeps:
            _sweep_copies()  # what a viewer still holds goes at the next start


_runners: dict[str, _Runner] = {}


def _get_runner(lane: str) -> _Runner:
    runner = _runners.get(lane)
    if runner is None:
        runner = _runners[lane] = _Runner(lane)
        app = QCoreApplication.instance()
        if app is not None and len(_runners) == 1:
            app.aboutToQuit.connect(shutdown)
    return runner


def idle() -> bool:
    """No job is queued or running and every result has been delivered."""
    return all(r.pending == 0 for r in _runners.values())


def wait_idle(timeout_ms: int = 30_000) -> bool:
    """Process events until every job is done; used on close so no draft is lost."""
    timer = QElapsedTimer()
    timer.start()
    while not idle():
        if timer.elapsed() > timeout_ms:
            return False
        QCoreApplication.processEvents()
        QThread.msleep(5)
    return True


def shutdown() -> None:
    """Finish outstanding jobs, then stop the worker threads."""
    if not _runners:
        return
    wait_idle()
    for runner in list(_runners.values()):
        runner.stop()
    _runners.clear()


def on_worker_thread() -> bool:
    return bool(_runners) and threading.current_thread() is not threading.main_thread()


class Op(Generic[T]):
    """One background job: ``Op(parent, fn).success(cb).failure(cb).run_in_background()``.

    Callbacks are skipped when ``parent`` has been deleted meanwhile. Without a
    failure callback the error is shown with ``messages.show_error``.
    """

    def __init__(self, parent: QWidget | None, fn: Callable[[], T], *, lane: str = STORE) -> None:
        self.parent = parent
        self.fn = fn
        self.lane = lane
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None

    def success(self, cb: Callable[[T], None]) -> Op[T]:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op[T]:
        self._failure = cb
        return self

    def run_in_background(self) -> None:
        self.run_on(_get_runner(self.lane))

    def run_on(self, runner: _Runner) -> None:
        runner.pending += 1
        runner.submit.emit(self)

    def _parent_alive(self) -> bool:
        return self.parent is None or shiboken6.isValid(self.parent)

    def deliver(self, result: object, exc: BaseException | None) -> None:
        if exc is not None and not isinstance(exc, Cancelled):
            # The type and where it happened, never the message: it may quote an answer.
            from dpa_desktop.logs import exception_summary

            log.warning("job failed: %s", exception_summary(type(exc), exc.__traceback__))
        if not self._parent_alive():
            return
        if exc is not None:
            if self._failure is not None:
                self._failure(exc)
            else:
                from dpa_desktop.gui.messages import show_error

                show_error(self.parent, exc)
            return
        if self._success is not None:
            self._success(result)  # type: ignore[arg-type]


class ProgressOp(Op[T]):
    """A job with a window-modal progress dialog and "Annuleren".

    ``fn`` gets the ``Progress`` to report each step on; when she cancels, the
    next report raises ``Cancelled``, the dialog closes and the ``cancelled``
    callback (not the failure one) runs.
    """

    def __init__(self, parent: QWidget | None, fn: Callable[[Progress], T], *, title: str,
                 label: str, lane: str = PRINT) -> None:
        self.progress = Progress()
        progress = self.progress
        super().__init__(parent, lambda: fn(progress), lane=lane)
        self.title = title
        self.label = label
        self._cancelled: Callable[[], None] | None = None
        self.dialog: Any = None

    def cancelled(self, cb: Callable[[], None]) -> ProgressOp[T]:
        self._cancelled = cb
        return self

    def run_in_background(self) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressDialog

        dialog = QProgressDialog(self.label, "Annuleren", 0, 0, self.parent)
        dialog.setObjectName("progress_dialog")
        dialog.setWindowTitle(self.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(dialog.fontMetrics().averageCharWidth() * 50)
        dialog.canceled.connect(self.progress.cancel)
        relay = _ProgressRelay(dialog)
        self.progress.changed.connect(relay.update)
        self.dialog = dialog
        dialog.show()
        super().run_in_background()

    def deliver(self, result: object, exc: BaseException | None) -> None:
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = None
        if isinstance(exc, Cancelled):
            log.info("job cancelled")
            if self._cancelled is not None and self._parent_alive():
                self._cancelled()
            return
        super().deliver(result, exc)


class _ProgressRelay(QObject):
    """Lives on the UI thread, so progress from the job reaches the dialog queued."""

    def __init__(self, dialog: Any) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    @Slot(int, int, str)
    def update(self, done: int, total: int, text: str) -> None:
        if self.dialog.wasCanceled():
            return
        self.dialog.setMaximum(max(total, 1))
        self.dialog.setValue(min(done, total))
        if text:
            self.dialog.setLabelText(text)
