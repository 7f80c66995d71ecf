"""Labels of list items ("a.", "ii)", "•"), from a list style a form names.

The loader checks every style a form names with ``is_style`` so that a
style fill cannot print is an error in the form file, never at fill time.
"""

from __future__ import annotations

import re

# Bullet styles: the label is the style itself.
BULLETS = ("-", "•", "‐", "–", "*", "▪")
# A counter (a, A, i, 1) with any punctuation around it, as the source prints it: "(a)", "a.)", "1)".
_COUNTER = re.compile(r"([^\w\s]*)([aAi1])([^\w\s]*)")
# The style of a nested list under an item of a list in this style.
_NEXT_STYLE = {"a.": "i.", "a)": "i)", "1.": "a.", "i.": "-", "-": "-", "•": "-"}


def is_style(style: str) -> bool:
    return style in BULLETS or _COUNTER.fullmatch(style) is not None


def describe_styles() -> str:
    """The styles a form may use, for an error message."""
    return "'a.', 'a)', '(a)', 'A.', 'i.', '1.', '1)' (een teller a, A, i of 1 met leestekens eromheen) " \
           f"of een opsommingsteken: {', '.join(repr(b) for b in BULLETS)}"


def next_style(style: str) -> str:
    return _NEXT_STYLE.get(style, "-")


def item_label(style: str, index: int) -> str:
    """Label of the index-th (0-based) item in a list style like 'a.', 'a)', 'i.', '1.'."""
    if style in BULLETS:
        return style
    parsed = _COUNTER.fullmatch(style)
    if parsed is None:
        raise ValueError(f"unknown list style {style!r}")
    prefix, kind, suffix = parsed.groups()
    if kind == "a":
        core = _letters(index)
    elif kind == "A":
        core = _letters(index).upper()
    elif kind == "i":
        core = _roman(index + 1)
    else:
        core = str(index + 1)
    return prefix + core + suffix


def _letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


def _roman(n: int) -> str:
    table = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, sym in table:
        while n >= value:
            out += sym
            n -= value
    return out
