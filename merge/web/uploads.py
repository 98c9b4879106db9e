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

from merge.i18n import _
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


@dataclass(frozen=True)
class Saved:
    """Where an upload went: its name in inputs/, and whether those bytes were there already."""

    name: str
    sent_as: str
    existing: bool = False


def safe_name(sent: str) -> str:
    """Return the name to save an upload under, or raise UploadError saying why not.

    Folders in the name are dropped (also Windows ones), control characters and what Windows
    forbids removed, a leading dot or ``~$`` (hidden files, Office's lock files) taken off.
    """
    name = unicodedata.normalize("NFC", sent).replace("\\", "/")
    name = PurePosixPath(name).name
    name = "".join(ch for ch in name if ch.isprintable())
    name = _UNSAFE.sub("_", name).strip().lstrip(".").removeprefix("~$").strip()
    stem, suffix = os.path.splitext(name)
    if suffix.lower() not in SPREADSHEET_SUFFIXES:
        raise UploadError(
            _("{name}: not a spreadsheet petition-merge reads - upload files ending in {suffixes}")
            .format(name=_shown(sent), suffixes=", ".join(SPREADSHEET_SUFFIXES))
        )  # fmt: skip
    stem = stem.strip() or "upload"
    return stem[: MAX_NAME - len(suffix)] + suffix.lower()


def _shown(sent: str) -> str:
    """The sent name as a message may show it: one line, printable, not too long."""
    text = "".join(ch if ch.isprintable() else "?" for ch in sent)
    return repr(text[:80])


def save_uploads(workdir: Path, uploads: Sequence[Upload]) -> list[Saved]:
    """Save the uploads into ``workdir/inputs``; return where each went, in order.

    Every name is checked before anything is written, so a refused file leaves the folder
    as it was.
    """
    names = [safe_name(upload.filename) for upload in uploads]
    folder = workdir / INPUTS
    folder.mkdir(exist_ok=True)
    saved: list[Saved] = []
    for upload, name in zip(uploads, names, strict=True):
        same = _same_content(folder, upload.file)
        if same is not None:
            saved.append(Saved(same, upload.filename, existing=True))
        else:
            saved.append(Saved(_write_new(folder, name, upload.file), upload.filename))
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
