"""The batch folder: what it holds, how it is built (staging, atomic rename) and described.

One batch of petition lists is one folder such as ``outputs/2026-11-27-1/``: built in a hidden
staging folder (:mod:`merge.batch.staging`), filled by :mod:`merge.batch.write`, described by
``manifest.json`` (:mod:`merge.batch.manifest`) and renamed into place when complete.
"""

LISTS_DOCX = "petition-lists.docx"
LISTS_PDF = "petition-lists.pdf"
LABELS_DOCX = "labels.docx"
ENVELOPES_DOCX = "envelopes.docx"
COUNTER_DOCX = "post-office.docx"
CHECKLIST = "dispatch-checklist.xlsx"
MANIFEST = "manifest.json"

# Files that hold signers' names or addresses, deleted by purge.
PERSONAL_FILES = (LISTS_DOCX, LISTS_PDF, CHECKLIST)
