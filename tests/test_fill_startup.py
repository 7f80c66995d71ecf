"""What a ``fill`` process loads: the whole process is timed against LibreOffice (issue 2).

Figures live in bench/README.md; these tests keep the modules that cost tens of
milliseconds and are not needed out of a fill, and check that the shortcuts
taken to avoid them give the same results as the real thing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dpa_desktop.render.reportlab_startup import DEFERRED_PATTERNS, LazyPattern
from dpa_desktop.text import xml_escape

_PROBE = """
import json, runpy, sys
from dpa_desktop import docx_worker
delivered = []
real_receive = docx_worker.DocxWorker.receive
def receive(self, *args, **kwargs):
    docx = real_receive(self, *args, **kwargs)
    delivered.append(docx is not None)
    return docx
docx_worker.DocxWorker.receive = receive
sys.argv = ["dpa-desktop", "fill", "vcare", "--answers", ANSWERS, "--out", OUT]
try:
    runpy.run_module("dpa_desktop", run_name="__main__")
except SystemExit as exc:
    code = exc.code
from reportlab.platypus import paragraph
print(json.dumps({"code": code, "modules": sorted(sys.modules), "uri": repr(paragraph.uri_pat),
                  "worker": delivered}))
"""


def _fill_modules(tmp_path: Path) -> tuple[int, set[str], str, list[bool]]:
    answers = tmp_path / "vcare.json"
    answers.write_text(subprocess.run([sys.executable, "-m", "dpa_desktop", "example", "vcare"], check=True,
                                      capture_output=True, text=True).stdout, encoding="utf-8")
    code = _PROBE.replace("ANSWERS", repr(str(answers))).replace("OUT", repr(str(tmp_path / "out")))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["code"], set(result["modules"]), result["uri"], result["worker"]


def test_fill_leaves_out_modules_it_does_not_need(tmp_path: Path) -> None:
    code, modules, uri_pattern, worker = _fill_modules(tmp_path)
    assert worker == [True]  # the DOCX came from the worker process
    assert "docx" not in modules  # ... so this process never imported python-docx
    # vcare hyphenates words in its tables; none of them is a URL.
    assert "not compiled yet" in uri_pattern
    assert code in (0, None)
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 1
    for heavy in ("urllib.request", "http.client", "email.parser", "ssl", "PySide6", "PIL.ExifTags"):
        assert heavy not in modules, heavy


@given(st.text())
def test_xml_escape_is_saxutils_escape(text: str) -> None:
    assert xml_escape(text) == escape(text)


_REPORTLAB_PROBE = """
import io, json, sys
import dpa_desktop.render.pdf
from reportlab.lib import textsplit
from reportlab.platypus import paragraph
before = {"uri": repr(paragraph.uri_pat), "cjk": repr(textsplit.rx), "pil": "PIL.ExifTags" in sys.modules,
          "fontify": type(sys.modules["reportlab.lib.PyFontify"]).__name__}
size = __import__("reportlab.lib.utils", fromlist=["x"]).ImageReader(io.BytesIO(PNG)).getSize()
from reportlab.lib import PyFontify
tags = PyFontify.fontify("x = 'a'  # b")
print(json.dumps({**before, "size": size, "pil_after": "PIL.ExifTags" in sys.modules,
                  "tags": [tag[0] for tag in tags], "fontify_after": type(PyFontify).__name__}))
