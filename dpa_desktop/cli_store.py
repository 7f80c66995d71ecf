"""The store's side of the ``dpa-desktop`` command: register, backup, restore.

Outside the store package on purpose: building the parser must not import the
store (cryptography, SQLite, the form models), which every CLI start would pay.

The first command that needs a register sets one up and prints the recovery
code once; stdout stays machine-readable (paths, JSON), so notices go to
stderr, among them every record found damaged and left out.

The recovery code is read from a file (``--herstelcode-bestand``), standard
input (``--herstelcode -``, or when input is piped), the environment, or
asked for at a terminal; ``--herstelcode CODE`` still works but shows the
code in the process list and shell history.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dpa_desktop import paths
from dpa_desktop.errors import DpaError
from dpa_desktop.statuses import STATUSES

if TYPE_CHECKING:
    from collections.abc import Sequence

    from dpa_desktop.answers import Answers
    from dpa_desktop.fill import FillResult
    from dpa_desktop.forms.model import FormSpec
    from dpa_desktop.store.register import DamagedRecord
    from dpa_desktop.store.store import Store

RECOVERY_CODE_ENV = "DPA_DESKTOP_RECOVERY_CODE"
# A recovery code is 47 characters; a file or pipe is read no further than this.
_CODE_READ_LIMIT = 4096


class VersionAction(argparse.Action):
    """``--version``: the app's version and where the register's key is kept.

    The keyring is looked up only when asked, not at every parse.
    """

    def __init__(self, option_strings: Sequence[str], version: str, dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "toon het versienummer en stop"
                 ) -> None:
        super().__init__(option_strings=option_strings, dest=dest, default=default, nargs=0,
                         help=help)
        self.version = version

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        from dpa_desktop.store.keys import backend_description

        print(f"{self.version}\nSleutelbos: {backend_description()}")
        parser.exit(0)


def recovery_notice(code: str, where: Path) -> str:
    return (
        f"Er is een nieuw, versleuteld register aangemaakt in {where}.\n"
        "\n"
        f"    HERSTELCODE:  {code}\n"
        "\n"
        "Schrijf deze herstelcode op en bewaar hem op een veilige plek (niet op deze computer).\n"
        "U hebt hem nodig als de sleutel in Windows verloren gaat of om een reservekopie op een\n"
        "andere computer terug te zetten. De code wordt maar één keer getoond.\n"
    )


def open_or_create() -> Store:
    """The register, set up on first use (safe when several commands start at once)."""
    from dpa_desktop.store.store import Store

    directory = paths.data_dir()
    store, code = Store.open_or_create(directory)
    if code is not None:
        print(recovery_notice(code, directory), file=sys.stderr)
    return store


def report_damage(damaged: Sequence[DamagedRecord]) -> None:
    """Name every record left out because it is damaged (stderr: stdout stays for data)."""
    if not damaged:
        return
    print(f"Let op: {len(damaged)} onderdeel/onderdelen van het register zijn beschadigd en "
          "overgeslagen:", file=sys.stderr)
    for record in damaged:
        print(f"  - {record}", file=sys.stderr)
    print("Zet zo nodig een reservekopie terug met 'dpa-desktop restore BESTAND --vervang' "
          "(het huidige register wordt dan bewaard, niet verwijderd).", file=sys.stderr)


def record_from_fill(spec: FormSpec, answers: Answers, result: FillResult) -> int:
    """For ``fill --register``: record as a concept, setting up the store on first use."""
    with open_or_create() as store:
        aid = store.record_agreement(spec, answers, result.docx, result.pdf)
    print(f"Vastgelegd in het register als overeenkomst {aid} (status: Nog niet verzonden).", file=sys.stderr)
    return aid


def add_parsers(sub: Any) -> None:
    """Add ``register``, ``backup`` and ``restore`` to the main parser's subparsers."""
    reg = sub.add_parser("register", help="het register van overeenkomsten")
    reg_sub = reg.add_subparsers(dest="register_command", required=True,
                                 parser_class=type(reg))
    lst = reg_sub.add_parser("list", help="toon de overeenkomsten")
    lst.add_argument("--json", action="store_true", help="als JSON (voor scripts)")
    lst.add_argument("--zoek", default="", help="zoek in verwerker, organisatie en notities")
    lst.add_argument("--status", choices=STATUSES, help="alleen deze status")
    lst.add_argument("--herbeoordelen", action="store_true",
                     help="alleen ondertekende overeenkomsten die aan herbeoordeling toe zijn")
    add = reg_sub.add_parser("add", help="leg een bestaande overeenkomst vast die niet met "
                                         "DPA Desktop is gemaakt (extern)")
    add.add_argument("--json", required=True, type=Path, metavar="BESTAND",
                     help="JSON-bestand met de velden van de overeenkomst (zie README)")
    add.add_argument("--scan", type=Path, metavar="BESTAND",
                     help="de getekende overeenkomst (PDF of afbeelding); wordt versleuteld "
                          "bewaard")
    edit = reg_sub.add_parser("edit", help="wijzig velden van een overeenkomst; de wijziging "
                                           "komt in de geschiedenis")
    edit.add_argument("id", type=int, help="het nummer van de overeenkomst")
    edit.add_argument("--json", required=True, type=Path, metavar="BESTAND",
                      help="JSON-bestand met alleen de velden die wijzigen (zie README)")
    edit.add_argument("--scan", type=Path, metavar="BESTAND",
                      help="een (nieuwe) scan van de getekende overeenkomst")
    show = reg_sub.add_parser("show", help="toon één overeenkomst")
    show.add_argument("id", type=int, help="het nummer van de overeenkomst")
    show.add_argument("--json", action="store_true",
                      help="als JSON in de vorm die 'register add' en 'register edit' lezen")
    exp = reg_sub.add_parser("export", help="exporteer het register naar CSV en/of PDF")
    exp.add_argument("--csv", type=Path, help="CSV-bestand (voor Excel)")
    exp.add_argument("--pdf", type=Path, help="PDF-overzicht om af te drukken")
    card = reg_sub.add_parser("datalek-kaart", help="A4 met meldpunten en meldtermijnen van "
                                                    "ondertekende overeenkomsten")
    card.add_argument("file", type=Path, help="het PDF-bestand")

    bak = sub.add_parser("backup", help="maak een versleutelde reservekopie van alle gegevens")
    bak.add_argument("file", type=Path, help="het reservekopiebestand")
    res = sub.add_parser("restore", help="zet een reservekopie terug in een lege gegevensmap")
    res.add_argument("file", type=Path, help="het reservekopiebestand")
    _add_code_options(res)
    res.add_argument("--vervang", action="store_true",
                     help="vervang een bestaand register; het oude wordt bewaard in een map "
                          "naast de gegevensmap, niet verwijderd")
    rec = sub.add_parser("recover", help="open een vergrendeld register met de herstelcode")
    _add_code_options(rec)


