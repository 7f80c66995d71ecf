"""Render the DOCX in a second process while the ``fill`` command renders the PDF.

A ``dpa-desktop fill`` is one short process, timed from start to exit (issue 2
holds it against LibreOffice). Its two documents are independent, and
importing and running python-docx is about a fifth of that process; so the
command starts this worker before anything else, sends it the document once it
is assembled and renders the PDF meanwhile. With a second core the DOCX costs
no wall time. The worker only ever saves time: when it cannot start, fails, or
takes too long, ``fill`` renders the DOCX itself and writes the same file.

The GUI does not use it: there the renderers are imported once and stay warm.

Protocol: the parent writes the Document as msgpack to the worker's stdin and
closes it; the worker writes the DOCX to stdout and exits 0. An empty stdin
(the parent stopped, e.g. at bad answers) makes it exit at once.
"""

from __future__ import annotations

import os
import sys
from typing import IO, TYPE_CHECKING

from dpa_desktop import paths

if TYPE_CHECKING:
    import subprocess

    from dpa_desktop.document import Document

# subprocess, msgspec and the document model are imported where used: every CLI
# command imports this module (to recognise WORKER_ARG), and fill starts the
# worker before it imports them itself.

# The hidden argument that turns ``dpa-desktop`` into the worker (not in --help).
WORKER_ARG = "_docx-worker"
# Far above a real render (≈ 0.1 s); only a hung worker ever reaches it.
TIMEOUT_S = 60.0


def worker_command() -> list[str]:
    """The same program: the frozen executable itself, or this interpreter's module.

    Not frozen, the worker skips ``site`` (``-S``) and gets this process's
    import path instead (``worker_environment``): site's work is finding that
    path, and its ``.pth`` files import modules the worker never uses (≈ 20 ms
    here, a tenth of the worker, which can otherwise be the last to finish).
    """
    if paths.bundle_root() is not None:
        return [sys.executable, WORKER_ARG]
    return [sys.executable, "-S", "-m", "dpa_desktop", WORKER_ARG]


def worker_environment() -> dict[str, str] | None:
    """The worker's environment: this one, with the import path that found this package.

    The folder this package is imported from comes first: an installed package
    may be found only through what ``site`` sets up (a ``.pth`` path entry, or
    setuptools's import hook for other editable layouts), which ``-S`` skips.
    None (inherit) when frozen.
    """
    if paths.bundle_root() is not None:
        return None
    package_root = str(paths.install_root())
    entries = [package_root, *(entry for entry in sys.path if entry and entry != package_root)]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(entries)}


class DocxWorker:
    """The parent's handle on one worker process."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._ended = False

    @classmethod
    def start(cls, command: list[str] | None = None) -> DocxWorker | None:
        """A running worker, or None when no process can be started here."""
        import subprocess

        env = None if command else worker_environment()
        try:
            process = subprocess.Popen(command or worker_command(), stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
        except OSError:
            return None
        return cls(process)

    def send(self, doc: Document) -> None:
        stdin = self._process.stdin
        if stdin is None:
            return
        import msgspec

        try:
            stdin.write(msgspec.msgpack.encode(doc))
            stdin.close()
        except OSError:  # the worker is gone already; receive() reports nothing
            pass
        # communicate() would flush the closed pipe; it is done with.
        self._process.stdin = None

    def receive(self, timeout: float = TIMEOUT_S) -> bytes | None:
        """The DOCX, or None if the worker did not make one (the caller renders it)."""
        import subprocess

        if self._ended:
            return None
        try:
            out, _ = self._process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            return None
        self._ended = True
        if self._process.returncode != 0 or not out.startswith(b"PK"):
            return None
        return out

    def stop(self) -> None:
        """End the worker if it still runs (bad answers, an error in the parent)."""
        if self._ended:
            return
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()
        self._ended = True


def serve(stdin: IO[bytes], stdout: IO[bytes]) -> int:
    """The worker's side: import first, so that overlaps the parent's own start."""
    import io

    import msgspec

    from dpa_desktop.document import Document
    from dpa_desktop.render.docx import render_docx

    data = stdin.read()
    if not data:
        return 0
    doc = msgspec.msgpack.decode(data, type=Document)
    buffer = io.BytesIO()
    render_docx(doc, buffer)
    stdout.write(buffer.getvalue())
    stdout.flush()
    return 0
