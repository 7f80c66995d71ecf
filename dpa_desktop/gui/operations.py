"""Run store and generation work off the UI thread, one job at a time.

Every change to data goes through ``Op`` (after Anki's operations): the job
runs on ONE worker thread, so the store (and its database connection) is only
ever touched from that thread and jobs never overlap; results and errors come
back on the UI thread, where the callbacks may touch widgets. ``fn`` itself
must never touch a widget.

Decrypted copies of documents opened from the register (``store.copies``)
are swept away when the worker starts, every minute while the app runs
(those no viewer holds any more, after two minutes) and when it stops.
"""

from __future__ import annotations

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


class _Worker(QObject):
    """Lives on the worker thread; runs each job it is handed, in order."""

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
    """The UI-thread side: hands jobs to the worker and delivers their outcome."""

    submit = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.worker_thread = QThread()
        self.worker_thread.setObjectName("dpa-worker")
        self.worker = _Worker()
        self.worker.moveToThread(self.worker_thread)
        self.submit.connect(self.worker.execute)
        self.worker.done.connect(self._deliver)
        self.pending = 0
        self.worker_thread.start()
        # Copies left by a previous run (killed, or viewers that held them).
        Op(None, _sweep_copies).failure(lambda exc: None).run_on(self)
        self.sweeper = QTimer(self)
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
        _sweep_copies()  # what a viewer still holds goes at the next start


_runner: _Runner | None = None


def _get_runner() -> _Runner:
    global _runner
    if _runner is None:
        _runner = _Runner()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(shutdown)
    return _runner


def idle() -> bool:
    """No job is queued or running and every result has been delivered."""
    return _runner is None or _runner.pending == 0


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
    """Finish outstanding jobs, then stop the worker thread."""
    global _runner
    if _runner is None:
        return
    wait_idle()
    _runner.stop()
    _runner = None


def on_worker_thread() -> bool:
    return _runner is not None and threading.current_thread() is not threading.main_thread()


class Op(Generic[T]):
    """One background job: ``Op(parent, fn).success(cb).failure(cb).run_in_background()``.

    Callbacks are skipped when ``parent`` has been deleted meanwhile. Without a
    failure callback the error is shown with ``messages.show_error``.
    """

    def __init__(self, parent: QWidget | None, fn: Callable[[], T]) -> None:
        self.parent = parent
        self.fn = fn
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None

    def success(self, cb: Callable[[T], None]) -> Op[T]:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op[T]:
        self._failure = cb
        return self

    def run_in_background(self) -> None:
        self.run_on(_get_runner())

    def run_on(self, runner: _Runner) -> None:
        runner.pending += 1
        runner.submit.emit(self)

    def _parent_alive(self) -> bool:
        return self.parent is None or shiboken6.isValid(self.parent)

    def deliver(self, result: object, exc: BaseException | None) -> None:
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
