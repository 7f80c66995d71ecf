"""Turn a form and a practice's answers into the document model.

All decisions about content happen here (which blocks apply, what each blank
becomes, how clauses are numbered); the renderers only lay out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from dpa_desktop import document as d
from dpa_desktop.answers import Answers, Row, format_retention, normalised
from dpa_desktop.forms import model as m
from dpa_desktop.forms.loader import PLACEHOLDER
from dpa_desktop.list_labels import item_label, next_style
from dpa_desktop.validation import format_date_nl

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ARTICLE_NUMBER = re.compile(r"(\d+)")


def printed_value(question: m.Question | m.SubQuestion, value: str | bool | None) -> str:
    """How one answer reads in the agreement (dates in Dutch, choices as their text)."""
    if value is None or value == "":
        return ""
    if question.type == "date":
        return format_date_nl(str(value))
    if question.type == "choice":
        return next((o.text for o in question.options if o.value == value), str(value))
    if question.type == "boolean":
        return "ja" if value is True else "nee"
    return str(value)


def placeholder_values(spec: m.FormSpec, answers: Answers) -> dict[str, str]:
    """How each answer reads in the agreement; list questions have no placeholder."""
    return {q.id: printed_value(q, answers.values.get(q.id))
            for q in spec.questions if q.type != "list"}


class _Assembler:
    def __init__(self, spec: m.FormSpec, answers: Answers) -> None:
        self.spec = spec
        self.answers = answers
        self.values = placeholder_values(spec, answers)
        self.taken = set(answers.services)
        self.article = ""
        self.clause_no = 0
        self.blocks: list[d.Block] = []

    # ---- text

    def fill(self, text: str) -> str:
        return PLACEHOLDER.sub(lambda mt: self.values.get(mt.group(1), ""), text)

    def spans(self, text: str) -> d.Inline:
        """The form's ``**bold**`` markup is read before the answers go in, so
        an answer prints exactly as typed, asterisks included."""
        parts = _BOLD.split(text)
        spans = [d.Span(filled, bold=bool(i % 2)) for i, p in enumerate(parts) if (filled := self.fill(p))]
        return tuple(spans) or (d.Span(""),)

    # ---- conditions

    def holds(self, cond: m.Condition | None) -> bool:
        if cond is None:
            return True
        if cond.answer is not None:
            if cond.answer in self.answers.lists:  # a list question: it has rows
                return bool(self.answers.lists[cond.answer])
            value = self.answers.values.get(cond.answer)
            if cond.equals is None:
                return value not in (None, "", False)
            return value == cond.equals
        if cond.service is not None:
            return cond.service in self.taken
        if cond.any_service:
            return bool(self.taken.intersection(cond.any_service))
        if cond.all:
            return all(self.holds(c) for c in cond.all)
        if cond.any:
            return any(self.holds(c) for c in cond.any)
        if cond.not_ is not None:
            return not self.holds(cond.not_)
        return True

    # ---- blocks

    def items(self, items: Iterable[m.ItemLike], style: str, level: int) -> None:
        index = 0
        for item in items:
            if isinstance(item, m.Item):
                if not self.holds(item.when):
                    continue
                text, sub = item.text, item.items
            else:
                text, sub = item, ()
            self.blocks.append(d.NumberedParagraph(item_label(style, index), self.spans(text), level))
            index += 1
            if sub:
                self.items(sub, next_style(style), min(level + 1, 3))

    def restart(self, number: str | None, text: str) -> None:
        if number is not None:
            self.article = number
        else:
            found = _ARTICLE_NUMBER.search(text)
            self.article = found.group(1) if found else ""
        self.clause_no = 0

    def block(self, block: m.BlockBase) -> None:
        if not self.holds(block.when):
            return
        if isinstance(block, m.TitleBlock):
            self.blocks.append(d.Title(self.fill(block.title),
                                       self.fill(block.subtitle) if block.subtitle else None))
        elif isinstance(block, m.HeadingBlock):
            text = self.fill(block.heading)
            if block.level == 1:
                self.restart(block.number, text)
            self.blocks.append(d.Heading(text, block.level))
        elif isinstance(block, m.AnnexBlock):
            text = self.fill(block.annex)
            self.restart(None, "")
            self.blocks.append(d.PageBreak())
            self.blocks.append(d.Heading(text, 1))
            if block.subtitle:
                self.blocks.append(d.Paragraph(self.spans(block.subtitle), align="left"))
        elif isinstance(block, m.ParaBlock):
            spans = self.spans(block.para)
            if block.bold:
                spans = tuple(d.Span(s.text, bold=True, italic=s.italic) for s in spans)
            self.blocks.append(d.Paragraph(spans, align=block.align, small=block.small))
        elif isinstance(block, m.ClauseBlock):
            self.clause_no += 1
            label = block.number or self.spec.document.clause_format.format(
                n=self.clause_no, article=self.article)
            self.blocks.append(d.NumberedParagraph(label, self.spans(block.clause), 1))
            if block.items:
                self.items(block.items, block.item_style or self.spec.document.item_style, 2)
            for text in block.after:
                self.blocks.append(d.NumberedParagraph("", self.spans(text), 1))
        elif isinstance(block, m.ListBlock):
            self.items(block.list, block.style, block.level)
        elif isinstance(block, m.TableBlock):
            rows = tuple(tuple(self.fill(c) for c in row) for row in block.table)
            header = rows[0] if block.header and rows else None
            body = rows[1:] if header is not None else rows
            self.blocks.append(d.Table(header, body, block.widths, block.small))
        elif isinstance(block, m.ServicesTableBlock):
            self.blocks.append(self.services_table(block))
        elif isinstance(block, m.SubprocessorsTableBlock):
            self.blocks.append(self.subprocessors_table(block))
        elif isinstance(block, m.ListTableBlock):
            self.blocks.append(self.list_table(block))
        elif isinstance(block, m.SignatureBlock):
            parties = tuple(
                d.SignatureParty(
                    self.fill(p.party),
                    tuple(d.SignatureField(self.fill(f.label), self.fill(f.value), f.write_line)
                          for f in p.lines),
                )
                for p in block.signature
            )
            self.blocks.append(d.SignatureBlock(parties, self.fill(block.intro) if block.intro else None))
        elif isinstance(block, m.PageBreakBlock):
            self.blocks.append(d.PageBreak())
        else:  # pragma: no cover - the loader admits no other kind
            raise TypeError(type(block))

    def service_cell(self, service: m.Service, field: m.ServiceField) -> str:
        if field == "name":
            if service.label is not None:
                return service.label
            if service.variants:
                return service.name + "\n" + "\n".join(f"* {v}" for v in service.variants)
            return service.name
        if field == "retention":
            if service.retention.controller_decides:
                chosen = self.answers.retention.get(service.id)
                if chosen is not None:
                    return f"{format_retention(*chosen)} (door klant bepaald)"
            return service.retention.text
        if field == "subprocessors":
            return ", ".join(self.spec.subprocessor(p).name for p in service.subprocessors)
        value: str = getattr(service, field)
        return value

    def services_table(self, block: m.ServicesTableBlock) -> d.Table:
        header = tuple(c.title for c in block.services_table)
        rows = tuple(
            tuple(self.service_cell(s, c.field) for c in block.services_table)
            for s in self.spec.services
            if s.id in self.taken
        )
        return d.Table(header, rows, block.widths, small=True)

    def subprocessors_table(self, block: m.SubprocessorsTableBlock) -> d.Table:
        used = {p.id for p in self.spec.subprocessors_for(tuple(self.taken))}
        rows = []
        for row in block.rows:
            shown = (bool(self.taken.intersection(row.services)) if row.services
                     else bool(used.intersection(row.subprocessors)))
            if not shown:
                continue
            label = row.label or ", ".join(
                f"{self.spec.subprocessor(p).name} {self.spec.subprocessor(p).country}"
                for p in row.subprocessors)
            rows.append((label, *row.cells))
        return d.Table(tuple(block.subprocessors_table), tuple(rows), block.widths, small=True)


    def list_table(self, block: m.ListTableBlock) -> d.Block:
        """The rows she typed, in her order; a paragraph saying so when there are none."""
        question = self.spec.question(block.list_table)
        rows = self.answers.lists.get(question.id, ())
        if not rows and block.empty is not None:
            return d.Paragraph(self.spans(block.empty), align="left", small=block.small)
        header = tuple(self.fill(c.title) for c in block.columns)
        body = tuple(tuple(self.list_cell(question, row, c) for c in block.columns) for row in rows)
        return d.Table(header, body, block.widths, block.small)

    def list_cell(self, question: m.Question, row: Row, column: m.ListColumn) -> str:
        if column.field is not None:
            return printed_value(question.sub(column.field), row.get(column.field))
        cells = {f.id: printed_value(f, row.get(f.id)) for f in question.fields}
        text = PLACEHOLDER.sub(lambda mt: cells.get(mt.group(1), self.values.get(mt.group(1), "")),
                               column.text or "")
        # A line whose only content was an empty optional cell is left out.
        return "\n".join(line for line in text.split("\n") if line.strip())


def build_document(spec: m.FormSpec, answers: Answers) -> d.Document:
    """Validate the answers and assemble the agreement; raises AnswersInvalid."""
    clean = normalised(spec, answers)
    asm = _Assembler(spec, clean)
    for block in spec.body:
        asm.block(block)
    author = asm.fill(spec.document.author) or asm.fill(spec.processor.name)
    return d.Document(
        title=asm.fill(spec.document.title),
        subject=asm.fill(spec.document.subject),
        author=author,
        header=asm.fill(spec.document.header),
        blocks=tuple(asm.blocks),
        keywords=f"{spec.id} {spec.version}",
    )


def output_name(spec: m.FormSpec, answers: Answers, directory: Path | None = None) -> str:
    """A file name (no extension) safe on Windows: no reserved characters or names, and
    short enough for the file system (and, on Windows, for a path in ``directory``)."""
    values = placeholder_values(spec, normalised(spec, answers))
    name = PLACEHOLDER.sub(lambda mt: values.get(mt.group(1), ""), spec.document.filename)
    from dpa_desktop.platform import safe_filename

    return safe_filename(name, directory=directory)
