"""Allow ``python -m dpa_desktop``."""

from dpa_desktop.cli import run

raise SystemExit(run())
