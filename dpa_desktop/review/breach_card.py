"""The "datalek-kaart": one A4 page to pin next to the desk.

When a breach happens nobody looks up agreements; they look at the wall. So
for every signed agreement the card says whom to reach at the other party,
how, and within which deadline, with the article it comes from. Built from a
list of (form, answers) so it does not depend on the store; ``signed_entries``
reads them from the register.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, Spacer, Table

from dpa_desktop.answers import Answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.render.pdf import FRAME_W, HEADER_FILL, MARGIN_B, PAGE_H, RULE
from dpa_desktop.review.pdf import ATTENTION, ROLE_FILL, p, styles, table_style, write_pdf
from dpa_desktop.review.review import article_ref, breach_deadline

if TYPE_CHECKING:
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


def breach_card_rows(entries: Sequence[tuple[FormSpec, Answers]]) -> list[BreachCardRow]:
    """Rows in processor order; one per agreement, so two contracts with one party show twice
    only when their terms differ."""
    rows: list[BreachCardRow] = []
    from dpa_desktop.parties import processor_of

    for spec, answers in entries:
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


def breach_card_story(rows: Sequence[BreachCardRow], *, organisation: str = "",
                      today: date | None = None) -> list[Flowable]:
    st = styles()
    story: list[Flowable] = [p("Datalek-kaart", st["title"])]
    sub = "Meldpunten en meldtermijnen van uw ondertekende verwerkersovereenkomsten"
    if organisation:
        sub = f"{organisation} - {sub[0].lower()}{sub[1:]}"
    story.append(p(sub, st["subtitle"]))
    notice = Table([[p(AP_NOTICE, st["point"])]], colWidths=[FRAME_W])
    notice.setStyle(table_style(
        ("BACKGROUND", (0, 0), (-1, -1), ROLE_FILL), ("BOX", (0, 0), (-1, -1), 1.2, ATTENTION),
        ("LEFTPADDING", (0, 0), (-1, -1), 7), ("RIGHTPADDING", (0, 0), (-1, -1), 7),
        ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ))
    story += [notice, Spacer(1, 8)]
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
            else:
                deadline = [p(f"Meldt aan u {row.deadline}", st["point"]),
                            p(article_ref(row.article) or "geen artikel", st["small"])]
            table_rows.append([p(row.party, st["point"]), contact, deadline,
                               p(row.own_contact or "-", st["body"])])
        widths = [FRAME_W * 0.26, FRAME_W * 0.28, FRAME_W * 0.22, FRAME_W * 0.24]
        table = Table(table_rows, colWidths=widths, repeatRows=1)
        table.setStyle(table_style(
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("GRID", (0, 0), (-1, -1), 0.5, RULE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
            ("TOPPADDING", (0, 0), (-1, -1), 5), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ))
        story.append(table)
    story.append(Spacer(1, 8))
    stamp = _dutch_date(today or date.today())
    story.append(p(f"Gemaakt met DPA Desktop op {stamp}. Alleen ondertekende overeenkomsten "
                   "staan op deze kaart; druk hem opnieuw af als er een bijkomt.", st["small"]))
    return story


def render_breach_card(entries: Sequence[tuple[FormSpec, Answers]], path: Path, *,
                       organisation: str = "", today: date | None = None) -> None:
    """Write the card; however many agreements, it stays on ONE page (shrinks to fit)."""
    story = breach_card_story(breach_card_rows(entries), organisation=organisation,
                              today=today)
    height = PAGE_H - _CARD_TOP - MARGIN_B - 2
    fitted: Flowable = KeepInFrame(FRAME_W, height, story, mode="shrink")
    write_pdf(path, [fitted], title="Datalek-kaart", frame_top=_CARD_TOP)


def signed_entries(store: Store) -> tuple[list[tuple[FormSpec, Answers]], str]:
    """Signed agreements from the register with their forms, and the organisation name.

    An agreement whose form is no longer installed is left out rather than guessed.
    """
    from dpa_desktop.errors import DpaError
    from dpa_desktop.forms.loader import load_forms
    from dpa_desktop.statuses import SIGNED

    forms = load_forms()
    entries: list[tuple[FormSpec, Answers]] = []
    organisation = ""
    for summary in store.list_agreements(status=SIGNED):
        try:
            spec = forms.get(summary.form_id)
        except DpaError:
            continue
        try:
            agreement = store.get_agreement(summary.id)
        except DpaError:
            continue  # damaged: left out here and named by store.damaged_records()
        entries.append((spec, agreement.answers))
        organisation = organisation or summary.organisation
    return entries, organisation


__all__ = ["AP_NOTICE", "BreachCardRow", "breach_card_rows", "render_breach_card",
           "signed_entries"]
