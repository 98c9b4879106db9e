"""Property tests: spreadsheets full of arbitrary unicode in arbitrary columns.

Whatever hypothesis builds around one well-formed signer, the file is read, the accounting
adds up, that signer is printed, and every printed name reads back from the .docx exactly
as normalised.
"""

import csv
import datetime as dt
import io
import re
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from merge.errors import MergeError
from merge.pipeline import RunRequest, run
from merge.render.petitions import render_petitions

KNOWN = ["Name", "Vorname", "Nachname", "Name, Vorname", "Anschrift", "Straße", "PLZ", "Ort",
         "Land", "E-Mail", "Unterschrift", "Notiz"]  # fmt: skip
SPICE = "\u200f\u202e\u202c\u0301\u0308\U0001f33b\u738b\u0644\u0627\x00\x07\x0b\t\r\n\ufeff\ufffe"

text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),  # everything, surrogates excluded
        st.sampled_from(list(SPICE)),
        st.sampled_from(list("äöüßÄÖÜ ,.;\"'-&<>{}%#=+@")),
    ),
    max_size=40,
)

GOOD_NAME = "Gutperson"

# What the well-formed signer has in each known column: a name in every name column (which
# of them the header recognition picks then does not matter), a whole address in the
# address cell and in the parts, nothing else.
GOOD_CELLS = {"Name": GOOD_NAME, "Nachname": GOOD_NAME, "Name, Vorname": GOOD_NAME,
              "Anschrift": "Beispielweg 1, 12345 Musterstadt", "Straße": "Beispielweg 1",
              "PLZ": "12345", "Ort": "Musterstadt"}  # fmt: skip


@st.composite
def table(draw: st.DrawFn) -> list[list[str]]:
    """A header with a name and an address column in any order, extra columns, any cells,
    and somewhere among the rows one well-formed signer, so that a reader that refused
    every file would fail this test."""
    name = draw(st.sampled_from(["Name", "Nachname", "Name, Vorname"]))
    address = draw(st.sampled_from([["Anschrift"], ["Straße", "PLZ", "Ort"]]))
    extra = draw(st.lists(st.sampled_from(KNOWN), max_size=4, unique=True))
    columns = draw(st.permutations(list(dict.fromkeys([name, *address, *extra]))))
    rows = draw(st.lists(st.lists(text, min_size=len(columns), max_size=len(columns)), max_size=12))
    good = [GOOD_CELLS.get(column, "") for column in columns]
    rows.insert(draw(st.integers(0, len(rows))), good)
    return [columns, *rows]


# Control characters but tab, CR and LF. Without a byte-order mark, a file with more of them
# than one byte in a hundred is taken for binary and refused (tests/read/test_delimited.py);
# cells full of arbitrary characters are far above that, so such files get none.
C0_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


XML_ILLEGAL = re.compile("[\ufffe\uffff]")  # openpyxl lets these through; lxml refuses them


def csv_bytes(rows: list[list[str]], delimiter: str, encoding: str, newline: str) -> bytes:
    if encoding not in ("utf-8-sig", "utf-16"):
        rows = [[C0_CONTROLS.sub("", cell) for cell in row] for row in rows]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    if encoding == "utf-8-surrogates":  # bytes no decoder accepts as UTF-8
        return buffer.getvalue().encode("utf-8") + b"\xed\xa0\x80;\xff\n"
    return buffer.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    """Write the rows as a workbook, without what XML (so a workbook) cannot hold."""
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([XML_ILLEGAL.sub("", ILLEGAL_CHARACTERS_RE.sub("", cell)) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def printed_names(docx: Path) -> list[str]:
    return [
        row.cells[1].text
        for table in Document(str(docx)).tables
        for row in table.rows[1:]
        if row.cells[1].text
    ]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=table(),
    kind=st.sampled_from(["csv", "xlsx"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-8-surrogates"]),
    newline=st.sampled_from(["\r\n", "\n", "\r"]),
)
def test_any_spreadsheet_is_accounted_for_and_printed_exactly(
    tmp_path_factory: object,
    rows: list[list[str]],
    kind: str,
    delimiter: str,
    encoding: str,
    newline: str,
) -> None:
    root: Path = tmp_path_factory.mktemp("run")  # type: ignore[attr-defined]
    source = root / f"liste.{kind}"
    source.write_bytes(
        xlsx_bytes(rows) if kind == "xlsx" else csv_bytes(rows, delimiter, encoding, newline)
    )
    # A dry run reads and accounts as a real one; of what a real run writes, only the lists
    # hold the signers' text, so they are rendered here (the rest costs 0.2 s an example).
    request = RunRequest(cwd=root, today=dt.date(2026, 11, 27), inputs=(source,), dry_run=True)
    try:
        result = run(request)
    except MergeError as err:  # a file that holds a well-formed signer is never refused
        raise AssertionError(f"refused: {err}") from err
    acc = result.accounting
    assert acc.rows == acc.blank + len(acc.signers) + len(acc.duplicates) + len(acc.rejected)
    lists = root / "petition-lists.docx"
    render_petitions(result.campaign.template, result.campaign, result.pages, "2026-11-27-1", lists)
    printed = printed_names(lists)
    assert printed == [s.name for s in acc.signers]
    assert GOOD_NAME in printed
    event("several signers printed" if len(printed) > 1 else "the well-formed signer alone")
