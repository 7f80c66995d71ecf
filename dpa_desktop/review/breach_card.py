"""The "datalek-kaart": one A4 page to pin next to the desk.

When a breach happens nobody looks up agreements; they look at the wall. So
for every signed agreement the card says whom to reach at the other party,
how, and within which deadline, with the article it comes from. Built from a
list of (form, answers), and of rows for agreements not made here
(``external_row``), so it does not depend on the store; ``signed_entries``
reads both from the register.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Spacer, Table

from dpa_desktop.answers import Answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.render import fonts
from dpa_desktop.render.pdf import (
    FRAME_W,
    HEADER_FILL,
    MARGIN_B,
    MARGIN_L,
    PAGE_H,
    RULE,
    frame_width,
)
from dpa_desktop.review.pdf import ATTENTION, ROLE_FILL, p, styles, table_style, write_pdf
from dpa_desktop.review.review import article_ref, breach_deadline

if TYPE_CHECKING:
    from dpa_desktop.store.register import Agreement
    from dpa_desktop.store.store import Store

AP_NOTICE = (
    "Datalek bij uw praktijk of gemeld door een verwerker? Meld het binnen 72 uur na ontdekking "
    "bij de Autoriteit Persoonsgegevens (artikel 33 AVG): autoriteitpersoonsgegevens.nl, "
    "'Datalek melden'. Leg elk datalek vast in uw eigen datalekregister, ook als u niet meldt."
)
_MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december")
_CARD_TOP = 20 * mm  # the card has no running header


@dataclass(frozen=True)
class BreachCardRow:
    """One agreement on the card."""

    party: str
    # True when the practice is the processor and must report to the party.
    practice_reports: bool
    email: str
    phone: str
    deadline: str
    article: str
    own_contact: str
    # Recorded from an agreement not made here: no article to point to.
    external: bool = False


# A signed agreement made here (its form and answers), or the row of an external one.
BreachEntry = tuple[FormSpec, Answers] | BreachCardRow


def _own_contact(spec: FormSpec, answers: Answers) -> str:
    """The practice's first contact person from the contacts page, as filled in."""
    for q in spec.questions:
        if q.page != "contacten" or not q.id.endswith("_naam"):
            continue
        name = answers.values.get(q.id)
        if not isinstance(name, str) or not name.strip():
            continue
        prefix = q.id[: -len("naam")]
        parts = [name.strip()]
        for suffix in ("telefoon", "mobiel", "email"):
            value = answers.values.get(prefix + suffix)
            if isinstance(value, str) and value.strip():
                parts.append(value.strip())
        return ", ".join(parts)
    return ""


def external_row(agreement: Agreement, own_contact: str = "") -> BreachCardRow:
    """The card's row of an agreement recorded from outside (``agreement.details`` set)."""
    details = agreement.details
    if details is None:
        raise ValueError("not an external agreement")
    notice = details.breach_notice
    deadline = ("zonder termijn: de overeenkomst regelt het niet"
                if notice.kind == "not_regulated" else notice.label)
    return BreachCardRow(party=agreement.processor, practice_reports=False,
                         email=details.breach_email, phone=details.breach_phone,
                         deadline=deadline, article="", own_contact=own_contact, external=True)


def profile_contact(profile: dict[str, str]) -> str:
    """The practice's own contact for breaches from its profile: the security officer, the
    contact person or the data protection officer, whoever is filled in first."""
    for prefix in ("security_", "contact_", "fg_"):
        name = profile.get(prefix + "naam", "").strip()
        if name:
            parts = [name] + [profile.get(prefix + k, "").strip()
                              for k in ("telefoon", "mobiel", "email")]
            return ", ".join(x for x in parts if x)
    return ""


