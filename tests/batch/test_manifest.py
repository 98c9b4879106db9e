"""manifest.json: the batch for scripts, a line per list, every row accounted for."""

import json
from pathlib import Path

from conftest import KOMPAKT, letter, make_batch, petition_signer

from merge.batch.manifest import build_manifest, write_manifest
from merge.batch.model import Batch
from merge.lists.accounting import DuplicateRow, ListedRow, RowNote
from merge.lists.paginate import paginate


def batch() -> Batch:
    pages = list(paginate(petition_signer(n, f"Testperson-{n}, Erika") for n in range(1, 7)))
    return make_batch(
        pages,
        name="2026-11-27-1",
        blank=1,
        duplicates=[DuplicateRow("inputs/test.xlsx:Sheet1:9", "inputs/test.xlsx:Sheet1:2")],
        rejected=[
            RowNote("inputs/test.xlsx:Sheet1:10", "no name - fill in the name column", "no-name")
        ],
        warnings=[
            RowNote(
                "inputs/test.xlsx:Sheet1:3",
                "control characters removed",
                "control-characters-removed",
            )
        ],
        previously_listed=[
            ListedRow("inputs/test.xlsx:Sheet1:11", "2026-11-20-1"),
            ListedRow("inputs/test.xlsx:Sheet1:12", "2026-11-20-1"),
            ListedRow("inputs/test.xlsx:Sheet1:13", "2026-11-20-2"),
        ],
        letters=[letter(1, [1, 2], KOMPAKT)],
    )


def test_build_manifest_describes_where_every_row_went() -> None:
    manifest = build_manifest(batch(), ["petition-lists.docx", "manifest.json"])
    origins = [f"inputs/test.xlsx:Sheet1:{n}" for n in range(2, 8)]
    assert manifest == {
        "batch": "2026-11-27-1",
        "prepared_on": "2026-11-20",
        "campaign": "xuar",
        "inputs": ["inputs/test.xlsx"],
        "counts": {
            "rows": 12,
            "blank": 1,
            "signers": 6,
            "duplicates": 1,
            "rejected": 1,
            "previously_listed": 3,
            "held": 0,
            "lists": 2,
        },
        "rejected": [
            {
                "origin": "inputs/test.xlsx:Sheet1:10",
                "code": "no-name",
                "reason": "no name - fill in the name column",
            }
        ],
        "duplicates": [
            {"origin": "inputs/test.xlsx:Sheet1:9", "duplicate_of": "inputs/test.xlsx:Sheet1:2"}
        ],
        "previously_listed": [
            {"origin": "inputs/test.xlsx:Sheet1:11", "batch": "2026-11-20-1"},
            {"origin": "inputs/test.xlsx:Sheet1:12", "batch": "2026-11-20-1"},
            {"origin": "inputs/test.xlsx:Sheet1:13", "batch": "2026-11-20-2"},
        ],
        "held": [],
        "warnings": [
            {
                "origin": "inputs/test.xlsx:Sheet1:3",
                "code": "control-characters-removed",
                "warning": "control characters removed",
            }
        ],
        "lists": [
            {"number": 1, "origins": origins[:5]},
            {"number": 2, "origins": origins[5:]},
        ],
        "envelopes": [
            {
                "number": 1,
                "lists": [1, 2],
                "sheets": 2,
                "grams": 15.0,
                "product": "KOMPAKT",
                "price_eur": 1.8,
            }
        ],
        "postage": {
            "service": "international",
            "envelope_format": "DL",
            "envelope_auto": False,
            "address_sheets_per_envelope": 0,
            "price_period": {
                "name": "2026",
                "valid_from": "2026-01-01",
                "valid_to": "2026-12-31",
                "status": "verified",
                "source": "Preisliste",
            },
            "totals": {
                "envelopes": 1,
                "stamps": [{"value_eur": 1.8, "count": 1}],
                "cost_eur": 1.8,
            },
            "formats": [],
            "cheaper": None,
            "warnings": [],
            "warning_codes": [],
        },
        "labels": {"product": "3422", "start_label": 1, "return_labels": False},
        "dispatch": {  # make_batch's defaults: deadline 2026-12-20, 14 days, made 2026-11-20
            "mail_date": "2026-11-20",
            "country": "CN",
            "transit_days": 14,
            "deadline": "2026-12-20",
            "latest_safe_mailing": "2026-12-06",
        },
        "files": ["petition-lists.docx", "manifest.json"],
    }
    assert "Testperson" not in json.dumps(manifest)  # origins only, never names


def test_the_manifest_has_a_line_per_key_and_per_list_item(tmp_path: Path) -> None:
    out = tmp_path / "manifest.json"
    write_manifest(out, batch(), ["manifest.json"])
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[:3] == ["{", '  "batch": "2026-11-27-1",', '  "prepared_on": "2026-11-20",']
    lists = lines.index('  "lists": [')
    assert lines[lists + 1 : lists + 4] == [
        '    {"number": 1, "origins": ["inputs/test.xlsx:Sheet1:2", "inputs/test.xlsx:Sheet1:3", '
        '"inputs/test.xlsx:Sheet1:4", "inputs/test.xlsx:Sheet1:5", "inputs/test.xlsx:Sheet1:6"]},',
        '    {"number": 2, "origins": ["inputs/test.xlsx:Sheet1:7"]}',
        "  ],",
    ]
    assert lines[-4:] == ['  "files": [', '    "manifest.json"', "  ]", "}"]
    assert json.loads(out.read_text(encoding="utf-8")) == build_manifest(batch(), ["manifest.json"])
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
