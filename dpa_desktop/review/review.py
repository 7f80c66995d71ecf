"""What an agreement says on the points that matter, next to the sector model.

A practice manager signs what the processor sends because she cannot judge
it. The review takes each point the form's key terms record, quotes the
processor's own words with their article, says what the sector model
(``forms/reference/sector-model.yaml``) says, gives a verdict (in lijn,
afwijkend, ontbreekt, onbekend) and what to do: a sentence she can send. An
overall conclusion on top follows one written rule (``conclude``). When the
practice is the processor (Infogroen) the same points are read from her side:
a term that asks more of her than the sector model is "afwijkend".

A value the form records as ``unknown`` or ``not_regulated`` is never read as
the best case: it gives "onbekend" or "ontbreekt", never "in lijn".
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
from dpa_desktop.review.clauses import ELLIPSIS, clause_index, fold, quote_parts
from dpa_desktop.review.reference import SectorModel, sector_model

Verdict = Literal["in_line", "deviates", "missing", "unknown"]

VERDICT_LABELS: dict[Verdict, str] = {
    "in_line": "In lijn",
    "deviates": "Afwijkend",
    "missing": "Ontbreekt",
    "unknown": "Onbekend",
}
# What each verdict means, said once to the reader (the legend of the review).
VERDICT_MEANINGS: dict[Verdict, str] = {
    "in_line": "de overeenkomst geeft u minstens wat het sectormodel geeft",
    "deviates": "de overeenkomst geeft u minder dan het sectormodel (of vraagt, als u de "
                "verwerker bent, meer van u)",
    "missing": "de overeenkomst regelt dit niet, of het belangrijkste ontbreekt "
               "(zoals een meldtermijn)",
    "unknown": "uit de overeenkomst blijkt niet hoe het zit (bijvoorbeeld in welk land een "
               "subverwerker werkt)",
}
# A point with several parts takes its most serious part's verdict.
_SEVERITY: dict[Verdict, int] = {"in_line": 0, "unknown": 1, "deviates": 2, "missing": 3}

DISCLAIMER = (
    "Dit overzicht is geen juridisch advies. Het zet op een rij wat de overeenkomst zegt, "
    "met het artikel waar het staat, en vergelijkt dat met het sectormodel voor de zorg. "
    "Twijfelt u, vraag dan uw functionaris voor de gegevensbescherming (FG) of een jurist."
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

# How much each value gives the practice as controller, higher is more; equal ranks
# count as the same. "unknown" and "not_regulated" have no rank: they are never compared.
_CONSENT_RANK = {"inform_only": 0, "general_consent_with_objection": 1, "prior_consent": 2}
_REGION_RANK = {"worldwide": 0, "EEA": 1, "EU": 2, "NL": 3}
_OUTSIDE_RANK = {"allowed": 0, "with_safeguards": 1, "unless_objection": 2, "prior_consent": 3,
                 "never": 4}
_AUDIT_RANK = {"certificates_first": 0, "report_first": 1, "on_request": 2}
_FREQUENCY_RANK = {"at_most_yearly": 0, "at_least_yearly": 1, "any_time": 1}
_COST_RANK = {"controller": 0, "controller_unless_breach": 1, "own_costs": 2,
              "own_costs_unless_breach": 3, "processor": 4}
_LIABILITY_RANK = {"capped": 0, "cap_with_exceptions": 1, "uncapped": 2}
_FINES_RANK = {"not_covered": 0, "partial": 1, "within_cap": 2, "covered": 3}

_CONSENT_TEXT = {
    "prior_consent": "{x} mag een subverwerker alleen inschakelen als u daar vooraf "
                     "schriftelijk mee instemt.",
    "general_consent_with_objection": "U geeft {x} vooraf toestemming voor alle huidige en "
                                      "toekomstige subverwerkers; {x} meldt een nieuwe vooraf "
                                      "en u kunt bezwaar maken.",
    "inform_only": "{x} mag subverwerkers inschakelen zonder uw toestemming; {x} houdt u "
                   "alleen op de hoogte.",
    "unknown": "Uit de overeenkomst blijkt niet of {x} voor een nieuwe subverwerker uw "
               "toestemming nodig heeft.",
    "not_regulated": "De overeenkomst regelt niet of en hoe {x} subverwerkers mag "
                     "inschakelen.",
}
_CONSENT_TEXT_PROCESSOR = {
    "prior_consent": "U mag als verwerker alleen subverwerkers inschakelen met voorafgaande "
                     "schriftelijke toestemming van {x}.",
    "general_consent_with_objection": "U mag als verwerker subverwerkers inschakelen; {x} "
                                      "kan bezwaar maken tegen een nieuwe.",
    "inform_only": "U mag als verwerker subverwerkers inschakelen; u houdt {x} op de "
                   "hoogte.",
    "unknown": "Uit de overeenkomst blijkt niet of u als verwerker subverwerkers mag "
               "inschakelen.",
    "not_regulated": "De overeenkomst regelt niet of u als verwerker subverwerkers mag "
                     "inschakelen.",
}
_REGION_TEXT = {
    "NL": "alleen in Nederland",
    "EU": "alleen in de Europese Unie",
    "EEA": "alleen in de Europese Economische Ruimte (EER)",
    "worldwide": "ook buiten de Europese Economische Ruimte (EER)",
    "unknown": "op plaatsen die uit de overeenkomst niet blijken",
}
_OUTSIDE_TEXT = {
    "never": "buiten de EER nooit",
    "prior_consent": "buiten de EER alleen met {consent}",
    "unless_objection": "buiten de EER ook, tenzij {objector} bezwaar maakt",
    "with_safeguards": "buiten de EER ook zonder toestemming, met de waarborgen van de AVG",
    "allowed": "buiten de EER zonder voorwaarden",
    "unknown": "of verwerking buiten de EER mag, blijkt niet uit de tekst",
    "not_regulated": "over verwerking buiten de EER zegt de overeenkomst niets",
}
_AUDIT_TEXT = {
    "on_request": "U mag bij {x} de naleving laten controleren wanneer u daarom vraagt, {f}.",
    "report_first": "U moet bij {x} eerst een auditrapport opvragen; een eigen controle mag "
                    "pas als dat rapport niet volstaat, {f}.",
    "certificates_first": "U mag bij {x} pas zelf controleren nadat u de certificaten hebt "
                          "beoordeeld en als u redelijke argumenten hebt, {f}.",
    "unknown": "Hoe u bij {x} mag controleren, blijkt niet duidelijk uit de overeenkomst "
               "({f}).",
}
_AUDIT_TEXT_PROCESSOR = {
    "on_request": "{x} mag bij u als verwerker de naleving laten controleren wanneer {x} "
                  "daarom vraagt, {f}; u moet daaraan meewerken.",
    "report_first": "{x} mag bij u als verwerker eerst een auditrapport opvragen en daarna "
                    "zelf controleren, {f}.",
    "certificates_first": "{x} mag bij u als verwerker controleren nadat uw certificaten "
                          "zijn beoordeeld, {f}.",
    "unknown": "Hoe {x} bij u als verwerker mag controleren, blijkt niet duidelijk ({f}).",
}
_FREQUENCY_TEXT = {
    "at_least_yearly": "in elk geval eenmaal per jaar, en vaker als daar aanleiding voor is",
    "any_time": "zo vaak als nodig",
    "at_most_yearly": "hoogstens eenmaal per jaar",
    "unknown": "hoe vaak blijkt niet uit de tekst",
    "not_regulated": "hoe vaak staat er niet",
}
_COST_TEXT = {
    "processor": "{x} draagt de kosten",
    "own_costs_unless_breach": "ieder draagt de eigen kosten; blijkt dat {x} zich niet aan "
                               "de afspraken houdt, dan betaalt {x} de controle",
    "own_costs": "ieder draagt de eigen kosten",
    "controller_unless_breach": "de hulp van {x} betaalt u volgens de afgesproken tarieven, "
                                "behalve als het om een tekortkoming van {x} gaat",
    "controller": "u betaalt de kosten, ook die van {x}",
    "unknown": "wie de kosten draagt, blijkt niet uit de tekst",
    "not_regulated": "wie de kosten draagt, staat er niet",
}
_FINES_TEXT = {
    "covered": "Boetes van de toezichthouder die door een tekortkoming van {x} ontstaan, "
               "komen voor rekening van {x}.",
    "within_cap": "Boetes van de toezichthouder die door {x} ontstaan, draagt {x} alleen "
                  "binnen die beperking.",
    "partial": "Boetes van de toezichthouder die door {x} ontstaan, draagt {x} maar in een "
               "deel van de gevallen (zie de tekst hieronder).",
    "not_covered": "Boetes van de toezichthouder draagt {x} niet.",
    "unknown": "Of {x} boetes van de toezichthouder draagt, blijkt niet duidelijk.",
    "not_regulated": "Over boetes van de toezichthouder zegt de overeenkomst niets.",
}
# The same, for the practice as processor; {x} is the controller.
_FINES_TEXT_PROCESSOR = {
    "covered": "Krijgt {x} een boete door uw tekortkoming, dan komt die voor uw rekening.",
    "within_cap": "Krijgt {x} een boete door uw tekortkoming, dan draagt u die tot de "
                  "beperking.",
    "partial": "Krijgt {x} een boete door uw tekortkoming, dan draagt u die in een deel van "
               "de gevallen (zie de tekst hieronder).",
    "not_covered": "Boetes die {x} krijgt, draagt u niet.",
    "unknown": "Of u boetes draagt die {x} door uw tekortkoming krijgt, blijkt niet duidelijk.",
    "not_regulated": "Over boetes van de toezichthouder zegt de overeenkomst niets.",
}


@dataclass(frozen=True)
class Quote:
    """The processor's own words at an article, shortened where long."""

    article: str
    text: str


