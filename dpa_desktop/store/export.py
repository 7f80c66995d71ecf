"""The register for people outside the app: a CSV for Excel, a PDF to print.

Excel on a Dutch Windows opens a CSV correctly only with a BOM and ``;``
between fields. Cells that start like a formula are prefixed with an
apostrophe, so a note such as "=HYPERLINK(...)" stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date

from dpa_desktop.store.register import Agreement, DamagedRecord, SubprocessorUse

CSV_HEADERS = (
    "Nummer", "Verwerker", "Formulier", "Versie", "Organisatie", "Status", "Aangemaakt",
    "Verstuurd", "Ondertekend", "Beëindigd", "Herbeoordeling", "Diensten", "Subverwerkers",
    "Ondertekenaars", "Notities",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _nl(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def rows(agreements: Sequence[Agreement]) -> list[list[str]]:
    out = []
    for a in agreements:
        out.append([
            str(a.id), a.processor, a.form_id, a.form_version, a.organisation, a.status_label,
            _nl(a.created_on), _nl(a.sent_on), _nl(a.signed_on), _nl(a.ended_on),
            _nl(a.review_on), ", ".join(a.service_names),
            ", ".join(s.name for s in a.subprocessors),
            ", ".join(f"{s.name} ({s.function})" if s.function else s.name
                      for s in a.signatories),
            a.notes,
        ])
    return out


def csv_bytes(agreements: Sequence[Agreement]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for row in rows(agreements):
        writer.writerow([_safe(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def pdf_bytes(agreements: Sequence[Agreement], overview: Sequence[SubprocessorUse],
              damaged: Sequence[DamagedRecord] = ()) -> bytes:
    """A landscape A4 overview: the agreements, then the subprocessors of signed ones.

    Agreements left out because they are damaged are named below the table,
    so the printout never silently misses one.
    """
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        LongTable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )

    from dpa_desktop.render import fonts
    from dpa_desktop.render.pdf import text_para

    fonts.register_fonts()
    cell = ParagraphStyle("cell", fontName=fonts.BODY, fontSize=8, leading=10)
    head = ParagraphStyle("head", parent=cell, fontName=fonts.BOLD)
    title = ParagraphStyle("title", fontName=fonts.BOLD, fontSize=16, leading=20, spaceAfter=4)
    h2 = ParagraphStyle("h2", fontName=fonts.BOLD, fontSize=12, leading=15, spaceBefore=10,
                        spaceAfter=4)
    small = ParagraphStyle("small", fontName=fonts.BODY, fontSize=9, leading=11)

    def p(text: str, style: ParagraphStyle = cell) -> Paragraph:
        return text_para(text, style)

    style = TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E6EEF5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ])
    page = landscape(A4)
    width = page[0] - 30 * mm
    story: list[object] = [
        p("Register verwerkersovereenkomsten", title),
        p(f"Overzicht van {date.today():%d-%m-%Y}; {len(agreements)} overeenkomst(en).", small),
        Spacer(1, 4 * mm),
    ]
    headers = ["Nr.", "Verwerker", "Organisatie", "Status", "Aangemaakt", "Verstuurd",
               "Ondertekend", "Beëindigd", "Herbeoordeling", "Diensten", "Notities"]
    data = [[p(h, head) for h in headers]]
    for r in rows(agreements):
        picked = [r[0], r[1], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[14]]
        data.append([p(c) for c in picked])
    fractions = [0.03, 0.11, 0.12, 0.08, 0.065, 0.065, 0.07, 0.065, 0.085, 0.165, 0.145]
    table = LongTable(data, colWidths=[f * width for f in fractions], repeatRows=1)
    table.setStyle(style)
    story.append(table)
    if damaged:
        story.append(p("Niet opgenomen omdat de gegevens beschadigd zijn", h2))
        for record in damaged:
            story.append(p(f"{record.what}: {record.reason}.", small))

    story.append(p("Subverwerkers onder ondertekende overeenkomsten", h2))
    if overview:
        sub_data = [[p(h, head) for h in ("Subverwerker", "Land", "Buiten EER",
                                          "Overeenkomst (nr., verwerker)", "Diensten")]]
        for use in overview:
            sub_data.append([
                p(use.name), p(use.country), p("ja" if use.outside_eea else "nee"),
                p("; ".join(f"nr. {a.agreement_id}, {a.processor}" for a in use.agreements)),
                p(", ".join(use.services)),
            ])
        sub = LongTable(sub_data, colWidths=[f * width for f in (0.2, 0.07, 0.08, 0.25, 0.4)],
                        repeatRows=1)
        sub.setStyle(style)
        story.append(sub)
    else:
        story.append(p("Er zijn nog geen ondertekende overeenkomsten.", small))

    def footer(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(fonts.BODY, 8)  # type: ignore[attr-defined]
        canvas.drawRightString(  # type: ignore[attr-defined]
            page[0] - 15 * mm, 8 * mm, f"Pagina {doc.page}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=15 * mm, bottomMargin=15 * mm,
                                 title="Register verwerkersovereenkomsten",
                                 author="DPA Desktop")
    template.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
