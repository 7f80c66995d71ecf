"""Line breaks of plain paragraphs, kept between processes.

An agreement is fixed text with a few blanks: of the 352 paragraphs a vcare
fill breaks into lines, 328 are the same text at the same width as in the
fill before; the rest hold the practice's answers (16) or markup, or are the
second half of a paragraph split over a page (8). Breaking lines was the
PDF's largest single step in a fresh process (measuring every word,
hyphenating table cells, which first loads the Dutch patterns). This module
keeps the result of reportlab's ``Paragraph.breakLines`` for a plain
paragraph in the cache directory as ``marshal`` data (strings, numbers,
tuples, no code or reportlab objects) and gives it back for the same input:
a warm fill's main process runs ≈ 6 % fewer instructions (10 % with the
table cells' lines as plain paragraphs, ``pdf._cell``). The first fill of a
form after installation breaks and writes them all (≈ 5 % more).

The same input means everything the line breaking reads (``_key``): the text,
the font's file (by the digest the font cache already takes), size, widths,
bullet, hyphenation dictionary and the style's line-breaking settings; the
file's name adds reportlab's and Python's versions. A restored result is what
reportlab would have returned, word types included (hyphenated halves are
``str`` subclasses that matter when a paragraph splits across pages), and it
has the same side effects on the paragraph; the tests compare both ways, to
the byte of the PDF. Paragraphs with markup, soft hyphens, right-to-left or
shaped text are not kept and go through reportlab each time.

The file never holds what a person typed. A document lists its answers'
text (``Document.private``); a paragraph with one of them, or one of their
words, is not kept (``_refusal``). Only ``render_pdf`` keeps lines, inside
``keeping()``: other PDFs (the review, the breach card) are all practice data.

The file is compressed, as the form cache is (under a third of the size);
what keeps typed text out of it is the refusal, and its test reads the file
uncompressed. Like the other caches, a file that cannot be read is a miss
and one that cannot be written costs the time again. Beyond ``MAX_ENTRIES``
the entries used least recently are dropped, so agreements whose conditions
leave out other paragraphs do not grow the file without end.
"""

from __future__ import annotations

import contextlib
import marshal
import re
import sys
import threading
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import reportlab
from reportlab.pdfbase.pdfmetrics import getAscentDescent
from reportlab.platypus import paragraph as rl_paragraph

from dpa_desktop import cache_files, paths
from dpa_desktop.render import fonts
from dpa_desktop.render.hyphenation import Hyphenator

_FORMAT = 1
MAX_ENTRIES = 5000

# The word types reportlab's simple line breaking makes, none with attributes
# of its own; a tag in the file stands for each (plain str has none).
_WORD_TYPES: tuple[type[str], ...] = (
    rl_paragraph._SplitWord,
    rl_paragraph._SplitWordEnd,
    rl_paragraph._SplitWordH,
    rl_paragraph._SplitWordHY,
    rl_paragraph._SplitWordLL,
)
_TAG = {cls: tag for tag, cls in enumerate(_WORD_TYPES)}

Key = tuple[Any, ...]
# (width_max, hyphenations, long words split, lines); a line is (unused width,
# words), a word a str or (tag, str).
Entry = tuple[float, int, int, tuple[tuple[float, tuple[Any, ...]], ...]]

_lock = threading.Lock()
_local = threading.local()  # .refuse: the current document's refusal, inside keeping()
_path: Path | None = None
_entries: dict[Key, Entry] = {}
_used: dict[Key, None] = {}
_added = False


def _file() -> Path:
    version = f"rl{reportlab.Version}-py{sys.version_info[0]}{sys.version_info[1]}-v{_FORMAT}"
    return paths.cache_dir() / f"lines-{version}.marshal.zlib"


def _valid(stored: Any) -> bool:
    """The file holds what save() writes, judged by its first entry; anything else is rebuilt."""
    if not isinstance(stored, dict):
        return False
    if not stored:
        return True
    key, entry = next(iter(stored.items()))
    return (isinstance(key, tuple) and isinstance(entry, tuple) and len(entry) == 4
            and isinstance(entry[0], (int, float)) and type(entry[1]) is int and type(entry[2]) is int
            and type(entry[3]) is tuple
            and all(type(line) is tuple and len(line) == 2 and type(line[1]) is tuple for line in entry[3]))


def _load() -> None:
    """Read the file on first use, or again if the cache folder changed."""
    global _path, _entries, _added
    path = _file()
    with _lock:
        if path != _path:
            stored = cache_files.read_marshal(path, compressed=True)
            _entries = stored if _valid(stored) else {}
            _used.clear()
            _added = False
            _path = path


class _Refusal:
    """Finds typed text in a paragraph, in any case: each value whole (any
    whitespace between its words; anywhere if four characters or longer, so
    "{{naam}}s" is found too, else as whole words) and each of its words of
    three or more letters as a whole word. Short words alone ("De", "12")
    would refuse half the contract, and a part of a longer word ("info" in
    "informatie") the other half. Plain ``in`` and sets, no regular
    expression: compiling one for a document's forty answers costs more than
    the line breaks it guards (it runs only for paragraphs not in the file)."""

    def __init__(self, private: Iterable[str]) -> None:
        self.phrases: set[str] = set()
        self.short: set[str] = set()
        self.words: set[str] = set()
        for value in private:
            for line in value.splitlines():
                folded = _fold(line)
                if len(folded) >= 4:
                    self.phrases.add(folded)
                elif folded:
                    self.short.add(folded)
            self.words.update(word.casefold() for word in re.findall(r"\w{3,}", value))

    def __bool__(self) -> bool:
        return bool(self.phrases or self.short or self.words)

    def __call__(self, text: str) -> bool:
        folded = _fold(text)
        if any(phrase in folded for phrase in self.phrases):
            return True
        if self.words.intersection(word.casefold() for word in re.findall(r"\w+", text)):
            return True
        return any(_whole(value, folded) for value in self.short)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _whole(value: str, text: str) -> bool:
    """``value`` in ``text`` with no letter or digit against either end."""
    start = text.find(value)
    while start >= 0:
        end = start + len(value)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return True
        start = text.find(value, start + 1)
    return False


