"""What was prepared and mailed: the ledger, the dispatch checklist, mark-mailed, discard,
status and purge. Nothing here imports the pipeline."""