def _add_code_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--herstelcode", metavar="CODE",
                        help="de herstelcode, of '-' om hem van standaardinvoer te lezen (een "
                             "code als argument is zichtbaar in de proceslijst; liever "
                             "--herstelcode-bestand of standaardinvoer)")
    parser.add_argument("--herstelcode-bestand", type=Path, metavar="BESTAND",
                        help="lees de herstelcode uit dit bestand")


def run(args: argparse.Namespace) -> int:
    from dpa_desktop.store.store import Store
    """Handle a store command; returns the exit code (DpaError propagates to the caller)."""
    if args.command == "register":
        if args.register_command == "list":
            return _list(args)
        if args.register_command == "datalek-kaart":
            return _breach_card(args.file)
        if args.register_command == "add":
            return _add(args)
        if args.register_command == "edit":
            return _edit(args)
        if args.register_command == "show":
            return _show(args)
        return _export(args)
    if args.command == "backup":
        with open_or_create() as store:
            store.backup(args.file)
            report_damage(store.damaged_records())
        print(f"Reservekopie geschreven naar {args.file}.", file=sys.stderr)
        return 0
    if args.command == "recover":
        with Store.recover(_code(args)) as store:
            saved = store.key_saved
        print("Het register is weer open" + (" en de sleutel staat weer in de sleutelbos."
                                               if saved else "."), file=sys.stderr)
        if not saved:
            print(_NOT_SAVED, file=sys.stderr)
        return 0
    if args.command == "restore":
        from dpa_desktop.store.errors import StoreExists

        code = _code(args)
        try:
            store = Store.restore(args.file, code, replace=args.vervang)
        except StoreExists as exc:
            raise DpaError(f"{exc} Met --vervang wordt het vervangen; het huidige register "
                           "wordt dan bewaard in een map ernaast.") from exc
        with store:
            count = len(store.list_agreements())
            saved = store.key_saved
            kept = store.replaced_folder
            report_damage(store.damaged_records())
        print(f"Reservekopie teruggezet in {paths.data_dir()}: {count} overeenkomst(en).",
              file=sys.stderr)
        if kept is not None:
            print(f"Het vervangen register is bewaard in {kept}.", file=sys.stderr)
        if not saved:
            print(_NOT_SAVED, file=sys.stderr)
        return 0
    raise DpaError(f"Onbekend commando '{args.command}'.")


