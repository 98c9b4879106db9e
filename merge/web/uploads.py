"""Spreadsheets sent through the page: saved into the working folder's inputs/, never elsewhere.

A browser sends a file's name as the user's system has it, and anyone can send any name:
``../../.bashrc``, ``/etc/passwd``, ``C:\\fakepath\\Liste.xlsx``. Only the last part of the
name is kept, tidied, and only with a spreadsheet's extension (the ones ``run`` reads). A
file is never overwritten: a name that is taken gets a number (``stand-2.xlsx``), and a file
whose bytes are already in inputs/ is not saved twice (its rows would all be duplicates).
Nothing is saved unless every file of the upload may be.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from merge.i18n import N_, _
from merge.read.rows import SPREADSHEET_SUFFIXES

INPUTS = "inputs"
MAX_NAME = 100  # characters of a saved file's name, its extension included
_UNSAFE = re.compile(r'[<>:"/\\|?*]')  # not allowed in a Windows file name
_CHUNK = 1 << 20


class UploadError(Exception):
    """An upload that cannot be saved; the message is one translated line."""


@dataclass(frozen=True)
class Upload:
    """One file part of the form: the name the browser sent and its spooled content."""

    filename: str
    file: BinaryIO


# Why an upload was saved under another name than it was sent with (shown through _()),
# in the order they are looked for: a line says the first that applies.
FOLDERS = N_("{sent}: saved as inputs/{name} - a file's name cannot hold folders")
INVISIBLE = N_("{sent}: saved as inputs/{name} - the name held invisible characters")
WINDOWS_CHARACTERS = N_(
    "{sent}: saved as inputs/{name} - the name holds characters Windows does not allow in a "
    "file name"
)
HIDDEN = N_(
    '{sent}: saved as inputs/{name} - a name starting with "." or "~$" would be hidden '
    "(or taken for Office's lock file)"
)
RESERVED = N_("{sent}: saved as inputs/{name} - the name is not allowed on Windows")
TOO_LONG = N_("{sent}: saved as inputs/{name} - the name is longer than {max} characters")
NO_STEM = N_("{sent}: saved as inputs/{name} - the name has nothing before its extension")

# Names Windows keeps for devices, with any extension: "con.csv" cannot be made there.
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$",
                       re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True)
class Saved:
    """Where an upload went: its name in inputs/, and whether those bytes were there already.

    ``renamed`` says why the name it was sent with could not be kept (a message id, or "");
    ``taken`` is the name it would have had, when another file had it (then it got a number).
    """

    name: str
    sent_as: str
    existing: bool = False
    renamed: str = ""
    taken: str = ""

    @property
    def line(self) -> str:
        """What became of the upload, in one line of the check page."""
        sent = shown_name(self.sent_as)
        if self.existing:
            return _("{sent}: same content as inputs/{name} - not saved again").format(
                sent=sent, name=self.name
            )
        if self.renamed:
            return _(self.renamed).format(sent=sent, name=self.name, max=MAX_NAME)
        if self.taken:
            return _(
                "{sent}: saved as inputs/{name} - inputs/{taken} is another file and stays "
                "as it was"
            ).format(sent=sent, name=self.name, taken=self.taken)
        if sent == self.name:
            return _("{name}: saved in inputs/").format(name=self.name)
        return _("{sent}: saved as inputs/{name}").format(sent=sent, name=self.name)


def safe_name(sent: str) -> str:
    """Return the name to save an upload under, or raise UploadError saying why not.

    Folders in the name are dropped (also Windows ones), control characters and what Windows
    forbids removed, a leading dot or ``~$`` (hidden files, Office's lock files) taken off,
    and a name Windows keeps for a device (``con``, ``lpt1``) given a ``_``.
    """
    return tidy_name(sent)[0]


def tidy_name(sent: str) -> tuple[str, str]:
    """Return the name to save an upload under and why it is not the one sent (a message id
    of this module, or "" when the name was kept but for its form: Unicode, extension case,
    spaces around it); raise UploadError if it is no spreadsheet's name."""
    original = unicodedata.normalize("NFC", sent).replace("\\", "/")
    name = PurePosixPath(original).name
    why = FOLDERS if name != original.strip("/") else ""
    printable = "".join(ch for ch in name if ch.isprintable())
    why = why or (INVISIBLE if printable != name else "")
    name = _UNSAFE.sub("_", printable)
    why = why or (WINDOWS_CHARACTERS if name != printable else "")
    bare = name.strip().lstrip(".").removeprefix("~$").strip()
    why = why or (HIDDEN if name.strip().startswith((".", "~$")) else "")
    stem, suffix = os.path.splitext(bare)
    if suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise UploadError(
            _("{name}: not a spreadsheet petition-merge reads - upload files ending in {suffixes}")
            .format(name=repr(shown_name(sent)), suffixes=", ".join(SPREADSHEET_SUFFIXES))
        )  # fmt: skip
    stem = stem.strip()
    if not stem:
        stem, why = "upload", why or NO_STEM
    first, dot, rest = stem.partition(".")
    if _RESERVED.match(first.strip()):
        stem, why = f"{first.rstrip()}_{dot}{rest}", why or RESERVED
    if len(stem) + len(suffix) > MAX_NAME:
        stem, why = stem[: MAX_NAME - len(suffix)], why or TOO_LONG
    return stem + suffix.lower(), why


def shown_name(sent: str) -> str:
    """A sent name as the page shows it: one line, printable, not too long."""
    text = "".join(ch if ch.isprintable() else "?" for ch in sent)
    return text if len(text) <= 80 else text[:79] + "\u2026"


def save_uploads(workdir: Path, uploads: Sequence[Upload]) -> list[Saved]:
    """Save the uploads into ``workdir/inputs``; return where each went, in order.

    Every name is checked before anything is written, so a refused file leaves the folder
    as it was.
    """
    names = [tidy_name(upload.filename) for upload in uploads]
    folder = workdir / INPUTS
    folder.mkdir(exist_ok=True)
    saved: list[Saved] = []
    for upload, (name, why) in zip(uploads, names, strict=True):
        same = _same_content(folder, upload.file)
        if same is not None:
            saved.append(Saved(same, upload.filename, existing=True))
            continue
        written = _write_new(folder, name, upload.file)
        taken = name if written != name else ""
        saved.append(Saved(written, upload.filename, renamed=why, taken=taken))
    return saved


def _write_new(folder: Path, name: str, content: BinaryIO) -> str:
    """Write ``content`` to a new file named ``name`` (or name-2, name-3, ...); return it."""
    stem, suffix = os.path.splitext(name)
    number = 1
    while True:
        candidate = name if number == 1 else f"{stem}-{number}{suffix}"
        path = folder / candidate
        try:
            out = path.open("xb")  # never replaces a file, even one made a moment ago
        except FileExistsError:
            number += 1
            continue
        try:
            with out:
                content.seek(0)
                while chunk := content.read(_CHUNK):
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return candidate


def namesakes(saved: Saved, files: Sequence[str]) -> list[str]:
    """Return those of ``files`` an upload got its number beside: for ``stand.xlsx`` saved as
    ``stand-3.xlsx``, ``stand.xlsx`` and any other ``stand-N.xlsx``."""
    if not saved.taken:
        return []
    stem, suffix = os.path.splitext(saved.taken)
    same = re.compile(rf"{re.escape(stem)}(-\d+)?{re.escape(suffix)}", re.IGNORECASE)
    return [file for file in files if file != saved.name and same.fullmatch(file)]


def _same_content(folder: Path, content: BinaryIO) -> str | None:
    """Return the name of a spreadsheet in ``folder`` with exactly these bytes, if any."""
    content.seek(0, os.SEEK_END)
    size = content.tell()
    digest: str | None = None
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SPREADSHEET_SUFFIXES or not path.is_file():
            continue
        if path.stat().st_size != size:
            continue
        if digest is None:
            digest = _sha256(content)
        with path.open("rb") as existing:
            if _sha256(existing) == digest:
                return path.name
    return None


def _sha256(file: BinaryIO) -> str:
    file.seek(0)
    hasher = hashlib.sha256()
    while chunk := file.read(_CHUNK):
        hasher.update(chunk)
    return hasher.hexdigest()
