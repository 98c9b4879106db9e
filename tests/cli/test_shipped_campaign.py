"""The shipped campaign works with every option the README shows; what does not fit a
label or envelope is refused naming the campaign key."""

import json
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT, batch_dirs, invoke
from docx import Document

from merge.render.label_products import load_label_products

CAMPAIGN = tomllib.loads((ROOT / "templates" / "xuar.toml").read_text(encoding="utf-8"))


def words(docx: Path) -> list[str]:
    """Every word of a document: its headers (an envelope's sender line), body and tables."""
    document = Document(str(docx))
    headers = [p.text for section in document.sections for p in section.header.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return " ".join([*headers, *(p.text for p in document.paragraphs), *cells]).split()


@pytest.mark.parametrize(
    "options",
    [
        ["--window"],
        ["--envelope", "C5", "--window"],
        ["--envelope", "C4", "--window"],
        ["--envelope", "C5"],
        ["--envelope", "C4"],
        ["--return-labels"],
        ["--local-address"],
        ["--local-address", "--return-labels", "--envelope", "C5"],
    ],
)
def test_every_readme_option_works_with_the_shipped_campaign(
    example: Path, options: list[str]
) -> None:
    result = invoke("run", "--no-pdf", *options)
    assert result.exit_code == 0, result.output
    [batch] = batch_dirs(example)
    envelopes = words(batch / "envelopes.docx")
    if "--window" in options or "--envelope" in options:
        # the sender line is printed whole, if on two lines
        assert " ".join(CAMPAIGN["sender_line"].split()) in " ".join(envelopes)
    assert "Jinping" in envelopes
    if "--return-labels" in options:
        printed = " ".join(words(batch / "labels.docx"))
        assert " ".join(" ".join(CAMPAIGN["return_address"]).split()) in printed


def test_return_labels_fit_every_label_product_tall_enough_for_six_lines(project: Path) -> None:
    """Six lines of 8 pt (one of them wrapped) need 23 mm inside the label's 3 mm insets:
    every product but the 29.7 mm high 3651 holds them."""
    from conftest import signer_rows, write_csv

    write_csv(project / "inputs" / "a.csv", [["Name", "Vorname", "Straße", "PLZ", "Ort"],
                                             *signer_rows(1)])  # fmt: skip
    for code, product in load_label_products().items():
        result = invoke("run", "--no-pdf", "--reprint", "--return-labels", "--labels", code)
        if product.label_h_mm >= 33:
            assert result.exit_code == 0, (code, result.output)
        else:
            assert result.exit_code == 5, (code, result.output)
            [line] = [line for line in result.stderr.splitlines() if line.startswith("error:")]
            assert "xuar.toml: key 'return_address': the sender block (6 lines)" in line
            assert f"does not fit label {code}" in line and "it fits: 3422" in line


def test_a_local_block_too_tall_names_both_keys_before_anything_is_read(example: Path) -> None:
    result = invoke("run", "--dry-run", "--local-address", "--labels", "3651")
    assert result.exit_code == 5, result.output
    assert "key(s)" not in result.stderr
    assert "keys 'addressee_local' and 'addressee': the address block (8 lines)" in result.stderr
    assert "reading" not in result.stderr  # refused before the inputs were read
    assert batch_dirs(example) == []


def test_the_manifest_counts_the_return_labels_of_the_shipped_campaign(example: Path) -> None:
    assert invoke("run", "--no-pdf", "--return-labels").exit_code == 0
    [batch] = batch_dirs(example)
    manifest = json.loads((batch / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"][:3] == ["petition-lists.docx", "labels.docx", "envelopes.docx"]
