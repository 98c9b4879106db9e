"""Write the bad-input corpus: files as they really arrive by e-mail and USB stick.

Run from the repository root: `python tests/corpus/make_corpus.py`. The files are
committed; `tests/test_corpus.py` says what petition-merge must do with each. The
password-protected workbook needs msoffcrypto-tool (`pip install msoffcrypto-tool`),
the formula-error workbooks and the .ods files need LibreOffice; neither is needed to run
the tests. Two large cases (200 000 rows, a 2 GiB zip bomb) are built by the functions
below when needed.
The fuzz-*.xlsx files are inputs the fuzzer (tests/fuzz/fuzz_readers.py) found to crash an
earlier version; they are kept as they were found, not made here.
All names and addresses are invented.
"""

from __future__ import annotations

import io
import shutil
import struct
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

HERE = Path(__file__).parent
HEADER = ["Name", "Vorname", "Straße", "PLZ", "Ort"]
GOOD = [
    ["Beispiel", "Anna", "Lindenweg 1", "12345", "Musterstadt"],
    ["Muster", "Bernd", "Ahornallee 2", "12345", "Musterstadt"],
    ["Probe", "Clara", "Birkenhof 3", "23456", "Erfundorf"],
]


def xlsx_bytes(sheets: dict[str, Sequence[Sequence[Any]]], **options: Any) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        if options.get("hidden_sheet") == title:
            sheet.sheet_state = "hidden"
        for number in options.get("hidden_rows", {}).get(title, ()):
            sheet.row_dimensions[number].hidden = True
        for area in options.get("merge", {}).get(title, ()):
            sheet.merge_cells(area)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows: Iterable[Sequence[str]], delimiter: str = ",") -> str:
    return "".join(delimiter.join(row) + "\r\n" for row in rows)


