"""scripts/build_template.py, the developer tool, still makes a template that passes the check.

The committed templates/petition-list.docx is the source; the script only starts over.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from merge.render.template_check import check_template


def test_the_build_script_makes_a_template_that_passes_the_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "fresh.docx"
    monkeypatch.setattr(sys, "argv", ["build_template.py", str(out)])
    runpy.run_path(str(ROOT / "scripts" / "build_template.py"), run_name="__main__")
    assert check_template(out) == []
