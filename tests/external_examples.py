"""Thirty made-up processors of a GP practice, as ``register add`` JSON.

The names, KvK numbers and addresses are invented; the kinds of service are
what a practice really has besides the agreements DPA Desktop makes (HIS,
lab, website, payroll, cloud, shredding...). Used by the tests that record
a practice's whole register and by the screenshots.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

# One agreement with every field, as a practice manager fills it in.
EXAMPLE: dict[str, Any] = {
    "verwerker": {"naam": "Zorgdomein B.V.", "kvk": "34118923", "plaats": "Utrecht",
                  "land": "NL"},
    "dienst": "Verwijzen naar ziekenhuizen en laboratoria",
    "persoonsgegevens": ["NAW-gegevens", "Verwijsbrieven", "Medische gegevens"],
    "gezondheidsgegevens": True,
    "bsn": True,
    "ondertekend": "2024-03-01",
    "einde": "onbepaalde tijd",
    "herbeoordeling": "2025-03-01",
    "datalek": {"email": "privacy@zorgdomein.example", "telefoon": "030 123 4567",
                "termijn": 24},
    "subverwerkers": [
        {"naam": "Microsoft Ireland", "land": "IE", "buiten_eer": "nee"},
        {"naam": "Twilio", "land": "US", "buiten_eer": "ja"},
        {"naam": "Backupbedrijf", "land": "", "buiten_eer": "onbekend"},
    ],
    "notitie": "Getekend via het portaal van de leverancier",
}

# name, place, service, categories, health data, BSN, deadline, subprocessors
_PROCESSORS: tuple[tuple[str, str, str, tuple[str, ...], bool, bool, Any,
                         tuple[tuple[str, str, str], ...]], ...] = (
    ("Medisys HIS B.V.", "Utrecht", "Huisartsinformatiesysteem (HIS) en hosting",
     ("NAW-gegevens", "Medisch dossier", "Verzekeringsgegevens"), True, True, 24,
     (("Datacenter Noord B.V.", "NL", "nee"), ("Backupzorg B.V.", "NL", "nee"))),
    ("Labcentrum Oost B.V.", "Enschede", "Laboratoriumonderzoek en uitslagen",
     ("NAW-gegevens", "Labuitslagen"), True, True, 48, (("Koeriersdienst Snel", "NL", "nee"),)),
    ("Praktijksite Online B.V.", "Zwolle", "Website, online afspraken en e-consult",
     ("NAW-gegevens", "Contactgegevens", "Klachten bij e-consult"), True, False, "onverwijld",
     (("CloudHost Europe", "DE", "nee"), ("Mailverzender Inc.", "US", "ja"))),
    ("ZorgIT Beheer B.V.", "Deventer", "ICT-beheer werkplekken en netwerk",
     ("Gebruikersgegevens", "Inhoud van bestanden (toegang)"), True, True, 24,
     (("Remote Support Ltd.", "GB", "ja"),)),
    ("Salarisbureau Twente B.V.", "Hengelo", "Salarisadministratie",
     ("NAW-gegevens", "Salaris", "BSN personeel"), False, True, 72, ()),
    ("Cloudopslag Nederland B.V.", "Amsterdam", "Opslag van documenten en back-ups",
     ("Alle documenten van de praktijk",), True, True, "niet geregeld",
     (("Hyperscale Storage", "", "onbekend"),)),
    ("Veilig Mailen B.V.", "Leiden", "Beveiligde e-mail met ziekenhuizen en patiënten",
     ("E-mailadressen", "Inhoud van berichten"), True, True, 24, ()),
    ("Verwijsportaal B.V.", "Utrecht", "Digitaal verwijzen naar tweede lijn",
     ("NAW-gegevens", "Verwijsbrieven"), True, True, 36,
     (("Microsoft Ireland Operations", "IE", "nee"),)),
    ("Archiefvernietiging Oost B.V.", "Almelo", "Vernietigen van papieren dossiers",
     ("Papieren dossiers",), True, True, "onverwijld", ()),
    ("Print & Scan Lease B.V.", "Apeldoorn", "Multifunctionals en scandienst",
     ("Gescande documenten (tijdelijk)",), True, False, 48, ()),
    ("Accountantskantoor Brink", "Ede", "Jaarrekening en administratie",
     ("Declaratiegegevens", "Personeelsgegevens"), False, True, 48, ()),
    ("Declaratieservice Zorg B.V.", "Arnhem", "Declareren bij zorgverzekeraars",
     ("NAW-gegevens", "Verzekeringsgegevens", "Verrichtingen"), True, True, 24,
     (("Zorgnet Koppeling", "NL", "nee"),)),
    ("Patiëntenapp B.V.", "Eindhoven", "Patiëntenapp voor herhaalrecepten en berichten",
     ("NAW-gegevens", "Medicatie", "Berichten"), True, True, 24,
     (("App Analytics Corp.", "US", "ja"), ("Pushberichten Dienst", "", "onbekend"))),
    ("Telemonitoring Thuis B.V.", "Nijmegen", "Thuismeten bloeddruk en glucose",
     ("Meetwaarden", "NAW-gegevens"), True, True, 24, (("Sensorcloud GmbH", "DE", "nee"),)),
    ("Ketenzorg Regio Oost", "Enschede", "Ketenzorg diabetes, COPD en CVRM",
     ("Medische gegevens ketenzorg",), True, True, 48, ()),
    ("Waarneming Huisartsenpost", "Hengelo", "Waarneming buiten kantoortijden",
     ("Professionele samenvatting",), True, True, "onverwijld", ()),
    ("Tolkdienst Direct B.V.", "Den Haag", "Telefonische tolk bij consulten",
     ("Gespreksinhoud",), True, False, 72, ()),
    ("Beeldbellen Zorg B.V.", "Rotterdam", "Videoconsult",
     ("Beeld en geluid (niet opgeslagen)", "Contactgegevens"), True, False, 24,
     (("Videoserver Global", "US", "ja"),)),
    ("Personeelsplanner B.V.", "Groningen", "Roosters personeel",
     ("Namen en beschikbaarheid personeel",), False, False, "niet geregeld", ()),
    ("Webshop Hulpmiddelen B.V.", "Breda", "Bestellen hulpmiddelen voor patiënten",
     ("NAW-gegevens", "Bestelde hulpmiddelen"), True, False, 48, ()),
    ("Enquêtebureau Zorgkwaliteit", "Utrecht", "Patiënttevredenheidsonderzoek",
     ("Contactgegevens", "Antwoorden op vragenlijsten"), False, False, 72,
     (("Survey Platform Inc.", "US", "ja"),)),
    ("Uitslagenservice Radiologie", "Zwolle", "Röntgen- en echo-uitslagen",
     ("NAW-gegevens", "Beelden en verslagen"), True, True, 24, ()),
    ("Antivirus & Firewall B.V.", "Houten", "Beveiliging werkplekken",
     ("Logbestanden", "IP-adressen"), False, False, 24, (("Threat Intel Ltd.", "IL", "ja"),)),
    ("Telefooncentrale Plus B.V.", "Amersfoort", "Telefooncentrale en gespreksopname",
     ("Telefoonnummers", "Gespreksopnamen"), True, False, 48, ()),
    ("Fysiotherapie Samenwerking", "Almelo", "Gedeeld behandelplan",
     ("Behandelgegevens",), True, True, 48, ()),
    ("Dossieroverdracht B.V.", "Utrecht", "Overdracht dossiers bij verhuizing patiënt",
     ("Volledig medisch dossier",), True, True, 24, ()),
    ("Schoonmaakbedrijf Glans", "Hengelo", "Schoonmaak praktijk (toegang tot ruimtes)",
     ("Mogelijk zichtbare dossiers",), True, False, "niet geregeld", ()),
    ("Wachtkamerscherm Media", "Enschede", "Informatiescherm wachtkamer met oproepen",
     ("Initialen en oproepnummer",), False, False, 72, ()),
    ("Zorgdata Analyse B.V.", "Maastricht", "Spiegelinformatie en kwaliteitsindicatoren",
     ("Gepseudonimiseerde zorggegevens",), True, False, 48,
     (("Analytics Cloud", "", "onbekend"),)),
    ("Back-up Buitenland Ltd.", "Dublin", "Tweede back-up buiten de praktijk",
     ("Versleutelde back-ups",), True, True, 24, (("Offsite Vault", "CH", "ja"),)),
)


def external_agreements(count: int = 30, *, signed: date = date(2024, 1, 15)) -> list[dict[str, Any]]:
    """``count`` agreements (cycling the thirty), signed a fortnight apart; every fifth
    is due for review."""
    out = []
    for i in range(count):
        name, place, service, cats, health, bsn, deadline, subs = _PROCESSORS[i % len(_PROCESSORS)]
        if i >= len(_PROCESSORS):
            name = f"{name} ({i // len(_PROCESSORS) + 1})"
        on = signed + timedelta(days=14 * i)
        out.append({
            "verwerker": {"naam": name, "kvk": f"{40000000 + i * 7919:08d}", "plaats": place,
                          "land": "IE" if place == "Dublin" else "NL"},
            "dienst": service,
            "persoonsgegevens": list(cats),
            "gezondheidsgegevens": health,
            "bsn": bsn,
            "ondertekend": on.isoformat(),
            "einde": "onbepaalde tijd" if i % 4 else (on + timedelta(days=3 * 365)).isoformat(),
            "herbeoordeling": ((on + timedelta(days=200)) if i % 5 == 0 else
                               date(2099, 1, 1) - timedelta(days=i)).isoformat(),
            "datalek": {"email": f"privacy{i}@verwerker{i}.example",
                        "telefoon": f"030 {200 + i} {1000 + i:04d}", "termijn": deadline},
            # Each has at least one (its hosting), so each shows in the subprocessor overview.
            "subverwerkers": [{"naam": n, "land": c, "buiten_eer": e}
                              for n, c, e in subs or (("Hosting Nederland B.V.", "NL", "nee"),)],
            "notitie": "Papieren overeenkomst in de map 'AVG'" if i % 3 == 0 else "",
        })
    return out
