"""The one document model both renderers draw from.

Small and typed on purpose: everything a processor agreement needs (a title,
headings, numbered clauses with nested lettered items, tables with header
rows, annexes, a signature block) and nothing a renderer could interpret two
ways. Numbers and labels are resolved here, so DOCX and PDF print the same
words in the same order. The types are frozen msgspec Structs, like the
form model.
"""

from __future__ import annotations

from typing import Literal

import msgspec


class Span(msgspec.Struct, frozen=True):
    text: str
    bold: bool = False
    italic: bool = False


Inline = tuple[Span, ...]


def plain(text: str) -> Inline:
    return (Span(text),)


class Title(msgspec.Struct, frozen=True, tag=True):
    text: str
    subtitle: str | None = None


class Heading(msgspec.Struct, frozen=True, tag=True):
    """A section heading; level 1 for articles and annexes, 2-3 below."""

    text: str
    level: int = 1


class Paragraph(msgspec.Struct, frozen=True, tag=True):
    spans: Inline
    align: Literal["left", "center", "justify"] = "justify"
    small: bool = False


class NumberedParagraph(msgspec.Struct, frozen=True, tag=True):
    """A clause ("1.", "4.2") or a list item ("a.", "•"), hanging at its label.

    ``level`` 1 is a clause of an article; 2 and 3 are nested items.
    """

    label: str
    spans: Inline
    level: int = 1


class Table(msgspec.Struct, frozen=True, tag=True):
    """A table whose first row is a header that repeats on every page it spans.

    ``header`` is None for a table without header row. ``widths`` are relative
    column widths (any scale); empty means equal columns. Cell text may hold
    newlines for lines within a cell.
    """

    header: tuple[str, ...] | None
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] = ()
    small: bool = False

    @property
    def column_count(self) -> int:
        if self.header is not None:
            return len(self.header)
        return max((len(r) for r in self.rows), default=0)


class SignatureField(msgspec.Struct, frozen=True):
    """A line of a signature column: the label as the form writes it ("Datum:",
    "Namens deze", "(handtekening)"), then the value."""

    label: str
    value: str
    # True: print a line to write on (signature, handwritten date) after the label.
    write_line: bool = False

    @property
    def text(self) -> str:
        """The line as printed when it has no line to write on."""
        return f"{self.label} {self.value}" if self.label and self.value else self.label or self.value


class SignatureParty(msgspec.Struct, frozen=True):
    party: str
    fields: tuple[SignatureField, ...]


class SignatureBlock(msgspec.Struct, frozen=True, tag=True):
    """Side-by-side signature columns; never split across pages."""

    parties: tuple[SignatureParty, ...]
    intro: str | None = None


class PageBreak(msgspec.Struct, frozen=True, tag=True):
    pass


Block = Title | Heading | Paragraph | NumberedParagraph | Table | SignatureBlock | PageBreak


class Document(msgspec.Struct, frozen=True):
    title: str
    subject: str
    author: str
    # Running header on every page; empty string for none.
    header: str
    blocks: tuple[Block, ...]
    keywords: str = ""

    def words(self) -> list[str]:
        """Every word a reader sees, in order: what both renderers must show."""
        out: list[str] = []
        for text in self.texts():
            out.extend(text.split())
        return out

    def texts(self) -> list[str]:
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Title):
                out.append(block.text)
                if block.subtitle:
                    out.append(block.subtitle)
            elif isinstance(block, Heading):
                out.append(block.text)
            elif isinstance(block, Paragraph):
                out.append("".join(s.text for s in block.spans))
            elif isinstance(block, NumberedParagraph):
                out.append(block.label + " " + "".join(s.text for s in block.spans))
            elif isinstance(block, Table):
                if block.header:
                    out.extend(block.header)
                for row in block.rows:
                    out.extend(row)
            elif isinstance(block, SignatureBlock):
                if block.intro:
                    out.append(block.intro)
                for party in block.parties:
                    out.append(party.party)
                    for f in party.fields:
                        out.append(f.label if f.write_line else f.text)
        return out
