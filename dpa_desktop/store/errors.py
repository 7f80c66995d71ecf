"""Typed store errors, each with Dutch text that tells the user what to do next.

They live beside the store (not in the shared errors module) so the store can
grow without touching a file every helper edits; all derive from DpaError, so
the GUI and CLI report them like any other user error.
"""

from __future__ import annotations

from dpa_desktop.errors import DpaError

_RECOVERY_HINT = ("Gebruik de herstelcode die u bij het instellen hebt gekregen om weer toegang "
                  "te krijgen. Uw gegevens zijn niet gewijzigd of verwijderd.")


class StoreError(DpaError):
    """Base of every store error."""


class StoreLocked(StoreError):
    """The data key is missing from the keyring or does not fit this register."""

    def __init__(self, reason: str = "") -> None:
        text = reason or ("De sleutel van het register is niet gevonden in de sleutelbos van "
                          "Windows.")
        super().__init__(f"Het register is vergrendeld. {text} {_RECOVERY_HINT}")


class KeyringUnavailable(StoreError):
    """No usable OS keyring: the key can neither be read nor saved."""

    def __init__(self, detail: str = "") -> None:
        extra = f" ({detail})" if detail else ""
        super().__init__("De sleutelbos van het besturingssysteem (Windows Referentiebeheer) is "
                         f"niet beschikbaar{extra}. {_RECOVERY_HINT}")


class WrongRecoveryCode(StoreError):
    def __init__(self) -> None:
        super().__init__("De herstelcode klopt niet. Controleer de code (8 groepen van 5 tekens) "
                         "en probeer het opnieuw. Er is niets gewijzigd.")


class StoreTooNew(StoreError):
    """The register was written by a newer version of the app; never downgrade it."""

    def __init__(self, found: int, supported: int) -> None:
        self.found = found
        self.supported = supported
        super().__init__(f"Het register is gemaakt met een nieuwere versie van DPA Desktop "
                         f"(schemaversie {found}; deze versie kent tot en met {supported}). "
                         "Installeer de nieuwste versie van DPA Desktop. Er is niets gewijzigd.")


class StoreCorrupt(StoreError):
    def __init__(self, detail: str) -> None:
        super().__init__(f"Het register is beschadigd: {detail}. Zet een reservekopie terug "
                         "(Register > Reservekopie terugzetten). Er is niets verwijderd.")


class StoreExists(StoreError):
    def __init__(self, where: str) -> None:
        super().__init__(f"In {where} staat al een register. Er is niets overschreven; kies een "
                         "lege map of open het bestaande register.")


class NotFound(StoreError):
    def __init__(self, what: str, ident: int) -> None:
        super().__init__(f"{what} nummer {ident} bestaat niet (meer) in het register.")


class StoreMissing(StoreError):
    def __init__(self, where: str) -> None:
        super().__init__(f"Er is nog geen register in {where}. Stel het register in of zet een "
                         "reservekopie terug.")
