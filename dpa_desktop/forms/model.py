"""The typed, frozen shape of a form file.

A form file in ``forms/`` is data; these models are its grammar. Every model
forbids unknown keys, so a typo in a form is an error with a line number, not
a silently ignored field. The models are msgspec Structs: msgspec converts
the parsed YAML into them with type checks and frozen instances in one step.
"""

from typing import Annotated, Any, Literal, TypeAlias

import msgspec
from msgspec import Meta

# Ids of questions, services and subprocessors: used in placeholders and conditions.
Ident = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]*$")]


class Strict(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """Frozen, keyword-only, and an unknown key is an error.

    Every subclass repeats ``frozen=True, kw_only=True``: msgspec applies
    ``kw_only`` only to the fields a class defines itself (so required fields
    may follow inherited optional ones), and mypy reads ``frozen`` per class.
    """


# --------------------------------------------------------------------------- identity


class Processor(Strict, frozen=True, kw_only=True):
    """The other party: the processor, or (Infogroen) the controller."""

    name: str
    short_name: str
    kvk: str | None = None
    address: str | None = None
    place: str | None = None
    country: str = "NL"
    breach_email: str | None = None
    breach_phone: str | None = None


class DocumentSettings(Strict, frozen=True, kw_only=True):
    title: str
    subject: str = "Verwerkersovereenkomst (art. 28 AVG)"
    # Page header text; may hold placeholders.
    header: str = ""
    # Document property "author"; may hold placeholders.
    author: str = ""
    # Output file name without extension; may hold placeholders.
    filename: str
    # How many signed originals the agreement says exist ("in tweevoud" = 2).
    copies: Annotated[int, Meta(ge=1, le=10)] = 2
    # "{n}." numbers clauses 1., 2. per article; "{article}.{n}" gives 1.1, 1.2.
    clause_format: str = "{n}."
    # Labels of items in a clause's sub list: "a." "a)" "i." "1." "-" "•".
    item_style: str = "a."


# --------------------------------------------------------------------------- questions

QuestionType = Literal[
    "text", "multiline", "kvk", "postcode", "email", "phone", "date", "choice", "boolean",
    "agb", "number",
]
PageId = Literal["partij", "diensten", "bewaartermijnen", "contacten", "ondertekening"]


class Option(Strict, frozen=True, kw_only=True):
    value: str
    label: str
    # What the agreement says when this option is chosen ({{id}} renders it).
    text: str


class Question(Strict, frozen=True, kw_only=True):
    id: Ident
    type: QuestionType = "text"
    label: str
    help: str = ""
    page: PageId
    required: bool = True
    min_length: int | None = None
    max_length: int = 300
    options: tuple[Option, ...] = ()
    # Key in the practice profile that prefills this question.
    profile: str | None = None
    # Shown in the wizard only; answers never depend on it.
    placeholder: str = ""
    # A boolean that must be answered "ja" (an "Akkoord" box): "nee" is refused in Dutch.
    must_be_true: bool = False


# --------------------------------------------------------------------------- catalogue


class Retention(Strict, frozen=True, kw_only=True):
    """A service's retention: fixed text, or decided by the controller."""

    text: str
    controller_decides: bool = False


class Service(Strict, frozen=True, kw_only=True):
    id: Ident
    name: str
    variants: tuple[str, ...] = ()
    # The first cell of the catalogue table, if it differs from name + variants.
    label: str | None = None
    personal_data: str
    data_subjects: str
    purposes: str
    retention: Retention
    subprocessors: tuple[str, ...] = ()
    # Special categories (art. 9 AVG) and BSN, for the review.
    health_data: bool = False
    bsn: bool = False


class Subprocessor(Strict, frozen=True, kw_only=True):
    id: Ident
    name: str
    country: str
    outside_eea: bool = False
    description: str = ""


# --------------------------------------------------------------------------- key terms

ConsentModel = Literal["prior_consent", "general_consent_with_objection", "inform_only"]
LocationRegion = Literal["NL", "EU", "EEA", "worldwide"]


class Term(Strict, frozen=True, kw_only=True):
    """A key term with where it stands, so a review can cite the article."""

    article: str
    summary: str


class BreachTerm(Term, frozen=True, kw_only=True):
    # None where the text says "onmiddellijk" without a number of hours.
    hours: int | None = None
    immediate: bool = False


class ConsentTerm(Term, frozen=True, kw_only=True):
    model: ConsentModel


class LocationTerm(Term, frozen=True, kw_only=True):
    region: LocationRegion


# How far the controller's audit right reaches, strongest first (for the review).
AuditModel = Literal["on_request", "report_first", "certificates_first"]
# How the processor's liability is limited, least limited first (for the review).
LiabilityModel = Literal["uncapped", "cap_with_exceptions", "capped"]


class AuditTerm(Term, frozen=True, kw_only=True):
    model: AuditModel | None = None


class LiabilityTerm(Term, frozen=True, kw_only=True):
    cap_eur: int | None = None
    model: LiabilityModel | None = None


class KeyTerms(Strict, frozen=True, kw_only=True):
    breach_notification: BreachTerm
    subprocessor_consent: ConsentTerm
    data_location: LocationTerm
    audit: AuditTerm
    liability: LiabilityTerm
    # Art. 28(3) GDPR points (a)-(h) mapped to the articles that cover them.
    art28: dict[Literal["a", "b", "c", "d", "e", "f", "g", "h"], str] = {}


# --------------------------------------------------------------------------- conditions


class Condition(Strict, frozen=True, kw_only=True):
    """When a block appears. Exactly one of the keys is set."""

    answer: str | None = None
    equals: str | bool | None = None
    service: str | None = None
    any_service: tuple[str, ...] = ()
    all: tuple["Condition", ...] = ()
    any: tuple["Condition", ...] = ()
    # "not" is a Python keyword; the form file says "not".
    not_: "Condition | None" = msgspec.field(default=None, name="not")


# --------------------------------------------------------------------------- body blocks


class Item(Strict, frozen=True, kw_only=True):
    """An item of a list, with an optional nested list."""

    text: str
    items: tuple["ItemLike", ...] = ()
    when: Condition | None = None


ItemLike: TypeAlias = str | Item


class BlockBase(Strict, tag_field="kind", frozen=True, kw_only=True):
    """A block of the body. The file names no kind: a block's kind is its first
    known key (``block_kind``); the loader passes it to msgspec as the tag "kind"."""

    when: Condition | None = None


class HeadingBlock(BlockBase, tag="heading", frozen=True, kw_only=True):
    heading: str
    level: Annotated[int, Meta(ge=1, le=3)] = 1
    # Article number used by clause_format "{article}.{n}"; restarts clause numbering.
    number: str | None = None


class TitleBlock(BlockBase, tag="title", frozen=True, kw_only=True):
    title: str
    subtitle: str | None = None


class ParaBlock(BlockBase, tag="para", frozen=True, kw_only=True):
    para: str
    align: Literal["left", "center", "justify"] = "justify"
    bold: bool = False
    small: bool = False


class ClauseBlock(BlockBase, tag="clause", frozen=True, kw_only=True):
    clause: str
    # Explicit number when the source's numbering is irregular (e.g. "7.1").
    number: str | None = None
    items: tuple[ItemLike, ...] = ()
    item_style: str | None = None
    # Paragraphs that continue the clause after its list.
    after: tuple[str, ...] = ()


class ListBlock(BlockBase, tag="list", frozen=True, kw_only=True):
    list: tuple[ItemLike, ...]
    style: str = "a."
    level: Annotated[int, Meta(ge=1, le=3)] = 1


class TableBlock(BlockBase, tag="table", frozen=True, kw_only=True):
    table: tuple[tuple[str, ...], ...]
    header: bool = True
    widths: tuple[float, ...] = ()
    small: bool = False


ServiceField = Literal[
    "name", "personal_data", "data_subjects", "purposes", "retention", "subprocessors"
]


class ServiceColumn(Strict, frozen=True, kw_only=True):
    title: str
    field: ServiceField


class ServicesTableBlock(BlockBase, tag="services_table", frozen=True, kw_only=True):
    services_table: tuple[ServiceColumn, ...]
    widths: tuple[float, ...] = ()


class SubprocessorRow(Strict, frozen=True, kw_only=True):
    """A row of a subprocessor annex; shown when any of its services is taken."""

    subprocessors: tuple[str, ...]
    # First cell as printed; defaults to "Name COUNTRY, ...".
    label: str | None = None
    cells: tuple[str, ...]
    services: tuple[str, ...] = ()


class SubprocessorsTableBlock(BlockBase, tag="subprocessors_table", frozen=True, kw_only=True):
    subprocessors_table: tuple[str, ...]
    rows: tuple[SubprocessorRow, ...]
    widths: tuple[float, ...] = ()


class SignatureLine(Strict, frozen=True, kw_only=True):
    # Printed as written, punctuation included: "Datum:", "Namens deze", "(handtekening)".
    label: str
    value: str = ""
    # A line to write on instead of a value (the handwritten signature, a date).
    write_line: bool = False


class SignatureParty(Strict, frozen=True, kw_only=True):
    party: str
    lines: tuple[SignatureLine, ...]


class SignatureBlock(BlockBase, tag="signature", frozen=True, kw_only=True):
    signature: tuple[SignatureParty, ...]
    intro: str | None = None


class PageBreakBlock(BlockBase, tag="page_break", frozen=True, kw_only=True):
    page_break: Literal[True]


class AnnexBlock(BlockBase, tag="annex", frozen=True, kw_only=True):
    """A new page with an annex heading; restarts clause numbering."""

    annex: str
    subtitle: str | None = None


BLOCK_KINDS: dict[str, type[BlockBase]] = {
    "title": TitleBlock,
    "heading": HeadingBlock,
    "para": ParaBlock,
    "clause": ClauseBlock,
    "list": ListBlock,
    "table": TableBlock,
    "services_table": ServicesTableBlock,
    "subprocessors_table": SubprocessorsTableBlock,
    "signature": SignatureBlock,
    "page_break": PageBreakBlock,
    "annex": AnnexBlock,
}


def block_kind(value: Any) -> str | None:
    """The discriminating key of a block mapping (the first known key present)."""
    if isinstance(value, dict):
        for key in value:
            if key in BLOCK_KINDS:
                return str(key)
        return None
    for key, cls in BLOCK_KINDS.items():
        if isinstance(value, cls):
            return key
    return None


Block: TypeAlias = (
    TitleBlock | HeadingBlock | ParaBlock | ClauseBlock | ListBlock | TableBlock | ServicesTableBlock
    | SubprocessorsTableBlock | SignatureBlock | PageBreakBlock | AnnexBlock
)


# --------------------------------------------------------------------------- example answers


class RetentionAnswer(Strict, frozen=True, kw_only=True):
    amount: Annotated[int, Meta(ge=1, le=1000)]
    unit: Literal["dagen", "weken", "maanden", "jaar"]


class ExampleAnswers(Strict, frozen=True, kw_only=True):
    values: dict[str, str | bool]
    services: tuple[str, ...] = ()
    retention: dict[str, RetentionAnswer] = {}


# --------------------------------------------------------------------------- the form


class FormSpec(Strict, frozen=True, kw_only=True):
    id: Annotated[str, Meta(pattern=r"^[a-z][a-z0-9-]*$")]
    version: str
    description: str
    # Which party the person filling the form is.
    user_role: Literal["controller", "processor"]
    audience: tuple[Literal["huisartsenpraktijk", "zorgaanbieder"], ...]
    processor: Processor
    document: DocumentSettings
    questions: tuple[Question, ...]
    services: tuple[Service, ...] = ()
    subprocessors: tuple[Subprocessor, ...] = ()
    key_terms: KeyTerms
    example: ExampleAnswers
    body: tuple[Block, ...]

    # ---- lookups used by the assembler, the wizard and the register

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def service(self, sid: str) -> Service:
        for s in self.services:
            if s.id == sid:
                return s
        raise KeyError(sid)

    def subprocessor(self, pid: str) -> Subprocessor:
        for p in self.subprocessors:
            if p.id == pid:
                return p
        raise KeyError(pid)

    def subprocessors_for(self, service_ids: tuple[str, ...] | list[str]) -> list[Subprocessor]:
        """Subprocessors that handle data of the given services, catalogue order."""
        wanted: set[str] = set()
        for sid in service_ids:
            wanted.update(self.service(sid).subprocessors)
        return [p for p in self.subprocessors if p.id in wanted]

    def retention_services(self) -> list[Service]:
        """Services whose retention the controller decides."""
        return [s for s in self.services if s.retention.controller_decides]

