"""manifest.json: the batch for scripts: counts, where every row went, lists and envelopes.

Built in this one place from the :class:`~merge.batch.model.Batch`; it holds origins
(``file:sheet:row``), never a name or an address. Its keys are English, and every reason
or warning has a ``code`` beside it: a short English word that is the same in every
language ("no-postcode-or-town"), while ``reason`` is in the language of the run.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from merge.atomic import write_atomically
from merge.batch.model import Batch
from merge.post.plan import plan_as_json


def build_manifest(batch: Batch, files: Sequence[str]) -> dict[str, Any]:
    """Describe the batch: counts, where each row went, the lists, the envelopes, the files."""
    acc = batch.accounting
    postage = plan_as_json(batch.plan)
    envelopes = postage.pop("envelopes")
    return {
        "batch": batch.name,
        "prepared_on": batch.prepared_on.isoformat(),
        "campaign": batch.campaign.name,
        "inputs": list(batch.inputs),
        "counts": batch.counts(),
        "rejected": [
            {"origin": r.origin, "code": r.code, "reason": r.reason} for r in acc.rejected
        ],
        "duplicates": [
            {"origin": d.origin, "duplicate_of": d.duplicate_of} for d in acc.duplicates
        ],
        "previously_listed": [
            {"origin": p.origin, "batch": p.batch} for p in acc.previously_listed
        ],
        "held": [
            {
                "origin": h.origin,
                "batch": h.batch,
                "change": h.change,
                "code": h.code,
                "reason": h.reason,
            }
            for h in acc.held
        ],
        "warnings": [
            {"origin": w.origin, "code": w.code, "warning": w.reason} for w in acc.warnings
        ],
        "lists": [
            {"number": page.number, "origins": [s.origin for s in page.signers]}
            for page in batch.pages
        ],
        "envelopes": envelopes,
        "postage": postage,
        # what the labels are printed on: the print PDF's sheet from this label on
        "labels": {
            "product": batch.label.code,
            "start_label": batch.post.start_label,
            "return_labels": batch.post.return_labels,
        },
        "dispatch": {
            "mail_date": (batch.post.mail_date or batch.prepared_on).isoformat(),
            "country": batch.campaign.country,
            "transit_days": batch.transit_days,
            "deadline": batch.campaign.deadline.isoformat(),
            "latest_safe_mailing": batch.latest_safe_mailing.isoformat(),
        },
        "files": list(files),
    }


def write_manifest(path: Path, batch: Batch, files: Sequence[str]) -> None:
    """Write manifest.json atomically: a line per top-level key, and per item of a list.

    As readable as an indented dump, and made by json's C encoder: an indented dump runs
    in Python, 0.2 s for the 20 000 lists of a national batch.
    """

    def dumped(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    parts = []
    for key, value in build_manifest(batch, files).items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(map(dumped, value))
            parts.append(f"  {dumped(key)}: [\n    {items}\n  ]")
        else:
            parts.append(f"  {dumped(key)}: {dumped(value)}")
    text = "{\n" + ",\n".join(parts) + "\n}\n"
    write_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