"""


def test_hyphenating_a_word_without_a_scheme_never_compiles_the_url_pattern() -> None:
    lazy = LazyPattern(*DEFERRED_PATTERNS[0])
    assert lazy.match("Verwerkersovereenkomst") is None
    assert "not compiled yet" in repr(lazy)
    assert lazy.match("https://www.vcare.nl") is not None


def test_reportlab_defers_what_agreements_do_not_use_and_still_has_it(tmp_path: Path) -> None:
    """URL and CJK patterns, Pillow and PyFontify wait for first use, and work when it comes."""
    from PIL import Image

    png = tmp_path / "a.png"
    Image.new("RGB", (3, 2), "red").save(png)
    code = _REPORTLAB_PROBE.replace("PNG", repr(png.read_bytes()))
    out = json.loads(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                    text=True).stdout.strip().splitlines()[-1])
    assert "LazyPattern" in out["uri"] and "not compiled yet" in out["uri"]
    assert "LazyPattern" in out["cjk"] and "not compiled yet" in out["cjk"]
    assert out["pil"] is False
    assert out["size"] == [3, 2] and out["pil_after"] is True
    assert out["fontify"] == "_LazyModule"
    assert out["tags"] == ["string", "comment"] and out["fontify_after"] == "module"


_URLISH = st.one_of(
    st.text(),
    st.builds(lambda s, h, p: f"{s}://{h}{p}", st.sampled_from(["http", "https", "ftp", ""]),
              st.from_regex(r"[a-zA-Z0-9\-\.éü]{1,30}", fullmatch=True), st.text(max_size=20)),
    st.sampled_from(["https://www.vcare.nl/privacy", "192.168.0.1", "localhost:8080/x", "mailto:a@b.nl",
                     "HTTPS://WWW.VCARE.NL", "://x.nl", "ftp://[::1]:21/a", "x://localhost", "verwerkersovereenkomst"]),
    st.builds(lambda a, b: f"{a}://{b}", st.text(max_size=8), st.text(max_size=30)),
)


_PAIRS = [(LazyPattern(p, f, n), re._compiler.compile(p, f)) for p, f, n in DEFERRED_PATTERNS]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("lazy", "real"), _PAIRS)
@given(text=_URLISH)
def test_lazy_pattern_matches_like_the_compiled_one(lazy: LazyPattern, real: re.Pattern[str], text: str) -> None:
    m = real.match(text)
    assert (lazy.match(text) is None) == (m is None)
    if m is not None:
        assert lazy.match(text).groups() == m.groups()
    assert lazy.sub(r"\1\0 ", text) == real.sub(r"\1\0 ", text)
    assert lazy.split(text) == real.split(text)
    assert lazy.pattern == real.pattern and lazy.flags == real.flags


def test_a_command_pauses_the_cyclic_collector_only_while_it_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import gc

    from dpa_desktop import cli

    seen: list[bool] = []
    real = cli._forms

    def spy() -> int:
        seen.append(gc.isenabled())
        return real()

    assert gc.isenabled()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(cli, "_forms", spy)
        assert cli.main(["forms"]) == 0
    assert seen == [False]
    assert gc.isenabled()
    assert "vcare" in capsys.readouterr().out


def test_the_program_skips_the_exit_collection_only_after_a_command(monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import gc

    from dpa_desktop import cli

    monkeypatch.setattr(sys, "argv", ["dpa-desktop", "forms"])
    try:
        assert cli.run() == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert "vcare" in capsys.readouterr().out

    monkeypatch.setattr(sys, "argv", ["dpa-desktop"])
    monkeypatch.setattr("dpa_desktop.gui.app.run", lambda: 0)
    assert cli.run() == 0
    assert gc.get_freeze_count() == 0


def test_rendering_pauses_the_collector_and_gives_it_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from dpa_desktop import collector, fill

    seen: list[bool] = []

    def docx(doc: object) -> bytes:
        seen.append(gc.isenabled())
        return b"PK"

    def broken_pdf(doc: object) -> bytes:
        seen.append(gc.isenabled())
        raise RuntimeError("kapot")

    monkeypatch.setattr(fill, "_docx_bytes", docx)
    monkeypatch.setattr(fill, "_pdf_bytes", broken_pdf)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        fill.render_bytes(None)  # type: ignore[arg-type]
    assert seen == [False, False]
    assert gc.isenabled()  # also after an error
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()  # a caller that had paused it keeps it paused
    finally:
        gc.enable()