def raw_xlsx(path: Path, rows: Iterable[Sequence[str]]) -> None:
    """Write a minimal one-sheet workbook by hand, streaming rows (fast for huge sheets)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
            'application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName'
            '="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Liste" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for number, row in enumerate(rows, start=1):
                cells = "".join(
                    f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in row if value
                )
                sheet.write(f'<row r="{number}">{cells}</row>'.encode())
            sheet.write(b"</sheetData></worksheet>")


def many_rows(count: int) -> Iterable[list[str]]:
    yield HEADER
    for n in range(1, count + 1):
        yield [f"Testperson-{n}", "Erika", f"Beispielweg {n}", "12345", "Musterstadt"]


def zip_bomb(path: Path, gibibytes: int = 2) -> None:
    """Write a small .xlsx whose sheet inflates to ``gibibytes`` GiB of zeros.

    Deflate output after a full flush does not depend on earlier data, so one compressed
    16 MiB block of zeros can be repeated: the file is written in a second, not compressed
    for minutes.
    """
    block = b"\0" * (16 * 1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.flush(zlib.Z_FINISH)
    repeats = gibibytes * 64
    crc = 0
    for _ in range(repeats):
        crc = zlib.crc32(block, crc)
    size = len(block) * repeats
    assert size < 0xFFFFFFFF  # no zip64 needed
    name = b"xl/worksheets/sheet1.xml"
    compressed = len(chunk) * repeats + len(tail)
    with path.open("wb") as out:
        workbook = b"<workbook/>"
        entries = []
        for entry_name, data, method, entry_crc, entry_size, entry_compressed in (
            (b"xl/workbook.xml", workbook, 0, zlib.crc32(workbook), len(workbook), len(workbook)),
            (name, None, 8, crc, size, compressed),
        ):
            offset = out.tell()
            out.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,
                    20,
                    0,
                    method,
                    0,
                    0,
                    entry_crc,
                    entry_compressed,
                    entry_size,
                    len(entry_name),
                    0,
                )
            )
            out.write(entry_name)
            if data is not None:
                out.write(data)
            else:
                for _ in range(repeats):
                    out.write(chunk)
                out.write(tail)
            entries.append((entry_name, method, entry_crc, entry_compressed, entry_size, offset))
        start = out.tell()
        for entry_name, method, entry_crc, entry_compressed, entry_size, offset in entries:
            out.write(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    method,
                    0,
                    0,
                    entry_crc,
                    entry_compressed,
                    entry_size,
                    len(entry_name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
            )
            out.write(entry_name)
        end = out.tell()
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 2, 2, end - start, start, 0))


def _password_protected(plain: bytes) -> bytes | None:
    try:
        from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-not-found]
    except ImportError:
        return None
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("geheim", encrypted)
    return encrypted.getvalue()


_FORMULA_ERRORS = {
    "Liste": [
        HEADER,
        GOOD[0],
        ["=1/0", "Bernd", "Ahornallee 2", "12345", "Musterstadt"],
        ["=#REF!", "Clara", "Birkenhof 3", "23456", "Erfundorf"],
        ["Probe", "Dora", "=1/0", "23456", "Erfundorf"],
    ]
}


XLSX_FILTER = "Calc MS Excel 2007 XML"
ODS_FILTER = "calc8"  # LibreOffice's own ODF spreadsheet, its default for .ods


def by_libreoffice(source: bytes, target: str, filter_name: str) -> bytes | None:
    """Let LibreOffice open an .xlsx and save it as ``target`` (a suffix) with ``filter_name``.

    Formulas are computed on the way, so #DIV/0! and #REF! are real cached error values,
    and the file is the one a volunteer's LibreOffice would save. Returns None where soffice
    is missing or fails: the committed file is then kept. Also used by make_office_corpus.py.
    """
    if not shutil.which("soffice"):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.xlsx"
        path.write_bytes(source)
        try:
            subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation=file://{tmp}/profile",  # not the user's profile
                    "--headless",
                    "--convert-to",
                    f"{target}:{filter_name}",
                    "--outdir",
                    f"{tmp}/out",
                    str(path),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        out = Path(tmp) / "out" / f"in.{target}"
        return out.read_bytes() if out.exists() else None


def files() -> dict[str, bytes | str | None]:
    """Return every small corpus file by name: bytes, text (written as UTF-8) or None (skip)."""
    good = xlsx_bytes({"Liste": [HEADER, *GOOD]})
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr("fotos/bild1.txt", "kein Tabellenblatt")
    word = io.BytesIO()
    with zipfile.ZipFile(word, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    broken_xml = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken_xml, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = data[: len(data) // 2]
            target.writestr(item, data)
    return {
        # --- refused with one line -----------------------------------------------------------
        "truncated.xlsx": good[: len(good) // 2],
        "corrupt-zip.xlsx": b"PK\x03\x04" + bytes(range(256)) * 8,
        "broken-sheet-xml.xlsx": broken_xml.getvalue(),
        "password-protected.xlsx": _password_protected(good),
        "very-long-field.csv": csv_text([["Name", "Anschrift"], ["A", "x" * 300_000]]),
        "empty.csv": b"",
        "bom-only.csv": b"\xef\xbb\xbf",
        "only-header.csv": csv_text([HEADER]),
        "html-table.xls": "<html><body><table><tr><td>Name</td><td>Anschrift</td></tr>"
        "<tr><td>Beispiel</td><td>Weg 1</td></tr></table></body></html>",
        "word-document.xlsx": word.getvalue(),
        "pdf-renamed.xlsx": b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",
        "binary-garbage.csv": bytes(range(256)) * 64,
        "plain-zip.xlsx": plain_zip.getvalue(),
        "header-too-low.xlsx": xlsx_bytes({"Liste": [*([["Titel"]] * 25), HEADER, *GOOD]}),
        "no-address-column.csv": csv_text([["Name", "Vorname", "E-Mail"], ["A", "B", "c@d.e"]]),
        "all-rows-rejected.csv": csv_text(
            [HEADER, ["", "Anna", "Weg 1", "1", "O"], ["B", "", "", "", ""]]
        ),
        # --- read and accounted for ----------------------------------------------------------
        "nul-bytes.csv": csv_text([HEADER, ["Bei\0spiel", "Anna", "Weg 1", "12345", "O"], GOOD[1]]),
        "mixed-line-endings.csv": (
            "Name,Anschrift,PLZ Ort\r\nA,Weg 1,12345 Musterstadt\nB,Weg 2,12345 Musterstadt\r"
            "C,Weg 3,12345 Musterstadt\r\n"
        ),
        "stray-quote.csv": (
            'Name,Anschrift,PLZ Ort\r\nBeispiel "Anna",Weg 1,12345 Musterstadt\r\n'
            'Muster,"Weg 2,12345 Musterstadt\r\n'  # the quote swallows the rest
        ),
        "formula-errors.xlsx": by_libreoffice(xlsx_bytes(_FORMULA_ERRORS), "xlsx", XLSX_FILTER),
        "formula-errors.ods": by_libreoffice(xlsx_bytes(_FORMULA_ERRORS), "ods", ODS_FILTER),
        "merged-header.xlsx": xlsx_bytes(
            {
                "Liste": [
                    ["Unterschriften", None, None, None],
                    ["Name", "Anschrift", None, "PLZ Ort"],
                    ["A", "Weg 1", "x", "12345 Musterstadt"],
                ]
            },
            merge={"Liste": ["A1:C1", "B2:C2"]},
        ),
        "hidden-sheet.xlsx": xlsx_bytes(
            {"Sichtbar": [HEADER, GOOD[0]], "Versteckt": [HEADER, GOOD[1]]},
            hidden_sheet="Versteckt",
        ),
        "hidden-rows.xlsx": xlsx_bytes({"Liste": [HEADER, *GOOD]}, hidden_rows={"Liste": (3, 4)}),
        "hidden-rows.ods": by_libreoffice(
            xlsx_bytes({"Liste": [HEADER, *GOOD]}, hidden_rows={"Liste": (3, 4)}), "ods", ODS_FILTER
        ),
        "many-columns.csv": csv_text(
            [
                ["Name", "Anschrift", "PLZ Ort", *([""] * 99_997)],
                ["A", "Weg 1", "12345 Musterstadt", *([""] * 99_996), "x"],
            ]
        ),
        "really-a-csv.xlsx": csv_text([HEADER, *GOOD], ";"),
        "really-an-xlsx.csv": good,
        "excel-unicode-text.txt": csv_text([HEADER, GOOD[0]], "\t").encode("utf-16"),
        "windows-1252.csv": csv_text(
            [HEADER, ["Größer", "Jürgen", "Maßweg 1", "12345", "Öd"]], ";"
        ).encode("cp1252"),
        "formula-injection.csv": csv_text(
            [
                ["Name", "Anschrift", "PLZ Ort"],
                ['=HYPERLINK("x")', "+49 Weg", "12345 Musterstadt"],
                ["@home", "-1 Weg", "12345 Musterstadt"],
            ]
        ),
        "template-injection.csv": csv_text(
            [
                ["Name", "Anschrift", "PLZ Ort"],
                ["{{ 7*7 }}", "{% if true %}Weg{% endif %}", "12345 Musterstadt"],
                ["{#x#}", "Weg 2", "{{ 12345 }} Musterstadt"],
            ]
        ),
        "unicode-mix.csv": csv_text(
            [
                ["Name", "Anschrift", "PLZ Ort"],
                ["\u202eZeynep\u202c", "Weg 1", "12345 Musterstadt"],
                ["Jose\u0301", "Calle 2", "12345 Musterstadt"],
                ["Anna 🌻", "Weg 3", "12345 Musterstadt"],
                ["王小明", "北京路 4", "12345 Musterstadt"],
                ["ليلى", "شارع 5", "12345 Musterstadt"],
            ]
        ),
        "whitespace-rows.xlsx": xlsx_bytes(
            {"Liste": [HEADER, ["  ", " ", "", None, " "], GOOD[0]]}
        ),
        "duplicate-variants.csv": csv_text(
            [
                HEADER,
                ["Müller", "Jürgen", "Hauptstraße 5", "12345", "Musterstadt"],
                ["MUELLER", "Juergen", "Hauptstr. 5", "12345", "musterstadt"],
                ["Müller", "Jörg", "Hauptstraße 5", "12345", "Musterstadt"],
            ]
        ),
    }


def main() -> None:
    for name, content in files().items():
        if content is None:
            print(f"skipped {name} (tool missing)")
            continue
        data = content.encode("utf-8") if isinstance(content, str) else content
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files())} files to {HERE}")


if __name__ == "__main__":
    main()
