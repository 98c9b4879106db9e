"""manifest.json: the batch for scripts, a line per list, every row accounted for."""

import datetime as dt
import json
from pathlib import Path

from conftest import KOMPAKT, ROOT, letter, petition_signer, postage_plan

from merge.batch.manifest import build_manifest, counts, postage_manifest, write_json
from merge.campaign import load_campaign
from merge.lists.accounting import Accounting, DuplicateRow, ListedRow, RowNote
from merge.lists.paginate import paginate
from merge.pipeline import RunRequest, RunResult


def accounting() -> Accounting:
    return Accounting(
        rows=12,
        blank=1,
        signers=[petition_signer(n, f"Testperson-{n}, Erika") for n in range(1, 7)],
        duplicates=[DuplicateRow("inputs/test.xlsx:Sheet1:9", "inputs/test.xlsx:Sheet1:2")],
        rejected=[RowNote("inputs/test.xlsx:Sheet1:10", "no name - fill in the name column")],
        warnings=[RowNote("inputs/test.xlsx:Sheet1:3", "control characters removed")],
        previously_listed=[
            ListedRow("inputs/test.xlsx:Sheet1:11", "2026-11-20-1"),
            ListedRow("inputs/test.xlsx:Sheet1:12", "2026-11-20-1"),
            ListedRow("inputs/test.xlsx:Sheet1:13", "2026-11-20-2"),
        ],
    )


PLAN = postage_plan([letter(1, [1, 2], KOMPAKT)], [("1.80", 1)])


def test_counts_name_every_bucket() -> None:
    assert counts(accounting(), 2) == {
        "rows": 12,
        "blank": 1,
        "signers": 6,
        "duplicates": 1,
        "rejected": 1,
        "previously_listed": 3,
        "lists": 2,
    }


def test_postage_is_split_into_the_envelopes_and_the_rest_of_the_plan() -> None:
    assert postage_manifest(PLAN) == {
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
            "envelope_format": "DL",
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
            "warnings": [],
        },
    }


def test_build_manifest_describes_where_every_row_went(tmp_path: Path) -> None:
    acc = accounting()
    pages = tuple(paginate(acc.signers))
    campaign = load_campaign(None, ROOT)
    request = RunRequest(cwd=tmp_path, today=dt.date(2026, 11, 27))
    result = RunResult((), acc, pages, campaign, plan=PLAN)
    manifest = build_manifest(request, result, "2026-11-27-1", ["inputs/test.xlsx"])
    origins = [f"inputs/test.xlsx:Sheet1:{n}" for n in range(2, 8)]
    assert {
        key: value for key, value in manifest.items() if key not in ("envelopes", "postage")
    } == {
        "batch": "2026-11-27-1",
        "prepared_on": "2026-11-27",
        "campaign": "xuar",
        "inputs": ["inputs/test.xlsx"],
        "counts": counts(acc, 2),
        "rejected": [
            {"origin": "inputs/test.xlsx:Sheet1:10", "reason": "no name - fill in the name column"}
        ],
        "duplicates": [
            {"origin": "inputs/test.xlsx:Sheet1:9", "duplicate_of": "inputs/test.xlsx:Sheet1:2"}
        ],
        "previously_listed": [
            {"origin": "inputs/test.xlsx:Sheet1:11", "batch": "2026-11-20-1"},
            {"origin": "inputs/test.xlsx:Sheet1:12", "batch": "2026-11-20-1"},
            {"origin": "inputs/test.xlsx:Sheet1:13", "batch": "2026-11-20-2"},
        ],
        "warnings": [
            {"origin": "inputs/test.xlsx:Sheet1:3", "warning": "control characters removed"}
        ],
        "lists": [
            {"number": 1, "origins": origins[:5]},
            {"number": 2, "origins": origins[5:]},
        ],
    }
    assert manifest["envelopes"] == postage_manifest(PLAN)["envelopes"]
    assert "Testperson" not in json.dumps(manifest)  # origins only, never names


def test_write_json_puts_a_line_per_key_and_per_list_item(tmp_path: Path) -> None:
    out = tmp_path / "manifest.json"
    data = {
        "batch": "2026-11-27-1",
        "lists": [{"number": 1, "origins": ["a:S:2"]}, {"number": 2, "origins": []}],
        "rejected": [],
        "campaign": "Grüße",
    }
    write_json(out, data)
    assert out.read_text(encoding="utf-8") == (
        "{\n"
        '  "batch": "2026-11-27-1",\n'
        '  "lists": [\n'
        '    {"number": 1, "origins": ["a:S:2"]},\n'
        '    {"number": 2, "origins": []}\n'
        "  ],\n"
        '  "rejected": [],\n'
        '  "campaign": "Grüße"\n'
        "}\n"
    )
    assert json.loads(out.read_text(encoding="utf-8")) == data
    assert [p.name for p in tmp_path.iterdir()] == ["manifest.json"]
