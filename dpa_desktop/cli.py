"""The ``dpa-desktop`` command: the GUI when bare, otherwise scriptable subcommands.

Subcommand names, options and form ids are a contract other tools call.
Bad input exits 2 with Dutch messages naming each field, never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dpa_desktop import __version__

if TYPE_CHECKING:
    from dpa_desktop.answers import Answers
    from dpa_desktop.errors import DpaError

EXIT_OK = 0
EXIT_BAD_INPUT = 2


# argparse's own texts, in Dutch: it looks them up through a module-level gettext
# function, which has no Dutch catalogue; this table is that catalogue.
_ARGPARSE_NL = {
    "usage: ": "gebruik: ",
    "positional arguments": "argumenten",
    "options": "opties",
    "show this help message and exit": "toon deze hulptekst en stop",
    "show program's version number and exit": "toon het versienummer en stop",
    "the following arguments are required: %s": "deze argumenten zijn verplicht: %s",
    "unrecognized arguments: %s": "onbekende argumenten: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze: %(value)r (kies uit %(choices)s)",
    "expected one argument": "verwacht één waarde",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fout: %(message)s\n",
}


def _dutch(message: str) -> str:
    return _ARGPARSE_NL.get(message, message)


argparse._ = _dutch  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """argparse with Dutch errors and exit 2 (argparse's own code for usage errors)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: fout: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dpa-desktop",
                     description="Verwerkersovereenkomsten invullen en bijhouden.")
    from dpa_desktop.cli_store import VersionAction

    parser.add_argument("--version", action=VersionAction, version=f"dpa-desktop {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    sub.add_parser("forms", help="toon de beschikbare formulieren (id, verwerker, versie)")

    example = sub.add_parser("example", help="voorbeeldantwoorden van een formulier als JSON")
    example.add_argument("form", help="formulier-id, bijvoorbeeld vcare")

    fill = sub.add_parser("fill", help="vul een formulier in en maak DOCX en PDF")
    fill.add_argument("form", help="formulier-id, bijvoorbeeld vcare")
    fill.add_argument("--answers", required=True, type=Path,
                      help="JSON-bestand met antwoorden (zie 'example')")
    fill.add_argument("--out", required=True, type=Path, help="map voor de documenten")
    fill.add_argument("--register", action="store_true",
                      help="leg de overeenkomst vast in het register (status concept)")

    review = sub.add_parser("review", help="aandachtspunten vóór ondertekening (geen juridisch "
                                           "advies)")
    review.add_argument("form", help="formulier-id, bijvoorbeeld vcare")
    review.add_argument("--answers", required=True, type=Path,
                        help="JSON-bestand met antwoorden (zie 'example')")
    review.add_argument("--pdf", type=Path, help="schrijf ook een PDF 'Aandachtspunten'")
    review.add_argument("--brief", type=Path, metavar="BRIEF.docx",
                        help="schrijf ook de brief 'Vragen aan de verwerker' (Word)")
    from dpa_desktop.cli_store import add_parsers as add_store_parsers

    add_store_parsers(sub)
    return parser


def _forms() -> int:
    from dpa_desktop.forms.loader import load_forms

    loaded = load_forms()
    for spec in sorted(loaded.forms.values(), key=lambda s: s.id):
        print(f"{spec.id}\t{spec.processor_label}\t{spec.version}")
    for err in loaded.errors:
        print(str(err), file=sys.stderr)
    return EXIT_OK


def _example(form_id: str) -> int:
    from dpa_desktop.answers import example_answers
    from dpa_desktop.forms.loader import load_form_by_id

    spec = load_form_by_id(form_id)
    print(example_answers(spec).dumps())
    return EXIT_OK


def _read_answers(path: Path, form_id: str) -> Answers:
    """The answers file for one form; refuses a file written for another form."""
    from dpa_desktop.answers import Answers
    from dpa_desktop.errors import DpaError

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DpaError(f"Antwoordenbestand '{path}' is niet te lezen: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DpaError(f"Antwoordenbestand '{path}' is geen UTF-8-tekst.") from exc
    answers = Answers.loads(text, form_id=form_id)
    if answers.form_id and answers.form_id != form_id:
        raise DpaError(f"Het antwoordenbestand hoort bij formulier '{answers.form_id}', "
                       f"niet bij '{form_id}'.")
    return answers


def _fill(args: argparse.Namespace) -> int:
    from dpa_desktop.fill import fill
    from dpa_desktop.forms.loader import load_form_by_id

    spec = load_form_by_id(args.form)
    answers = _read_answers(args.answers, spec.id)
    result = fill(spec, answers, args.out)
    print(result.docx)
    print(result.pdf)
    if args.register:
        from dpa_desktop.cli_store import record_from_fill

        record_from_fill(spec, answers, result)
    return EXIT_OK


def _review(args: argparse.Namespace) -> int:
    from dpa_desktop.answers import normalised
    from dpa_desktop.errors import DpaError
    from dpa_desktop.forms.loader import load_form_by_id
    from dpa_desktop.review.pdf import render_review_pdf
    from dpa_desktop.review.review import build_review
    from dpa_desktop.review.text import review_text

    spec = load_form_by_id(args.form)
    answers = _read_answers(args.answers, spec.id)
    review = build_review(spec, normalised(spec, answers))
    print(review_text(review), end="")
    if args.pdf is not None:
        try:
            render_review_pdf(review, args.pdf)
        except OSError as exc:
            raise DpaError(f"Kan '{args.pdf}' niet schrijven: {exc.strerror}") from exc
        print(args.pdf, file=sys.stderr)
    if args.brief is not None:
        from dpa_desktop.review.letter import build_letter, sender_from, write_letter_docx

        letter = build_letter(review, spec, sender_from(spec, answers), answers=normalised(spec, answers))
        try:
            write_letter_docx(letter, args.brief)
        except OSError as exc:
            raise DpaError(f"Kan '{args.brief}' niet schrijven: {exc.strerror}") from exc
        print(args.brief, file=sys.stderr)
    return EXIT_OK


def _report(exc: DpaError) -> int:
    from dpa_desktop.errors import AnswersInvalid

    if isinstance(exc, AnswersInvalid):
        print(exc.heading, file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
    else:
        print(str(exc), file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    from dpa_desktop.errors import DpaError

    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        from dpa_desktop.gui.app import run as run_gui

        return run_gui()
    _utf8_stdio()
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        if args.command == "forms":
            return _forms()
        if args.command == "example":
            return _example(args.form)
        if args.command == "fill":
            return _fill(args)
        if args.command == "review":
            return _review(args)
        if args.command in ("register", "backup", "restore", "recover"):
            from dpa_desktop.cli_store import run as run_store_command

            return run_store_command(args)
    except DpaError as exc:
        return _report(exc)
    parser.print_help()
    return EXIT_BAD_INPUT


def run() -> int:
    """The program's entry point (console script, ``python -m``, the frozen app)."""
    filling = sys.argv[1:2] == ["fill"]
    if filling:
        # What a fill builds (modules, hyphenation patterns, the layout) lives until the
        # process ends and the operating system takes it back, so the cyclic collector
        # finds nothing to free: its passes during the fill cost about 4 % and, unless
        # the objects are frozen, its passes at shutdown about 6 % (bench/README.md, "Vullen").
        gc.disable()
    code = main()
    if filling:
        gc.freeze()
    return code


def _utf8_stdio() -> None:
    """Windows consoles default to a legacy code page; Dutch text and JSON need UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
