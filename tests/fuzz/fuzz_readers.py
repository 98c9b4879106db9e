"""Fuzz the signer-file readers with atheris: any bytes give rows or an InputError.

Run (bounded): python tests/fuzz/fuzz_readers.py WORKDIR tests/corpus -max_total_time=60
WORKDIR collects new inputs; tests/corpus seeds the fuzzer with real-world shapes.
tests/test_fuzz.py runs it for a short time when atheris is installed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports():
    from merge.errors import InputError
    from merge.lists.accounting import account_rows
    from merge.read.rows import read_rows

_FILE = Path(tempfile.mkdtemp(prefix="fuzz-readers-")) / "input"


def test_one_input(data: bytes) -> None:
    _FILE.write_bytes(data)
    try:
        result = account_rows(read_rows(_FILE, lambda report: None, max_unpacked_mb=50))
    except InputError:
        return
    buckets = result.blank + len(result.signers) + len(result.duplicates) + len(result.rejected)
    assert buckets == result.rows


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
