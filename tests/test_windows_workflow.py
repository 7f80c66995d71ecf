"""The Windows CI workflow does what installers/README.md tells a person to do, word for word."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "windows.yml"
INSTALLERS_README = ROOT / "installers" / "README.md"


def _workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _steps() -> list[dict[str, Any]]:
    steps = _workflow()["jobs"]["build"]["steps"]
    assert isinstance(steps, list)
    return steps


def _readme_build_commands() -> list[str]:
    """The lines of the PowerShell block in installers/README.md that builds the installer."""
    blocks = re.findall(r"```powershell\n(.*?)```", INSTALLERS_README.read_text(encoding="utf-8"), re.DOTALL)
    build = [b for b in blocks if "build.py --smoke --installer" in b]
    assert len(build) == 1, "installers/README.md has no single build block"
    return [line.strip() for line in build[0].splitlines() if line.strip()]


def test_the_workflow_runs_the_readme_commands_in_order() -> None:
    runs = [step["run"].strip() for step in _steps() if "run" in step]
    assert all("\n" not in run for run in runs), "one command per step, as in the README"
    assert runs == _readme_build_commands()


def test_the_workflow_builds_on_windows_with_python_311_and_offscreen_qt() -> None:
    job = _workflow()["jobs"]["build"]
    assert job["runs-on"] == "windows-latest"
    assert job["env"]["QT_QPA_PLATFORM"] == "offscreen"
    assert "DPA_REQUIRE_SEEDS" not in job.get("env", {}), "the seeds are not in the repository"
    uses = [step["uses"].split("@")[0] for step in _steps() if "uses" in step]
    assert uses == ["actions/checkout", "actions/setup-python", "actions/upload-artifact"]
    setup = next(s for s in _steps() if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"


def test_the_uploaded_artifact_is_the_installer_inno_setup_writes() -> None:
    iss = (ROOT / "installers" / "dpa-desktop.iss").read_text(encoding="utf-8")
    output_dir = re.search(r"^OutputDir=(.+)$", iss, re.MULTILINE)
    base_name = re.search(r"^OutputBaseFilename=(.+)$", iss, re.MULTILINE)
    assert output_dir and base_name
    upload = next(s for s in _steps() if s.get("uses", "").startswith("actions/upload-artifact"))
    expected = f"installers/{output_dir.group(1).strip()}/" + base_name.group(1).strip().replace(
        "{#AppVersion}", "*") + ".exe"
    assert upload["with"]["path"] == expected
    assert upload["with"]["if-no-files-found"] == "error"


def test_the_installers_readme_names_what_only_windows_can_show() -> None:
    text = INSTALLERS_README.read_text(encoding="utf-8")
    section = text.split("### What only a Windows run can show", 1)[1].split("\n## ", 1)[0]
    for subject in ("Credential Manager", "Inno Setup", "file locking", "size", "SmartScreen"):
        assert subject in section, subject
