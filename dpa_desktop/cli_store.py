"""The store's side of the ``dpa-desktop`` command: register, backup, restore.

Outside the store package on purpose: building the parser must not import the
store (cryptography, SQLite, the form models), which every CLI start would pay.

The first command that needs a register sets one up and prints the recovery
code once; stdout stays machine-readable (paths, JSON), so notices go to
stderr.
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
from dpa_desktop.statuses import STATUS_LABELS, STATUSES

if TYPE_CHECKING:
    from dpa_desktop.answers import Answers
    from dpa_desktop.fill import FillResult
    from dpa_desktop.forms.model import FormSpec
    from dpa_desktop.store.store import Store

RECOVERY_CODE_ENV = "DPA_DESKTOP_RECOVERY_CODE"


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
    from dpa_desktop.store.store import Store
    directory = paths.data_dir()
    if Store.exists(directory):
        return Store.open(directory)
    store, code = Store.create(directory)
    print(recovery_notice(code, directory), file=sys.stderr)
    return store


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
    res.add_argument("--herstelcode", help="de herstelcode (anders wordt erom gevraagd)")
    rec = sub.add_parser("recover", help="open een vergrendeld register met de herstelcode")
    rec.add_argument("--herstelcode", help="de herstelcode (anders wordt erom gevraagd)")


def run(args: argparse.Namespace) -> int:
    from dpa_desktop.store.store import Store
    """Handle a store command; returns the exit code (DpaError propagates to the caller)."""
    if args.command == "register":
        if args.register_command == "list":
            return _list(args)
        if args.register_command == "datalek-kaart":
            return _breach_card(args.file)
        return _export(args)
    if args.command == "backup":
        with open_or_create() as store:
            store.backup(args.file)
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
        code = _code(args)
        with Store.restore(args.file, code) as store:
            count = len(store.list_agreements())
            saved = store.key_saved
        print(f"Reservekopie teruggezet in {paths.data_dir()}: {count} overeenkomst(en).",
              file=sys.stderr)
        if not saved:
            print(_NOT_SAVED, file=sys.stderr)
        return 0
    raise DpaError(f"Onbekend commando '{args.command}'.")


_NOT_SAVED = ("Let op: de sleutel kon niet in de sleutelbos worden bewaard; u hebt de "
              "herstelcode bij elke start nodig.")


def _code(args: argparse.Namespace) -> str:
    return str(args.herstelcode or os.environ.get(RECOVERY_CODE_ENV)
               or getpass.getpass("Herstelcode: "))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _list(args: argparse.Namespace) -> int:
    with open_or_create() as store:
        items = store.list_agreements(args.zoek, args.status,
                                      review_due_on=date.today() if args.herbeoordelen else None)
    if args.json:
        out = [{"id": s.id, "form": s.form_id, "version": s.form_version,
                "processor": s.processor, "organisation": s.organisation, "status": s.status,
                "status_label": s.status_label, "created": _iso(s.created_on),
                "sent": _iso(s.sent_on), "signed": _iso(s.signed_on), "ended": _iso(s.ended_on),
                "review": _iso(s.review_on)} for s in items]
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if not items:
        print("Het register bevat (nog) geen overeenkomsten die hierbij passen.")
        return 0
    for s in items:
        review = f"\therbeoordeling {s.review_on:%d-%m-%Y}" if s.review_on else ""
        print(f"{s.id}\t{s.processor}\t{s.organisation}\t{STATUS_LABELS[s.status]}"
              f"\t{s.created_on:%d-%m-%Y}{review}")
    return 0


def _breach_card(path: Path) -> int:
    from dpa_desktop.review.breach_card import render_breach_card, signed_entries

    with open_or_create() as store:
        entries, organisation = signed_entries(store)
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
    return 0
