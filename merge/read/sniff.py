"""What kind of file a signer file is, judged by its content, not its name.

A zip that holds a workbook (.xlsx, .ods), an old binary Excel file (.xls), or text (CSV);
PDFs, web pages, Word documents and other zips are refused in one line that says what to do.
A workbook that would unpack beyond the limit is refused before it is inflated.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from pathlib import Path

from merge.errors import InputError, os_reason
from merge.i18n import _, on_page

MAX_UNPACKED_MB = 200  # a workbook that unpacks to more is refused before it is inflated
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"
_HTML = re.compile(rb"\s*(\xef\xbb\xbf)?\s*<(!doctype|html|table|head|body|\?xml)", re.IGNORECASE)


def sniff(path: Path, shown: str, max_unpacked_mb: int = MAX_UNPACKED_MB) -> str:
    """Return "zip" (an .xlsx or .ods), "ole" (an old .xls) or "text"; refuse anything else."""
    try:
        with path.open("rb") as stream:
            head = stream.read(512)
    except OSError as err:  # permission denied, a file vanished or locked meanwhile
        raise InputError(
            _(
                "{file}: cannot be read ({error}) - check that you may read it, and that it is "
                "not open in another program"
            ).format(file=shown, error=os_reason(err))
        ) from err
    if head.startswith(_ZIP_MAGIC):
        _check_zip(path, shown, max_unpacked_mb)
        return "zip"
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(b"%PDF"):
        raise InputError(
            _("{file}: is a PDF, not a spreadsheet - export the list as .xlsx or .csv").format(
                file=shown
            )
        )
    if len(head) < 512 and not head.strip(codecs.BOM_UTF8 + b" \r\n\t"):
        raise InputError(
            _("{file}: is empty - check that the right file was saved or sent").format(file=shown)
        )
    if _HTML.match(head):
        raise InputError(
            _(
                "{file}: is a web page (HTML), not a spreadsheet - open it in Excel or "
                "LibreOffice and save it as .xlsx"
            ).format(file=shown)
        )
    return "text"


def _check_zip(path: Path, shown: str, max_unpacked_mb: int) -> None:
    """Refuse a zip that is not a workbook or would inflate beyond the limit, before inflating."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as err:
        # zipfile raises all of these for damaged or exotic archives
        raise InputError(
            _(
                "{file}: damaged file, cannot be opened as a workbook - open it in Excel or "
                "LibreOffice and save it again"
            ).format(file=shown)
        ) from err
    if "xl/workbook.xml" not in names and "content.xml" not in names:
        if "word/document.xml" in names:
            message = _(
                "{file}: is a Word document, not a spreadsheet - export the list as .xlsx or .csv"
            )
        else:
            message = _(
                "{file}: is a zip archive, not a spreadsheet - export the list as .xlsx or .csv"
            )
        raise InputError(message.format(file=shown))
    if unpacked > max_unpacked_mb * 1024 * 1024:
        if on_page():  # the page has no such limit to raise
            message = _(
                "{file}: unpacks to {size} MB, more than the limit of {limit} MB - check the "
                "file: a list that large usually holds pictures or many other sheets; save "
                "the list alone as .xlsx or .csv"
            )
        else:
            message = _(
                "{file}: unpacks to {size} MB, more than the limit of {limit} MB - check the "
                "file, or raise the limit with --max-unpacked-mb"
            )
        raise InputError(
            message.format(file=shown, size=unpacked // (1024 * 1024), limit=max_unpacked_mb)
        )
