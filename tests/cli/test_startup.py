"""Starting the CLI loads no document library: --help, status and check-template start fast.

Import time itself is measured in the benchmark (benchmarks/), not asserted here.
"""

import json
import subprocess
import sys

import pytest

HEAVY = ("pypdf", "docxtpl", "docx", "lxml", "python_calamine", "xlsxwriter", "jinja2")


def loaded_after(code: str) -> list[str]:
    """Run ``code`` in a fresh interpreter; return the heavy libraries it left loaded."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    modules = json.loads(done.stdout.strip().splitlines()[-1])
    return [name for name in HEAVY if name in modules]


def test_importing_the_cli_loads_no_document_library() -> None:
    assert loaded_after("import merge.cli") == []


@pytest.mark.parametrize("command", [["--help"], ["run", "--help"], ["status", "--help"]])
def test_help_loads_no_document_library(command: list[str]) -> None:
    code = (
        "import sys\nfrom merge.cli import cli\n"
        f"try:\n    cli({command!r}, prog_name='petition-merge')\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) == []


def test_status_without_a_ledger_loads_no_document_library(tmp_path: object) -> None:
    code = (
        f"import os\nos.chdir({str(tmp_path)!r})\nfrom merge.cli import cli\n"
        "try:\n    cli(['status'], prog_name='petition-merge')\nexcept SystemExit:\n    pass"
    )
    assert loaded_after(code) == []
