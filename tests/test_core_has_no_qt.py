"""The core must run without Qt: the CLI, tests and future tools depend on it."""

from __future__ import annotations

import subprocess
import sys

from dpa_desktop import paths

CORE = [
    "dpa_desktop.cli", "dpa_desktop.answers", "dpa_desktop.assemble", "dpa_desktop.document",
    "dpa_desktop.fill", "dpa_desktop.forms.loader", "dpa_desktop.forms.model",
    "dpa_desktop.render.docx", "dpa_desktop.render.pdf", "dpa_desktop.validation",
    "dpa_desktop.platform", "dpa_desktop.paths", "dpa_desktop.text",
]


def test_importing_and_using_the_core_loads_no_pyside6() -> None:
    package = paths.install_root() / "dpa_desktop"
    extra = sorted(
        "dpa_desktop." + ".".join(p.relative_to(package).with_suffix("").parts)
        for p in package.rglob("*.py")
        if "gui" not in p.relative_to(package).parts and p.name not in ("__main__.py", "__init__.py")
    )
    code = (
        "import importlib, sys\n"
        f"for m in {sorted(set(CORE + extra))!r}: importlib.import_module(m)\n"
        "from dpa_desktop.forms.loader import load_forms\n"
        "from dpa_desktop.answers import example_answers\n"
        "from dpa_desktop.assemble import build_document\n"
        "s = load_forms().get('vcare'); build_document(s, example_answers(s))\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
