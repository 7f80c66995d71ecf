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


RESTORE_HINT = ("Zet zo nodig een reservekopie terug: in DPA Desktop via Register > "
                "Reservekopie terugzetten, of met 'dpa-desktop restore BESTAND --vervang'.")


class StoreCorrupt(StoreError):
    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"Het register is beschadigd: {detail}. {RESTORE_HINT} "
                         "Er is niets verwijderd.")


class RecordDamaged(StoreCorrupt):
    """One record cannot be trusted; the rest of the register stays usable."""

    def __init__(self, what: str, detail: str) -> None:
        self.what = what
        StoreError.__init__(self, f"{what} is beschadigd: {detail}. Deze gegevens worden "
                                  f"overgeslagen; de rest van het register is bruikbaar. "
                                  f"{RESTORE_HINT}")
        self.detail = detail


class BackupDamaged(StoreError):
    """The archive given to restore cannot be used; nothing was written."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        super().__init__(f"De reservekopie is onbruikbaar: {detail}. Er is niets gewijzigd.")


class StoreBusy(StoreError):
    """Another DPA Desktop process is setting up or restoring the register."""

    def __init__(self, where: str) -> None:
        super().__init__(f"Een ander venster of proces van DPA Desktop is het register in {where} "
                         "aan het instellen of terugzetten. Wacht tot dat klaar is en probeer "
                         "het dan opnieuw. Er is niets gewijzigd.")


class UnsafeLocation(StoreError):
    """A folder the store would write private data into is not private."""

    def __init__(self, where: str, detail: str) -> None:
        super().__init__(f"De map {where} is niet veilig te gebruiken ({detail}). Er is niets "
                         "geschreven. Kies een andere map of laat de beheerder de rechten "
                         "herstellen.")


class StoreIOError(StoreError):
    """A file of the register could not be read or written (disk full, no rights)."""

    def __init__(self, what: str, exc: OSError) -> None:
        reason = exc.strerror or str(exc)
        super().__init__(f"{what} lukte niet: {reason}. Er is niets verloren; controleer de "
                         "schijfruimte en de rechten en probeer het opnieuw.")


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
