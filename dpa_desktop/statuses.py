"""The statuses of an agreement in the register, outside the store package so the CLI can name them
without loading the store (cryptography, SQLite) at every start."""

from __future__ import annotations

CONCEPT = "concept"
SENT = "verzonden"
SIGNED = "ondertekend"
ENDED = "beeindigd"
STATUSES: tuple[str, ...] = (CONCEPT, SENT, SIGNED, ENDED)
# A generated agreement that has not gone to the processor is "Nog niet verzonden",
# never "Concept": in the app a concept is an unfinished wizard (a draft).
STATUS_LABELS: dict[str, str] = {
    CONCEPT: "Nog niet verzonden",
    SENT: "Verstuurd naar verwerker",
    SIGNED: "Ondertekend",
    ENDED: "Beëindigd",
}
