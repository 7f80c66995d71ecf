"""The wizard's steps by id, in her words; light enough for the start screen to import."""

from __future__ import annotations

PAGE_TITLES = {
    "partij": "Uw gegevens",
    "verwerker": "Verwerker",
    "diensten": "Diensten",
    "bewaartermijnen": "Bewaartermijnen en einde",
    "contacten": "Contactpersonen",
    "ondertekening": "Ondertekening",
    "review": "Controleren",
    "result": "Documenten",
}


def step_title(page: str) -> str:
    """A stored page id as the step she saw ('' for an unknown id, never the id itself)."""
    return PAGE_TITLES.get(page, "")
