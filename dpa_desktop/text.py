"""Make any text a person typed safe for DOCX (XML 1.0) and PDF.

Control characters and lone surrogates are removed, not escaped: they carry no
meaning in an agreement and would make Word refuse the file. Everything else
(accents, right-to-left scripts, emoji) is kept.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape as html_escape

# XML 1.0 forbids C0 controls except tab/newline/CR, and U+FFFE/U+FFFF; we also
# drop C1 controls, surrogates and the BOM/zero-width no-break space.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]"
)


def clean(text: str, *, multiline: bool = False) -> str:
    """NFC-normalise, drop forbidden characters, normalise line ends."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _FORBIDDEN.sub("", text)
    # Runs of any white space (tabs, no-break and other Unicode spaces) become one
    # plain space: they never mean anything in a name or an address, and they make
    # the same answer look different in DOCX, PDF and the register.
    lines = [" ".join(line.split()) for line in text.split("\n")]
    if not multiline:
        return " ".join(ln for ln in lines if ln)
    return "\n".join(lines).strip()


def has_forbidden(text: str) -> bool:
    return bool(_FORBIDDEN.search(text))


def xml_escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` for XML text and reportlab markup (quotes stay as typed)."""
    return html_escape(text, quote=False)