@dataclass(frozen=True)
class Ask:
    """One thing to ask the processor: a change ("request") or an explanation ("question").

    ``text`` is written to follow "Vraag Vcare om …" (a request, ending in "te …")
    or "Vraag Vcare …" (a question: "in welk land … verwerkt"), and reads the same
    in the letter, so it names the practice and the processor, never "u" or "wij".
    """

    kind: Literal["request", "question"]
    text: str

    def advice(self, other: str) -> str:
        if self.kind == "request":
            return f"Vraag {other} om {self.text}."
        return f"Vraag {other} {self.text}."

    def letter_sentence(self) -> str:
        if self.kind == "request":
            return f"Wij vragen u om {self.text}."
        return f"Wilt u ons laten weten {self.text}?"


@dataclass(frozen=True)
class Point:
    """One point of the review: what the agreement says, the sector model, verdict, what to do."""

    key: str
    title: str
    # What it means for her, in one or two plain sentences.
    statement: str
    # The articles the point rests on, first the main one; empty when none.
    articles: tuple[str, ...]
    quotes: tuple[Quote, ...]
    # What the sector model says ("Het sectormodel (artikel 5.2): de verwerker meldt …").
    reference: str
    verdict: Verdict
    # What she asks the processor; empty when there is nothing to ask.
    asks: tuple[Ask, ...]
    # What to do, as a sentence she can act on or send.
    advice: str
    # A short noun phrase for the conclusion ("vraag eerst om …").
    topic: str = ""
    details: tuple[str, ...] = ()
    # The wizard page whose answers this point rests on, if any.
    change_page: str | None = None

    @property
    def verdict_label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def attention(self) -> bool:
        return self.verdict != "in_line"

    @property
    def article(self) -> str:
        return self.articles[0] if self.articles else ""

    @property
    def where(self) -> str:
        """"artikel 7.2 en 7.3", "artikel 8.2 en Bijlage 4", or "" for none."""
        return refs_text(self.articles)


