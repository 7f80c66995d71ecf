"""Which characters the PDF can print, and how right-to-left text is laid out for it.

The PDF is drawn with reportlab, which places characters left to right, one
glyph per character. That prints Latin, Greek, Cyrillic, Armenian and Georgian
as they are. Hebrew and Arabic need two more steps, done here with maintained
libraries before reportlab sees the text:

- shaping: Arabic letters take their joined forms (initial, medial, final, the
  lam-alef ligature); ``arabic_reshaper`` maps them to the presentation forms
  the Noto Sans Arabic font carries;
- ordering: the Unicode bidirectional algorithm (``python-bidi``, the Rust
  ``unicode-bidi`` crate) gives every character its embedding level in a Dutch
  (left-to-right) paragraph; runs at an odd level are reversed (rule L2),
  mirrored where they are brackets (L4), with accents kept after their letter (L3).

A right-to-left run is printed in pieces that each fit on one line together
with any text glued to them, so a long Arabic name wrapped over two lines reads
in the right order on both.

Everything else a person types and no shipped font prints (CJK, emoji, scripts
that need shaping we do not do) is refused at the field (``unprintable``),
never dropped in the PDF.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable

# Unicode blocks whose characters the PDF prints (where a shipped font has the glyph):
# Latin, IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic, Georgian, punctuation,
# symbols, arrows, mathematical operators, box drawing and geometric shapes.
# Left out: CJK, Indic and South-East Asian scripts (no font shipped; see
# resources/fonts/README.md), N'Ko, Lao and others that need shaping, emoji.
PRINTED_BLOCKS = (
    (0x0020, 0x007E), (0x00A0, 0x036F), (0x0370, 0x058F), (0x0590, 0x05FF), (0x0600, 0x06FF),
    (0x0750, 0x077F), (0x10A0, 0x10FF), (0x1D00, 0x1DBF), (0x1E00, 0x1FFF), (0x2000, 0x206F),
    (0x2070, 0x20CF), (0x2100, 0x23FF), (0x2460, 0x27BF), (0x27C0, 0x2BFF), (0x2C60, 0x2C7F),
    (0x2D00, 0x2D2F), (0x2E00, 0x2E7F), (0xA640, 0xA69F), (0xA700, 0xA7FF), (0xFB00, 0xFB4F),
)
_BLOCK_STARTS = [start for start, _ in PRINTED_BLOCKS]

# Characters shown as colour pictures by default (Unicode's Emoji_Presentation) inside
# the printed blocks; the rest of the emoji are above U+1F000, outside them.
_EMOJI_PRESENTATION = frozenset([
    0x231A, 0x231B, 0x23E9, 0x23EA, 0x23EB, 0x23EC, 0x23F0, 0x23F3, 0x25FD, 0x25FE, 0x2614, 0x2615,
    *range(0x2648, 0x2654), 0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4, 0x26C5,
    0x26CE, 0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A, 0x270B, 0x2728,
    0x274C, 0x274E, 0x2753, 0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27B0, 0x27BF, 0x2B1B,
    0x2B1C, 0x2B50, 0x2B55,
])
# Emoji modifiers and joiners: the variation selector that asks for a picture, the keycap.
_EMOJI_PARTS = frozenset([0xFE0F, 0x20E3])

ZWNJ = "\u200c"
ZWJ = "\u200d"
# The only format characters an answer may hold: they decide how Arabic letters join.
ALLOWED_FORMAT = frozenset([ZWNJ, ZWJ])


def printed_characters() -> list[str]:
    """Every character the PDF prints (for tests and the documentation)."""
    return [chr(code) for start, end in PRINTED_BLOCKS for code in range(start, end + 1) if printable(chr(code))]


def is_emoji(ch: str) -> bool:
    code = ord(ch)
    return code in _EMOJI_PRESENTATION or code in _EMOJI_PARTS or 0x1F000 <= code <= 0x1FAFF


def _in_printed_block(code: int) -> bool:
    i = bisect.bisect_right(_BLOCK_STARTS, code) - 1
    return i >= 0 and code <= PRINTED_BLOCKS[i][1]


def is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f"


def is_hebrew(ch: str) -> bool:
    return "\u0590" <= ch <= "\u05ff" or "\ufb1d" <= ch <= "\ufb4f"


@functools.cache
def printable(ch: str) -> bool:
    """A character the PDF prints as it should look (shaped, where it joins)."""
    code = ord(ch)
    if ch in ALLOWED_FORMAT or ch in "\n":
        return True
    if not _in_printed_block(code) or is_emoji(ch) or unicodedata.category(ch) in ("Cc", "Cf", "Cn", "Co", "Cs"):
        return False
    from dpa_desktop.render import fonts

    if is_arabic(ch) and unicodedata.bidirectional(ch) == "AL" and unicodedata.category(ch).startswith("L"):
        forms = _arabic_forms(ch)
        return forms is not None and all(fonts.font_for(f) is not None for f in forms)
    return fonts.font_for(ch) is not None


def unprintable(text: str) -> list[str]:
    """The characters of ``text`` the PDF cannot print, each once, in order."""
    return [ch for ch in dict.fromkeys(text) if not printable(ch)]


# --------------------------------------------------------------------------- shaping


@functools.cache
def _reshaper() -> Callable[[str], str]:
    """arabic_reshaper set to keep the harakat and to form only the lam-alef ligatures
    (the ones Arabic writing requires), whose presentation forms every Arabic font has."""
    import arabic_reshaper

    ligatures = {key: "LAM WITH ALEF" in key for key in arabic_reshaper.reshaper_config.default_config
                 if key.startswith("ARABIC LIGATURE")}
    reshaper = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False, **ligatures})
    reshape: Callable[[str], str] = reshaper.reshape
    return reshape


def _arabic_forms(ch: str) -> tuple[str, ...] | None:
    """The presentation forms of an Arabic letter in every position; None when the
    reshaper does not know the letter (it would print unjoined)."""
    reshape = _reshaper()
    beh = "\u0628"
    alone = reshape(ch)
    if alone == ch:
        return None
    forms = {alone}
    for context in (beh + ch, ch + beh, beh + ch + beh):
        shaped = reshape(context)
        if len(shaped) == len(context):
            forms.add(shaped[1] if context.startswith(beh) else shaped[0])
    return tuple(forms)


def reshape(text: str) -> str:
    """Arabic letters in their joined presentation forms; other characters unchanged."""
    if not any(is_arabic(ch) for ch in text):
        return text
    return _reshaper()(text)


# --------------------------------------------------------------------------- bidi

_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


RTL_CLASSES = ("R", "AL", "AN")
# No character below U+0590 has one of those classes (a test checks the running
# Python's Unicode data), so the C regex engine skips Latin text for us. (Written
# as a negated class: "[\u0590-\U0010ffff]" takes milliseconds to compile.)
_FROM_HEBREW_UP = re.compile(r"[^\x00-\u058f]")


def needs_bidi(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in RTL_CLASSES for ch in _FROM_HEBREW_UP.findall(text))


def levels(text: str) -> list[int]:
    """The embedding level of every character of ``text`` as one left-to-right paragraph.

    python-bidi returns the levels only in its ``debug`` report (unicode-bidi's
    BidiInfo, one level per UTF-8 byte); they are read from there.
    """
    from bidi import get_display

    report = str(get_display(text, base_dir="L", debug=True))
    start = report.index("levels: [")
    end = report.index("paragraphs:", start)
    per_byte = [int(m) for m in _LEVEL.findall(report, start, end)]
    out: list[int] = []
    offset = 0
    for ch in text:
        out.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    if offset != len(per_byte):
        raise RuntimeError("python-bidi reported levels for a different text")
    return out


@functools.cache
def _mirror(ch: str) -> str:
    from bidi.mirror import MIRRORED

    return str(MIRRORED.get(ch, ch))


def visual(chars: list[str], char_levels: list[int]) -> str:
    """One line in display order: rules L2 (reverse runs from the highest level down),
    L3 (accents after their letter) and L4 (mirrored brackets at odd levels)."""
    shown = [_mirror(ch) if lvl % 2 else ch for ch, lvl in zip(chars, char_levels, strict=True)]
    items = list(zip(shown, char_levels, strict=True))
    top = max(char_levels, default=0)
    lowest_odd = min((lvl for lvl in char_levels if lvl % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):
        i = 0
        while i < len(items):
            if items[i][1] >= level:
                j = i
                while j < len(items) and items[j][1] >= level:
                    j += 1
                items[i:j] = items[i:j][::-1]
                i = j
            else:
                i += 1
    out: list[str] = []
    marks: list[str] = []
    for ch, lvl in items:
        if lvl % 2 and unicodedata.combining(ch):
            marks.append(ch)  # reversed: its letter comes next
            continue
        out.append(ch)
        out.extend(reversed(marks))
        marks = []
    out.extend(marks)
    return "".join(out)


def breaks(ch: str) -> bool:
    """A character a line may break at: whitespace other than the no-break space."""
    return ch.isspace() and ch != "\u00a0"


def trailing_glue(text: str, width_of: Callable[[str], float], glued: float = 0.0) -> float:
    """How wide the end of ``text`` is that a line cannot break in; ``glued`` is the
    width of what sits unbroken right before ``text``."""
    k = len(text)
    while k and not breaks(text[k - 1]):
        k -= 1
    return width_of(text[k:]) + (glued if k == 0 else 0.0)


def glued_start(text: str) -> str:
    """The start of ``text`` a line cannot break in, up to its first right-to-left
    character (a run there is laid out against what comes before it)."""
    k = 0
    while k < len(text) and not breaks(text[k]) and unicodedata.bidirectional(text[k]) not in RTL_CLASSES:
        k += 1
    return text[:k]


def display(text: str, width_of: Callable[[str], float], limit: float, *, lead: float = 0.0,
            tail: float = 0.0) -> str:
    """``text`` as a left-to-right paragraph prints it: every right-to-left run in display order.

    Left-to-right stretches stay as they are. Each right-to-left run is
    reshaped, cut at its spaces into pieces at most ``limit`` wide (by
    ``width_of``; a word wider than that alone is cut between letters), and each
    piece is put in display order with no-break spaces inside, the pieces in
    logical order with a space between them. Text glued to a run with no space
    between (``lead`` and ``tail`` are the widths glued to ``text`` from the
    spans around it) counts towards the width of the piece it sticks to. The
    paragraph's own line breaking can then only break between pieces, and no
    two pieces fit on one line, so every line reads right. Where glued text
    leaves no room for even one letter of the run, a space is put between them.
    """
    if not needs_bidi(text):
        return text
    lv = levels(text)
    out: list[str] = []
    carry = lead  # width of the unbroken stretch the output ends in
    i = 0
    n = len(text)
    while i < n:
        j = i
        rtl = lv[i] > 0
        while j < n and (lv[j] > 0) == rtl:
            j += 1
        if rtl:
            k = j
            while k < n and not breaks(text[k]) and lv[k] == 0:
                k += 1
            after = width_of(text[j:k]) + (tail if k == n else 0.0)
            pieces, space_before, space_after = _run_pieces(text[i:j], lv[i:j], width_of, limit,
                                                            lead=carry, tail=after)
            shown = " " * space_before + " ".join(pieces) + " " * space_after
        else:
            shown = text[i:j]
        out.append(shown)
        carry = trailing_glue(shown, width_of, carry)
        i = j
    return "".join(out)


def _run_pieces(run: str, run_levels: list[int], width_of: Callable[[str], float], limit: float, *,
                lead: float, tail: float) -> tuple[list[str], bool, bool]:
    """A right-to-left run as display-order pieces that each fit a line, no two of them on one line.

    ``lead`` and ``tail`` are the widths of the text glued to the run's start and
    end. Returns the pieces and whether a space must separate the run from the
    text before and after it (that text leaves no room for one letter).
    """
    # Shape per stretch of Arabic letters and their marks: those all share level 1, so the
    # lam-alef ligature (two letters become one form) keeps every level in place.
    chars: list[str] = []
    char_levels: list[int] = []
    k = 0
    while k < len(run):
        if _joining(run[k]):
            m = k
            while m < len(run) and (_joining(run[m]) or unicodedata.combining(run[m])):
                m += 1
            shaped = reshape(run[k:m])
            chars.extend(shaped)
            char_levels.extend([run_levels[k]] * len(shaped))
            k = m
        else:
            chars.append(run[k])
            char_levels.append(run_levels[k])
            k += 1
    widths = [width_of(ch) for ch in chars]
    space = width_of(" ")
    # What is glued to the run prints on the line of its first and last letter.
    letters = [idx for idx, ch in enumerate(chars) if ch != " "] or [0]
    first, last = letters[0], letters[-1]
    space_before = lead > 0 and lead + widths[first] > limit
    lead = 0.0 if space_before else lead
    space_after = tail > 0 and tail + widths[last] + (lead if first == last else 0.0) > limit
    tail = 0.0 if space_after else tail
    widths[first] += lead
    widths[last] += tail
    # Greedy: words (split at spaces) are added to the current piece while it fits.
    pieces: list[tuple[int, int]] = []
    cur: tuple[int, int, float] | None = None  # start, end, width
    start = 0
    for end in [*(idx for idx, ch in enumerate(chars) if ch == " "), len(chars)]:
        a, b = start, end
        start = end + 1
        word = sum(widths[a:b])
        if cur is not None and cur[2] + space + word <= limit:
            cur = (cur[0], b, cur[2] + space + word)
            continue
        if cur is not None:
            pieces.append(cur[:2])
        if word <= limit:
            cur = (a, b, word)
            continue
        # A word wider than a line: cut between letters (never before an accent); its last
        # part may take the next words.
        while a < b:
            end_cut, total = a, 0.0
            while end_cut < b and (end_cut == a or total + widths[end_cut] <= limit
                                   or unicodedata.combining(chars[end_cut])):
                total += widths[end_cut]
                end_cut += 1
            if end_cut < b:
                pieces.append((a, end_cut))
            else:
                cur = (a, b, total)
            a = end_cut
    if cur is not None:
        pieces.append(cur[:2])
    return [_show(chars, char_levels, a, b) for a, b in pieces if b > a], space_before, space_after


def _joining(ch: str) -> bool:
    """A character of an Arabic word: a letter (bidi class AL) or a joiner."""
    return unicodedata.bidirectional(ch) == "AL" or ch in ALLOWED_FORMAT


def _show(chars: list[str], char_levels: list[int], a: int, b: int) -> str:
    return visual(chars[a:b], char_levels[a:b]).replace(" ", "\u00a0")
