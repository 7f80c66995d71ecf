"""The review as a printable "Aandachtspunten" document, in the agreement's own look.

One glance must tell what to do, so the conclusion comes first in a coloured
box, and every point is a row with a coloured verdict cell; the quote, the
sector model and the advice are there for whoever reads on. The colours,
margins and fonts are the agreement PDF's (``dpa_desktop/render/pdf.py``):
Carlito, embedded, and never reportlab's unembedded Helvetica (every table
sets its font, and the canvas starts in Carlito).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dpa_desktop.answers import Answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.platform import atomic_write
from dpa_desktop.render import fonts
from dpa_desktop.render.pdf import (
    ACCENT,
    FRAME_W,
    HEADER_FILL,
    INK,
    MARGIN_L,
    MARGIN_T,
    MUTED,
    RULE,
    PdfInfo,
    build_pdf,
)
from dpa_desktop.review.review import (
    CONCLUSION_RULE,
    VERDICT_LABELS,
    VERDICT_MEANINGS,
    ConclusionKind,
    Point,
    Review,
    Verdict,
    article_ref,
)

ATTENTION = colors.HexColor("#d9822b")
ATTENTION_FILL = colors.HexColor("#fdf0e2")
OK = colors.HexColor("#2f8f4e")
OK_FILL = colors.HexColor("#e6f4ea")
MISSING = colors.HexColor("#b3261e")
MISSING_FILL = colors.HexColor("#fce8e6")
UNKNOWN = colors.HexColor("#5b6673")
UNKNOWN_FILL = colors.HexColor("#eef1f4")
ROLE_FILL = colors.HexColor("#fff4d6")

VERDICT_COLOURS: dict[Verdict, tuple[colors.Color, colors.Color]] = {
    "in_line": (OK, colors.white),
    "deviates": (ATTENTION, ATTENTION_FILL),
    "missing": (MISSING, MISSING_FILL),
    "unknown": (UNKNOWN, UNKNOWN_FILL),
}
CONCLUSION_COLOURS: dict[ConclusionKind, tuple[colors.Color, colors.Color]] = {
    "sign": (OK, OK_FILL),
    "ask_first": (ATTENTION, ATTENTION_FILL),
    "fg_first": (MISSING, MISSING_FILL),
}


def p(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: escaped, with the fallback font where Carlito lacks a glyph."""
    return Paragraph(fonts.markup(text), style)


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("r_body", fontName=fonts.BODY, fontSize=9.5, leading=12,
                          textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    return {
        "body": base,
        "small": ParagraphStyle("r_small", parent=base, fontSize=8, leading=9.8,
                                textColor=MUTED),
        "quote": ParagraphStyle("r_quote", parent=base, fontName=fonts.ITALIC, fontSize=8.5,
                                leading=10.6),
        "title": ParagraphStyle("r_title", parent=base, fontName=fonts.BOLD, fontSize=18,
                                leading=22, textColor=ACCENT, spaceAfter=2),
        "subtitle": ParagraphStyle("r_subtitle", parent=base, fontSize=11, leading=14,
                                   textColor=MUTED, spaceAfter=6),
        "h": ParagraphStyle("r_h", parent=base, fontName=fonts.BOLD, fontSize=11, leading=14,
                            textColor=ACCENT, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "head": ParagraphStyle("r_head", parent=base, fontName=fonts.BOLD, fontSize=8.5,
                               leading=10.5),
        "status": ParagraphStyle("r_status", parent=base, fontName=fonts.BOLD, fontSize=8,
                                 leading=10, textColor=colors.white),
        "point": ParagraphStyle("r_point", parent=base, fontName=fonts.BOLD, fontSize=9.5,
                                leading=12),
        "advice": ParagraphStyle("r_advice", parent=base, fontSize=9.5, leading=12,
                                 spaceBefore=2),
        "summary": ParagraphStyle("r_summary", parent=base, fontName=fonts.BOLD, fontSize=11,
                                  leading=14),
        "conclusion": ParagraphStyle("r_conclusion", parent=base, fontName=fonts.BOLD,
                                     fontSize=14, leading=17.5, spaceAfter=3),
    }


def write_pdf(path: Path, story: list[Flowable], *, title: str, header: str = "",
              frame_top: float = MARGIN_T, margin_x: float = MARGIN_L) -> None:
    """Build in memory, then write atomically: a half-written page is worse than none."""
    buffer = io.BytesIO()
    build_pdf(buffer, story, PdfInfo(title=title, subject=title), header=header,
              frame_top=frame_top, margin_x=margin_x)
    atomic_write(path, buffer.getvalue())


def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A table style that sets Carlito for every cell: platypus would otherwise set
    Helvetica, unembedded, on each cell (also cells that hold paragraphs)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.BODY),
                       ("VALIGN", (0, 0), (-1, -1), "TOP"), *commands])


