"""Entry point of the frozen app: both programs run the ``dpa-desktop`` command.

A separate script (not ``dpa_desktop/__main__.py``) so that PyInstaller
analyses the package as a package and the frozen programs behave exactly like
the installed ``dpa-desktop`` command: no arguments opens the app.
"""

from dpa_desktop.cli import run

if __name__ == "__main__":
    raise SystemExit(run())
