"""The German message catalog: extract every marked string, update the .po, compile the .mo.

    python scripts/catalog.py update [--from FRAGMENT.po ...]   # after changing messages
    python scripts/catalog.py check                             # what tests/test_catalog.py asks
    python scripts/catalog.py fragment OUT.po PATH ...          # the messages of some modules
                                       (PATH "help": every --help text; "click": click's own)

The messages are (1) the strings marked with _(), N_() and ngettext() in merge/ (its Python
files and the web page's templates, merge/web/templates/*.html), (2) the
--help texts of every command and option, read from the commands themselves, and (3)
click's own strings ("Usage:", "Show this message and exit.", "No such option"), read from
the installed click. ``update`` keeps every translation that still has its message, takes
missing ones from --from files (a helper's fragment), drops messages no longer used and
compiles merge/locale/de/LC_MESSAGES/petition-merge.mo. ``check`` lists every message
without a German translation, every translation whose {placeholders} differ, and a .mo
that is not compiled from the .po.
"""

from __future__ import annotations

import inspect
import io
import re
import string
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import click
import jinja2.ext
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PO = ROOT / "merge" / "locale" / "de" / "LC_MESSAGES" / "petition-merge.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "gettext": None}
# The web page's templates (merge/web/templates) are Jinja with the i18n extension, in its
# "newstyle" (placeholders %(name)s, filled by _() itself), as merge/web/site.py sets it up.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true",
                 "trim_blocks": "true", "lstrip_blocks": "true"}  # fmt: skip
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")

MsgId = str | tuple[str, str]


def source_messages(paths: Iterable[Path]) -> Iterator[tuple[MsgId, str]]:
    """Yield (message id, "file:line") for every marked string in the Python files and the
    web page's Jinja templates (``_()``, ``gettext()``, ``ngettext()`` and ``{% trans %}``)."""
    for path in paths:
        files = sorted([*path.rglob("*.py"), *path.rglob("*.html")]) if path.is_dir() else [path]
        for file in files:
            method: Any = jinja2.ext.babel_extract if file.suffix == ".html" else "python"
            for line, message, _comments, _context in extract_from_file(
                method,
                str(file),
                keywords=KEYWORDS,
                comment_tags=(),
                options=JINJA_OPTIONS if file.suffix == ".html" else None,
                strip_comment_tags=True,
            ):
                where = f"{_relative(file)}:{line}"
                if isinstance(message, tuple):
                    yield (message[0], message[1]), where
                else:
                    yield message, where


def help_messages() -> Iterator[tuple[MsgId, str]]:
    """Yield the --help texts of every command and parameter, as the help shows them."""
    from merge.cli import cli

    def walk(command: click.Command, path: str) -> Iterator[tuple[MsgId, str]]:
        for text in (command.help, command.short_help):
            if text:
                yield inspect.cleandoc(text), f"{path}:0"
        for param in command.params:
            help_text = getattr(param, "help", None)
            if help_text:
                yield inspect.cleandoc(help_text), f"{path}/{param.name}:0"
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                yield from walk(sub, f"{path}/{name}")

    yield from walk(cli, "help/petition-merge")


def click_messages() -> Iterator[tuple[MsgId, str]]:
    """Yield click's own messages (its gettext calls), from the click that is installed."""
    folder = Path(click.__file__).parent
    for name in CLICK_MODULES:
        for line, message, _c, _ctx in extract_from_file(
            "python", str(folder / f"{name}.py"), keywords=KEYWORDS
        ):
            where = f"click/{name}.py:{line}"
            yield (tuple(message) if isinstance(message, tuple) else message), where  # type: ignore[misc]


def template() -> Catalog:
    """Return every message the interface shows, German translations empty."""
    catalog = Catalog(locale="de", domain="petition-merge", project="petition-merge", version="")
    found = [
        *source_messages([ROOT / "merge"]),
        *help_messages(),
        *click_messages(),
    ]
    for message, where in found:
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        file, _sep, line = where.rpartition(":")
        existing = catalog.get(message)
        locations = [(file, int(line) if line.isdigit() else 0)]
        if existing is None:
            catalog.add(message, locations=locations, flags=_flags(message))
        else:
            existing.locations.extend(locations)
    return catalog


