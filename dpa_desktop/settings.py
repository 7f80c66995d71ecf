"""Settings kept beside the register in a small JSON file: dates, never personal data.

The register itself is encrypted; this file holds only what the app must
know before or without opening it, such as when the last backup was made
(for the 30-day reminder). A damaged or missing file means "nothing known".
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from pathlib import Path

from dpa_desktop import paths, platform

BACKUP_REMINDER_DAYS = 30


@dataclass(frozen=True)
class Settings:
    last_backup: dt.date | None = None
    # The first day the app had this register open: a register never backed
    # up is due a reminder 30 days after it.
    first_use: dt.date | None = None


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def load(path: Path | None = None) -> Settings:
    try:
        data = json.loads((path or paths.settings_file()).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    return Settings(last_backup=_date(data.get("last_backup")),
                    first_use=_date(data.get("first_use")))


def save(settings: Settings, path: Path | None = None) -> None:
    data = {"last_backup": settings.last_backup.isoformat() if settings.last_backup else None,
            "first_use": settings.first_use.isoformat() if settings.first_use else None}
    platform.atomic_write(path or paths.settings_file(),
                          json.dumps(data, indent=2).encode("utf-8"))


def noted_use(today: dt.date, path: Path | None = None) -> Settings:
    """The settings, with today as the first day of use if none is known yet (saved)."""
    settings = load(path)
    if settings.first_use is None:
        settings = replace(settings, first_use=today)
        save(settings, path)
    return settings


def noted_backup(today: dt.date, path: Path | None = None) -> Settings:
    settings = replace(load(path), last_backup=today)
    save(settings, path)
    return settings


def backup_due(settings: Settings, today: dt.date) -> bool:
    """More than 30 days since the last backup, or since first use when there was none."""
    since = settings.last_backup or settings.first_use
    return since is not None and (today - since).days > BACKUP_REMINDER_DAYS
