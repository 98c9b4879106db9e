"""write_atomically: a file is replaced whole or not at all, and no temporary file is left.

(tests/batch/test_atomic.py is about the batch folder: runs killed at any moment.)
"""

from pathlib import Path

import pytest

from merge.atomic import write_atomically
from merge.errors import OutputError


def test_the_new_content_replaces_the_old_and_nothing_else_is_left(tmp_path: Path) -> None:
    out = tmp_path / "liste.docx"
    out.write_text("old")
    used: list[Path] = []

    def write(tmp: Path) -> None:
        used.append(tmp)
        assert out.read_text() == "old"  # the file in place is untouched meanwhile
        tmp.write_text("new")

    write_atomically(out, write)
    assert out.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["liste.docx"]
    [tmp] = used
    assert tmp.parent == tmp_path  # beside it, so the rename cannot cross file systems
    assert tmp.name.startswith(".liste.docx.") and tmp.name.endswith(".tmp")


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), RuntimeError("bug")])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, failure: Exception
) -> None:
    out = tmp_path / "liste.docx"
    out.write_text("old")

    def write(tmp: Path) -> None:
        tmp.write_text("half")
        raise failure

    with pytest.raises((OutputError, RuntimeError)) as info:
        write_atomically(out, write)
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["liste.docx"]
    if isinstance(failure, OSError):  # a disk problem is the user's to fix: one line
        assert isinstance(info.value, OutputError)
        message = str(info.value)
        assert message.startswith(f"{out}: cannot write (")
        assert "No space left on device" in message and "\n" not in message
    else:  # a bug is not dressed up as an output error
        assert info.value is failure


def test_a_missing_folder_is_an_output_error_saying_what_to_check(tmp_path: Path) -> None:
    out = tmp_path / "fehlt" / "liste.docx"
    with pytest.raises(OutputError) as info:
        write_atomically(out, lambda tmp: tmp.write_text("x"))
    message = str(info.value)
    assert message.startswith(f"{out}: cannot write here (")
    assert message.endswith("check that the folder exists and is writable, and that the file "
                            "is not open elsewhere")  # fmt: skip
    assert not out.parent.exists()
