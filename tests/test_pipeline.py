"""pipeline.run as a library call: what it changes in the calling process, and undoes."""

from __future__ import annotations

import datetime as dt
import gc
import json
import shutil
from pathlib import Path

import pytest

from merge.errors import InputError
from merge.pipeline import GC_THRESHOLDS, RunRequest, run

EXAMPLE = Path(__file__).parent.parent / "inputs"


def test_run_collects_garbage_less_often_and_restores_the_callers_setting(
    tmp_path: Path,
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "inputs")
    during: list[tuple[int, ...]] = []
    before = gc.get_threshold()
    gc.set_threshold(1234, 5, 6)  # what a caller might have chosen
    try:
        request = RunRequest(cwd=tmp_path, today=dt.date(2026, 11, 27), pdf=False)
        result = run(request, lambda report: during.append(gc.get_threshold()))
        assert gc.get_threshold() == (1234, 5, 6)
    finally:
        gc.set_threshold(*before)
    assert result.batch_dir is not None and len(result.accounting.signers) == 40
    assert during and set(during) == {GC_THRESHOLDS}


def test_manifest_has_a_line_per_list_and_reads_back_whole(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "inputs")
    request = RunRequest(cwd=tmp_path, today=dt.date(2026, 11, 27), pdf=False)
    result = run(request)
    assert result.batch_dir is not None
    text = (result.batch_dir / "manifest.json").read_text(encoding="utf-8")
    manifest = json.loads(text)
    assert manifest["counts"]["signers"] == 40
    origins = [origin for line in manifest["lists"] for origin in line["origins"]]
    assert origins == [signer.origin for signer in result.accounting.signers]
    lines = text.splitlines()
    for number in range(1, 9):  # each list on a line of its own, as json writes one list
        start = f'{{"number": {number}, "origins": '
        [line] = [line for line in lines if line.lstrip().startswith(start)]
        assert json.loads(line.rstrip(",")) == manifest["lists"][number - 1]
    assert manifest["files"][-1] == "manifest.json"


def test_run_restores_the_setting_when_it_fails(tmp_path: Path) -> None:
    before = gc.get_threshold()
    request = RunRequest(cwd=tmp_path, today=dt.date(2026, 11, 27), inputs=(tmp_path,))
    with pytest.raises(InputError, match="no spreadsheets found"):
        run(request)
    assert gc.get_threshold() == before


def test_overlapping_runs_restore_the_callers_setting_when_the_last_ends() -> None:
    """The web page runs batches and dry runs in threads: one run ending must not undo the
    setting of another still going, and the last one restores the caller's."""
    from merge.pipeline import _fewer_gc_passes

    before = gc.get_threshold()
    gc.set_threshold(1234, 5, 6)
    try:
        first, second = _fewer_gc_passes(), _fewer_gc_passes()
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)  # the first ends while the second goes on
        assert gc.get_threshold() == GC_THRESHOLDS
        second.__exit__(None, None, None)
        assert gc.get_threshold() == (1234, 5, 6)
    finally:
        gc.set_threshold(*before)