@dataclass(frozen=True)
class Art28Check:
    """One of art. 28(3)(a)-(h) GDPR: the clause that covers it, or why none does."""

    letter: str
    requirement: str
    article: str | None
    found: bool
    excerpt: str = ""
    problem: str = ""


ConclusionKind = Literal["sign", "ask_first", "fg_first"]


@dataclass(frozen=True)
class Conclusion:
    """The overall advice on top of the review, chosen by ``conclude``."""

    kind: ConclusionKind
    headline: str
    # Why, in one or two sentences.
    reason: str


@dataclass(frozen=True)
class Review:
    form_id: str
    processor_name: str
    processor_short: str
    organisation: str
    user_role: Literal["controller", "processor"]
    # One sentence at the top saying whose side the review takes.
    role_note: str
    reference_name: str
    # One line: what the sector model is and who made it.
    reference_about: str
    points: tuple[Point, ...]
    art28: tuple[Art28Check, ...]
    conclusion: Conclusion
    # Set when the agreement is the sector model's own text (key_terms.sector_model).
    sector_model_note: str = ""
    disclaimer: str = DISCLAIMER
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def attention_points(self) -> tuple[Point, ...]:
        return tuple(p for p in self.points if p.attention)

    @property
    def art28_missing(self) -> tuple[Art28Check, ...]:
        return tuple(c for c in self.art28 if not c.found)

    @property
    def asking_points(self) -> tuple[Point, ...]:
        """The points with something to ask the processor, as the letter lists them."""
        return tuple(p for p in self.points if p.asks)

    def point(self, key: str) -> Point:
        for p in self.points:
            if p.key == key:
                return p
        raise KeyError(key)


# --------------------------------------------------------------------------- the rule


CONCLUSION_RULE = (
    "1. 'Laat dit eerst beoordelen door uw FG' als een eis van artikel 28 lid 3 AVG niet in "
    "de overeenkomst is gevonden, of als een punt 'ontbreekt'. "
    "2. Anders 'U kunt tekenen, maar vraag eerst om …' als een punt 'afwijkend' of "
    "'onbekend' is; daarachter staat wat u vraagt. "
    "3. Anders 'U kunt tekenen': elk punt is in lijn en artikel 28 lid 3 is compleet."
)


def conclude(points: tuple[Point, ...], art28: tuple[Art28Check, ...], other: str,
             sector_model_note: str = "") -> Conclusion:
    """The overall advice, by one rule over the verdicts (``CONCLUSION_RULE``), no weights:

    1. Any requirement of art. 28(3) GDPR not found, or any point "ontbreekt":
       "Laat dit eerst beoordelen door uw FG". The agreement then lacks what the
       law or the sector model puts in every agreement; whether a rule elsewhere
       (the main agreement, the law) fills the gap is for an expert to weigh.
    2. Otherwise any point "afwijkend" or "onbekend": "U kunt tekenen, maar vraag
       eerst om …", naming what to ask. A letter can settle these.
    3. Otherwise: "U kunt tekenen".

    Every point counts the same; how many points deviate does not change the outcome.
    """
    missing_28 = [c for c in art28 if not c.found]
    missing = [p for p in points if p.verdict == "missing"]
    if missing_28 or missing:
        reasons = []
        if missing:
            reasons.append("Hier ontbreekt iets wezenlijks: "
                           + _join([p.title.lower() for p in missing]) + ".")
        if missing_28:
            reasons.append("Niet gevonden uit artikel 28 lid 3 AVG: "
                           + _join([f"({c.letter}) {c.requirement}" for c in missing_28]) + ".")
        reasons.append("Uw functionaris voor de gegevensbescherming (FG) kan beoordelen wat "
                       "dat betekent; de vragen aan de verwerker staan hieronder al klaar.")
        return Conclusion("fg_first", "Laat dit eerst beoordelen door uw FG", " ".join(reasons))
    asking = [p for p in points if p.verdict in ("deviates", "unknown")]
    if asking:
        topics = _join([p.topic or p.title.lower() for p in asking])
        return Conclusion(
            "ask_first", f"U kunt tekenen, maar vraag {other} eerst om {topics}",
            f"{len(asking)} van de {len(points)} punten "
            + ("wijkt" if len(asking) == 1 else "wijken")
            + " af van het sectormodel of "
            + ("is" if len(asking) == 1 else "zijn")
            + " niet duidelijk. Alle eisen van artikel 28 lid 3 AVG staan erin.")
    reason = ("Alle punten zijn in lijn met het sectormodel en alle eisen van artikel 28 "
              "lid 3 AVG staan erin.")
    if sector_model_note:
        reason = f"{sector_model_note} {reason}"
    return Conclusion("sign", "U kunt tekenen", reason)


# --------------------------------------------------------------------------- helpers


def article_ref(article: str) -> str:
    """"artikel 9.1"; an annex is named as it is ("Bijlage 4")."""
    if not article:
        return ""
    return f"artikel {article}" if article[0].isdigit() else article


def refs_text(articles: tuple[str, ...] | list[str]) -> str:
    """Several references as one phrase: "artikel 7.2 en 7.3", "artikel 8.2 en Bijlage 4"."""
    unique = list(dict.fromkeys(a for a in articles if a))
    numbers = [a for a in unique if a[0].isdigit()]
    others = [a for a in unique if not a[0].isdigit()]
    parts = []
    if numbers:
        parts.append(("artikel " if len(numbers) == 1 else "artikelen ") + _join(numbers))
    parts += others
    return _join(parts)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def breach_deadline(term: m.BreachTerm) -> str:
    """The deadline as a reader says it after "meldt": "onmiddellijk", "binnen 24 uur"."""
    if term.deadline == "immediate":
        return "onmiddellijk"
    if term.deadline == "hours":
        return f"binnen {term.hours} uur" if term.firm else f"zo mogelijk binnen {term.hours} uur"
    if term.deadline == "no_deadline":
        return "zo snel mogelijk, zonder vaste termijn"
    if term.deadline == "unknown":
        return "binnen een termijn die uit de overeenkomst niet blijkt"
    return "zonder termijn: de overeenkomst regelt het niet"


