"""The review as a printable "Aandachtspunten" page, in the agreement's own look.

One glance must tell what needs attention, so every point is a row with a
coloured status cell (orange: look at this, green: in line); the detail is
there for whoever reads on. One or two A4 pages, the colours and margins of
the agreement PDF (``dpa_desktop/render/pdf.py``).
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
    MARGIN_T,
    MUTED,
    RULE,
    PdfInfo,
    build_pdf,
)
from dpa_desktop.render.pdf import text_para as p
from dpa_desktop.review.review import Point, Review, article_ref

ATTENTION = colors.HexColor("#d9822b")
ATTENTION_FILL = colors.HexColor("#fdf0e2")
OK = colors.HexColor("#2f8f4e")
OK_FILL = colors.HexColor("#e6f4ea")
ROLE_FILL = colors.HexColor("#fff4d6")


def styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("r_body", fontName=fonts.BODY, fontSize=9.5, leading=12,
                          textColor=INK, alignment=TA_LEFT, spaceAfter=0)
    return {
        "body": base,
        "small": ParagraphStyle("r_small", parent=base, fontSize=8, leading=9.8,
                                textColor=MUTED),
        "title": ParagraphStyle("r_title", parent=base, fontName=fonts.BOLD, fontSize=18,
                                leading=22, textColor=ACCENT, spaceAfter=2),
        "subtitle": ParagraphStyle("r_subtitle", parent=base, fontSize=11, leading=14,
                                   textColor=MUTED, spaceAfter=6),
        "h": ParagraphStyle("r_h", parent=base, fontName=fonts.BOLD, fontSize=11, leading=14,
                            textColor=ACCENT, spaceBefore=8, spaceAfter=4, keepWithNext=1),
        "head": ParagraphStyle("r_head", parent=base, fontName=fonts.BOLD, fontSize=8.5,
                               leading=10.5),
        "status": ParagraphStyle("r_status", parent=base, fontName=fonts.BOLD, fontSize=8.5,
                                 leading=10.5, textColor=colors.white),
        "point": ParagraphStyle("r_point", parent=base, fontName=fonts.BOLD, fontSize=9.5,
                                leading=12),
        "summary": ParagraphStyle("r_summary", parent=base, fontName=fonts.BOLD, fontSize=11,
                                  leading=14),
    }


def write_pdf(path: Path, story: list[Flowable], *, title: str, header: str = "",
              frame_top: float = MARGIN_T) -> None:
    """Build in memory, then write atomically: a half-written page is worse than none."""
    buffer = io.BytesIO()
    build_pdf(buffer, story, PdfInfo(title=title, subject=title), header=header, frame_top=frame_top)
    atomic_write(path, buffer.getvalue())


def _status_cell(point: Point, st: dict[str, ParagraphStyle]) -> Paragraph:
    label = "LET OP" if point.attention else "OK"
    return p(label, st["status"])


def _details(point: Point) -> str:
    """Short details for paper: subprocessor names only, long retention lists shortened."""
    items = list(point.details)
    if point.key == "subprocessors":
        items = [d.split(": ", 1)[0] for d in items]
    limit = 5 if point.key == "retention" else 8
    if len(items) > limit:
        items = [*items[:limit], f"en nog {len(items) - limit} (zie de overeenkomst)"]
    return "; ".join(items)


def _points_table(review: Review, st: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Any]] = [[p("Status", st["head"]), p("Punt", st["head"]),
                              p("Wat de overeenkomst zegt", st["head"]),
                              p("Vergeleken met het sectormodel"
                                + (" (sterker = er wordt meer van u gevraagd)"
                                   if review.user_role == "processor" else ""), st["head"])]]
    commands: list[tuple[Any, ...]] = []
    for i, point in enumerate(review.points, start=1):
        where = article_ref(point.article) if point.article else "geen artikel"
        what: list[Flowable] = [p(point.statement, st["body"])]
        details = _details(point)
        if details:
            what.append(p(details, st["small"]))
        rows.append([
            _status_cell(point, st),
            [p(point.title, st["point"]), p(where, st["small"])],
            what,
            [p(point.verdict_label, st["point"]), p(point.reference, st["small"])],
        ])
        colour = ATTENTION if point.attention else OK
        fill = ATTENTION_FILL if point.attention else OK_FILL
        commands += [("BACKGROUND", (0, i), (0, i), colour),
                     ("BACKGROUND", (1, i), (-1, i), fill if point.attention else colors.white)]
    widths = [38, 82, FRAME_W - 38 - 82 - 140, 140]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        *commands,
    ]))
    return table


def _art28_table(review: Review, st: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Any]] = []
    commands: list[tuple[Any, ...]] = []
    for i, check in enumerate(review.art28):
        if check.found:
            status, where = "OK", article_ref(check.article or "")
        else:
            status, where = "LET OP", check.problem
        rows.append([p(status, st["status"]), p(f"({check.letter}) {check.requirement}",
                                                st["body"]), p(where, st["body"])])
        commands.append(("BACKGROUND", (0, i), (0, i), OK if check.found else ATTENTION))
        if not check.found:
            commands.append(("BACKGROUND", (1, i), (-1, i), ATTENTION_FILL))
    table = Table(rows, colWidths=[38, FRAME_W - 38 - 130, 130])
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        *commands,
    ]))
    return table


def _boxed(flowable: Flowable, fill: colors.Color, border: colors.Color) -> Table:
    box = Table([[flowable]], colWidths=[FRAME_W])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("BOX", (0, 0), (-1, -1), 0.8, border),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return box


def review_story(review: Review) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [p("Aandachtspunten", st["title"])]
    sub = f"Verwerkersovereenkomst {review.processor_name}"
    if review.organisation:
        sub += f" - {review.organisation}"
    story.append(p(sub, st["subtitle"]))
    processor_role = review.user_role == "processor"
    story.append(_boxed(p(review.role_note, st["point" if processor_role else "body"]),
                        ROLE_FILL if processor_role else HEADER_FILL,
                        ATTENTION if processor_role else RULE))
    story.append(Spacer(1, 6))
    count = len(review.attention_points)
    summary = (f"{count} van de {len(review.points)} punten vragen uw aandacht"
               if count else "Geen van de punten vraagt extra aandacht")
    missing = len(review.art28_missing)
    summary += (f"; {missing} eis(en) van artikel 28 lid 3 AVG niet gevonden."
                if missing else "; alle eisen van artikel 28 lid 3 AVG zijn gevonden.")
    story.append(p(summary, st["summary"]))
    story.append(Spacer(1, 5))
    story.append(_points_table(review, st))
    story.append(p("Artikel 28 lid 3 AVG: wat een verwerkersovereenkomst moet regelen",
                   st["h"]))
    story.append(_art28_table(review, st))
    story.append(Spacer(1, 8))
    story.append(p(review.disclaimer, st["small"]))
    story.append(p(f"Vergeleken met: {review.reference_name}.", st["small"]))
    return story


def render_review_pdf(review: Review, path: Path) -> None:
    """Write the "Aandachtspunten" PDF (one or two pages) to ``path``."""
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