def _point_cell(point: Point, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    where = f" ({point.where})" if point.where else ""
    out: list[Flowable] = [p(f"{point.title}{where}", st["point"]), p(point.statement, st["body"])]
    details = list(point.details)
    if point.key == "retention" and len(details) > 6:
        details = [*details[:6], f"en nog {len(details) - 6} (zie de overeenkomst)"]
    if details:
        out.append(p("; ".join(details), st["small"]))
    for quote in point.quotes:
        out.append(Spacer(1, 2))
        out.append(p(f"Er staat in {article_ref(quote.article)}: “{quote.text}”", st["quote"]))
    out.append(Spacer(1, 2))
    out.append(p(point.reference, st["small"]))
    out.append(Paragraph(f"<b>Wat te doen:</b> {fonts.markup(point.advice)}", st["advice"]))
    return out


def _points_table(review: Review, st: dict[str, ParagraphStyle]) -> Table:
    """One row per point; the header row repeats on every page the table spans."""
    rows: list[list[Any]] = [[p("Oordeel", st["head"]),
                              p("Wat de overeenkomst zegt, wat het sectormodel zegt, en wat u doet",
                                st["head"])]]
    commands: list[tuple[Any, ...]] = [("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL)]
    for i, point in enumerate(review.points, start=1):
        colour, fill = VERDICT_COLOURS[point.verdict]
        rows.append([p(point.verdict_label.upper(), st["status"]), _point_cell(point, st)])
        commands += [("BACKGROUND", (0, i), (0, i), colour),
                     ("BACKGROUND", (1, i), (1, i), fill)]
    table = Table(rows, colWidths=[62, FRAME_W - 62], repeatRows=1)
    table.setStyle(table_style(
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        *commands,
    ))
    return table


def _art28_table(review: Review, st: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    for i, check in enumerate(review.art28):
        if check.found:
            status, where = "OK", article_ref(check.article or "")
        else:
            status, where = "ONTBREEKT", check.problem
        rows.append([p(status, st["status"]), p(f"({check.letter}) {check.requirement}",
                                                st["body"]), p(where, st["body"])])
        commands.append(("BACKGROUND", (0, i), (0, i), OK if check.found else MISSING))
        if not check.found:
            commands.append(("BACKGROUND", (1, i), (-1, i), MISSING_FILL))
    table = Table(rows, colWidths=[62, FRAME_W - 62 - 120, 120])
    table.setStyle(table_style(
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *commands,
    ))
    return table


def boxed(flowables: list[Flowable], fill: colors.Color, border: colors.Color,
          width: float = 0.8) -> Table:
    box = Table([[flowables]], colWidths=[FRAME_W])
    box.setStyle(table_style(
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("BOX", (0, 0), (-1, -1), width, border),
        ("LEFTPADDING", (0, 0), (-1, -1), 7),
        ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ))
    return box


def review_story(review: Review) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [p("Aandachtspunten", st["title"])]
    sub = f"Verwerkersovereenkomst {review.processor_name}"
    if review.organisation:
        sub += f" - {review.organisation}"
    story.append(p(sub, st["subtitle"]))
    border, fill = CONCLUSION_COLOURS[review.conclusion.kind]
    conclusion: list[Flowable] = [p(review.conclusion.headline, st["conclusion"]),
                                  p(review.conclusion.reason, st["body"])]
    if review.sector_model_note and review.sector_model_note not in review.conclusion.reason:
        conclusion.append(p(review.sector_model_note, st["body"]))
    story.append(boxed(conclusion, fill, border, 1.4))
    story.append(Spacer(1, 6))
    processor_role = review.user_role == "processor"
    story.append(boxed([p(review.role_note, st["point" if processor_role else "body"])],
                       ROLE_FILL if processor_role else HEADER_FILL,
                       ATTENTION if processor_role else RULE))
    story.append(Spacer(1, 6))
    story.append(Paragraph(f"<b>Wat is het sectormodel?</b> {fonts.markup(review.reference_about)}",
                           st["body"]))
    legend = " ".join(f"<b>{VERDICT_LABELS[v]}</b>: {fonts.markup(meaning)}."
                      for v, meaning in VERDICT_MEANINGS.items())
    story.append(Spacer(1, 3))
    story.append(Paragraph(legend, st["small"]))
    story.append(p(f"Zo komt de conclusie tot stand: {CONCLUSION_RULE}", st["small"]))
    story.append(Spacer(1, 8))
    story.append(_points_table(review, st))
    story.append(p("Artikel 28 lid 3 AVG: wat elke verwerkersovereenkomst moet regelen", st["h"]))
    missing = len(review.art28_missing)
    story.append(p("Alle eisen zijn gevonden." if not missing else
                   f"{missing} van de {len(review.art28)} eisen niet gevonden.", st["summary"]))
    story.append(Spacer(1, 3))
    story.append(_art28_table(review, st))
    story.append(Spacer(1, 8))
    story.append(p(review.disclaimer, st["small"]))
    story.append(p(f"Vergeleken met: {review.reference_name}.", st["small"]))
    return story


def render_review_pdf(review: Review, path: Path) -> None:
    """Write the "Aandachtspunten" PDF to ``path``."""
    write_pdf(path, review_story(review), title=f"Aandachtspunten - {review.processor_name}",
              header=f"Aandachtspunten - {review.processor_name}")


def review_path_beside(agreement_pdf: Path) -> Path:
    """Where the "Aandachtspunten" go next to a generated agreement."""
    return agreement_pdf.with_name(f"Aandachtspunten - {agreement_pdf.stem}.pdf")


def write_review_beside(spec: FormSpec, answers: Answers, agreement_pdf: Path) -> Path:
    """Review the agreement and print the points next to it, for reading before signing."""
    from dpa_desktop.review.review import build_review

    path = review_path_beside(agreement_pdf)
    render_review_pdf(build_review(spec, answers), path)
    return path
