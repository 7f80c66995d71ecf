""""Vragen aan de verwerker": one ready letter that asks for every point the review raises.

A review that ends in "vraag eerst om …" is only useful if asking is easy, so
this writes the letter: the practice's name and contact on top, the processor
below, and one numbered item per point with something to ask ("afwijkend",
"ontbreekt", "onbekend"), each a polite request or question that names the
article. The same ``Letter`` becomes plain text (for the clipboard and an
e-mail) and a DOCX through the agreement's own document model and renderer.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dpa_desktop import document as d
from dpa_desktop.answers import Answers
from dpa_desktop.forms.model import FormSpec
from dpa_desktop.platform import atomic_write
from dpa_desktop.review.review import Review
from dpa_desktop.validation import format_date_nl

# The contact groups of the practice profile, in the order the letter prefers a
# sender: (name key, function key or a fixed function, e-mail key, phone keys).
_CONTACTS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("contact_naam", "contact_functie", "contact_email", ("contact_telefoon", "contact_mobiel")),
    ("fg_naam", "=Functionaris voor de gegevensbescherming", "fg_email", ("fg_telefoon",)),
    ("security_naam", "security_functie", "security_email",
     ("security_telefoon", "security_mobiel")),
    ("vertegenwoordiger", "vertegenwoordiger_functie", "", ()),
)
_ANY_EMAIL = ("contact_email", "fg_email", "security_email")
_ANY_PHONE = ("contact_telefoon", "fg_telefoon", "security_telefoon", "contact_mobiel",
              "security_mobiel")


@dataclass(frozen=True)
class Sender:
    """The practice as the letter signs: organisation, a person, and how to reach them."""

    organisation: str
    person: str = ""
    function: str = ""
    address: tuple[str, ...] = ()
    place: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Letter:
    sender: Sender
    recipient: tuple[str, ...]
    date_line: str
    subject: str
    salutation: str
    intro: tuple[str, ...]
    # (heading, text) per point: "Melding van datalekken (artikel 9.1)", "Wij vragen u om …".
    items: tuple[tuple[str, str], ...]
    closing: tuple[str, ...]
    greeting: str = "Met vriendelijke groet,"

    @property
    def title(self) -> str:
        return self.subject


def sender_from(spec: FormSpec, answers: Answers,
                profile: Mapping[str, str] | None = None) -> Sender:
    """The practice from the answers (through each question's profile key), with the
    practice profile filling what this form does not ask."""
    known: dict[str, str] = {k: v.strip() for k, v in (profile or {}).items()
                             if isinstance(v, str) and v.strip()}
    for q in spec.questions:
        value = answers.values.get(q.id)
        if q.profile and isinstance(value, str) and value.strip():
            known[q.profile] = value.strip()
    person = function = email = phone = ""
    for name_key, function_key, email_key, phone_keys in _CONTACTS:
        if known.get(name_key):
            person = known[name_key]
            function = (function_key[1:] if function_key.startswith("=")
                        else known.get(function_key, ""))
            email = known.get(email_key, "") if email_key else ""
            phone = next((known[k] for k in phone_keys if known.get(k)), "")
            break
    email = email or next((known[k] for k in _ANY_EMAIL if known.get(k)), "")
    phone = phone or next((known[k] for k in _ANY_PHONE if known.get(k)), "")
    place = known.get("plaats", "")
    town = " ".join(x for x in (known.get("postcode", ""), place) if x)
    address = tuple(x for x in (known.get("adres", ""), town) if x)
    return Sender(organisation=known.get("organisatie_naam", ""), person=person,
                  function=function, address=address, place=place, email=email, phone=phone)


def build_letter(review: Review, spec: FormSpec, sender: Sender,
                 today: dt.date | None = None, answers: Answers | None = None) -> Letter:
    """The letter for ``review``: one item per point with something to ask.

    With ``answers`` the recipient is the processor as they name it (the
    sector model's processor is typed); without, the form's fixed processor.
    """
    from dpa_desktop.parties import processor_of

    day = format_date_nl((today or dt.date.today()).isoformat())
    processor = processor_of(spec, answers) if answers is not None else spec.processor
    place = processor.place if processor.place and processor.place not in (
        processor.address or "") else ""
    recipient = tuple(x for x in (processor.name, processor.address, place) if x)
    items = tuple(
        (f"{p.title} ({p.where})" if p.where else p.title,
         " ".join(a.letter_sentence() for a in p.asks))
        for p in review.asking_points)
    as_processor = review.user_role == "processor"
    agreement = ("de verwerkersovereenkomst die u ons als verwerker hebt voorgelegd"
                 if as_processor else "de verwerkersovereenkomst die u ons hebt gestuurd")
    intro = [f"Wij hebben {agreement} doorgenomen voordat wij die ondertekenen, en vergeleken "
             f"met het sectormodel voor de zorg (de {review.reference_name})."]
    kinds = {a.kind for point in review.asking_points for a in point.asks}
    closing: list[str] = []
    if items:
        intro.append("Op de punten hieronder vragen wij u om "
                     + _by_kinds(kinds, "een aanpassing", "uitleg",
                                 "een aanpassing of om uitleg") + ".")
        change = ("laten weten of u deze aanpassingen kunt doorvoeren, bijvoorbeeld in een "
                  "bijlage met afwijkingen bij de overeenkomst")
        closing.append("Wilt u " + _by_kinds(kinds, f"ons {change}", "onze vragen beantwoorden",
                                             f"onze vragen beantwoorden en ons {change}")
                       + "? Daarna ondertekenen wij de overeenkomst graag.")
    else:
        intro.append("Wij hebben geen vragen en geen wensen tot aanpassing.")
        closing.append("U ontvangt de ondertekende overeenkomst binnenkort.")
    if sender.email or sender.phone:
        how = " of ".join(x for x in (f"per e-mail ({sender.email})" if sender.email else "",
                                      f"telefonisch ({sender.phone})" if sender.phone else "")
                          if x)
        closing.append(f"U kunt ons bereiken {how}.")
    date_line = f"{sender.place}, {day}" if sender.place else day
    return Letter(sender=sender, recipient=recipient, date_line=date_line,
                  subject=f"Verwerkersovereenkomst {processor.name}: vragen vóór ondertekening",
                  salutation="Geachte heer, mevrouw,", intro=tuple(intro), items=items,
                  closing=tuple(closing))


def _by_kinds(kinds: set[Literal["request", "question"]], requests: str, questions: str,
              both: str) -> str:
    """The words for what the letter asks: changes ("request"), answers ("question"), or both."""
    if kinds == {"question"}:
        return questions
    if kinds == {"request"}:
        return requests
    return both


def _signature_lines(sender: Sender) -> list[str]:
    lines = [x for x in (sender.person, sender.function, sender.organisation) if x]
    return lines or ["(naam)"]


def _sender_lines(sender: Sender) -> list[str]:
    reach = " · ".join(x for x in (sender.email, sender.phone) if x)
    return [x for x in (sender.organisation, *sender.address, reach) if x]


def letter_text(letter: Letter) -> str:
    """The letter as plain text, for the clipboard and an e-mail."""
    s = letter.sender
    lines = _sender_lines(s)
    lines += ["", *letter.recipient, "", letter.date_line, "",
              f"Onderwerp: {letter.subject}", "", letter.salutation, ""]
    for paragraph in letter.intro:
        lines += [paragraph, ""]
    for number, (heading, text) in enumerate(letter.items, start=1):
        lines += [f"{number}. {heading}.", f"   {text}", ""]
    for paragraph in letter.closing:
        lines += [paragraph, ""]
    lines += [letter.greeting, "", *_signature_lines(s)]
    return "\n".join(lines) + "\n"


def letter_document(letter: Letter) -> d.Document:
    """The letter in the document model, for the DOCX renderer the agreements use."""
    s = letter.sender

    def para(text: str, *, bold: bool = False, small: bool = False) -> d.Paragraph:
        return d.Paragraph((d.Span(text, bold=bold),), align="left", small=small)

    blocks: list[d.Block] = []
    blocks += [para(x, bold=i == 0) for i, x in enumerate(_sender_lines(s))]
    blocks.append(para(""))
    blocks += [para(x) for x in letter.recipient]
    blocks += [para(""), para(letter.date_line)]
    blocks.append(para(f"Onderwerp: {letter.subject}", bold=True))
    blocks += [para(letter.salutation)]
    blocks += [para(x) for x in letter.intro]
    for number, (heading, text) in enumerate(letter.items, start=1):
        blocks.append(d.NumberedParagraph(f"{number}.", (d.Span(f"{heading}.", bold=True),
                                                         d.Span(f" {text}"))))
    blocks += [para(x) for x in letter.closing]
    blocks += [para(letter.greeting), para("")]
    blocks += [para(x) for x in _signature_lines(s)]
    return d.Document(title=letter.subject, subject="Vragen aan de verwerker",
                      author=s.organisation or "DPA Desktop", header="", blocks=tuple(blocks))


def write_letter_docx(letter: Letter, path: Path) -> None:
    """The letter as DOCX at ``path``, written atomically."""
    from dpa_desktop.render.docx import render_docx

    buffer = io.BytesIO()
    render_docx(letter_document(letter), buffer)
    atomic_write(path, buffer.getvalue())


__all__ = ["Letter", "Sender", "build_letter", "letter_document", "letter_text",
           "sender_from", "write_letter_docx"]
