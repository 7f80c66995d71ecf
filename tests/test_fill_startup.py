"""What a ``fill`` process loads: the whole process is timed against LibreOffice (issue 2).

Figures live in bench/README.md; these tests keep the modules that cost tens of
milliseconds and are not needed out of a fill, and check that the shortcuts
taken to avoid them give the same results as the real thing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from dpa_desktop.text import xml_escape

_PROBE = """
import json, runpy, sys
sys.argv = ["dpa-desktop", "fill", "vcare", "--answers", ANSWERS, "--out", OUT]
try:
    runpy.run_module("dpa_desktop", run_name="__main__")
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _fill_modules(tmp_path: Path) -> tuple[int, set[str]]:
    answers = tmp_path / "vcare.json"
    answers.write_text(subprocess.run([sys.executable, "-m", "dpa_desktop", "example", "vcare"], check=True,
                                      capture_output=True, text=True).stdout, encoding="utf-8")
    code = _PROBE.replace("ANSWERS", repr(str(answers))).replace("OUT", repr(str(tmp_path / "out")))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["code"], set(result["modules"])


def test_fill_leaves_out_modules_it_does_not_need(tmp_path: Path) -> None:
    code, modules = _fill_modules(tmp_path)
    assert code in (0, None)
    assert len(list((tmp_path / "out").glob("*.pdf"))) == 1
    for heavy in ("urllib.request", "http.client", "email.parser", "ssl", "PySide6"):
        assert heavy not in modules, heavy


@given(st.text())
def test_xml_escape_is_saxutils_escape(text: str) -> None:
    assert xml_escape(text) == escape(text)