_NOT_SAVED = ("Let op: de sleutel kon niet in de sleutelbos worden bewaard; u hebt de "
              "herstelcode bij elke start nodig.")


_HOW_TO_GIVE_CODE = (
    "Geef de herstelcode op een van deze manieren: met --herstelcode-bestand BESTAND (een "
    "bestand met alleen de code), via standaardinvoer (bijvoorbeeld: "
    "dpa-desktop restore BESTAND --herstelcode - < code.txt), met de omgevingsvariabele "
    f"{RECOVERY_CODE_ENV}, of start het commando in een terminal om ernaar gevraagd te worden.")


def _code(args: argparse.Namespace) -> str:
    """The recovery code from the first place that gives one; DpaError saying how otherwise."""
    if args.herstelcode_bestand is not None:
        path = args.herstelcode_bestand
        try:
            with path.open("r", encoding="utf-8-sig") as fh:
                text = fh.read(_CODE_READ_LIMIT)
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "geen tekstbestand"
            raise DpaError(f"Het herstelcodebestand '{path}' is niet te lezen: {reason}.") from exc
        return _first_line(text, f"Het herstelcodebestand '{path}' is leeg.")
    if args.herstelcode == "-":
        return _from_stdin()
    if args.herstelcode:
        return str(args.herstelcode)
    if os.environ.get(RECOVERY_CODE_ENV):
        return os.environ[RECOVERY_CODE_ENV]
    stdin = sys.stdin
    if stdin is not None and stdin.isatty():
        try:
            return getpass.getpass("Herstelcode: ")
        except (EOFError, KeyboardInterrupt) as exc:
            raise DpaError(f"Er is geen herstelcode ingevoerd. {_HOW_TO_GIVE_CODE}") from exc
    return _from_stdin()


def _from_stdin() -> str:
    stdin = sys.stdin
    if stdin is None or stdin.closed:
        raise DpaError(f"Er is geen herstelcode gegeven en er is geen invoer. {_HOW_TO_GIVE_CODE}")
    try:
        text = stdin.read(_CODE_READ_LIMIT)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DpaError(f"De herstelcode kon niet van standaardinvoer worden gelezen. "
                       f"{_HOW_TO_GIVE_CODE}") from exc
    return _first_line(text, f"Er is geen herstelcode gegeven (de invoer is leeg). "
                             f"{_HOW_TO_GIVE_CODE}")


