"""The XML parts of a .docx package, found the way Word finds them: by their relationships.

Word does not rely on part names: the main document is whatever the package's
relationships call the office document, and its styles, theme, settings, headers and
footers are what the document's own relationships point to. LibreOffice and Word name
them ``word/document.xml``, ``word/styles.xml`` and so on, but other tools need not.
"""

from __future__ import annotations

import os
import posixpath
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from lxml import etree

from merge.i18n import _

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class DocxParts:
    """The parsed parts of one .docx that decide how its pages are laid out."""

    document: Any  # the w:document element
    styles: Any | None  # the w:styles element, if the package has styles
    theme: Any | None  # the a:theme element (theme fonts), if any
    settings: Any | None  # the w:settings element (compatibility options), if any
    # relationship id -> the w:hdr or w:ftr element it names
    headers_footers: dict[str, Any] = field(default_factory=dict)


def read_parts(source: str | os.PathLike[str] | IO[bytes]) -> DocxParts:
    """Read a .docx file (a path or a binary file object) into its layout parts.

    Raises ``KeyError``, ``zipfile.BadZipFile`` or ``etree.XMLSyntaxError`` for a file that
    is not a .docx; the caller says so in one line.
    """
    with zipfile.ZipFile(source) as package:
        main = _target(package, "", "officeDocument")
        if main is None:
            raise KeyError(_("the package names no main document"))
        rels = _relationships(package, main)

        def part(kind: str) -> Any | None:
            name = rels.get(kind)
            return _parse(package, name[0][1]) if name else None

        headers_footers = {
            rel_id: _parse(package, target)
            for kind in ("header", "footer")
            for rel_id, target in rels.get(kind, [])
        }
        return DocxParts(
            document=_parse(package, main),
            styles=part("styles"),
            theme=part("theme"),
            settings=part("settings"),
            headers_footers=headers_footers,
        )


def _parse(package: zipfile.ZipFile, name: str) -> Any:
    return etree.fromstring(package.read(name), _PARSER)


def _target(package: zipfile.ZipFile, source: str, kind: str) -> str | None:
    found = _relationships(package, source).get(kind)
    return found[0][1] if found else None


def _relationships(package: zipfile.ZipFile, source: str) -> dict[str, list[tuple[str, str]]]:
    """Return the relationships of a part (``""``: the package) by type: (id, part name)."""
    folder, name = posixpath.split(source)
    rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
    try:
        root = etree.fromstring(package.read(rels_name), _PARSER)
    except KeyError:
        return {}
    found: dict[str, list[tuple[str, str]]] = {}
    for rel in root.iter(_RELS):
        kind = rel.get("Type", "")
        if not kind.startswith(_TYPES) or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        found.setdefault(kind[len(_TYPES) :], []).append(
            (rel.get("Id", ""), posixpath.normpath(resolved))
        )
    return found
