"""What an agreement says on the points that matter, next to the sector model.

A practice manager signs what the processor sends because she cannot judge
it. The review puts each point in plain Dutch with its article, compares it
with the sector model (``forms/reference/sector-model.yaml``) and checks art.
28(3) GDPR. It informs and never advises, so every point cites the text it
rests on. When the practice is the processor (Infogroen) the same points are
read from her side: what the agreement demands of her.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from dpa_desktop import document as d
from dpa_desktop.answers import Answers, format_retention
from dpa_desktop.assemble import build_document
from dpa_desktop.forms import model as m
from dpa_desktop.parties import processor_of, subprocessors_of
from dpa_desktop.review.clauses import clause_index
from dpa_desktop.review.reference import SectorModel, sector_model

Verdict = Literal["in_line", "weaker", "stronger", "unknown"]

VERDICT_LABELS: dict[Verdict, str] = {
    "in_line": "In lijn met het sectormodel",
    "weaker": "Zwakker dan het sectormodel",
    "stronger": "Sterker dan het sectormodel",
    "unknown": "Niet te vergelijken met het sectormodel",
}

DISCLAIMER = (
    "Dit overzicht is geen juridisch advies. Het zet op een rij wat de overeenkomst zegt, "
    "met het artikel waar het staat, en vergelijkt dat met het sectormodel voor de zorg. "
    "Twijfelt u, vraag dan uw functionaris voor de gegevensbescherming of een jurist."
)

# Said of an agreement whose form is the sector model itself (key_terms.is_sector_model).
SECTOR_MODEL_NOTE = (
    "Deze overeenkomst is het sectormodel zelf ({reference}): de standaardtekst zonder "
    "afwijkingen. De punten hieronder zijn dus in lijn met het sectormodel; controleer vooral "
    "wat u zelf invult, zoals de diensten, de subverwerkers en de beveiligingsmaatregelen."
)

ART28_REQUIREMENTS: dict[str, str] = {
    "a": "verwerkt alleen op schriftelijke instructie van de verwerkingsverantwoordelijke",
    "b": "wie de gegevens mag inzien, heeft een geheimhoudingsplicht",
    "c": "neemt passende beveiligingsmaatregelen (artikel 32 AVG)",
    "d": "schakelt subverwerkers alleen in met toestemming en onder dezelfde plichten",
    "e": "helpt bij verzoeken van betrokkenen (inzage, correctie, verwijdering)",
    "f": "helpt bij beveiliging, datalekken en DPIA's (artikelen 32 tot en met 36 AVG)",
    "g": "wist of retourneert alle persoonsgegevens na afloop",
    "h": "geeft alle informatie en maakt audits en inspecties mogelijk",
}

# Words a clause covering the point uses; a mapped article without any of them
# is reported, because a wrong number in a form is easy to make and to miss.
_ART28_WORDS: dict[str, tuple[str, ...]] = {
    "a": ("instructie", "opdracht"),
    "b": ("geheim", "vertrouwelijk"),
    "c": ("beveiliging", "maatregel"),
    "d": ("subverwerker", "sub-verwerker", "derden", "onderaannemer"),
    "e": ("betrokkene",),
    "f": ("inbreuk", "datalek", "gegevensbeschermingseffect", "dpia", "bijstand", "medewerking",
          "incident"),
    "g": ("vernietig", "verwijder", "teruggeven", "terug", "ter beschikking"),
    "h": ("controle", "controleren", "audit", "inspectie", "onderzoek", "informatie",
          "toe te (laten) zien"),
}

_CONSENT_RANK: dict[m.ConsentModel, int] = {
    "inform_only": 0, "general_consent_with_objection": 1, "prior_consent": 2}
_CONSENT_TEXT: dict[m.ConsentModel, str] = {
    "prior_consent": "alleen met voorafgaande schriftelijke toestemming",
    "general_consent_with_objection": "met een algemene toestemming vooraf; u kunt bezwaar maken "
                                      "tegen een nieuwe subverwerker",
    "inform_only": "zonder toestemming; de verwerker houdt u alleen op de hoogte",
}
_REGION_RANK: dict[m.LocationRegion, int] = {"worldwide": 0, "EEA": 1, "EU": 2, "NL": 3}
_REGION_TEXT: dict[m.LocationRegion, str] = {
    "NL": "alleen in Nederland",
    "EU": "alleen in de Europese Unie",
    "EEA": "alleen in de Europese Economische Ruimte (EER)",
    "worldwide": "ook buiten de Europese Economische Ruimte",
}
_AUDIT_RANK: dict[m.AuditModel, int] = {
    "certificates_first": 0, "report_first": 1, "on_request": 2}
_AUDIT_TEXT: dict[m.AuditModel, str] = {
    "on_request": "de naleving laten controleren wanneer daar aanleiding voor is",
    "report_first": "eerst een auditrapport opvragen; een eigen controle alleen als dat "
                    "rapport niet volstaat",
    "certificates_first": "pas controleren nadat de certificaten zijn beoordeeld en er "
                          "redelijke argumenten voor een eigen controle zijn",
}
_LIABILITY_RANK: dict[m.LiabilityModel, int] = {
    "capped": 0, "cap_with_exceptions": 1, "uncapped": 2}


@dataclass(frozen=True)
class Point:
    """One thing the agreement says, where, and how it compares."""

    key: str
    title: str
    statement: str
    article: str
    # What the agreement says there, in a sentence.
    says: str
    reference: str
    verdict: Verdict
    # True when the reader should look at this before signing.
    attention: bool
    details: tuple[str, ...] = ()

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]


@dataclass(frozen=True)
class Art28Check:
    """One of art. 28(3)(a)-(h) GDPR: the clause that covers it, or why none does."""

    letter: str
    requirement: str
    article: str | None
    found: bool
    excerpt: str = ""
    problem: str = ""


@dataclass(frozen=True)
class Review:
    form_id: str
    processor_name: str
    organisation: str
    user_role: Literal["controller", "processor"]
    # One sentence at the top saying whose side the review takes.
    role_note: str
    reference_name: str
    points: tuple[Point, ...]
    art28: tuple[Art28Check, ...]
    disclaimer: str = DISCLAIMER
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def attention_points(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.attention)

    @property
    def art28_missing(self) -> tuple[Art28Check, ...]:
        return tuple(c for c in self.art28 if not c.found)

    def point(self, key: str) -> Point:
        for p in self.points:
            if p.key == key:
                return p
        raise KeyError(key)


def article_ref(article: str) -> str:
    return f"artikel {article}"


def _compare(rank: int, reference: int) -> Verdict:
    if rank == reference:
        return "in_line"
    return "stronger" if rank > reference else "weaker"


def _attention(verdict: Verdict, role: str) -> bool:
    """For the practice as controller a weaker term protects her less; as processor
    a stronger term asks more of her. Either way she should read it."""
    if verdict == "unknown":
        return True
    return verdict == ("stronger" if role == "processor" else "weaker")


def _hours(term: m.BreachTerm) -> str:
    if term.hours is not None:
        return f"uiterlijk binnen {term.hours} uur"
    return "onmiddellijk"


def breach_deadline(term: m.BreachTerm) -> str:
    """The deadline as a reader says it: "binnen 24 uur", "onmiddellijk"."""
    if term.hours is not None:
        prefix = "onmiddellijk, uiterlijk " if term.immediate else ""
        return f"{prefix}binnen {term.hours} uur"
    return "onmiddellijk"


class _Builder:
    def __init__(self, spec: m.FormSpec, answers: Answers, ref: SectorModel) -> None:
        self.spec = spec
        self.answers = answers
        self.ref = ref
        self.role = spec.user_role
        self.processor = processor_of(spec, answers)
        self.other = self.processor.short_name
        self.doc = build_document(spec, answers)
        self.index = clause_index(self.doc)
        self.taken = [s for s in spec.services if s.id in answers.services]

    def ref_text(self, term: m.Term) -> str:
        return f"Sectormodel {article_ref(term.article)}: {term.summary}"

    def point(self, key: str, title: str, statement: str, term: m.Term, reference: m.Term,
              verdict: Verdict, details: tuple[str, ...] = ()) -> Point:
        return Point(key=key, title=title, statement=statement, article=term.article,
                     says=term.summary, reference=self.ref_text(reference), verdict=verdict,
                     attention=_attention(verdict, self.role), details=details)

    # ---- the points

    def breach(self) -> Point:
        term = self.spec.key_terms.breach_notification
        ref = self.ref.breach_notification
        if term.hours is None:
            verdict: Verdict = "in_line"
        elif term.hours <= ref.in_line_hours:
            verdict = "in_line"
        else:
            verdict = "weaker"
        deadline = breach_deadline(term)
        if self.role == "processor":
            statement = (f"U moet als verwerker een datalek {deadline} na ontdekking melden "
                         f"aan {self.other}.")
        else:
            statement = f"{self.other} moet een datalek {deadline} na ontdekking aan u melden."
        if verdict == "weaker":
            statement += (f" Het sectormodel vraagt onmiddellijke melding; {term.hours} uur "
                          "laat u minder tijd om binnen 72 uur de Autoriteit Persoonsgegevens "
                          "te informeren.")
        return self.point("breach_notification", "Melding van datalekken", statement, term,
                          ref, verdict)

    def consent(self) -> Point:
        term = self.spec.key_terms.subprocessor_consent
        ref = self.ref.subprocessor_consent
        verdict = _compare(_CONSENT_RANK[term.model], _CONSENT_RANK[ref.model])
        if self.role == "processor":
            statement = (f"U mag als verwerker zelf subverwerkers inschakelen "
                         f"{_CONSENT_TEXT[term.model]} van {self.other}.")
        else:
            statement = (f"{self.other} mag subverwerkers inschakelen "
                         f"{_CONSENT_TEXT[term.model]}.")
        return self.point("subprocessor_consent", "Toestemming voor subverwerkers", statement,
                          term, ref, verdict)

    def subprocessors(self) -> Point:
        term = self.spec.key_terms.subprocessor_consent
        ref = self.ref.data_location
        involved = subprocessors_of(self.spec, self.answers)
        scope = "bij de diensten die u afneemt" if self.spec.services else "in de overeenkomst"
        outside = [p for p in involved if p.outside_eea]
        details = tuple(
            f"{p.name} ({p.country})" + (" - BUITEN DE EER" if p.outside_eea else "")
            + (f": {p.description}" if p.description else "")
            for p in involved)
        if not involved:
            statement = ("De overeenkomst noemt geen subverwerkers." if not self.spec.services
                         else f"Er zijn geen subverwerkers {scope}.")
            verdict: Verdict = "in_line"
        else:
            statement = (f"{len(involved)} subverwerker(s) {scope}; "
                         + ("geen daarvan buiten de EER." if not outside else "zie de lijst."))
            verdict = "in_line"
            if outside:
                verdict = "weaker"
                statement += (" Buiten de EER: " + ", ".join(p.name for p in outside)
                              + "; het sectormodel staat dat alleen toe met uw voorafgaande "
                                "schriftelijke toestemming.")
        if self.role == "processor":
            verdict = "in_line" if not outside else verdict
        return Point(key="subprocessors", title="Betrokken subverwerkers", statement=statement,
                     article=term.article, says=term.summary, reference=self.ref_text(ref),
                     verdict=verdict, attention=bool(outside), details=details)

    def location(self) -> Point:
        term = self.spec.key_terms.data_location
        ref = self.ref.data_location
        verdict = _compare(_REGION_RANK[term.region], _REGION_RANK[ref.region])
        where = _REGION_TEXT[term.region]
        if self.role == "processor":
            statement = f"U mag de persoonsgegevens als verwerker {where} verwerken."
            if verdict == "stronger":
                statement += (" Dat is strenger dan het sectormodel: kies uw hosting en "
                              "clouddiensten daarop.")
        else:
            statement = f"{self.other} verwerkt de persoonsgegevens {where}."
        return self.point("data_location", "Waar de gegevens worden verwerkt", statement, term,
                          ref, verdict)

    def audit(self) -> Point:
        term = self.spec.key_terms.audit
        ref = self.ref.audit
        if term.model is None:
            verdict: Verdict = "unknown"
            how = "controleren zoals beschreven"
        else:
            verdict = _compare(_AUDIT_RANK[term.model], _AUDIT_RANK[ref.model])
            how = _AUDIT_TEXT[term.model]
        if self.role == "processor":
            statement = (f"{self.other} mag bij u als verwerker {how}; u moet daaraan "
                         "meewerken.")
        else:
            statement = f"U mag bij {self.other} {how}."
        return self.point("audit", "Controle (audit)", statement, term, ref, verdict)

    def liability(self) -> Point:
        term = self.spec.key_terms.liability
        ref = self.ref.liability
        if term.model is None:
            verdict: Verdict = "unknown"
        else:
            verdict = _compare(_LIABILITY_RANK[term.model], _LIABILITY_RANK[ref.model])
        if term.cap_eur is not None:
            cap = f"tot EUR {term.cap_eur:,}".replace(",", ".")
        elif term.model == "uncapped":
            cap = "niet beperkt"
        else:
            cap = "beperkt zoals in de hoofdovereenkomst of bijlagen staat"
        if self.role == "processor":
            statement = f"Uw aansprakelijkheid als verwerker tegenover {self.other} is {cap}."
            if term.model == "uncapped":
                statement = (f"Uw aansprakelijkheid als verwerker tegenover {self.other} is "
                             "niet beperkt: u draagt ook boetes die door uw tekortkoming "
                             f"aan {self.other} worden opgelegd.")
        elif term.cap_eur is not None:
            statement = f"De aansprakelijkheid van {self.other} is beperkt {cap} per gebeurtenis."
        else:
            statement = f"De aansprakelijkheid van {self.other} is {cap}."
        if verdict == "weaker":
            statement += (" Het sectormodel zondert verlies van persoonsgegevens en boetes "
                          "uit van elke beperking.")
        return self.point("liability", "Aansprakelijkheid", statement, term, ref, verdict)

    def retention(self) -> Point:
        ref = self.ref.retention
        article = self.spec.key_terms.art28.get("g", "")
        details: list[str] = []
        chosen_services: list[str] = []
        for service in self.taken:
            if service.retention.controller_decides and service.id in self.answers.retention:
                amount, unit = self.answers.retention[service.id]
                chosen_services.append(f"{service.name}: {format_retention(amount, unit)} "
                                       "(door u gekozen)")
            else:
                details.append(f"{service.name}: {service.retention.text}")
        choices = [q for q in self.spec.questions
                   if q.type == "choice" and q.page == "bewaartermijnen"]
        end_choices: list[str] = []
        for q in choices:
            value = self.answers.values.get(q.id)
            chosen = next((o.label for o in q.options if o.value == value), "nog niet gekozen")
            end_choices.append(f"{q.label} {chosen}" if q.label.endswith("?")
                               else f"{q.label}: {chosen}")
        # Her own choices first: on paper the fixed catalogue terms may be cut short.
        details = end_choices + chosen_services + details
        if self.role == "processor":
            statement = (f"Bij het einde moet u als verwerker de persoonsgegevens verwijderen "
                         f"of teruggeven aan {self.other}, zoals {self.other} dat vraagt.")
            verdict: Verdict = "in_line"
        elif choices:
            statement = ("Bij het einde kiest u zelf wat er met de persoonsgegevens gebeurt; "
                         "uw keuzes staan hieronder.")
            verdict = "in_line"
        else:
            statement = ("De overeenkomst laat u bij het einde niet kiezen tussen teruggeven "
                         "en vernietigen.")
            verdict = "weaker"
        says = self.index.get(article, "")
        return Point(key="retention", title="Bewaartermijnen en einde van de overeenkomst",
                     statement=statement, article=article, says=_excerpt(says, 220),
                     reference=self.ref_text(ref), verdict=verdict,
                     attention=_attention(verdict, self.role), details=tuple(details))

    def special(self) -> Point:
        ref = self.ref.special_categories
        where = self.standard_citation(ref.standards)
        verdict: Verdict = "in_line" if where else "weaker"
        health = [s.name for s in self.taken if s.health_data]
        bsn = [s.name for s in self.taken if s.bsn]
        if self.spec.services:
            parts = []
            if health:
                parts.append("gezondheidsgegevens bij " + ", ".join(health))
            if bsn:
                parts.append("het BSN bij " + ", ".join(bsn))
            statement = ("Bijzondere persoonsgegevens: " + "; ".join(parts) + "."
                         if parts else
                         "Bij de diensten die u afneemt staan geen gezondheidsgegevens of BSN.")
        else:
            statement = ("De overeenkomst kent geen dienstenkeuze; welke (bijzondere) "
                         "persoonsgegevens worden verwerkt staat in de omschrijving of bijlage.")
        if where:
            statement += " De overeenkomst noemt NEN 7510, de beveiligingsnorm voor de zorg."
        else:
            statement += " De overeenkomst noemt NEN 7510 (beveiligingsnorm voor de zorg) niet."
        article, says = where or ("", "")
        return Point(key="special_categories", title="Bijzondere gegevens (gezondheid, BSN)",
                     statement=statement, article=article, says=_excerpt(says, 220),
                     reference=self.ref_text(ref), verdict=verdict,
                     attention=_attention(verdict, self.role), details=())

    def standard_citation(self, standards: tuple[str, ...]) -> tuple[str, str] | None:
        """Where the agreement names a security standard: a clause, else an annex."""
        wanted = [s.lower() for s in standards]
        for number, text in self.index.items():
            if any(w in text.lower() for w in wanted):
                return number, text
        heading = ""
        for block in self.doc.blocks:
            if isinstance(block, d.Heading) and block.level == 1:
                heading = block.text
            texts = block_texts(block)
            for text in texts:
                if any(w in text.lower() for w in wanted):
                    return heading.split(" - ")[0].split(":")[0].strip() or heading, text
        return None

    # ---- art. 28(3)

    def art28(self) -> tuple[Art28Check, ...]:
        checks = []
        for letter, requirement in ART28_REQUIREMENTS.items():
            article = self.spec.key_terms.art28.get(letter)  # type: ignore[call-overload]
            if article is None:
                checks.append(Art28Check(letter, requirement, None, False,
                                         problem="geen artikel in de overeenkomst aangewezen"))
                continue
            text = self.index.get(article)
            if text is None:
                checks.append(Art28Check(letter, requirement, article, False,
                                         problem=f"{article_ref(article)} staat niet in de "
                                                 "tekst van de overeenkomst"))
                continue
            lowered = text.lower()
            if not any(w in lowered for w in _ART28_WORDS[letter]):
                checks.append(Art28Check(letter, requirement, article, False,
                                         excerpt=_excerpt(text, 160),
                                         problem=f"{article_ref(article)} gaat niet over dit "
                                                 "punt"))
                continue
            checks.append(Art28Check(letter, requirement, article, True,
                                     excerpt=_excerpt(text, 160)))
        return tuple(checks)


def block_texts(block: d.Block) -> list[str]:
    """The words of one block, as Document.texts() gives them for the whole."""
    return d.Document(title="", subject="", author="", header="", blocks=(block,)).texts()


def _excerpt(text: str, limit: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


def _organisation(spec: m.FormSpec, answers: Answers) -> str:
    for qid in ("organisatie_naam", "klant", "verwerker_naam"):
        value = answers.values.get(qid)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def build_review(spec: m.FormSpec, answers: Answers,
                 reference: SectorModel | None = None) -> Review:
    """The review the GUI's review page and the CLI show before signing.

    The articles are looked up in the agreement as it will be printed, so the
    answers must be valid (AnswersInvalid otherwise, as for filling).
    """
    ref = reference or sector_model()
    b = _Builder(spec, answers, ref)
    name = b.processor.name
    if spec.user_role == "processor":
        role_note = (f"Let op: in deze overeenkomst bent u de VERWERKER en is "
                     f"{name} de verwerkingsverantwoordelijke. Dit overzicht "
                     "laat zien wat de overeenkomst van u vraagt.")
    else:
        role_note = (f"U bent de verwerkingsverantwoordelijke; {name} is de "
                     "verwerker. Dit overzicht laat zien wat de overeenkomst u aan "
                     "bescherming biedt.")
    notes: tuple[str, ...] = ()
    if spec.key_terms.is_sector_model:
        notes = (SECTOR_MODEL_NOTE.format(reference=ref.name),)
        role_note += " " + notes[0]
    points = (b.breach(), b.consent(), b.subprocessors(), b.location(), b.audit(),
              b.liability(), b.retention(), b.special())
    return Review(form_id=spec.id, processor_name=name,
                  organisation=_organisation(spec, answers), user_role=spec.user_role,
                  role_note=role_note, reference_name=ref.name, points=points,
                  art28=b.art28(), notes=notes)
