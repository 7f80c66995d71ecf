"""Smoke-test a frozen build: the programs start, fill a form, open the window, write nothing
into their own folder.

Runs the bundle the way a user would, from outside the source tree, with a
fresh data directory, so a missing module, data file, Qt plugin or
translation shows up here rather than on a practice's computer. Any stderr
line that is not on the known-harmless list fails the test, so tracebacks and
new Qt warnings are never silently ignored.

    python installers/smoke.py installers/dist/dpa-desktop
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_S = 120
SMOKE_EXIT_MS = "1500"
FORM = "vcare"

# stderr lines that are expected and harmless, each with the reason.
HARMLESS_STDERR = [
    # Qt's offscreen platform (CI has no display) cannot pass size hints on.
    re.compile(r"^This plugin does not support propagateSizeHints\(\)$"),
    # Qt on a machine without a session: falls back to a private runtime dir.
    re.compile(r"^QStandardPaths: (XDG_RUNTIME_DIR not set|runtime directory).*"),
    # Offscreen platform without a font database service.
    re.compile(r"^qt\.qpa\.fonts: Populating font family aliases took .*"),
]


class SmokeFailure(Exception):
    pass


def run(exe: Path, args: Sequence[str], env: dict[str, str], cwd: Path,
        expect_rc: int = 0) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(exe), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", timeout=TIMEOUT_S)
    shown = " ".join([exe.name, *args])
    if proc.returncode != expect_rc:
        raise SmokeFailure(f"{shown}: exit {proc.returncode}, expected {expect_rc}\n"
                           f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def unexpected_stderr(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if line.strip() and not any(p.match(line) for p in HARMLESS_STDERR)]


def check_clean_stderr(name: str, proc: subprocess.CompletedProcess[str]) -> None:
    bad = unexpected_stderr(proc.stderr)
    if bad:
        raise SmokeFailure(f"{name}: unexpected stderr:\n" + "\n".join(bad))


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file in the install folder with its hash: the app must not write there."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def smoke(bundle: Path) -> list[str]:
    cli = bundle / f"dpa-desktop{EXE_SUFFIX}"
    gui = bundle / f"DPADesktop{EXE_SUFFIX}"
    for exe in (cli, gui):
        if not exe.is_file():
            raise SmokeFailure(f"{exe} is missing")
    before = fingerprint(bundle)
    results: list[str] = []

    with tempfile.TemporaryDirectory(prefix="dpa-smoke-") as tmp_name:
        tmp = Path(tmp_name)
        work = tmp / "work"
        work.mkdir()
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("PYTHON", "DPA_DESKTOP_", "QT_"))}
        env.update({"DPA_DESKTOP_DATA_DIR": str(tmp / "data"), "QT_QPA_PLATFORM": "offscreen",
                    "HOME": str(tmp / "home"), "USERPROFILE": str(tmp / "home"),
                    "XDG_RUNTIME_DIR": str(tmp / "runtime"),
                    # A first start creates the register's key; keep it out of the
                    # build machine's keyring (Windows Credential Manager).
                    "DPA_DESKTOP_KEYRING": "file",
                    "DPA_DESKTOP_KEYRING_FILE": str(tmp / "keyring.json")})
        (tmp / "runtime").mkdir(mode=0o700)
        (tmp / "home").mkdir()

        # 1. forms: every shipped form loads inside the bundle.
        proc = run(cli, ["forms"], env, work)
        check_clean_stderr("forms", proc)
        listed = {line.split("\t")[0] for line in proc.stdout.splitlines() if line.strip()}
        shipped = {p.stem for p in (ROOT / "forms").glob("*.yaml")}
        if listed != shipped:
            raise SmokeFailure(f"forms: listed {sorted(listed)}, shipped {sorted(shipped)}")
        results.append(f"forms: {len(listed)} formulieren ({', '.join(sorted(listed))})")

        # 2. example + fill: documents are produced with the bundled fonts.
        proc = run(cli, ["example", FORM], env, work)
        check_clean_stderr("example", proc)
        answers = work / "antwoorden.json"
        answers.write_text(proc.stdout, encoding="utf-8")
        json.loads(proc.stdout)
        out = work / "uitvoer"
        proc = run(cli, ["fill", FORM, "--answers", str(answers), "--out", str(out)], env, work)
        check_clean_stderr("fill", proc)
        docx = [p for p in out.glob("*.docx")]
        pdf = [p for p in out.glob("*.pdf")]
        if len(docx) != 1 or len(pdf) != 1:
            raise SmokeFailure(f"fill: expected one DOCX and one PDF in {out}, got "
                               f"{sorted(p.name for p in out.iterdir())}")
        if not pdf[0].read_bytes().startswith(b"%PDF-"):
            raise SmokeFailure(f"fill: {pdf[0].name} is no PDF")
        pdf_bytes = pdf[0].read_bytes()
        if b"Carlito" not in pdf_bytes:
            raise SmokeFailure("fill: the PDF does not embed the bundled Carlito font")
        with zipfile.ZipFile(docx[0]) as zf:
            document_xml = zf.read("word/document.xml").decode("utf-8")
        if "<w:t" not in document_xml:
            raise SmokeFailure("fill: the DOCX has no text")
        results.append(f"fill {FORM}: {docx[0].name} ({docx[0].stat().st_size} B), "
                       f"{pdf[0].name} ({len(pdf_bytes)} B)")

        # 3. bad answers: exit 2 with a Dutch message, no traceback.
        bad = work / "fout.json"
        bad.write_text("{dit is geen json", encoding="utf-8")
        proc = run(cli, ["fill", FORM, "--answers", str(bad), "--out", str(out)], env, work,
                   expect_rc=2)
        if "Traceback" in proc.stderr or not proc.stderr.strip():
            raise SmokeFailure(f"fill with bad JSON: stderr was\n{proc.stderr}")
        results.append(f"slechte antwoorden: exit 2, {proc.stderr.strip().splitlines()[0]}")

        # 4. a damaged form file: the other forms still load, the message is Dutch
        #    and names the file; filling the damaged form exits 2.
        forms_copy = tmp / "forms"
        forms_copy.mkdir()
        for path in (ROOT / "forms").glob("*.yaml"):
            (forms_copy / path.name).write_bytes(path.read_bytes())
        (forms_copy / "kapot.yaml").write_text("id: kapot\nversion: [\n", encoding="utf-8")
        damaged_env = {**env, "DPA_DESKTOP_FORMS_DIR": str(forms_copy)}
        proc = run(cli, ["forms"], damaged_env, work)
        if "kapot.yaml" not in proc.stderr or "Traceback" in proc.stderr:
            raise SmokeFailure(f"forms with a damaged file: stderr was\n{proc.stderr}")
        if len(proc.stdout.splitlines()) != len(shipped):
            raise SmokeFailure("forms with a damaged file: the other forms did not all load")
        proc = run(cli, ["fill", "kapot", "--answers", str(answers), "--out", str(out)],
                   damaged_env, work, expect_rc=2)
        if "kapot.yaml" not in proc.stderr or "Traceback" in proc.stderr:
            raise SmokeFailure(f"fill of a damaged form: stderr was\n{proc.stderr}")
        results.append(f"beschadigd formulier: {proc.stderr.strip().splitlines()[0]}")

        # 5. the GUI: both programs open the main window offscreen and quit with 0.
        gui_env = {**env, "DPA_DESKTOP_SMOKE_EXIT_MS": SMOKE_EXIT_MS}
        runs: list[tuple[Path, list[str]]] = [(gui, []), (cli, [])]
        for exe, args in runs:
            proc = run(exe, args, gui_env, work)
            check_clean_stderr(exe.name, proc)
            report = [line for line in proc.stdout.splitlines() if line.startswith("smoke:")]
            if sys.platform == "win32" and exe == gui:
                # A windowed program has no stdout; exit 0 and clean stderr must do.
                results.append(f"{exe.name}: venster geopend en gesloten, exit 0")
                continue
            if not report or "zichtbaar=True" not in report[0]:
                raise SmokeFailure(f"{exe.name}: the main window was not shown:\n{proc.stdout}")
            if "annuleren='Annuleren'" not in report[0]:
                raise SmokeFailure(f"{exe.name}: Qt's Dutch translation not loaded: {report[0]}")
            # Qt's plugin folder inside this bundle (its start, so without the closing quote).
            plugins = f"qtplugins={str(exe.parent / '_internal' / 'PySide6')!r}"[:-1]
            if plugins not in report[0]:
                raise SmokeFailure(f"{exe.name}: Qt does not take its plugins from the bundle: {report[0]}")
            if "formuliermeldingen=[]" not in report[0]:
                raise SmokeFailure(f"{exe.name}: the shipped forms did not all load: {report[0]}")
            results.append(f"{exe.name}: {report[0]}, exit 0")

        # 6. the GUI with a damaged form file names it on the start screen, in Dutch.
        proc = run(cli, [], {**damaged_env, "DPA_DESKTOP_SMOKE_EXIT_MS": SMOKE_EXIT_MS}, work)
        check_clean_stderr("GUI with a damaged form", proc)
        report = [line for line in proc.stdout.splitlines() if line.startswith("smoke:")]
        if not report or "Het formulierbestand kapot.yaml bevat fouten" not in report[0]:
            raise SmokeFailure(f"GUI with a damaged form: no message naming it:\n{proc.stdout}")
        shown = report[0].split("formuliermeldingen=", 1)[1]
        results.append(f"GUI met beschadigd formulier toont: {shown}")

    after = fingerprint(bundle)
    if after != before:
        changed = sorted(set(after.items()) ^ set(before.items()))
        raise SmokeFailure(f"the programs wrote into their install folder: {changed[:10]}")
    results.append("installatiemap ongewijzigd (alleen de gegevensmap wordt beschreven)")
    return results


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    bundle = Path(args[0]) if args else ROOT / "installers" / "dist" / "dpa-desktop"
    try:
        results = smoke(bundle.resolve())
    except (SmokeFailure, subprocess.TimeoutExpired) as exc:
        print(f"SMOKE FAILED: {exc}", file=sys.stderr)
        return 1
    for line in results:
        print(f"ok  {line}")
    print("smoke: alles in orde")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
