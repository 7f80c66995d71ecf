"""The README's set-up is what CI runs: two commands per platform, the same test command,
the same system packages."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import seedtools

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI_RUN = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _setup_section() -> str:
    return README.split("## Set-up and use (from a fresh clone)", 1)[1].split("\n### ", 1)[0]


def _commands(prefix: str) -> list[str]:
    return [line.strip() for line in _setup_section().splitlines()
            if line.startswith("    ") and line.strip().startswith(prefix)]


def test_two_commands_per_platform_one_starts_the_app_one_runs_the_tests() -> None:
    for prefix, activate in (("python3 -m venv .venv", ". .venv/bin/activate"),
                             ("py -3.11 -m venv .venv", r".venv\Scripts\activate")):
        app, tests = _commands(prefix)
        assert activate in app and activate in tests
        assert app.endswith("dpa-desktop") and 'install -e .' in app
        assert tests.endswith("python -m pytest") and 'install -e ".[test]"' in tests
    indented = [line for line in _setup_section().splitlines() if line.startswith("    ")]
    assert len(indented) == 4, "exactly two commands for each platform"


def test_the_python_version_stated_is_the_one_the_package_requires() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["requires-python"] == ">=3.11"
    assert "Python 3.11 or newer" in _setup_section()


def test_ci_runs_the_readme_test_command_exactly_with_the_seeds_required() -> None:
    linux_tests = _commands("python3 -m venv .venv")[1]
    assert re.search(rf"^{re.escape(linux_tests)}( \|\| exit)?$", CI_RUN, re.MULTILINE)
    assert "export DPA_REQUIRE_SEEDS=1" in CI_RUN
    assert "actionlint .github/workflows/*.yml" in CI_RUN


def _apt_packages(text: str) -> set[str]:
    found = re.search(r"apt-get install ((?:[^\n]*\\\n)*[^\n]*)", text)
    assert found
    words = found.group(1).replace("\\\n", " ").split()
    return {w for w in words if re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", w)}


def test_the_readme_names_exactly_the_system_packages_ci_installs() -> None:
    readme_packages = _apt_packages(README.split("System packages", 1)[1])
    assert readme_packages == _apt_packages(CI_RUN)
    assert {"libreoffice-writer-nogui", "python3-venv", "fonts-crosextra-carlito"} <= readme_packages


def test_the_readme_documents_the_keyring_and_the_seeds() -> None:
    assert seedtools.MISSING_REASON in " ".join(README.split()), "the skip reason, as the tests give it"
    for words in ("Windows Credential Manager", "Keychain", "Secret Service", "gnome-keyring", "KWallet",
                  "DPA_DESKTOP_KEYRING=file", "DPA_DESKTOP_KEYRING_FILE", ".keyring.json", "The risk",
                  "DPA_SEEDS_DIR", "DPA_REQUIRE_SEEDS=1", "../shared/seeds/"):
        assert words in README, words
