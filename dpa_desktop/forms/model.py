"""The typed, frozen shape of a form file.

A form file in ``forms/`` is data; these models are its grammar. Every model
forbids unknown keys, so a typo in a form is an error with a line number, not
a silently ignored field.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


# --------------------------------------------------------------------------- identity


class Processor(Strict):
    """The other party: the processor, or (Infogroen) the controller."""

    name: str
    short_name: str
    kvk: str | None = None
    address: str | None = None
    place: str | None = None
    country: str = "NL"
    breach_email: str | None = None
    breach_phone: str | None = None


class DocumentSettings(Strict):
    title: str
    subject: str = "Verwerkersovereenkomst (art. 28 AVG)"
    # Page header text; may hold placeholders.
    header: str = ""
    # Document property "author"; may hold placeholders.
    author: str = ""
    # Output file name without extension; may hold placeholders.
    filename: str
    # How many signed originals the agreement says exist ("in tweevoud" = 2).
    copies: int = Field(default=2, ge=1, le=10)
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


class Option(Strict):
    value: str
    label: str
    # What the agreement says when this option is chosen ({{id}} renders it).
    text: str


class Question(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
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


# --------------------------------------------------------------------------- catalogue


class Retention(Strict):
    """A service's retention: fixed text, or decided by the controller."""

    text: str
    controller_decides: bool = False


class Service(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
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


class Subprocessor(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    name: str
    country: str
    outside_eea: bool = False
    description: str = ""


# --------------------------------------------------------------------------- key terms

ConsentModel = Literal["prior_consent", "general_consent_with_objection", "inform_only"]
LocationRegion = Literal["NL", "EU", "EEA", "worldwide"]


class Term(Strict):
    """A key term with where it stands, so a review can cite the article."""

    article: str
    summary: str


class BreachTerm(Term):
    # None where the text says "onmiddellijk" without a number of hours.
    hours: int | None = None
    immediate: bool = False


class ConsentTerm(Term):
    model: ConsentModel


class LocationTerm(Term):
    region: LocationRegion


# How far the controller's audit right reaches, strongest first (for the review).
AuditModel = Literal["on_request", "report_first", "certificates_first"]
# How the processor's liability is limited, least limited first (for the review).
LiabilityModel = Literal["uncapped", "cap_with_exceptions", "capped"]


class AuditTerm(Term):
    model: AuditModel | None = None


class LiabilityTerm(Term):
    cap_eur: int | None = None
    model: LiabilityModel | None = None


class KeyTerms(Strict):
    breach_notification: BreachTerm
    subprocessor_consent: ConsentTerm
    data_location: LocationTerm
    audit: AuditTerm
    liability: LiabilityTerm
    # Art. 28(3) GDPR points (a)-(h) mapped to the articles that cover them.
    art28: dict[Literal["a", "b", "c", "d", "e", "f", "g", "h"], str] = {}


# --------------------------------------------------------------------------- conditions


class Condition(Strict):
    """When a block appears. Exactly one of the keys is set."""

    answer: str | None = None
    equals: str | bool | None = None
    service: str | None = None
    any_service: tuple[str, ...] = ()
    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()
    not_: Condition | None = Field(default=None, alias="not")


# --------------------------------------------------------------------------- body blocks


class Item(Strict):
    """An item of a list, with an optional nested list."""

    text: str
    items: tuple[ItemLike, ...] = ()
    when: Condition | None = None


ItemLike = Annotated[str | Item, Field(union_mode="left_to_right")]


class BlockBase(Strict):
    when: Condition | None = None


class HeadingBlock(BlockBase):
    heading: str
    level: int = Field(default=1, ge=1, le=3)
    # Article number used by clause_format "{article}.{n}"; restarts clause numbering.
    number: str | None = None


class TitleBlock(BlockBase):
    title: str
    subtitle: str | None = None


class ParaBlock(BlockBase):
    para: str
    align: Literal["left", "center", "justify"] = "justify"
    bold: bool = False
    small: bool = False


class ClauseBlock(BlockBase):
    clause: str
    # Explicit number when the source's numbering is irregular (e.g. "7.1").
    number: str | None = None
    items: tuple[ItemLike, ...] = ()
    item_style: str | None = None
    # Paragraphs that continue the clause after its list.
    after: tuple[str, ...] = ()


class ListBlock(BlockBase):
    list: tuple[ItemLike, ...]
    style: str = "a."
    level: int = Field(default=1, ge=1, le=3)


class TableBlock(BlockBase):
    table: tuple[tuple[str, ...], ...]
    header: bool = True
    widths: tuple[float, ...] = ()
    small: bool = False


ServiceField = Literal[
    "name", "personal_data", "data_subjects", "purposes", "retention", "subprocessors"
]


class ServiceColumn(Strict):
    title: str
    field: ServiceField


class ServicesTableBlock(BlockBase):
    services_table: tuple[ServiceColumn, ...]
    widths: tuple[float, ...] = ()


class SubprocessorRow(Strict):
    """A row of a subprocessor annex; shown when any of its services is taken."""

    subprocessors: tuple[str, ...]
    # First cell as printed; defaults to "Name COUNTRY, ...".
    label: str | None = None
    cells: tuple[str, ...]
    services: tuple[str, ...] = ()


class SubprocessorsTableBlock(BlockBase):
    subprocessors_table: tuple[str, ...]
    rows: tuple[SubprocessorRow, ...]
    widths: tuple[float, ...] = ()


class SignatureLine(Strict):
    label: str
    value: str = ""
    # A line to write on instead of a value (the handwritten signature, a date).
    write_line: bool = False


class SignatureParty(Strict):
    party: str
    lines: tuple[SignatureLine, ...]


class SignatureBlock(BlockBase):
    signature: tuple[SignatureParty, ...]
    intro: str | None = None


class PageBreakBlock(BlockBase):
    page_break: Literal[True]


class AnnexBlock(BlockBase):
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


Block = Annotated[
    Annotated[TitleBlock, Tag("title")]
    | Annotated[HeadingBlock, Tag("heading")]
    | Annotated[ParaBlock, Tag("para")]
    | Annotated[ClauseBlock, Tag("clause")]
    | Annotated[ListBlock, Tag("list")]
    | Annotated[TableBlock, Tag("table")]
    | Annotated[ServicesTableBlock, Tag("services_table")]
    | Annotated[SubprocessorsTableBlock, Tag("subprocessors_table")]
    | Annotated[SignatureBlock, Tag("signature")]
    | Annotated[PageBreakBlock, Tag("page_break")]
    | Annotated[AnnexBlock, Tag("annex")],
    Discriminator(block_kind),
]


# --------------------------------------------------------------------------- example answers


class RetentionAnswer(Strict):
    amount: int = Field(ge=1, le=1000)
    unit: Literal["dagen", "weken", "maanden", "jaar"]


class ExampleAnswers(Strict):
    values: dict[str, str | bool]
    services: tuple[str, ...] = ()
    retention: dict[str, RetentionAnswer] = {}


# --------------------------------------------------------------------------- the form


class FormSpec(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$")]
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


Item.model_rebuild()
Condition.model_rebuild()