def shorten(text: str, limit: int = 320) -> str:
    """A clause cut to whole sentences (or words) within ``limit``, with "…" where cut."""
    text = fold(text)
    if len(text) <= limit:
        return text
    sentences = re.split(r"(?<=[.;:])\s+", text)
    out = ""
    for sentence in sentences:
        if len(out) + len(sentence) + 1 > limit:
            break
        out = f"{out} {sentence}".strip()
    if not out:
        out = text[:limit].rsplit(" ", 1)[0]
    return out + " …"


def _rank_verdict(rank: int, reference: int, role: str) -> Verdict:
    """For the practice as controller less than the sector model deviates; as processor,
    more than the sector model asks of her deviates."""
    if role == "processor":
        return "deviates" if rank > reference else "in_line"
    return "deviates" if rank < reference else "in_line"


def _worst(verdicts: list[Verdict]) -> Verdict:
    return max(verdicts, key=_SEVERITY.__getitem__, default="in_line")


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# --------------------------------------------------------------------------- the builder


class _Builder:
    def __init__(self, spec: m.FormSpec, answers: Answers, ref: SectorModel) -> None:
        self.spec = spec
        self.answers = answers
        self.ref = ref
        self.role = spec.user_role
        # The processor as the answers name it (the sector model's processor is typed).
        self.processor = processor_of(spec, answers)
        self.x = self.processor.short_name
        self.doc = build_document(spec, answers)
        self.index = clause_index(self.doc)
        self.taken = [s for s in spec.services if s.id in answers.services]
        org = _organisation(spec, answers)
        # The practice as the letter and the advice name her; never "u" or "wij".
        self.org = org or ("de verwerkingsverantwoordelijke" if self.role == "controller"
                           else "de verwerker")

    # ---- shared pieces

    def ref_text(self, article: str, summary: str) -> str:
        return f"Het sectormodel (artikel {article}): {summary[:1].lower()}{summary[1:]}"

    def quotes(self, term: m.Term) -> tuple[Quote, ...]:
        out: list[Quote] = []
        if term.article is not None:
            out.append(self.quote(term.article, term.quote))
        for ref in term.also:
            out.append(self.quote(ref.article, ref.quote))
        return tuple(q for q in out if q.text)

    def quote(self, article: str, words: str | None) -> Quote:
        """The form's words from the clause, marked "…" where they start or stop inside it."""
        clause = fold(self.index.get(article, ""))
        if not words:
            return Quote(article, shorten(clause))
        parts = quote_parts(words)
        text = f" {ELLIPSIS} ".join(parts)
        if parts and not clause.startswith(parts[0]):
            text = f"{ELLIPSIS} {text}"
        if parts and not clause.endswith(parts[-1]):
            text = f"{text} {ELLIPSIS}"
        return Quote(article, text)

    def articles(self, term: m.Term) -> tuple[str, ...]:
        found = [term.article] if term.article else []
        return tuple(found + [r.article for r in term.also])

    def make(self, key: str, title: str, statement: str, term: m.Term | None, reference: str,
             verdict: Verdict, asks: list[Ask], topic: str, *, own: str = "",
             details: tuple[str, ...] = (), change_page: str | None = None,
             articles: tuple[str, ...] | None = None,
             quotes: tuple[Quote, ...] | None = None) -> Point:
        parts = [own] if own else []
        parts += [a.advice(self.x) for a in asks]
        advice = " ".join(parts) or "Geen actie nodig."
        return Point(
            key=key, title=title, statement=statement,
            articles=articles if articles is not None else (self.articles(term) if term else ()),
            quotes=quotes if quotes is not None else (self.quotes(term) if term else ()),
            reference=reference, verdict=verdict, asks=tuple(asks), advice=advice,
            topic=topic if verdict != "in_line" else "", details=details,
            change_page=change_page)

    # ---- breach notification

    def breach(self) -> Point:
        term = self.spec.key_terms.breach_notification
        ref = self.ref.breach_notification
        x, processor = self.x, self.role == "processor"
        reference = self.ref_text(ref.article, ref.summary)
        ask_deadline = Ask("request", "datalekken onmiddellijk te melden, zoals het sectormodel "
                                      f"vraagt (artikel {ref.article}), en in elk geval binnen "
                                      f"{ref.in_line_hours} uur na ontdekking")
        which = Ask("question", "binnen welke termijn een datalek moet worden gemeld")
        asks: list[Ask] = []
        topic = "onmiddellijke melding van datalekken"
        if term.deadline in ("immediate", "hours"):
            firm = term.deadline == "immediate" or (
                term.firm is True and (term.hours or 0) <= ref.in_line_hours)
            verdict: Verdict = "in_line" if firm or processor else "deviates"
            if processor:
                statement = f"U moet als verwerker een datalek {breach_deadline(term)} " \
                            f"na ontdekking melden aan {x}."
            elif term.deadline == "immediate":
                statement = f"{x} moet een datalek onmiddellijk aan u melden."
            elif term.firm:
                statement = f"{x} moet een datalek uiterlijk {term.hours} uur na ontdekking " \
                            "aan u melden."
            else:
                statement = (f"{x} meldt een datalek ‘voor zover mogelijk’ binnen "
                             f"{term.hours} uur na ontdekking: dat is geen harde termijn.")
            if verdict == "deviates":
                statement += (" U moet zelf binnen 72 uur na ontdekking melden bij de Autoriteit "
                              f"Persoonsgegevens; elk uur dat {x} wacht, gaat van die tijd af.")
                asks.append(ask_deadline)
        elif term.deadline == "no_deadline":
            verdict = "missing"
            topic = "een vaste meldtermijn voor datalekken"
            if processor:
                statement = ("De overeenkomst noemt geen termijn waarbinnen u als verwerker "
                             f"een datalek aan {x} moet melden.")
                asks.append(which)
            else:
                statement = (f"De overeenkomst noemt geen termijn waarbinnen {x} een datalek "
                             "aan u moet melden. U moet zelf binnen 72 uur na ontdekking "
                             "melden bij de Autoriteit Persoonsgegevens.")
                asks.append(ask_deadline)
        elif term.deadline == "unknown":
            verdict = "unknown"
            topic = "de meldtermijn voor datalekken"
            statement = "Uit de overeenkomst blijkt niet binnen welke termijn een datalek " \
                        "wordt gemeld."
            asks.append(which)
        else:
            verdict = "missing"
            topic = "een regeling voor het melden van datalekken"
            if processor:
                statement = "De overeenkomst regelt niet hoe u als verwerker datalekken meldt."
                asks.append(which)
            else:
                statement = f"De overeenkomst regelt niet dat {x} datalekken aan u meldt."
                asks.append(Ask("request", "een artikel op te nemen waarin staat dat "
                                           f"{x} datalekken onmiddellijk meldt, zoals het "
                                           f"sectormodel (artikel {ref.article}), en in elk "
                                           f"geval binnen {ref.in_line_hours} uur na "
                                           "ontdekking"))
        return self.make("breach_notification", "Melding van datalekken", statement, term,
                         reference, verdict, asks, topic)

    # ---- subprocessor consent

    def consent(self) -> Point:
        term = self.spec.key_terms.subprocessor_consent
        ref = self.ref.subprocessor_consent
        processor = self.role == "processor"
        texts = _CONSENT_TEXT_PROCESSOR if processor else _CONSENT_TEXT
        statement = texts[term.model].format(x=self.x)
        reference = self.ref_text(ref.article, ref.summary)
        asks: list[Ask] = []
        topic = "voorafgaande toestemming voor nieuwe subverwerkers"
        question = Ask("question", "onder welke voorwaarden subverwerkers mogen worden "
                                   "ingeschakeld")
        if term.model == "not_regulated":
            verdict: Verdict = "missing"
            asks.append(question if processor else Ask(
                "request", "een artikel op te nemen dat een subverwerker alleen wordt "
                           f"ingeschakeld na voorafgaande schriftelijke toestemming van "
                           f"{self.org}, zoals het sectormodel (artikel {ref.article})"))
        elif term.model == "unknown":
            verdict = "unknown"
            topic = "uitleg over de toestemming voor subverwerkers"
            asks.append(question)
        else:
            verdict = _rank_verdict(_CONSENT_RANK[term.model], _CONSENT_RANK[ref.model],
                                    self.role)
            if verdict == "deviates":
                asks.append(Ask("request", "een nieuwe subverwerker pas in te schakelen na "
                                           f"voorafgaande schriftelijke toestemming van "
                                           f"{self.org}, zoals het sectormodel vraagt "
                                           f"(artikel {ref.article})"))
        return self.make("subprocessor_consent", "Toestemming voor subverwerkers", statement,
                         term, reference, verdict, asks, topic)

    # ---- the subprocessors of the services taken

    def subprocessors(self) -> Point:
        term = self.spec.key_terms.subprocessor_consent
        ref = self.ref.data_location
        involved = subprocessors_of(self.spec, self.answers)
        scope = "bij de diensten die u afneemt" if self.spec.services else "in de overeenkomst"
        outside = [p for p in involved if p.eea_status() == "outside"]
        unknown = [p for p in involved if p.eea_status() == "unknown"]
        details = tuple(
            f"{p.name} ({p.country_label})"
            + (" – buiten de EER" if p.eea_status() == "outside" else "")
            + (f": {p.description}" if p.description else "")
            for p in involved)
        asks: list[Ask] = []
        topic = ""
        if not involved:
            statement = ("De overeenkomst noemt geen subverwerkers." if not self.spec.services
                         else f"Er zijn geen subverwerkers {scope}.")
            verdict: Verdict = "in_line"
        else:
            count = (f"{len(involved)} subverwerker {scope}" if len(involved) == 1
                     else f"{len(involved)} subverwerkers {scope}")
            if not outside and not unknown:
                statement = f"{count}, allemaal in de EER."
                verdict = "in_line"
            else:
                statement = f"{count}."
                verdict = "unknown" if unknown else "in_line"
                if unknown:
                    names = _join([p.name for p in unknown])
                    statement += (f" Van {names} staat niet in welk land "
                                  f"{'die' if len(unknown) == 1 else 'zij'} de gegevens "
                                  f"{'verwerkt' if len(unknown) == 1 else 'verwerken'}.")
                    asks.append(Ask("question", f"in welk land {names} de gegevens "
                                    f"{'verwerkt' if len(unknown) == 1 else 'verwerken'}"))
                    topic = ("uitleg over het land van " + names if len(unknown) <= 2
                             else "uitleg over het land van elke subverwerker")
                if outside:
                    names = _join([p.name for p in outside])
                    statement += (f" {names} {'verwerkt' if len(outside) == 1 else 'verwerken'} "
                                  "de gegevens buiten de EER; met uw handtekening stemt u "
                                  "daarmee in.")
                    verdict = "deviates"
                    asks.append(Ask("request", f"voor {names} een subverwerker binnen de EER "
                                               "te kiezen, of schriftelijk uit te leggen met "
                                               "welke waarborgen (hoofdstuk V AVG) de gegevens "
                                               "buiten de EER worden verwerkt"))
                    topic = "subverwerkers binnen de EER"
        listed = term.listed_in or term.article
        return self.make("subprocessors", "Betrokken subverwerkers", statement, None,
                         self.ref_text(ref.article, ref.summary), verdict, asks, topic,
                         details=details, articles=(listed,) if listed else (), quotes=(),
                         change_page="diensten" if self.spec.services else None)

    # ---- location

    def location(self) -> Point:
        term = self.spec.key_terms.data_location
        ref = self.ref.data_location
        processor = self.role == "processor"
        reference = self.ref_text(ref.article, ref.summary)
        x, o = self.x, self.org
        asks: list[Ask] = []
        topic = "verwerking alleen binnen de EER"
        own = ""
        if term.region == "not_regulated":
            verdict: Verdict = "missing"
            statement = "De overeenkomst zegt niet waar de persoonsgegevens worden verwerkt."
            asks.append(Ask("question", "waar de persoonsgegevens worden verwerkt, en of dat "
                                        "ook buiten de EER gebeurt") if processor else Ask(
                "request", "vast te leggen dat de gegevens alleen binnen de EER worden "
                           "verwerkt en daarbuiten alleen na voorafgaande schriftelijke "
                           f"toestemming van {o}, zoals het sectormodel (artikel {ref.article})"))
        else:
            outside = term.outside_eea or "not_regulated"
            where = _REGION_TEXT[term.region]
            exception = _OUTSIDE_TEXT[outside].format(
                consent=(f"voorafgaande schriftelijke toestemming van {x}" if processor
                         else "uw voorafgaande schriftelijke toestemming"),
                objector=x if processor else "u")
            statement = (f"U mag de persoonsgegevens als verwerker {where} verwerken; "
                         f"{exception}." if processor
                         else f"{x} verwerkt de persoonsgegevens {where}; {exception}.")
            verdicts: list[Verdict] = []
            for value, ranks, ref_value in ((term.region, _REGION_RANK, ref.region),
                                            (outside, _OUTSIDE_RANK, ref.outside_eea)):
                if value in ranks:
                    verdicts.append(_rank_verdict(ranks[value], ranks[ref_value], self.role))
                else:  # unknown, or an exception the agreement does not address
                    verdicts.append("unknown")
            verdict = _worst(verdicts)
            if verdict == "deviates" and processor:
                own = ("Ga na of uw eigen hosting en clouddiensten hieraan voldoen (ook waar "
                       "hun moederbedrijf zit).")
                asks.append(Ask("request", "verwerking binnen de hele EER toe te staan, zoals "
                                           f"het sectormodel (artikel {ref.article})"))
                topic = "verwerking binnen de hele EER"
            elif verdict == "deviates":
                asks.append(Ask("request", "de gegevens alleen binnen de EER te verwerken en "
                                           "daarbuiten alleen na voorafgaande schriftelijke "
                                           f"toestemming van {o}, zoals het sectormodel "
                                           f"(artikel {ref.article})"))
            elif verdict == "unknown":
                asks.append(Ask("question", "waar de persoonsgegevens worden verwerkt, en of "
                                            "dat ook buiten de EER gebeurt"))
                topic = "uitleg over waar de gegevens worden verwerkt"
        return self.make("data_location", "Waar de gegevens worden verwerkt", statement, term,
                         reference, verdict, asks, topic, own=own)

    # ---- audit

    def audit(self) -> Point:
        term = self.spec.key_terms.audit
        ref = self.ref.audit
        x, o = self.x, self.org
        processor = self.role == "processor"
        reference = self.ref_text(ref.article, ref.summary)
        right = Ask("request", f"een controle (audit) toe te staan wanneer {o} daarom vraagt, "
                               "in elk geval eenmaal per jaar en bij (een vermoeden van) een "
                               f"incident, zoals het sectormodel (artikel {ref.article})")
        asks: list[Ask] = []
        topic = "een ruimer recht op controle (audit)"
        if term.model == "not_regulated":
            statement = f"De overeenkomst regelt niet dat u bij {x} de naleving mag " \
                        "controleren (audit)." if not processor else \
                "De overeenkomst regelt niet of en hoe u als verwerker wordt gecontroleerd."
            asks.append(Ask("question", "hoe en hoe vaak de naleving mag worden "
                                        "gecontroleerd (audit)") if processor else right)
            return self.make("audit", "Controle (audit)", statement, term, reference, "missing",
                             asks, "een recht op controle (audit)")
        frequency = term.frequency or "not_regulated"
        cost = term.cost or "not_regulated"
        texts = _AUDIT_TEXT_PROCESSOR if processor else _AUDIT_TEXT
        statement = (f"{texts[term.model].format(x=x, f=_FREQUENCY_TEXT[frequency])} "
                     f"Kosten: {_COST_TEXT[cost].format(x=x)}.")
        parts: dict[str, Verdict] = {}
        for name, value, ranks, ref_value in (
                ("model", term.model, _AUDIT_RANK, ref.model),
                ("frequency", frequency, _FREQUENCY_RANK, ref.frequency),
                ("cost", cost, _COST_RANK, ref.cost)):
            parts[name] = (_rank_verdict(ranks[value], ranks[ref_value], self.role)
                           if value in ranks else "unknown")
        if parts["model"] == "unknown" or parts["frequency"] == "unknown":
            asks.append(Ask("question", "hoe en hoe vaak de naleving mag worden "
                                        "gecontroleerd (audit)"))
        if "deviates" in (parts["model"], parts["frequency"]):
            asks.append(right)
        if parts["cost"] == "unknown":
            asks.append(Ask("question", "wie de kosten van een controle (audit) draagt"))
            if all(v != "deviates" for v in parts.values()):
                topic = "uitleg over de kosten van een controle"
        elif parts["cost"] == "deviates" and processor:
            asks.append(Ask("request", "de hulp van de verwerker bij een controle te vergoeden "
                                       "volgens afgesproken tarieven, behalve als het om een "
                                       "tekortkoming van de verwerker gaat, zoals het "
                                       "sectormodel (artikel 9.2 en 9.3)"))
        elif parts["cost"] == "deviates":
            asks.append(Ask("request", f"de kosten van een controle niet bij {o} in rekening "
                                       f"te brengen als die een tekortkoming van {x} aantoont, "
                                       "zoals het sectormodel (artikel 9.3)"))
        return self.make("audit", "Controle (audit)", statement, term, reference,
                         _worst(list(parts.values())), asks, topic)

    # ---- liability

    def liability(self) -> Point:
        term = self.spec.key_terms.liability
        ref = self.ref.liability
        x, o = self.x, self.org
        processor = self.role == "processor"
        reference = self.ref_text(ref.article, ref.summary)
        asks: list[Ask] = []
        own = ""
        topic = "aansprakelijkheid zoals in het sectormodel"
        if term.model == "not_regulated":
            statement = ("De overeenkomst heeft geen artikel over aansprakelijkheid; wat geldt, "
                         "hangt af van de hoofdovereenkomst en de wet.")
            asks.append(Ask("question", "hoe de aansprakelijkheid is geregeld") if processor
                        else Ask("request", "een artikel over aansprakelijkheid op te nemen "
                                            "zoals in het sectormodel (artikel 8.2 en 8.3): geen "
                                            "uitsluiting voor verlies van persoonsgegevens en "
                                            f"boetes, en vrijwaring van {o} voor boetes die door "
                                            f"een tekortkoming van {x} ontstaan"))
            return self.make("liability", "Aansprakelijkheid", statement, term, reference,
                             "missing", asks, "een regeling voor aansprakelijkheid")
        cap = term.cap or "unknown"
        whose = "Uw aansprakelijkheid als verwerker" if processor else \
            f"De aansprakelijkheid van {x}"
        cap_text = {
            "none": "",
            "amount": f"tot EUR {term.cap_eur or 0:,}".replace(",", "."),
            "main_agreement": "zoals de hoofdovereenkomst (en haar voorwaarden) dat doet",
            "insured_amount": f"tot het bedrag dat de verzekering van {x} uitkeert",
            "unknown": "op een manier die uit deze tekst niet blijkt",
        }[cap]
        if term.model == "uncapped":
            statement = f"{whose} is niet beperkt."
        elif term.model == "cap_with_exceptions":
            statement = (f"{whose} is beperkt {cap_text}, maar niet uit te sluiten voor verlies "
                         "van persoonsgegevens en voor boetes.")
        elif term.model == "capped":
            statement = (f"{whose} is beperkt {cap_text}, ook voor verlies van "
                         "persoonsgegevens en boetes.")
        else:
            statement = f"Hoe {whose[0].lower()}{whose[1:]} is beperkt, blijkt niet duidelijk."
        fines = term.fines or "not_regulated"
        statement += " " + (_FINES_TEXT_PROCESSOR if processor else _FINES_TEXT)[fines].format(x=x)
        parts: list[Verdict] = []
        model_verdict: Verdict = (_rank_verdict(_LIABILITY_RANK[term.model],
                                                _LIABILITY_RANK[ref.model], self.role)
                                  if term.model in _LIABILITY_RANK else "unknown")
        fines_verdict: Verdict = (_rank_verdict(_FINES_RANK[fines], _FINES_RANK[ref.fines],
                                                self.role)
                                  if fines in _FINES_RANK else "unknown")
        parts += [model_verdict, fines_verdict]
        if model_verdict == "unknown":
            asks.append(Ask("question", "hoe de aansprakelijkheid is beperkt"))
        elif model_verdict == "deviates" and processor:
            own = "Ga na of uw aansprakelijkheidsverzekering dit dekt."
            asks.append(Ask("request", "de aansprakelijkheid van de verwerker te beperken zoals "
                                       "het sectormodel dat toestaat (artikel 8.2): een "
                                       "beperking die niet geldt voor verlies van "
                                       "persoonsgegevens en boetes"))
            topic = "een beperking van de aansprakelijkheid zoals in het sectormodel"
        elif model_verdict == "deviates":
            asks.append(Ask("request", "de beperking van aansprakelijkheid niet te laten gelden "
                                       "voor verlies of verminking van persoonsgegevens en voor "
                                       "boetes van de toezichthouder, zoals het sectormodel "
                                       "(artikel 8.2)"))
        if fines_verdict == "unknown":
            asks.append(Ask("question", "wie boetes van de toezichthouder draagt die door een "
                                        "tekortkoming van de verwerker ontstaan"))
        elif fines_verdict == "deviates" and not processor:
            asks.append(Ask("request", f"{o} te vrijwaren voor boetes van de Autoriteit "
                                       f"Persoonsgegevens die door een tekortkoming van {x} "
                                       "ontstaan, zonder beperking, zoals het sectormodel "
                                       "(artikel 8.3)"))
        if cap == "main_agreement" and not own:
            own = "Kijk in de hoofdovereenkomst hoe hoog de beperking is."
        if cap == "unknown" and term.model in ("capped", "cap_with_exceptions"):
            asks.append(Ask("question", "hoe hoog de beperking van aansprakelijkheid is"))
            parts.append("unknown")
        verdict = _worst(parts)
        if verdict == "in_line" and not asks:
            own = ""
        return self.make("liability", "Aansprakelijkheid", statement, term, reference, verdict,
                         asks, topic, own=own)

    # ---- retention and the end of the agreement (from the answers)

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
        asks: list[Ask] = []
        if self.role == "processor":
            statement = (f"Bij het einde moet u als verwerker de persoonsgegevens verwijderen "
                         f"of teruggeven aan {self.x}, zoals {self.x} dat vraagt.")
            verdict: Verdict = "in_line"
        elif choices:
            statement = ("Bij het einde kiest u zelf wat er met de persoonsgegevens gebeurt; "
                         "uw keuzes staan hieronder.")
            verdict = "in_line"
        else:
            statement = ("De overeenkomst laat u bij het einde niet kiezen tussen teruggeven "
                         "en vernietigen.")
            verdict = "deviates"
            asks.append(Ask("request", f"{self.org} bij het einde te laten kiezen tussen "
                                       "teruggeven en vernietigen van de persoonsgegevens, "
                                       f"zoals het sectormodel (artikel {ref.article})"))
        says = self.index.get(article, "")
        has_page = bool(choices) or bool(self.spec.retention_services())
        return self.make("retention", "Bewaartermijnen en einde van de overeenkomst",
                         statement, None, self.ref_text(ref.article, ref.summary), verdict,
                         asks, "een keuze tussen teruggeven en vernietigen",
                         details=tuple(details), articles=(article,) if article else (),
                         quotes=(Quote(article, shorten(says, 260)),) if says else (),
                         change_page="bewaartermijnen" if has_page else None)

    # ---- special categories and NEN 7510

    def special(self) -> Point:
        ref = self.ref.special_categories
        where = self.standard_citation(ref.standards)
        verdict: Verdict = "in_line" if where else "deviates"
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
        asks: list[Ask] = []
        if where:
            statement += " De overeenkomst noemt NEN 7510, de beveiligingsnorm voor de zorg."
        else:
            statement += " De overeenkomst noemt NEN 7510 (beveiligingsnorm voor de zorg) niet."
            if self.role == "controller":
                asks.append(Ask("request", f"vast te leggen dat {self.x} werkt volgens NEN 7510, "
                                           "de norm voor informatiebeveiliging in de zorg, zoals "
                                           f"het sectormodel (artikel {ref.article})"))
            else:
                verdict = "in_line"
        article, says = where or ("", "")
        return self.make("special_categories", "Bijzondere gegevens (gezondheid, BSN)",
                         statement, None, self.ref_text(ref.article, ref.summary), verdict,
                         asks, "werken volgens NEN 7510",
                         articles=(article,) if article else (),
                         quotes=(Quote(article, _around(says, ref.standards)),) if says else (),
                         change_page="diensten" if self.spec.services else None)

    def standard_citation(self, standards: tuple[str, ...]) -> tuple[str, str] | None:
        """Where the agreement commits to a security standard ("werkt volgens", "is
        gecertificeerd"), else where it names one at all; a clause before an annex."""
        wanted = [s.lower() for s in standards]
        named = [(number, sentence) for number, text in self.index.items()
                 for sentence in _SENTENCE_OR_ITEM.split(fold(text))
                 if any(w in sentence.lower() for w in wanted)]
        for number, sentence in named:
            if any(w in sentence.lower() for w in _COMMITMENT_WORDS):
                return number, sentence
        return named[0] if named else None

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
                                         excerpt=shorten(text, 160),
                                         problem=f"{article_ref(article)} gaat niet over dit "
                                                 "punt"))
                continue
            checks.append(Art28Check(letter, requirement, article, True,
                                     excerpt=shorten(text, 160)))
        return tuple(checks)