def _refusal(private: Iterable[str]) -> _Refusal | None:
    refusal = _Refusal(private)
    return refusal if refusal else None


@contextlib.contextmanager
def keeping(private: Iterable[str]) -> Iterator[None]:
    """Within, in this thread, plain paragraphs' lines come from the file and
    new ones go to it, unless they hold ``private`` text; written at the end."""
    _load()
    _local.refuse = _refusal(private)
    try:
        yield
    finally:
        del _local.refuse
    save()


def _hyphenation(style: Any) -> str | None:
    """The hyphenation the style asks for, as part of a key; None: do not keep."""
    lang = getattr(style, "hyphenationLang", "")
    if not lang:
        return ""
    if isinstance(lang, Hyphenator):
        return lang.identity()
    return None


def _key(para: Any, widths: Any) -> Key | None:
    """All that reportlab's simple line breaking reads, or None where it takes another path."""
    frags = para.frags
    if len(frags) != 1 or not isinstance(widths, list):
        return None
    frag = frags[0]
    style = para.style
    text = getattr(frag, "text", None)
    if (type(text) is not str or style.endDots or style.wordWrap or style.shaping
            or hasattr(frag, "cbDefn") or hasattr(frag, "backColor") or "\xad" in text):
        return None
    bullet = para.bulletText
    if bullet is not None and type(bullet) is not str:
        return None
    font = fonts.metrics_id(frag.fontName)
    hyphenation = _hyphenation(style)
    if font is None or hyphenation is None:
        return None
    bullet_font = fonts.metrics_id(style.bulletFontName) if bullet else ""
    if bullet_font is None:
        return None
    return (
        text, frag.fontName, font, frag.fontSize, bool(getattr(frag, "nobr", False)), tuple(widths),
        para.encoding, bullet, style.bulletFontName if bullet else "", bullet_font,
        style.bulletFontSize, style.bulletIndent, style.leftIndent, style.firstLineIndent,
        hyphenation, getattr(style, "hyphenationMinWordLength", rl_paragraph.hyphenationMinWordLength),
        style.uriWasteReduce, style.embeddedHyphenation, style.spaceShrinkage, style.splitLongWords,
    )


def _entry(para: Any, result: Any) -> Entry | None:
    """reportlab's result as data, or None if a word or line is of a kind not kept."""
    if result.kind != 0 or type(result.lines) is not list:
        return None
    lines = []
    for line in result.lines:
        if type(line) is not tuple or len(line) != 2 or type(line[1]) is not list:
            return None
        words: list[Any] = []
        for word in line[1]:
            cls = type(word)
            if cls is str:
                words.append(word)
            elif cls in _TAG and not word.__dict__:
                words.append((_TAG[cls], str(word)))
            else:
                return None
        lines.append((line[0], tuple(words)))
    return (para._width_max, para._hyphenations, para._splitLongWordCount, tuple(lines))


def _restore(para: Any, widths: list[float], entry: Entry) -> Any:
    """What breakLines returns, with its side effects on the paragraph."""
    width_max, hyphenations, split_words, stored = entry
    lines = [  # first: an odd entry raises here, before anything is changed
        (extra, [w if type(w) is str else _WORD_TYPES[w[0]](w[1]) for w in words])
        for extra, words in stored
    ]
    rl_paragraph._handleBulletWidth(para.bulletText, para.style, widths)  # narrows widths[0] in place
    para._width_max = width_max
    para.height = 0
    para._hyphenations = hyphenations
    para._splitLongWordCount = split_words
    frag = para.frags[0]
    ascent, descent = getAscentDescent(frag.fontName, frag.fontSize)
    return frag.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=frag.fontSize)


def break_lines(para: Any, widths: Any, compute: Any) -> Any:
    """``compute(widths)`` (reportlab's breakLines), or its kept result for the same input."""
    if not hasattr(_local, "refuse"):  # outside keeping()
        return compute(widths)
    key = _key(para, widths)
    if key is None:
        return compute(widths)
    table = _entries
    entry = table.get(key)
    if entry is not None:
        try:
            result = _restore(para, widths, entry)
        except (TypeError, ValueError, IndexError):  # an odd entry: break the lines again
            pass
        else:
            _used.pop(key, None)  # to the end: the most recently used
            _used[key] = None
            return result
    result = compute(widths)
    refuse: _Refusal | None = _local.refuse
    if refuse is not None and refuse(key[0]):
        return result  # typed text: never kept (a kept text in the file was checked when it was added)
    stored = _entry(para, result)
    if stored is not None:
        global _added
        table[key] = stored
        _used[key] = None
        _added = True
    return result


def save() -> None:
    """Write the entries if this process added any: the recently used ones last, at most MAX_ENTRIES."""
    global _added
    with _lock:
        if not _added or _path is None:
            return
        kept = {key: entry for key, entry in _entries.items() if key not in _used}
        kept.update((key, _entries[key]) for key in _used if key in _entries)
        if len(kept) > MAX_ENTRIES:
            kept = dict(list(kept.items())[-MAX_ENTRIES:])
        try:
            data = marshal.dumps(kept)
        except ValueError:
            return
        cache_files.write(_path, zlib.compress(data, 1))  # 1.7 ms against level 6's 4.4, for 38 kB against 32
        _added = False
