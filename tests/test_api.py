"""The library API: what merge/__init__.py declares is there, and importing it is cheap."""

import subprocess
import sys

import merge


def test_every_declared_name_resolves() -> None:
    for name in merge.__all__:
        assert getattr(merge, name) is not None, name


def test_unknown_names_are_attribute_errors() -> None:
    try:
        merge.no_such_thing  # noqa: B018
    except AttributeError as err:
        assert "no_such_thing" in str(err)
    else:
        raise AssertionError("merge.no_such_thing resolved")


def test_importing_merge_loads_no_stage() -> None:
    probe = "import sys, merge; print(sorted(m for m in sys.modules if m.startswith('merge')))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "['merge']"


def test_a_library_caller_gets_the_accounting_and_the_reports(tmp_path: object) -> None:
    import datetime as dt
    import shutil
    from pathlib import Path

    root = Path(str(tmp_path))
    shutil.copytree(Path(__file__).parent.parent / "templates", root / "templates")
    shutil.copytree(Path(__file__).parent.parent / "inputs", root / "inputs")
    reports: list[merge.Report] = []
    request = merge.RunRequest(cwd=root, today=dt.date(2026, 12, 1), dry_run=True)
    result = merge.run(request, reports.append)
    assert result.accounting.rows == 45
    kinds = {report.kind for report in reports}
    assert {merge.Kind.STEP, merge.Kind.NOTE, merge.Kind.WARNING} <= kinds
    assert not (root / "outputs").exists()  # a dry run writes nothing
