"""The shipped forms, each filled from its example once per test session.

The files go into the session folder conftest.py sets up and removes.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path

from dpa_desktop.answers import example_answers
from dpa_desktop.fill import FillResult, fill
from dpa_desktop.forms.loader import load_forms
from dpa_desktop.forms.model import FormSpec

FORM_IDS = sorted(load_forms().forms)


@functools.cache
def _out_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="shipped-", dir=os.environ["DPA_TESTS_SESSION_DIR"]))


@functools.cache
def spec(form_id: str) -> FormSpec:
    return load_forms().get(form_id)


@functools.cache
def filled(form_id: str) -> FillResult:
    s = spec(form_id)
    return fill(s, example_answers(s), _out_dir() / form_id)
