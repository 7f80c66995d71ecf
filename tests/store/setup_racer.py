"""One of the processes of the concurrent set-up test: waits for the common start
moment, then runs ``dpa-desktop register list`` on the (empty) data folder."""

from __future__ import annotations

import sys
import time

if __name__ == "__main__":
    start_at = float(sys.argv[1])
    from dpa_desktop.cli import main  # imported before waiting: the race is the set-up itself

    while time.time() < start_at:
        time.sleep(0.001)
    sys.exit(main(["register", "list"]))