# Where a clause or an annex breaks into sentences and list items ("a) ", "1) ").
_SENTENCE_OR_ITEM = re.compile(r"(?<=[.;])\s+|\s+(?=\w\)\s)")
# Words of a sentence that commits the processor to a standard, not only names it.
_COMMITMENT_WORDS = ("werkt", "voldoet", "gecertificeerd", "volgens", "overeenstemming",
                     "conform")


def _around(text: str, words: tuple[str, ...], limit: int = 260) -> str:
    """The sentence of ``text`` that names one of ``words``, shortened."""
    for sentence in re.split(r"(?<=[.;])\s+", fold(text)):
        if any(w.lower() in sentence.lower() for w in words):
            return shorten(sentence, limit)
    return shorten(text, limit)


def block_texts(block: d.Block) -> list[str]:
    """The words of one block, as Document.texts() gives them for the whole."""
    return d.Document(title="", subject="", author="", header="", blocks=(block,)).texts()


def _organisation(spec: m.FormSpec, answers: Answers) -> str:
    for q in spec.questions:
        if q.profile == "organisatie_naam":
            value = answers.values.get(q.id)
            if isinstance(value, str) and value.strip():
                return value.strip()
    for qid in ("organisatie_naam", "klant", "verwerker_naam"):
        value = answers.values.get(qid)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


