"""The batch folder: what it holds, how it is built (staging, atomic rename) and described.

One batch of petition lists is one folder such as ``outputs/2026-11-27-1/``: built in a hidden
staging folder (:mod:`merge.batch.staging`), filled by :mod:`merge.batch.write`, described by
``manifest.json`` (:mod:`merge.batch.manifest`) and renamed into place when complete.
"""

import re

LISTS_DOCX = "petition-lists.docx"
LISTS_PDF = "petition-lists.pdf"
LABELS_DOCX = "labels.docx"
ENVELOPES_DOCX = "envelopes.docx"
COUNTER_DOCX = "post-office.docx"
CHECKLIST = "dispatch-checklist.xlsx"
MANIFEST = "manifest.json"

# Files that hold signers' names or addresses, deleted by purge.
PERSONAL_FILES = (LISTS_DOCX, LISTS_PDF, CHECKLIST)

MAX_NAME = 100  # characters of a batch name: it is a folder, a sheet header and a ledger key


def check_batch_name(name: str) -> None:
    """Refuse a batch name that is not one short line of printable characters."""
    from merge.errors import UsageError
    from merge.i18n import _

    if not name or not name.isprintable() or name != name.strip() or len(name) > MAX_NAME:
        shown = name.encode("unicode_escape").decode("ascii")[:60]
        raise UsageError(
            _(
                "'{name}' cannot name a batch - use one line of letters, digits, '-' or '_', "
                "at most {n} characters, e.g. 2026-11-27-markt"
            ).format(name=shown, n=MAX_NAME)
        )


_NUMBER = re.compile(r"(\d+)")


def batch_order(name: str) -> tuple[tuple[int, int | str], ...]:
    """Sort batch names as people count them: 2026-12-02-2 before 2026-12-02-10.

    Runs of digits compare as numbers, the rest as text (case-folded); a number sorts before
    text in the same place. Sorted as text, the eleventh batch of a day came second.
    """
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in _NUMBER.split(name)
        if part
    )
