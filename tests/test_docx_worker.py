"""The fill command's DOCX worker: same document, and never a reason for a fill to fail."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import msgspec
import pytest

from dpa_desktop.answers import example_answers
from dpa_desktop.assemble import build_document
from dpa_desktop.cli import main
from dpa_desktop.document import Document
from dpa_desktop.docx_worker import DocxWorker, serve, worker_command, worker_environment
from dpa_desktop.fill import fill, render_bytes
from dpa_desktop.forms.loader import load_form_by_id

_VOLATILE = "docProps/core.xml"  # creation and modification time


def _parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {n: z.read(n) for n in z.namelist() if n != _VOLATILE}


@pytest.fixture(scope="module")
def vcare_doc() -> Document:
    spec = load_form_by_id("vcare")
    return build_document(spec, example_answers(spec))


def test_a_document_survives_the_trip_to_the_worker(vcare_doc: Document) -> None:
    assert msgspec.msgpack.decode(msgspec.msgpack.encode(vcare_doc), type=Document) == vcare_doc


def test_the_worker_makes_the_docx_this_process_makes(vcare_doc: Document) -> None:
    worker = DocxWorker.start()
    assert worker is not None
    worker.send(vcare_doc)
    made = worker.receive()
    assert made is not None
    assert _parts(made) == _parts(render_bytes(vcare_doc)[0])


def test_the_worker_serves_in_process_too(vcare_doc: Document) -> None:
    out = io.BytesIO()
    assert serve(io.BytesIO(msgspec.msgpack.encode(vcare_doc)), out) == 0
    assert _parts(out.getvalue()) == _parts(render_bytes(vcare_doc)[0])
    assert serve(io.BytesIO(b""), io.BytesIO()) == 0  # the parent stopped: nothing to do


@pytest.mark.parametrize("command", [
    [sys.executable, "-c", "import sys; sys.stdin.buffer.read(); sys.exit(1)"],     # fails
    [sys.executable, "-c", "import sys; sys.stdin.buffer.read(); print('kapot')"],  # says nonsense
    ["/nonexistent/dpa-desktop-worker"],                                            # cannot start
])
def test_fill_writes_the_docx_itself_when_the_worker_lets_it_down(tmp_path: Path, command: list[str]) -> None:
    spec = load_form_by_id("vcare")
    answers = example_answers(spec)
    worker = DocxWorker.start(command)
    result = fill(spec, answers, tmp_path, worker=worker)
    if worker is not None:
        worker.stop()
    assert _parts(result.docx.read_bytes()) == _parts(render_bytes(result.document)[0])


def test_a_hung_worker_is_ended_and_the_fill_goes_on(tmp_path: Path, vcare_doc: Document) -> None:
    worker = DocxWorker.start([sys.executable, "-c", "import time; time.sleep(60)"])
    assert worker is not None
    worker.send(vcare_doc)
    assert worker.receive(timeout=0.5) is None
    assert worker._process.returncode is not None


def _spy_on_workers(monkeypatch: pytest.MonkeyPatch) -> list[DocxWorker]:
    started: list[DocxWorker] = []
    real_start = DocxWorker.start

    def spy(command: list[str] | None = None) -> DocxWorker | None:
        worker = real_start(command)
        assert worker is not None
        started.append(worker)
        return worker

    monkeypatch.setattr(DocxWorker, "start", spy)
    return started


def test_bad_arguments_end_the_worker_too(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    started = _spy_on_workers(monkeypatch)
    with pytest.raises(SystemExit) as exc:
        main(["fill", "vcare"])
    assert exc.value.code == 2
    assert "verplicht" in capsys.readouterr().err
    assert len(started) == 1 and started[0]._process.returncode is not None


def test_bad_answers_end_the_worker_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    started = _spy_on_workers(monkeypatch)
    answers = tmp_path / "a.json"
    answers.write_text('{"form": "vcare", "values": {"kvk": "12"}}', encoding="utf-8")
    assert main(["fill", "vcare", "--answers", str(answers), "--out", str(tmp_path / "out")]) == 2
    assert "KvK" in capsys.readouterr().err
    assert len(started) == 1 and started[0]._process.returncode is not None
    assert not (tmp_path / "out").exists()


def test_the_worker_is_the_same_program(tmp_path: Path, vcare_doc: Document) -> None:
    assert worker_command()[-1] == "_docx-worker"
    # Without site (-S), from a folder where the package is not importable by
    # itself: the import path it is given is all it needs.
    proc = subprocess.run(worker_command(), input=msgspec.msgpack.encode(vcare_doc), capture_output=True,
                          timeout=60, cwd=tmp_path, env=worker_environment())
    assert proc.returncode == 0, proc.stderr
    assert _parts(proc.stdout) == _parts(render_bytes(vcare_doc)[0])
    help_text = subprocess.run([sys.executable, "-m", "dpa_desktop", "--help"], capture_output=True,
                               text=True, timeout=60).stdout
    assert "_docx-worker" not in help_text


def test_a_frozen_app_runs_itself_as_the_worker(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert worker_command() == [sys.executable, "_docx-worker"]
    assert worker_environment() is None  # the bundle finds its own modules