def _flags(message: MsgId) -> tuple[str, ...]:
    text = message if isinstance(message, str) else message[0]
    return ("python-brace-format",) if _placeholders(text) else ()


def _relative(file: Path) -> str:
    try:
        return str(file.resolve().relative_to(ROOT))
    except ValueError:
        return str(file)


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale="de", domain="petition-merge")


def write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, omit_header=False, ignore_obsolete=True)
    path.write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def update(fragments: list[Path], po: Path = PO, paths: list[Path] | None = None) -> Catalog:
    """Bring the .po in line with the messages (translations kept), compile the .mo."""
    fresh = template() if paths is None else _template_of(paths)
    catalog = read(po) if po.exists() else Catalog(locale="de", domain="petition-merge")
    catalog.update(fresh, no_fuzzy_matching=True, update_header_comment=False)
    catalog.obsolete.clear()
    donors = [read(fragment) for fragment in fragments]
    for message in catalog:
        if message.id and not _translated(message):
            for donor in donors:
                source = donor.get(message.id)
                if source is not None and _translated(source):
                    message.string = source.string
                    break
    catalog.project, catalog.version, catalog.fuzzy = "petition-merge", "", False
    catalog.language_team = catalog.last_translator = "petition-merge"
    catalog.msgid_bugs_address = ""
    catalog.copyright_holder = "the petition-merge authors"
    write(catalog, po)
    if paths is None:
        MO.write_bytes(compiled(read(po)))
    return catalog


def _template_of(paths: list[Path]) -> Catalog:
    """The messages of some paths; the words "help" and "click" stand for those messages."""
    catalog = Catalog(locale="de", domain="petition-merge")
    files = [path for path in paths if str(path) not in ("help", "click")]
    found = list(source_messages(files))
    if Path("help") in paths:
        found += help_messages()
    if Path("click") in paths:
        found += click_messages()
    for message, where in found:
        file, _sep, line = where.rpartition(":")
        if catalog.get(message) is None:
            catalog.add(message, locations=[(file, int(line))], flags=_flags(message))
    return catalog


def _translated(message: Message) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    except ValueError:
        return set()


def problems() -> list[str]:
    """Return one line per message without a good German translation, and a stale .mo."""
    if not PO.exists():
        return [f"{_relative(PO)} is missing - run python scripts/catalog.py update"]
    catalog = read(PO)
    found: list[str] = []
    for message in template():
        if not message.id:
            continue
        entry = catalog.get(message.id)
        name = _short(message.id)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:1])
        if entry is None:
            found.append(f"not in the catalog: {name} ({where}) - run scripts/catalog.py update")
        elif entry.fuzzy or not _translated(entry):
            found.append(f"no German translation: {name} ({where})")
        else:
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            strings = [entry.string] if isinstance(entry.string, str) else list(entry.string)
            wanted = set().union(*(_placeholders(text) for text in ids))
            for text in strings:
                got = _placeholders(text)
                # A plural form may leave out the number ("ein Umschlag"), nothing else.
                wrong = not got <= wanted if len(ids) > 1 else got != wanted
                if wrong and not _click_percent(ids[0]):
                    found.append(f"placeholders differ: {name} -> {_short(text)}")
    if not MO.exists() or MO.read_bytes() != compiled(catalog):
        found.append(
            f"{_relative(MO)} is not compiled from the .po - run scripts/catalog.py update"
        )
    return found


def _click_percent(text: str) -> bool:
    return "%(" in text


def _short(message: MsgId) -> str:
    text = message if isinstance(message, str) else message[0]
    text = re.sub(r"\s+", " ", text)
    return repr(text if len(text) < 70 else text[:67] + "...")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("update", "check", "fragment"):
        print(__doc__)
        return 2
    if argv[0] == "update":
        fragments = [Path(a) for a in argv[1:] if a != "--from"]
        catalog = update(fragments)
        missing = sum(1 for m in catalog if m.id and not _translated(m))
        print(f"{_relative(PO)}: {len(catalog)} messages, {missing} without German")
        return 0
    if argv[0] == "fragment":
        out, paths = Path(argv[1]), [Path(a) for a in argv[2:]]
        catalog = update([], po=out, paths=paths)
        missing = sum(1 for m in catalog if m.id and not _translated(m))
        print(f"{out}: {len(catalog)} messages, {missing} without German")
        return 0
    found = problems()
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
