"""Files -> SourceRow: sniffing, workbook and CSV readers, the sheet scan, header recognition.

The entry point is :func:`merge.read.rows.read_rows`.
"""
