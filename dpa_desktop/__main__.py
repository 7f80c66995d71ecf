"""Allow ``python -m dpa_desktop``."""

from dpa_desktop.cli import main

raise SystemExit(main())