def _first_line(text: str, if_empty: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    raise DpaError(if_empty)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _list(args: argparse.Namespace) -> int:
    with open_or_create() as store:
        items = store.list_agreements(args.zoek, args.status,
                                      review_due_on=date.today() if args.herbeoordelen else None)
        report_damage(store.damaged_records())
    if args.json:
        out = [{"id": s.id, "form": s.form_id or None, "version": s.form_version or None,
                "external": s.external, "processor": s.processor,
                "organisation": s.organisation, "status": s.status,
                "status_label": s.status_label, "created": _iso(s.created_on),
                "sent": _iso(s.sent_on), "signed": _iso(s.signed_on), "ended": _iso(s.ended_on),
                "review": _iso(s.review_on), "ends": _iso(s.ends_on)} for s in items]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not items:
        print("Het register bevat (nog) geen overeenkomsten die hierbij passen.")
        return 0
    for s in items:
        review = f"\therbeoordeling {s.review_on:%d-%m-%Y}" if s.review_on else ""
        print(f"{s.id}\t{s.processor}{' (extern)' if s.external else ''}\t{s.organisation}"
              f"\t{s.status_label}\t{s.created_on:%d-%m-%Y}{review}")
    return 0


def _breach_card(path: Path) -> int:
    from dpa_desktop.review.breach_card import render_breach_card, signed_entries

    with open_or_create() as store:
        entries, organisation = signed_entries(store)
        report_damage(store.damaged_records())
    try:
        render_breach_card(entries, path, organisation=organisation)
    except OSError as exc:
        raise DpaError(f"Kan '{path}' niet schrijven: {exc.strerror}") from exc
    print(path)
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.csv is None and args.pdf is None:
        raise DpaError("Geef --csv BESTAND en/of --pdf BESTAND op.")
    with open_or_create() as store:
        if args.csv is not None:
            store.export_csv(args.csv)
            print(args.csv)
        if args.pdf is not None:
            store.export_pdf(args.pdf)
            print(args.pdf)
        report_damage(store.damaged_records())
    return 0


# A JSON file of one agreement is a few kilobytes; anything this large is a mistake.
_JSON_LIMIT = 1024 * 1024


def _read_json(path: Path) -> Any:
    """The JSON value in ``path``; DpaError in Dutch for an unreadable or malformed file."""
    try:
        with path.open("rb") as fh:
            raw = fh.read(_JSON_LIMIT + 1)
    except OSError as exc:
        raise DpaError(f"Het JSON-bestand '{path}' is niet te lezen: "
                       f"{exc.strerror or exc}.") from exc
    if len(raw) > _JSON_LIMIT:
        raise DpaError(f"Het JSON-bestand '{path}' is groter dan 1 MB; dat is geen "
                       "overeenkomst.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DpaError(f"Het JSON-bestand '{path}' is geen UTF-8-tekst.") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise DpaError(f"Het JSON-bestand '{path}' is geen geldige JSON (regel {exc.lineno}, "
                       f"kolom {exc.colno}): controleer aanhalingstekens, komma's en "
                       "haakjes.") from exc
    except RecursionError as exc:
        raise DpaError(f"Het JSON-bestand '{path}' is te diep genest.") from exc


def _add(args: argparse.Namespace) -> int:
    """Check everything before the register is opened (or set up): bad input writes nothing."""
    from dpa_desktop.store.external import parse_entry
    from dpa_desktop.store.register import check_scan

    entry = parse_entry(_read_json(args.json))
    if args.scan is not None:
        check_scan(args.scan)
    with open_or_create() as store:
        aid = store.record_external(entry, args.scan)
        report_damage(store.damaged_records())
    print(aid)
    print(f"Vastgelegd in het register als overeenkomst {aid} (extern, status: Ondertekend).",
          file=sys.stderr)
    return 0


def _open_existing() -> Store:
    from dpa_desktop.store.store import Store

    return Store.open(paths.data_dir())


def _edit(args: argparse.Namespace) -> int:
    from dpa_desktop.statuses import ENDED, SIGNED
    from dpa_desktop.store.external import parse_changes
    from dpa_desktop.store.register import check_scan

    changes = _read_json(args.json)
    if args.scan is not None:
        check_scan(args.scan)
    with _open_existing() as store:
        agreement = store.get_agreement(args.id)
        fields = parse_changes(changes, agreement.register_fields(),
                               signed=agreement.status in (SIGNED, ENDED))
        changed = store.edit_agreement(args.id, fields, args.scan)
        report_damage(store.damaged_records())
    print(f"Overeenkomst {args.id} is gewijzigd; de wijziging staat in de geschiedenis."
          if changed else f"Er is niets gewijzigd aan overeenkomst {args.id}.", file=sys.stderr)
    return 0


def _show(args: argparse.Namespace) -> int:
    from dpa_desktop.store.external import ExternalEntry, entry_json, fields_json

    with _open_existing() as store:
        agreement = store.get_agreement(args.id)
        report_damage(store.damaged_records())
    fields = agreement.register_fields()
    if args.json:
        out = entry_json(fields) if isinstance(fields, ExternalEntry) else fields_json(fields)
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    a = agreement
    lines = [f"Overeenkomst {a.id}: {a.processor}" + (" (extern)" if a.external else
                                                      f" ({a.form_id}, versie {a.form_version})"),
             f"Status: {a.status_label}"]
    for label, value in (("Ondertekend", a.signed_on), ("Beëindigd", a.ended_on),
                         ("Herbeoordeling", a.review_on)):
        if value is not None:
            lines.append(f"{label}: {value:%d-%m-%Y}")
    lines.append(f"Einde: {a.ends_label}")
    d = a.details
    if d is not None:
        lines += [f"KvK: {d.kvk or '-'}; {', '.join(x for x in (d.place, d.country) if x)}",
                  f"Dienst: {d.service}", f"Persoonsgegevens: {', '.join(d.categories)}",
                  f"Gezondheidsgegevens: {'ja' if d.health_data else 'nee'}; "
                  f"BSN: {'ja' if d.bsn else 'nee'}",
                  f"Datalek: {', '.join(x for x in (d.breach_email, d.breach_phone) if x) or '-'}"
                  f"; meldtermijn {d.breach_notice.label}"]
    for sub in a.subprocessors:
        lines.append(f"Subverwerker: {sub.name} ({sub.country_label}; buiten de EER: "
                     f"{sub.outside_eea_label})")
    if a.scan_name:
        lines.append(f"Scan: {a.scan_name}")
    if a.notes:
        lines.append(f"Notitie: {a.notes}")
    for step in a.history:
        lines.append(f"{step.on:%d-%m-%Y} {step.label}" + (f": {step.note}" if step.note else ""))
    print("\n".join(lines))
    return 0
