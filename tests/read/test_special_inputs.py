"""Inputs that are no spreadsheet file at all: one line, exit 3, the true reason."""

import os
from pathlib import Path

import pytest
from conftest import HEADER, invoke, signer_rows, write_csv

from merge.errors import InputError
from merge.read.rows import list_inputs


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_named_as_such_and_never_read(project: Path) -> None:
    pipe = project / "inputs" / "liste.csv"
    os.mkfifo(pipe)  # opening it for reading would wait for a writer forever
    result = invoke("run", "--dry-run", str(pipe))
    assert result.exit_code == 3
    assert result.output.strip().splitlines()[-1] == (
        f"error: {pipe}: is not a file but a pipe (FIFO) - save the list as a spreadsheet "
        "file and give that file"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_a_device_is_named_as_such() -> None:
    with pytest.raises(InputError, match=r"^/dev/zero: is not a file but a device - "):
        list_inputs([Path("/dev/zero")])


def test_a_folder_skips_pipes_and_reads_its_files(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(2)])
    if hasattr(os, "mkfifo"):
        os.mkfifo(project / "inputs" / "b.csv")
    assert list_inputs([project / "inputs"]) == [project / "inputs" / "a.csv"]


def test_a_file_that_may_not_be_read_says_so(project: Path) -> None:
    path = write_csv(project / "inputs" / "geheim.csv", [HEADER, *signer_rows(2)])
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("this user reads any file (root): permissions cannot be tried here")
        result = invoke("run", "--dry-run")
        assert result.exit_code == 3
        assert result.output.strip().splitlines()[-1] == (
            "error: inputs/geheim.csv: cannot be read (Permission denied) - check that you may "
            "read it, and that it is not open in another program"
        )
    finally:
        path.chmod(0o600)


def test_a_header_without_rows_says_so(project: Path) -> None:
    write_csv(project / "inputs" / "leer.csv", [HEADER])
    result = invoke("run", "--dry-run")
    assert result.exit_code == 3
    assert result.output.strip().splitlines()[-1] == (
        "error: inputs/leer.csv: no signers found (0 rows: 0 blank, 0 rejected, 0 duplicates) "
        "- the files hold no rows below their headers: add the signers' rows"
    )
