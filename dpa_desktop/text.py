"""The one rule for every text a person types: what is kept, normalised and refused.

``answer`` applies it to an answer and raises ValueError with the Dutch reason
(shown after the field's label); ``clean`` is its normalising half. The rule
is written down in forms/README.md ("Text answers"):

- kept: letters, digits, punctuation, symbols and accents of every script the
  PDF prints (render/scripts.py: Latin, Greek, Cyrillic, Armenian, Georgian,
  Hebrew, Arabic; punctuation, symbols, arrows, mathematical signs);
- normalised: NFC; Arabic presentation forms become the letters they stand for;
  line ends become ``\\n`` (a single-line answer joins its lines with a space);
  control characters count as white space; any run of white space becomes one
  space; lines are trimmed, and so is the whole;
- refused, naming the characters: invisible format characters (the bidi
  embeddings, overrides and isolates such as U+202E, zero-width spaces, the soft
  hyphen; only the joiners U+200C/U+200D that Arabic writing uses are kept),
  unassigned, private-use and surrogate code points, emoji, characters no
  shipped font prints (CJK among them), and an answer with nothing visible.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape as html_escape

# XML 1.0 forbids C0 controls except tab/newline/CR, and U+FFFE/U+FFFF; nothing
# ``answer`` accepts holds one, and ``clean`` turns controls into spaces.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufeff\ufffe\uffff]"
)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The bidi controls: explicit embeddings and overrides, isolates, marks.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZERO_WIDTH_JOINERS = frozenset("\u200c\u200d")


def clean(text: str, *, multiline: bool = False) -> str:
    """The normalising half of the rule: NFC, presentation forms, line ends, white space."""
    text = unicodedata.normalize("NFC", text)
    if any("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufeff" for ch in text):
        text = "".join(unicodedata.normalize("NFKC", ch) if _arabic_presentation(ch) else ch for ch in text)
        text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A control character says nothing in an agreement; as a space it at least
    # keeps the words on either side apart.
    text = _CONTROLS.sub(" ", text)
    # Runs of any white space (tabs, no-break and other Unicode spaces) become one
    # plain space: they never mean anything in a name or an address, and they make
    # the same answer look different in DOCX, PDF and the register.
    lines = [" ".join(line.split()) for line in text.split("\n")]
    if not multiline:
        return " ".join(ln for ln in lines if ln)
    return "\n".join(lines).strip()


def _arabic_presentation(ch: str) -> bool:
    return ("\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefe") and unicodedata.category(ch) != "Cn"


def answer(raw: str, *, multiline: bool = False) -> str:
    """An answer under the rule: the normalised text, or ValueError with the Dutch reason."""
    text = clean(raw, multiline=multiline)
    if not text:
        return text
    problem = refusal(text)
    if problem:
        raise ValueError(problem)
    return text


def refusal(text: str) -> str | None:
    """Why normalised ``text`` is refused, in Dutch; None when it is accepted."""
    format_chars = [ch for ch in dict.fromkeys(text) if unicodedata.category(ch) == "Cf"
                    and ch not in _ZERO_WIDTH_JOINERS]
    bidi = [ch for ch in format_chars if ch in BIDI_CONTROLS]
    if bidi:
        return (f"bevat een onzichtbaar teken dat de schrijfrichting omdraait ({_codes(bidi)}); "
                "typ de tekst opnieuw zonder dit teken")
    if format_chars:
        return (f"bevat een onzichtbaar opmaakteken ({_codes(format_chars)}); "
                "typ de tekst opnieuw zonder dit teken")
    invalid = [ch for ch in dict.fromkeys(text) if unicodedata.category(ch) in ("Cn", "Co", "Cs")]
    if invalid:
        return (f"bevat een teken dat geen letter, cijfer of leesteken is ({_codes(invalid)}); "
                "typ de tekst opnieuw zonder dit teken")
    if not any(unicodedata.category(ch)[0] in "LNPS" for ch in text):
        return "bevat geen zichtbare tekens"
    if text.isascii():
        return None
    from dpa_desktop.render import scripts

    emoji = [ch for ch in dict.fromkeys(text) if scripts.is_emoji(ch)]
    if emoji:
        return f"emoji kunnen niet in de overeenkomst worden afgedrukt: {_shown(emoji)}; laat ze weg"
    missing = scripts.unprintable(text)
    if missing:
        return (f"deze tekens kunnen niet in de overeenkomst worden afgedrukt: {_shown(missing)}; "
                "schrijf de tekst in een ander schrift (bijvoorbeeld Latijnse letters)")
    return None


def _codes(chars: list[str]) -> str:
    """Invisible characters by code point and name: 'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    return ", ".join(f"U+{ord(ch):04X} {unicodedata.name(ch, '')}".rstrip() for ch in chars[:5])


def _shown(chars: list[str]) -> str:
    """Visible characters as themselves with their code point: '中 (U+4E2D)'."""
    more = f" en nog {len(chars) - 5} andere" if len(chars) > 5 else ""
    return ", ".join(f"{ch} (U+{ord(ch):04X})" for ch in chars[:5]) + more


def has_forbidden(text: str) -> bool:
    return bool(_FORBIDDEN.search(text))


def xml_escape(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` for XML text and reportlab markup (quotes stay as typed)."""
    return html_escape(text, quote=False)