_KEY_TERM_POINTS = ("breach_notification", "subprocessor_consent", "data_location", "audit",
                    "liability")


def _sector_model_note(spec: m.FormSpec, points: tuple[Point, ...]) -> str:
    if not spec.key_terms.sector_model:
        return ""
    off = [p for p in points if p.key in _KEY_TERM_POINTS and p.verdict != "in_line"]
    if not off:
        return "Deze overeenkomst is het sectormodel zelf."
    return ("Deze overeenkomst volgt de tekst van het sectormodel, maar wijkt af bij: "
            + _join([p.title.lower() for p in off]) + ".")


def build_review(spec: m.FormSpec, answers: Answers,
                 reference: SectorModel | None = None) -> Review:
    """The review the GUI's review page, the CLI and the PDF show before signing.

    The articles are looked up in the agreement as it will be printed, so the
    answers must be valid (AnswersInvalid otherwise, as for filling).
    """
    ref = reference or sector_model()
    b = _Builder(spec, answers, ref)
    processor = b.processor
    if spec.user_role == "processor":
        role_note = (f"Let op: in deze overeenkomst bent u de VERWERKER en is "
                     f"{processor.name} de verwerkingsverantwoordelijke. Dit overzicht "
                     "laat zien wat de overeenkomst van u vraagt.")
    else:
        role_note = (f"U bent de verwerkingsverantwoordelijke; {processor.name} is de "
                     "verwerker. Dit overzicht laat zien wat de overeenkomst u aan "
                     "bescherming biedt.")
    points = (b.breach(), b.consent(), b.subprocessors(), b.location(), b.audit(),
              b.liability(), b.retention(), b.special())
    art28 = b.art28()
    note = _sector_model_note(spec, points)
    return Review(form_id=spec.id, processor_name=processor.name,
                  processor_short=processor.short_name,
                  organisation=_organisation(spec, answers), user_role=spec.user_role,
                  role_note=role_note, reference_name=ref.name, reference_about=ref.about,
                  points=points, art28=art28,
                  conclusion=conclude(points, art28, processor.short_name, note),
                  sector_model_note=note)
