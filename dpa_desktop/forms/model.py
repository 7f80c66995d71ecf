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
    """The other party: the processor, or (Infogroen) the controller.

    In a form whose processor the user types (the sector model) every text
    field may hold ``{{question}}`` placeholders, filled from the answers
    (``dpa_desktop.parties.processor_of``); ``label`` then names the form where
    no answers exist yet (the start screen, the list of forms).
    """

    name: str
    # How lists name the form before anything is answered; required when name holds placeholders.
    label: str | None = None
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
    "agb", "number", "list",
]
# The types a cell of a list (a sub-question) may have: one line each.
CELL_TYPES: tuple[str, ...] = (
    "text", "kvk", "postcode", "email", "phone", "date", "choice", "boolean", "agb", "number",
)
PageId = Literal["partij", "verwerker", "diensten", "bewaartermijnen", "contacten", "ondertekening"]


class Option(Strict, frozen=True, kw_only=True):
    value: str
    label: str
    # What the agreement says when this option is chosen ({{id}} renders it).
    text: str


class SubQuestion(Strict, frozen=True, kw_only=True):
    """One column of a list question: what each row asks. ``{{id}}`` only inside its table."""

    id: Ident
    type: QuestionType = "text"
    label: str
    help: str = ""
    required: bool = True
    min_length: int | None = None
    max_length: int = 300
    options: tuple[Option, ...] = ()
    placeholder: str = ""


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
    # ---- type "list" only: rows the user types, each answering ``fields``.
    # What one row is called in messages: "Subverwerker 2 – land: ...".
    item_label: str | None = None
    fields: tuple[SubQuestion, ...] = ()
    min_items: Annotated[int, Meta(ge=0, le=200)] = 0
    max_items: Annotated[int, Meta(ge=1, le=200)] = 50

    def sub(self, sid: str) -> SubQuestion:
        for f in self.fields:
            if f.id == sid:
                return f
        raise KeyError(sid)


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


# The European Economic Area: the EU's 27 and Iceland, Liechtenstein, Norway.
EEA_COUNTRIES = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "IS", "LI", "NO",
})
# What a form writes when the agreement does not say where a subprocessor works.
UNKNOWN_COUNTRY = "unknown"


class Subprocessor(Strict, frozen=True, kw_only=True):
    id: Ident
    name: str
    # Where it processes the data as the agreement says (ISO 3166 code), or "unknown".
    country: Annotated[str, Meta(pattern=r"^([A-Z]{2}|unknown)$")]
    # Only where the text says so in as many words (Vcare's "Gegevens buiten de EER? Nee");
    # otherwise the country decides, and an unknown country leaves it unknown.
    outside_eea: bool | None = None
    description: str = ""

    def eea_status(self) -> Literal["inside", "outside", "unknown"]:
        """Inside or outside the EEA; "unknown" is never read as inside."""
        if self.outside_eea is not None:
            return "outside" if self.outside_eea else "inside"
        if self.country == UNKNOWN_COUNTRY:
            return "unknown"
        return "inside" if self.country in EEA_COUNTRIES else "outside"

    @property
    def country_label(self) -> str:
        """The country as printed for a person: the code, or "land onbekend"."""
        return "land onbekend" if self.country == UNKNOWN_COUNTRY else self.country


# --------------------------------------------------------------------------- key terms
#
# What the agreement says on the points a review compares with the sector model,
# as values, each pointing at the clause that says it. Every term's main value
# can be "unknown" (the text leaves it open or refers elsewhere) or
# "not_regulated" (the agreement has no clause on it). The values a term needs
# have no defaults: the loader reports a missing one (``loader._key_term_findings``),
# so a value left out is never read as the best case.

# The two values every term knows besides its own.
Open = Literal["unknown", "not_regulated"]
NOT_REGULATED = "not_regulated"


class ClauseRef(Strict, frozen=True, kw_only=True):
    """A further clause a term rests on (e.g. the exception to a rule), with words to quote."""

    article: str
    # The processor's words from that clause; parts left out are written " … ".
    quote: str | None = None


class Term(Strict, frozen=True, kw_only=True):
    """Where a term stands: the article or clause ("9.1", "18", "Bijlage 4"), the words
    to quote from it, and further clauses; no article when it is not regulated."""

    article: str | None = None
    quote: str | None = None
    also: tuple[ClauseRef, ...] = ()


# "immediate": onmiddellijk / onverwijld, no hours; "hours": a number of hours;
# "no_deadline": "zo snel mogelijk" and the like, no deadline one can hold the processor to.
BreachDeadline = Literal["immediate", "hours", "no_deadline", "unknown", "not_regulated"]


class BreachTerm(Term, frozen=True, kw_only=True):
    deadline: BreachDeadline
    # With deadline "hours": the number, and whether it is firm ("uiterlijk binnen 24 uur")
    # or not ("voor zover mogelijk uiterlijk binnen 48 uur").
    hours: Annotated[int, Meta(ge=1, le=8760)] | None = None
    firm: bool | None = None


ConsentModel = Literal["prior_consent", "general_consent_with_objection", "inform_only",
                       "unknown", "not_regulated"]


class ConsentTerm(Term, frozen=True, kw_only=True):
    model: ConsentModel
    # The annex or clause that lists the subprocessors (e.g. "Bijlage B").
    listed_in: str | None = None


# Where the data is processed as a rule.
LocationRegion = Literal["NL", "EU", "EEA", "worldwide", "unknown", "not_regulated"]
# When the data may leave the EEA all the same: "never", "prior_consent" (the
# practice's prior written consent: the sector model), "unless_objection" (unless
# she objects), "with_safeguards" (with the safeguards of chapter V GDPR, without
# asking her), "allowed" (no condition).
OutsideEea = Literal["never", "prior_consent", "unless_objection", "with_safeguards", "allowed",
                     "unknown", "not_regulated"]