def breach_card_rows(entries: Sequence[BreachEntry]) -> list[BreachCardRow]:
    """Rows in processor order; one per agreement, so two contracts with one party show twice
    only when their terms differ."""
    rows: list[BreachCardRow] = []
    from dpa_desktop.parties import processor_of

    for entry in entries:
        if isinstance(entry, BreachCardRow):
            if entry not in rows:
                rows.append(entry)
            continue
        spec, answers = entry
        term = spec.key_terms.breach_notification
        processor = processor_of(spec, answers)
        row = BreachCardRow(
            party=processor.name,
            practice_reports=spec.user_role == "processor",
            email=processor.breach_email or "",
            phone=processor.breach_phone or "",
            deadline=breach_deadline(term),
            article=term.article or "",
            own_contact=_own_contact(spec, answers),
        )
        if row not in rows:
            rows.append(row)
    return sorted(rows, key=lambda r: (r.practice_reports, r.party.lower()))


def _dutch_date(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# Up to this many rows the card has room for a roomy table; more (a practice with
# twenty to forty processors) get the compact one, one line per row where it can.
ROOMY_ROWS = 12
_COMPACT_MARGIN = 14 * mm


def _header(organisation: str, width: float) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [p("Datalek-kaart", st["title"])]
    sub = "Meldpunten en meldtermijnen van uw ondertekende verwerkersovereenkomsten"
    if organisation:
        sub = f"{organisation} - {sub[0].lower()}{sub[1:]}"
    story.append(p(sub, st["subtitle"]))
    notice = Table([[p(AP_NOTICE, st["point"])]], colWidths=[width], hAlign="LEFT")
    notice.setStyle(table_style(
        ("BACKGROUND", (0, 0), (-1, -1), ROLE_FILL), ("BOX", (0, 0), (-1, -1), 1.2, ATTENTION),
        ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ))
    return [*story, notice, Spacer(1, 8)]


def _footer(today: date | None) -> list[Flowable]:
    stamp = _dutch_date(today or date.today())
    return [Spacer(1, 8),
            p(f"Gemaakt met DPA Desktop op {stamp}. Alleen ondertekende overeenkomsten "
              "staan op deze kaart; druk hem opnieuw af als er een bijkomt.", styles()["small"])]


def _grid(table: Table, pad: float) -> None:
    table.setStyle(table_style(
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 1),
    ))


def breach_card_story(rows: Sequence[BreachCardRow], *, organisation: str = "",
                      today: date | None = None) -> list[Flowable]:
    """The roomy card (up to ``ROOMY_ROWS`` rows) on the standard A4 frame."""
    st = styles()
    story = _header(organisation, FRAME_W)
    if not rows:
        story.append(p("Het register bevat nog geen ondertekende verwerkersovereenkomsten.",
                       st["body"]))
    else:
        table_rows: list[list[Any]] = [[
            p("Partij", st["head"]), p("Meldpunt datalekken", st["head"]),
            p("Meldtermijn", st["head"]), p("Uw aanspreekpunt", st["head"])]]
        for row in rows:
            contact = [p(x, st["body"]) for x in (row.phone, row.email) if x]
            if not contact:
                contact = [p("zie de overeenkomst", st["small"])]
            if row.practice_reports:
                deadline = [p(f"U meldt {row.deadline}", st["point"]),
                            p(f"u bent hier de verwerker; {article_ref(row.article) or 'geen artikel'}",
                              st["small"])]
            elif row.external:
                deadline = [p(f"Meldt aan u {row.deadline}", st["point"]),
                            p("extern vastgelegd; zie de getekende overeenkomst", st["small"])]
            else:
                deadline = [p(f"Meldt aan u {row.deadline}", st["point"]),
                            p(article_ref(row.article) or "geen artikel", st["small"])]
            table_rows.append([p(row.party, st["point"]), contact, deadline,
                               p(row.own_contact or "-", st["body"])])
        widths = [FRAME_W * 0.26, FRAME_W * 0.28, FRAME_W * 0.22, FRAME_W * 0.24]
        table = Table(table_rows, colWidths=widths, repeatRows=1)
        _grid(table, 5)
        story.append(table)
    return story + _footer(today)


