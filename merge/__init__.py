"""petition-merge: signer spreadsheets in, print-ready petition lists of five out.

The names in ``__all__`` are what a program may use; everything else may change between
versions. They are imported on first use, so ``import merge`` stays cheap::

    import datetime as dt
    from pathlib import Path
    import merge

    result = merge.run(merge.RunRequest(cwd=Path("."), today=dt.date.today()), print)
    print(result.accounting.counts(), result.batch_dir)

Two things :func:`run` does affect the whole process while it works, which a library
caller should know: it raises the cyclic garbage collector's thresholds (and restores them
afterwards; see ``merge.pipeline``), and while calamine parses a workbook it points file
descriptor 2 at the null device, so a native panic message does not reach the terminal
(``merge.read.workbook``); another thread writing to stderr in that moment is silenced too.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# name -> the module that defines it
_EXPORTS = {
    "run": "merge.pipeline",
    "RunRequest": "merge.pipeline",
    "RunResult": "merge.pipeline",
    "PostOptions": "merge.batch.model",
    "Batch": "merge.batch.model",
    "Report": "merge.reporter",
    "Kind": "merge.reporter",
    "Accounting": "merge.lists.accounting",
    "account_rows": "merge.lists.accounting",
    "Signer": "merge.lists.signer",
    "SourceRow": "merge.read.rows",
    "read_rows": "merge.read.rows",
    "list_inputs": "merge.read.rows",
    "Ledger": "merge.track.ledger",
    "open_ledger": "merge.track.ledger",
    "MergeError": "merge.errors",
}

__all__ = [
    "Accounting",
    "Batch",
    "Kind",
    "Ledger",
    "MergeError",
    "PostOptions",
    "Report",
    "RunRequest",
    "RunResult",
    "Signer",
    "SourceRow",
    "__version__",
    "account_rows",
    "list_inputs",
    "open_ledger",
    "read_rows",
    "run",
]

if TYPE_CHECKING:
    from merge.batch.model import Batch, PostOptions
    from merge.errors import MergeError
    from merge.lists.accounting import Accounting, account_rows
    from merge.lists.signer import Signer
    from merge.pipeline import RunRequest, RunResult, run
    from merge.read.rows import SourceRow, list_inputs, read_rows
    from merge.reporter import Kind, Report
    from merge.track.ledger import Ledger, open_ledger


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'merge' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
