"""What makes a batch's PDFs: the CLI's cold LibreOffice by default, or the converter a caller
gives (the web page's warm one), under the same rules: the whole batch, or one line and nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import HEADER, batch_dirs, signer_rows, write_xlsx

from merge import pipeline
from merge.cli import cli
from merge.errors import OutputError
from merge.render import pdf

Pairs = Sequence[tuple[Path, Path]]
DOCUMENTS = ["petition-lists", "labels", "envelopes", "post-office"]


class Recorder:
    """A converter that writes a small PDF per pair and remembers what it was given."""

    def __init__(self) -> None:
        self.calls: list[list[tuple[Path, Path]]] = []

    def __call__(self, pairs: Pairs) -> None:
        self.calls.append(list(pairs))
        for docx, target in pairs:
            assert docx.is_file()
            target.write_bytes(b"%PDF-1.4\n% made in a test\n")

    def stems(self) -> list[list[str]]:
        return [[docx.stem for docx, _pdf in call] for call in self.calls]


@pytest.fixture
def cold(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Stand in for the cold LibreOffice of the CLI (pdf.convert_all_to_pdf)."""
    recorder = Recorder()
    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "convert_all_to_pdf", recorder)
    return recorder


@pytest.fixture
def signers(project: Path) -> Path:
    write_xlsx(project / "inputs" / "liste.xlsx", {"S": [HEADER, *signer_rows(23)]})
    return project


def request(folder: Path, **options: Any) -> pipeline.RunRequest:
    return pipeline.RunRequest(cwd=folder, today=dt.date(2026, 11, 27), **options)


def test_the_cli_converts_with_a_libreoffice_of_its_own_as_before(
    signers: Path, cold: Recorder
) -> None:
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == 0, result.output
    assert cold.stems() == [DOCUMENTS]  # one call, all four documents
    (folder,) = batch_dirs(signers)
    assert all(target.parent.name.startswith(".") for _docx, target in cold.calls[0])  # staging
    assert sorted(p.stem for p in folder.glob("*.pdf")) == sorted(DOCUMENTS)


def test_a_converter_given_makes_every_pdf_and_the_cold_one_none(
    signers: Path, cold: Recorder
) -> None:
    warm = Recorder()
    result = pipeline.run(request(signers, converter=warm))
    assert warm.stems() == [DOCUMENTS]
    assert cold.calls == []
    assert result.batch_dir is not None and not result.pdf_missing
    assert sorted(p.stem for p in result.batch_dir.glob("*.pdf")) == sorted(DOCUMENTS)


def test_no_pdf_asks_no_converter(signers: Path, cold: Recorder) -> None:
    warm = Recorder()
    pipeline.run(request(signers, converter=warm, pdf=False))
    assert warm.calls == [] and cold.calls == []


def test_a_converter_that_fails_leaves_no_batch_and_nothing_recorded(
    signers: Path, cold: Recorder
) -> None:
    def failing(pairs: Pairs) -> None:
        pairs[0][1].write_bytes(b"%PDF half")  # what a crash may leave in the staging folder
        raise OutputError("LibreOffice stopped while converting x.docx (LibreOffice ended)")

    with pytest.raises(OutputError, match="LibreOffice stopped"):
        pipeline.run(request(signers, converter=failing))
    assert batch_dirs(signers) == []  # neither the batch nor its staging folder
    result = pipeline.run(request(signers, converter=Recorder()))  # nobody is on a list yet
    assert len(result.accounting.signers) == 23


def test_a_large_batch_converts_its_lists_in_parts_and_the_rest_with_the_converter(
    signers: Path, cold: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts: list[int] = []

    def in_parts(write_part: object, pages: int, target: Path, **kw: object) -> None:
        parts.append(pages)
        target.write_bytes(b"%PDF-1.4\n")

    monkeypatch.setattr(pdf, "PARALLEL_FROM_PAGES", 3)  # 23 signers: 5 lists
    monkeypatch.setattr(pdf, "convert_in_parts", in_parts)
    warm = Recorder()
    pipeline.run(request(signers, converter=warm))
    assert warm.stems() == [DOCUMENTS[1:]]
    assert parts == [5]
    assert cold.calls == []