def compact_card_story(rows: Sequence[BreachCardRow], *, organisation: str = "",
                       today: date | None = None) -> list[Flowable]:
    """The card for many rows: phone and e-mail in columns of their own, the deadline and
    its source on one line, and the practice's own contact once above the table (on a row
    only where it differs), so a row takes one line where it can."""
    st = styles()
    width = frame_width(A4, _COMPACT_MARGIN)
    story = _header(organisation, width)
    cell = ParagraphStyle("card_cell", parent=st["body"], fontSize=8.5, leading=10.2)
    bold = ParagraphStyle("card_bold", parent=cell, fontName=fonts.BOLD)
    note = ParagraphStyle("card_note", parent=st["small"], fontSize=7.2, leading=8.6)
    contacts = Counter(r.own_contact for r in rows if r.own_contact)
    common = contacts.most_common(1)[0][0] if contacts else ""
    if common:
        story.append(p(f"Uw aanspreekpunt bij een datalek: {common}"
                       + (" (bij de overeenkomsten hieronder waar niets anders staat)"
                          if len(contacts) > 1 else ""), bold))
        story.append(Spacer(1, 4))
    table_rows: list[list[Any]] = [[
        p("Partij", st["head"]), p("Telefoon", st["head"]), p("E-mail", st["head"]),
        p("Meldt een datalek aan u", st["head"])]]
    for row in rows:
        party: list[Flowable] = [p(row.party + (" (extern)" if row.external else ""), bold)]
        if row.own_contact and row.own_contact != common:
            party.append(p(f"uw aanspreekpunt: {row.own_contact}", note))
        # An external agreement has no article to point to; "(extern)" says why.
        source = "" if row.external else f" ({article_ref(row.article) or 'geen artikel'})"
        if row.practice_reports:
            deadline = p(f"U meldt zelf {row.deadline} (u bent hier de verwerker"
                         f"{'; ' + source[2:-1] if source else ''})", cell)
        else:
            deadline = p(f"{row.deadline}{source}", cell)
        table_rows.append([party, p(row.phone or "-", cell),
                           p(row.email or "zie de overeenkomst", cell), deadline])
    table = Table(table_rows, colWidths=[width * f for f in (0.31, 0.15, 0.28, 0.26)],
                  repeatRows=1, hAlign="LEFT")
    _grid(table, 2.5)
    story.append(table)
    return story + _footer(today)


def render_breach_card(entries: Sequence[BreachEntry], path: Path, *,
                       organisation: str = "", today: date | None = None) -> None:
    """Write the card; however many agreements, it stays on ONE page (shrinks to fit)."""
    rows = breach_card_rows(entries)
    compact = len(rows) > ROOMY_ROWS
    build = compact_card_story if compact else breach_card_story
    story = build(rows, organisation=organisation, today=today)
    margin = _COMPACT_MARGIN if compact else MARGIN_L
    height = PAGE_H - _CARD_TOP - MARGIN_B - 2
    fitted: Flowable = KeepInFrame(frame_width(A4, margin), height, story, mode="shrink")
    write_pdf(path, [fitted], title="Datalek-kaart", frame_top=_CARD_TOP, margin_x=margin)


def signed_entries(store: Store) -> tuple[list[BreachEntry], str]:
    """Signed agreements from the register (made here: with their forms; external: as
    rows), and the practice's name.

    An agreement made here whose form is no longer installed is left out rather than guessed.
    """
    from dpa_desktop.errors import DpaError
    from dpa_desktop.forms.loader import load_forms
    from dpa_desktop.statuses import SIGNED

    forms = load_forms()
    entries: list[BreachEntry] = []
    own_contact = profile_contact(store.load_profile())
    for summary in store.list_agreements(status=SIGNED):
        spec = None
        if not summary.external:
            try:
                spec = forms.get(summary.form_id)
            except DpaError:
                continue
        try:
            agreement = store.get_agreement(summary.id)
        except DpaError:
            continue  # damaged: left out here and named by store.damaged_records()
        entries.append((spec, agreement.answers) if spec is not None
                       else external_row(agreement, own_contact))
    return entries, store.practice_name()


__all__ = ["AP_NOTICE", "ROOMY_ROWS", "BreachCardRow", "BreachEntry", "breach_card_rows",
           "breach_card_story", "compact_card_story", "external_row",
           "profile_contact", "render_breach_card", "signed_entries"]