class LocationTerm(Term, frozen=True, kw_only=True):
    region: LocationRegion
    outside_eea: OutsideEea | None = None


# How far the controller's audit right reaches: "on_request" (when she asks),
# "report_first" (first an audit report, an own audit only if that falls short),
# "certificates_first" (only after certificates were reviewed and with reasons).
AuditModel = Literal["on_request", "report_first", "certificates_first", "unknown",
                     "not_regulated"]
# How often: "at_least_yearly" (once a year in any case, and more on reason: the
# sector model), "any_time" (no limit), "at_most_yearly" (no more than once a year).
AuditFrequency = Literal["at_least_yearly", "any_time", "at_most_yearly", "unknown",
                         "not_regulated"]
# Who pays: "processor"; "own_costs_unless_breach" (each its own, the processor all
# when the audit finds a shortcoming); "own_costs" (each its own); "controller_unless_breach"
# (the practice pays the processor's help, except where it concerns a shortcoming: the
# sector model); "controller" (the practice pays).
AuditCost = Literal["processor", "own_costs_unless_breach", "own_costs",
                    "controller_unless_breach", "controller", "unknown", "not_regulated"]


class AuditTerm(Term, frozen=True, kw_only=True):
    model: AuditModel
    frequency: AuditFrequency | None = None
    cost: AuditCost | None = None


# How the processor's liability to the practice is limited: "uncapped";
# "cap_with_exceptions" (a cap, but not for loss of personal data and fines: the sector
# model); "capped" (a cap for everything).
LiabilityModel = Literal["uncapped", "cap_with_exceptions", "capped", "unknown",
                         "not_regulated"]
# The cap: "none", "amount" (cap_eur), "main_agreement" (whatever the main agreement
# says), "insured_amount" (what the processor's insurance pays).
LiabilityCap = Literal["none", "amount", "main_agreement", "insured_amount", "unknown"]
# Fines of the supervisory authority caused by the processor: "covered" (it bears them,
# outside any cap: the sector model); "within_cap" (it bears them up to the cap);
# "partial" (only some, e.g. for a late breach notice); "not_covered".
FinesCover = Literal["covered", "within_cap", "partial", "not_covered", "unknown",
                     "not_regulated"]


class LiabilityTerm(Term, frozen=True, kw_only=True):
    model: LiabilityModel
    cap: LiabilityCap | None = None
    cap_eur: Annotated[int, Meta(ge=1)] | None = None
    fines: FinesCover | None = None


class KeyTerms(Strict, frozen=True, kw_only=True):
    breach_notification: BreachTerm
    subprocessor_consent: ConsentTerm
    data_location: LocationTerm
    audit: AuditTerm
    liability: LiabilityTerm
    # Art. 28(3) GDPR points (a)-(h) mapped to the articles that cover them.
    art28: dict[Literal["a", "b", "c", "d", "e", "f", "g", "h"], str] = {}
    # True when the agreement's text is the sector model (forms/reference/sector-model.yaml),
    # whether or not it records deviations: the review then says so.
    sector_model: bool = False


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


class ListColumn(Strict, frozen=True, kw_only=True):
    """A column of a list table: one sub-field, or a text with ``{{sub_field}}`` placeholders."""

    title: str
    field: Ident | None = None
    text: str | None = None


class ListTableBlock(BlockBase, tag="list_table", frozen=True, kw_only=True):
    """The rows of a list question, in the order typed; the header repeats on every page."""

    list_table: Ident
    columns: tuple[ListColumn, ...]
    widths: tuple[float, ...] = ()
    small: bool = False
    # Printed as a paragraph instead of the table when the list has no rows.
    empty: str | None = None


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
    "list_table": ListTableBlock,
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
    | SubprocessorsTableBlock | ListTableBlock | SignatureBlock | PageBreakBlock | AnnexBlock
)


# --------------------------------------------------------------------------- example answers


class RetentionAnswer(Strict, frozen=True, kw_only=True):
    amount: Annotated[int, Meta(ge=1, le=1000)]
    unit: Literal["dagen", "weken", "maanden", "jaar"]


ListRow: TypeAlias = dict[str, str | bool]


class ExampleAnswers(Strict, frozen=True, kw_only=True):
    values: dict[str, str | bool]
    services: tuple[str, ...] = ()
    retention: dict[str, RetentionAnswer] = {}
    # The rows of each list question.
    lists: dict[str, tuple[ListRow, ...]] = {}


# --------------------------------------------------------------------------- typed rows as register data


class SubprocessorsFrom(Strict, frozen=True, kw_only=True):
    """Which list holds the processor's subprocessors, and which sub-fields say what.

    The register and the review read its rows like the catalogue's subprocessors.
    """

    list: Ident
    name: Ident
    country: Ident
    # A yes/no column: a typed country is free text, so it cannot say inside or outside the EEA.
    outside_eea: Ident
    description: Ident | None = None


class ServicesFrom(Strict, frozen=True, kw_only=True):
    """Which list holds the services the practice takes, and the sub-field with their name."""

    list: Ident
    name: Ident


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
    # A form without a catalogue whose services and subprocessors the user types (lists).
    services_from: ServicesFrom | None = None
    subprocessors_from: SubprocessorsFrom | None = None
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

    @property
    def processor_label(self) -> str:
        """The processor as lists show the form, before anything is answered."""
        return self.processor.label or self.processor.name

    def list_questions(self) -> list[Question]:
        return [q for q in self.questions if q.type == "list"]

    def retention_services(self) -> list[Service]:
        """Services whose retention the controller decides."""
        return [s for s in self.services if s.retention.controller_decides]

