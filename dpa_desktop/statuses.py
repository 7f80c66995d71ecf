"""The statuses of an agreement in the register, outside the store package so the CLI can name them
without loading the store (cryptography, SQLite) at every start."""

from __future__ import annotations

CONCEPT = "concept"
SENT = "verzonden"
SIGNED = "ondertekend"
ENDED = "beeindigd"
STATUSES: tuple[str, ...] = (CONCEPT, SENT, SIGNED, ENDED)
STATUS_LABELS: dict[str, str] = {
    CONCEPT: "Concept",
    SENT: "Verstuurd naar verwerker",
    SIGNED: "Ondertekend",
    ENDED: "Beëindigd",
}
