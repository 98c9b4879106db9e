"""Property tests: spreadsheets full of arbitrary unicode in arbitrary columns.

Whatever hypothesis builds, a run ends in success or one clean error line, the accounting
adds up, and every printed name reads back from the .docx exactly as normalised.
"""

import csv
import datetime as dt
import io
from pathlib import Path

from docx import Document
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from merge.errors import MergeError
from merge.pipeline import RunRequest, run

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


@st.composite
def table(draw: st.DrawFn) -> list[list[str]]:
    """A header with a name and an address column in any order, extra columns, any cells."""
    name = draw(st.sampled_from(["Name", "Nachname", "Name, Vorname"]))
    address = draw(st.sampled_from(["Anschrift", "Ort"]))
    extra = draw(st.lists(st.sampled_from(KNOWN), max_size=4, unique=True))
    columns = draw(st.permutations(list(dict.fromkeys([name, address, *extra]))))
    rows = draw(st.lists(st.lists(text, min_size=len(columns), max_size=len(columns)), max_size=12))
    return [columns, *rows]


def csv_bytes(rows: list[list[str]], delimiter: str, encoding: str, newline: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(rows)
    if encoding == "utf-8-surrogates":  # bytes no decoder accepts as UTF-8
        return buffer.getvalue().encode("utf-8") + b"\xed\xa0\x80;\xff\n"
    return buffer.getvalue().encode(encoding, errors="replace")


def xlsx_bytes(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row])
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
    request = RunRequest(
        cwd=root, today=dt.date(2026, 11, 27), inputs=(source,), pdf=False, reprint=True
    )
    try:
        result = run(request)
    except MergeError as err:
        assert "\n" not in str(err)  # one clean line
        event(f"clean error: {type(err).__name__}")
        return
    event("printed")
    acc = result.accounting
    assert acc.rows == (
        acc.blank + len(acc.signers) + len(acc.duplicates) + len(acc.rejected)
        + len(acc.previously_listed)
    )  # fmt: skip
    assert result.batch_dir is not None
    assert printed_names(result.batch_dir / "petition-lists.docx") == [s.name for s in acc.signers]
