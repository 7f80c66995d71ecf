"""The register for people outside the app: the "Overzicht verwerkers en
verwerkersovereenkomsten" as a PDF to show (A4 landscape) and as a CSV for Excel.

Both have the same columns, one row per agreement, sorted by processor, so a
processor with more than one agreement has its rows together. An agreement
made here takes its processor details, breach contact and deadline from its
form; an external one from what was recorded; "extern" in the "Soort" column
tells them apart.

Excel on a Dutch Windows opens a CSV correctly only with a BOM and ``;``
between fields. Cells that start like a formula are prefixed with an
apostrophe, so a note such as "=HYPERLINK(...)" stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from dpa_desktop.statuses import ENDED
from dpa_desktop.store.register import Agreement, DamagedRecord, SubprocessorUse

if TYPE_CHECKING:
    from dpa_desktop.forms.loader import LoadedForms
    from dpa_desktop.forms.model import FormSpec

TITLE = "Overzicht verwerkers en verwerkersovereenkomsten"
CSV_HEADERS = (
    "Nr.", "Verwerker", "Soort", "Dienst voor de praktijk", "Status", "Ondertekend", "Einde",
    "Herbeoordeling", "Persoonsgegevens", "Meldpunt datalekken", "Meldtermijn datalekken",
    "Subverwerkers buiten de EER", "Notitie",
)
DUE = "nu herbeoordelen"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")


def _nl(value: date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else ""


def dutch_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


@dataclass(frozen=True)
class OverviewRow:
    """One agreement in the overview; each cell a list of parts (lines in the PDF, joined
    with "; " in the CSV). ``review_due`` marks a review whose date has come."""

    agreement_id: int
    processor: str
    external: bool
    cells: tuple[tuple[str, ...], ...]
    review_due: bool

    def csv_cells(self) -> list[str]:
        return ["; ".join(p for p in parts if p) for parts in self.cells]


def _yes_no(flag: bool) -> str:
    return "ja" if flag else "nee"


def _flags(health: bool, bsn: bool) -> list[str]:
    return [f"Gezondheidsgegevens: {_yes_no(health)}", f"BSN: {_yes_no(bsn)}"]


def _outside(agreement: Agreement) -> tuple[str, ...]:
    out = [f"{s.name} ({s.country_label})" for s in agreement.subprocessors
           if s.outside_eea == "yes"]
    unknown = [s.name for s in agreement.subprocessors if s.outside_eea == "unknown"]
    if unknown:
        out.append(f"onbekend: {', '.join(unknown)}")
    if not out:
        out.append("geen" if agreement.subprocessors else "geen subverwerkers vastgelegd")
    return tuple(out)


def overview_row(agreement: Agreement, spec: FormSpec | None, today: date) -> OverviewRow:
    """The overview's row of one agreement; ``spec`` is its form (None: external, or a
    form no longer installed)."""
    a = agreement
    processor: list[str] = [a.processor]
    data: list[str] = []
    contact: list[str] = []
    deadline: list[str] = []
    service: list[str] = []
    if a.details is not None:
        d = a.details
        where = ", ".join(x for x in (d.place, d.country) if x)
        processor.append(", ".join(x for x in (f"KvK {d.kvk}" if d.kvk else "", where) if x))
        kind = "extern"
        service.append(d.service)
        data += [", ".join(d.categories), *_flags(d.health_data, d.bsn)]
        contact += [d.breach_email, d.breach_phone]
        deadline.append(d.breach_notice.label)
    else:
        kind = "DPA Desktop"
        service.append(", ".join(a.service_names))
        if spec is None:
            data.append("formulier niet geïnstalleerd")
            deadline.append("zie de overeenkomst")
        else:
            from dpa_desktop.review.review import breach_deadline

            p = spec.processor
            processor.append(", ".join(x for x in (f"KvK {p.kvk}" if p.kvk else "", p.place or "",
                                                   p.country) if x))
            chosen = [s for s in spec.services if s.id in a.services]
            data += ["per dienst, zie de overeenkomst",
                     *_flags(any(s.health_data for s in chosen), any(s.bsn for s in chosen))]
            contact += [p.breach_email or "", p.breach_phone or ""]
            term = breach_deadline(spec.key_terms.breach_notification)
            deadline.append(f"u meldt {term} (u bent de verwerker)"
                            if spec.user_role == "processor" else term)
    if not any(contact):
        contact = ["niet vastgelegd"]
    ends = f"beëindigd {_nl(a.ended_on)}" if a.status == ENDED else a.ends_label
    due = a.review_due(today)
    review = (_nl(a.review_on), DUE if due else "")
    kinds = (kind,) if a.external else (kind, f"formulier {a.form_id}")
    cells = ((str(a.id),), tuple(p for p in processor if p), kinds, tuple(service),
             (a.status_label,), (_nl(a.signed_on),), (ends,), review, tuple(data),
             tuple(contact), tuple(deadline), _outside(a), (a.notes,))
    return OverviewRow(a.id, a.processor, a.external, cells, due)


def overview_rows(agreements: Sequence[Agreement], forms: LoadedForms | None,
                  today: date | None = None) -> list[OverviewRow]:
    """Rows sorted by processor, then number."""
    from dpa_desktop.errors import DpaError

    day = today or date.today()
    out = []
    for a in agreements:
        spec = None
        if not a.external and forms is not None:
            try:
                spec = forms.get(a.form_id)
            except DpaError:
                spec = None
        out.append(overview_row(a, spec, day))
    return sorted(out, key=lambda r: (r.processor.casefold(), r.agreement_id))


def csv_bytes(rows: Sequence[OverviewRow]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for row in rows:
        writer.writerow([_safe(cell) for cell in row.csv_cells()])
    return buffer.getvalue().encode("utf-8-sig")


# Column widths as fractions of the frame; the notes and free text get the most.
_WIDTHS = (0.024, 0.12, 0.056, 0.1, 0.062, 0.064, 0.066, 0.066, 0.124, 0.12, 0.058,
           0.07, 0.07)


def pdf_bytes(rows: Sequence[OverviewRow], overview: Sequence[SubprocessorUse],
              damaged: Sequence[DamagedRecord] = (), *, practice: str = "",
              today: date | None = None) -> bytes:
    """The overview on A4 landscape: the practice and the date, one row per agreement,
    then the subprocessors of signed agreements.

    Agreements left out because they are damaged are named below the table,
    so the printout never silently misses one.
    """
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Flowable, LongTable, Spacer

    from dpa_desktop.render import fonts
    from dpa_desktop.render.pdf import (
        ACCENT,
        HEADER_FILL,
        HYPHENATION_LANG,
        INK,
        MUTED,
        RULE,
        PdfInfo,
        build_pdf,
        frame_width,
        text_para,
    )
    from dpa_desktop.review.pdf import ATTENTION, ATTENTION_FILL, table_style

    fonts.register_fonts()
    day = today or date.today()
    page = landscape(A4)
    margin = 12 * mm
    width = frame_width(page, margin)
    # Narrow cells hyphenate Dutch compounds at syllables, as the agreements' tables do.
    cell = ParagraphStyle("o_cell", fontName=fonts.BODY, fontSize=7.4, leading=8.6,
                          textColor=INK, hyphenationLang=HYPHENATION_LANG,
                          hyphenationMinWordLength=12)
    muted = ParagraphStyle("o_muted", parent=cell, textColor=MUTED)
    # Names and headings wrap at spaces only.
    strong = ParagraphStyle("o_strong", parent=cell, fontName=fonts.BOLD, hyphenationLang="")
    due_style = ParagraphStyle("o_due", parent=strong, textColor=ATTENTION)
    head = ParagraphStyle("o_head", parent=cell, fontName=fonts.BOLD)
    title = ParagraphStyle("o_title", fontName=fonts.BOLD, fontSize=16, leading=20,
                           textColor=ACCENT, spaceAfter=2)
    subtitle = ParagraphStyle("o_subtitle", fontName=fonts.BODY, fontSize=10.5, leading=13,
                              textColor=MUTED, spaceAfter=2)
    h2 = ParagraphStyle("o_h2", fontName=fonts.BOLD, fontSize=11, leading=14, textColor=ACCENT,
                        spaceBefore=10, spaceAfter=4, keepWithNext=1)
    small = ParagraphStyle("o_small", fontName=fonts.BODY, fontSize=8.5, leading=10.5,
                           textColor=INK)

    def p(text: str, style: ParagraphStyle = cell) -> Flowable:
        return text_para(text, style)

    external = sum(1 for r in rows if r.external)
    due = sum(1 for r in rows if r.review_due)
    stamp = dutch_date(day)
    story: list[Flowable] = [p(TITLE, title)]
    story.append(p(f"{practice} – opgesteld op {stamp}" if practice else f"Opgesteld op {stamp}",
                   subtitle))
    summary = (f"{len(rows)} overeenkomst(en): {len(rows) - external} gemaakt met DPA Desktop, "
               f"{external} extern vastgelegd (niet met DPA Desktop gemaakt)")
    summary += f"; {due} aan herbeoordeling toe." if due else "."
    story += [p(summary, small), Spacer(1, 3 * mm)]

    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    data: list[list[Any]] = [[p(h, head) for h in CSV_HEADERS]]
    for i, row in enumerate(rows, start=1):
        line: list[Any] = []
        for col, parts in enumerate(row.cells):
            shown = [x for x in parts if x] or [""]
            styles = [strong if col == 1 and n == 0 else muted if col == 1 else cell
                      for n in range(len(shown))]
            if col == 2:
                styles = [strong] if row.external else [cell, muted]
            if col == 7 and row.review_due:
                styles = [cell, due_style]
            line.append([p(x, s) for x, s in zip(shown, styles, strict=False)])
        data.append(line)
        if row.review_due:
            commands.append(("BACKGROUND", (7, i), (7, i), ATTENTION_FILL))
    if not rows:
        data.append([p("Het register bevat nog geen overeenkomsten.", muted)]
                    + [""] * (len(CSV_HEADERS) - 1))
        commands.append(("SPAN", (0, 1), (-1, 1)))
    table = LongTable(data, colWidths=[f * width for f in _WIDTHS], repeatRows=1)
    table.setStyle(table_style(*commands))
    story.append(table)
    story.append(Spacer(1, 2 * mm))
    story.append(p("Soort 'extern': een overeenkomst op papier of als PDF van de verwerker, "
                   "vastgelegd in het register. Meldtermijn: hoe snel de verwerker een datalek "
                   "aan u meldt. Subverwerkers 'onbekend': de overeenkomst zegt niet of zij "
                   "buiten de Europese Economische Ruimte werken.", muted))
    if damaged:
        story.append(p("Niet opgenomen omdat de gegevens beschadigd zijn", h2))
        for record in damaged:
            story.append(p(f"{record.what}: {record.reason}.", small))

    story.append(p("Subverwerkers onder ondertekende overeenkomsten", h2))
    if overview:
        sub_data: list[list[Any]] = [[p(h, head) for h in (
            "Subverwerker", "Land", "Buiten de EER", "Overeenkomst (nr., verwerker)",
            "Diensten")]]
        for use in overview:
            sub_data.append([
                p(use.name), p(use.country_label), p(use.outside_eea_label),
                p("; ".join(f"nr. {a.agreement_id}, {a.processor}"
                            + (" (extern)" if a.external else "") for a in use.agreements)),
                p(", ".join(use.services)),
            ])
        sub = LongTable(sub_data, colWidths=[f * width for f in (0.2, 0.08, 0.08, 0.34, 0.3)],
                        repeatRows=1)
        sub.setStyle(table_style(*commands[:6]))
        story.append(sub)
    else:
        story.append(p("Er zijn nog geen ondertekende overeenkomsten.", small))

    buffer = io.BytesIO()
    header = f"{TITLE} – {practice} – {stamp}" if practice else f"{TITLE} – {stamp}"
    build_pdf(buffer, story, PdfInfo(title=TITLE, subject=practice or TITLE), header=header,
              frame_top=20 * mm, pagesize=page, margin_x=margin)
    return buffer.getvalue()
