"""Typed errors of the core, each carrying Dutch text for the user.

The GUI shows them through one message helper and the CLI prints them and
exits 2; neither has to know which part of the core raised them.
"""

from __future__ import annotations

import msgspec


class DpaError(Exception):
    """Base of every error a user may see; ``str()`` is Dutch."""


class FieldProblem(msgspec.Struct, frozen=True):
    """One invalid answer: which field (its id and Dutch label) and why."""

    field: str
    label: str
    message: str

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


class AnswersInvalid(DpaError):
    """The answers do not satisfy the form; lists every problem, not just the first.

    ``heading`` is the sentence shown above the list (the CLI and the GUI's message box).
    """

    def __init__(self, problems: list[FieldProblem], *,
                 heading: str = "De antwoorden zijn niet in orde:") -> None:
        self.problems = problems
        self.heading = heading
        super().__init__("\n".join(str(p) for p in problems))


class Finding(msgspec.Struct, frozen=True):
    """One problem in a form file, located precisely enough to fix it."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, regel {self.line}" if self.line else self.file
        return f"{where}, veld '{self.field}': {self.message}"


class FormFileError(DpaError):
    """A form file that cannot be used; collects all findings of that file."""

    def __init__(self, file: str, findings: list[Finding] | None = None) -> None:
        self.file = file
        self.findings = findings if findings is not None else []
        super().__init__(file, self.findings)

    def __str__(self) -> str:
        lines = [f"Het formulierbestand {self.file} bevat fouten:"]
        lines += [f"  - {f}" for f in self.findings]
        return "\n".join(lines)


class OutputError(DpaError):
    """The documents could not be written where asked; nothing was left half-written."""


class UnknownForm(DpaError):
    def __init__(self, form_id: str, known: list[str]) -> None:
        self.form_id = form_id
        hint = f" Beschikbaar: {', '.join(known)}." if known else ""
        super().__init__(f"Onbekend formulier '{form_id}'.{hint}")
