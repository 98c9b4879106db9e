"""Walk a Word template's placeholders in document order and say what is wrong with each.

The rules are those of :mod:`merge.render.template_check`: a placeholder must sit in one
paragraph, with one formatting, use only names the context has, and open and close its
blocks; docxtpl's paragraph and row tags must be alone in their paragraph or row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import GeneratorType
from typing import Any

import jinja2
from jinja2 import nodes
from lxml import etree

from merge.errors import shorten
from merge.i18n import N_, _
from merge.render.context import environment

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _T, _R, _TBL, _TR, _TC = (f"{_W}{tag}" for tag in ("p", "t", "r", "tbl", "tr", "tc"))
_RPR = f"{_W}rPr"
_IGNORED_RPR = {f"{_W}lang", f"{_W}noProof", f"{_W}proofErr", f"{_W}rPrChange"}
_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_OPEN = re.compile(r"\{\{|\{%|\{#")
_CLOSE = re.compile(r"\}\}|%\}|#\}")
_DOCXTPL_PREFIX = re.compile(r"^(\{%|\{\{)(p|tr|tc|r)\s")
_STATEMENTS = {"for", "endfor", "if", "elif", "else", "endif", "set"}
_BLOCK_ENDS = {"endfor": "for", "endif": "if"}


# Places that are no position in the document: given as ``where``, kept as ``kind``.
TEMPLATE, PAGE, PAGE_SETUP, LETTER = "template", "page", "page setup", "campaign"
_PLACES = {
    TEMPLATE: N_("template"),
    PAGE: N_("page"),
    PAGE_SETUP: N_("page setup"),
    LETTER: N_("campaign"),  # the campaign's letter, not the template
}


@dataclass(frozen=True)
class TemplateProblem:
    """One thing wrong with a Word template, and where it is (in the run's language)."""

    where: str  # "paragraph 12", "table 1, row 2, cell 3", "footer 1, paragraph 2", or a kind
    problem: str
    kind: str = ""  # TEMPLATE, PAGE, PAGE_SETUP or LETTER when ``where`` was one; else ""

    def __post_init__(self) -> None:
        if self.where in _PLACES and not self.kind:
            object.__setattr__(self, "kind", self.where)
            object.__setattr__(self, "where", _(_PLACES[self.where]))

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass
class _Shape:
    """The shape of a context value: a record of named fields, a list of items, or a leaf."""

    path: str
    fields: dict[str, _Shape] | None = None
    item: _Shape | None = None


_ANY = _Shape("?")


def schema(value: Any, path: str = "") -> _Shape:
    """Return the shape of a template context: which names, fields and lists it has."""
    if isinstance(value, dict):
        prefix = f"{path}." if path else ""
        return _Shape(path, fields={k: schema(v, prefix + k) for k, v in value.items()})
    if isinstance(value, list | GeneratorType):
        return _Shape(path, item=schema(next(iter(value)), path + "[]"))
    return _Shape(path)


_REQUIRED = {
    "lists-loop": (
        N_("the loop over the lists {tag} is missing - see {file}"),
        "{%p for list in lists %}",
    ),
    "rows-loop": (
        N_("the table row loop {tag} is missing - see {file}"),
        "{%tr for row in list.rows %}",
    ),
    "lists[].rows[].name": (
        N_("the signer's name {tag} in the table is missing - see {file}"),
        "{{ row.name }}",
    ),
    "lists[].rows[].address": (
        N_("the signer's address {tag} in the table is missing - see {file}"),
        "{{ row.address }}",
    ),
}
_SHIPPED = "templates/petition-list.docx"


@dataclass
class TagChecker:
    """Walk the tags of a template in document order, with the loop variables in scope."""

    root: _Shape
    problems: list[TemplateProblem] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    env: jinja2.Environment = field(default_factory=environment)

    def report(self, where: str, problem: str) -> None:
        self.problems.append(TemplateProblem(where, problem))

    def check_part(self, prefix: str, root: Any) -> None:
        blocks: list[tuple[str, str, str]] = []  # (keyword, where, tag)
        scopes: list[dict[str, _Shape]] = [{}]
        for where, paragraph, in_table in paragraphs(root, prefix):
            for tag in self._paragraph_tags(where, paragraph):
                self._check_tag(where, tag, in_table, blocks, scopes)
        for keyword, where, tag in blocks:
            self.report(
                where,
                _("'{tag}' is never closed - add '{end}'").format(
                    tag=tag, end="{% end" + keyword + " %}"
                ),
            )

    def check_required(self) -> None:
        for key, (message, tag) in _REQUIRED.items():
            if key not in self.used:
                self.report(TEMPLATE, _(message).format(tag=f"'{tag}'", file=_SHIPPED))

    def _paragraph_tags(self, where: str, paragraph: Any) -> list[str]:
        pieces = [t for t in paragraph.iter(_T) if next(t.iterancestors(_P), None) is paragraph]
        text = "".join(t.text or "" for t in pieces)
        tags: list[str] = []
        ends = []
        end = 0
        for piece in pieces:
            end += len(piece.text or "")
            ends.append(end)
        covered = [False] * len(text)
        for match in _TAG.finditer(text):
            tags.append(match.group())
            covered[match.start() : match.end()] = [True] * (match.end() - match.start())
            runs = {
                piece.getparent()
                for piece, stop in zip(pieces, ends, strict=True)
                if piece.text and stop > match.start() and stop - len(piece.text) < match.end()
            }
            if len({_formatting(run) for run in runs}) > 1:
                self.report(
                    where,
                    _(
                        "'{tag}' is split across formatting runs (parts of it are formatted "
                        "differently) - select it, clear its formatting and apply the "
                        "formatting to the whole placeholder"
                    ).format(tag=_short(match.group())),
                )
        for pattern, opening in ((_OPEN, True), (_CLOSE, False)):
            for match in pattern.finditer(text):
                if not covered[match.start()]:
                    message = (
                        _(
                            "opening '{tag}' without its partner in the same paragraph "
                            "('{context}') - a placeholder must not span paragraphs or cells; "
                            "retype it on one line"
                        )
                        if opening
                        else _(
                            "closing '{tag}' without its partner in the same paragraph "
                            "('{context}') - a placeholder must not span paragraphs or cells; "
                            "retype it on one line"
                        )
                    )
                    context = _short(text[max(0, match.start() - 20) : match.end() + 20])
                    self.report(where, message.format(tag=match.group(), context=context))
        docxtpl_tags = [t for t in tags if re.match(r"\{%(p|tr|tc)\s", t)]
        if docxtpl_tags and (len(docxtpl_tags) > 1 or text.strip() != docxtpl_tags[0]):
            self.report(
                where,
                _(
                    "'{tag}' must be alone in its paragraph (docxtpl replaces the whole "
                    "paragraph or table row with it) - move the other text out"
                ).format(tag=_short(docxtpl_tags[0])),
            )
        return tags

    def _check_tag(
        self,
        where: str,
        tag: str,
        in_table: bool,
        blocks: list[tuple[str, str, str]],
        scopes: list[dict[str, _Shape]],
    ) -> None:
        if tag.startswith("{#"):
            return
        prefix = _DOCXTPL_PREFIX.match(tag)
        kind = prefix.group(2) if prefix else ""
        inner = tag[len(prefix.group()) if prefix else 2 : -2].strip().strip("-").strip()
        if kind in ("tr", "tc") and not in_table:
            self.report(where, _("'{tag}' must be inside a table row").format(tag=_short(tag)))
            return
        if tag.startswith("{{"):
            if kind:
                self.report(
                    where,
                    _("'{tag}' is not supported - write '{example}'").format(
                        tag=_short(tag), example="{{ ... }}"
                    ),
                )
                return
            self._check_expression(where, tag, "{{ " + inner + " }}", scopes)
            return
        if kind == "r":
            self.report(
                where,
                _("'{tag}' is not supported - use '{example}'").format(
                    tag=_short(tag), example="{% ... %}"
                ),
            )
            return
        keyword = inner.split(maxsplit=1)[0] if inner else ""
        if keyword not in _STATEMENTS:
            self.report(
                where,
                _("'{tag}' is not supported - only for, if and set statements can be used").format(
                    tag=_short(tag)
                ),
            )
            return
        if keyword in _BLOCK_ENDS or keyword in ("elif", "else"):
            opener = _BLOCK_ENDS.get(keyword, "if")
            if not blocks or blocks[-1][0] != opener:
                self.report(
                    where,
                    _("'{tag}' has no matching '{opener}'").format(
                        tag=_short(tag), opener="{% " + opener + " ... %}"
                    ),
                )
                return
            if keyword in _BLOCK_ENDS:
                blocks.pop()
                if opener == "for":
                    scopes.pop()
        if keyword == "for":
            self._check_for(where, tag, kind, inner, scopes)
            blocks.append(("for", where, _short(tag)))
        elif keyword == "if":
            self._check_expression(where, tag, "{% " + inner + " %}{% endif %}", scopes)
            blocks.append(("if", where, _short(tag)))
        elif keyword == "elif":
            self._check_expression(where, tag, "{% if 1 %}{% " + inner + " %}{% endif %}", scopes)
        elif keyword == "set":
            body = self._check_expression(where, tag, "{% " + inner + " %}", scopes)
            if body is not None and isinstance(body, nodes.Assign):
                target = body.target
                names = [target] if isinstance(target, nodes.Name) else target.find_all(nodes.Name)
                for name in names:
                    scopes[-1][name.name] = _ANY

    def _check_for(
        self, where: str, tag: str, kind: str, inner: str, scopes: list[dict[str, _Shape]]
    ) -> None:
        node = self._check_expression(where, tag, "{% " + inner + " %}{% endfor %}", scopes)
        scope: dict[str, _Shape] = {"loop": _ANY}
        if isinstance(node, nodes.For):
            shape = self._resolve(where, node.iter, scopes)
            item = shape.item or _ANY
            if shape.path == "lists":
                self.used.add("lists-loop")
            if shape.path == "lists[].rows" and kind == "tr":
                self.used.add("rows-loop")
            names = list(node.target.find_all(nodes.Name))
            if isinstance(node.target, nodes.Name):
                scope[node.target.name] = item
            else:
                scope.update({n.name: _ANY for n in names})
        scopes.append(scope)

    def _check_expression(
        self, where: str, tag: str, source: str, scopes: list[dict[str, _Shape]]
    ) -> nodes.Node | None:
        """Parse one tag on its own; resolve the names it uses; return its statement node."""
        try:
            parsed = self.env.parse(source)
        except jinja2.TemplateSyntaxError:
            self.report(
                where,
                _(
                    "syntax error in '{tag}' - check its brackets and quotes: a placeholder is "
                    "written like {example}"
                ).format(tag=_short(tag), example="{{ campaign.title }}"),
            )
            return None
        statement = parsed.body[0] if parsed.body else None
        if isinstance(statement, nodes.Output):
            for child in statement.nodes:
                self._resolve(where, child, scopes)
        elif isinstance(statement, nodes.For):
            pass  # the caller resolves the iterable and binds the target
        elif isinstance(statement, nodes.If):
            self._resolve(where, statement.test, scopes)
            for elif_ in statement.elif_:
                self._resolve(where, elif_.test, scopes)
        elif isinstance(statement, nodes.Assign):
            self._resolve(where, statement.node, scopes)
        return statement

    def _resolve(self, where: str, node: nodes.Node, scopes: list[dict[str, _Shape]]) -> _Shape:
        """Return the shape an expression refers to, reporting names the context lacks."""
        if isinstance(node, nodes.Name):
            for scope in reversed(scopes):
                if node.name in scope:
                    return scope[node.name]
            fields = self.root.fields or {}
            if node.name in fields:
                return fields[node.name]
            if node.name in self.env.globals:
                return _ANY
            self.report(
                where,
                _("unknown placeholder '{name}' - known: {known}").format(
                    name=node.name, known=_known(self.root)
                ),
            )
            return _ANY
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            base = self._resolve(where, node.node, scopes)
            key = node.attr if isinstance(node, nodes.Getattr) else _const(node.arg)
            if isinstance(node, nodes.Getitem) and key is None:
                self._resolve(where, node.arg, scopes)
            if base.fields is not None and isinstance(key, str):
                if key in base.fields:
                    self.used.add(base.fields[key].path)
                    return base.fields[key]
                self.report(
                    where,
                    _("unknown placeholder '{name}' - known here: {known}").format(
                        name=_dotted(node), known=_known(base)
                    ),
                )
            if base.item is not None and isinstance(key, int):
                return base.item
            return _ANY
        for child in node.iter_child_nodes():
            self._resolve(where, child, scopes)
        return _ANY


def _const(node: nodes.Node) -> Any:
    return node.value if isinstance(node, nodes.Const) else None


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem):
        return f"{_dotted(node.node)}[{_const(node.arg)!r}]"
    return "..."


def _known(shape: _Shape) -> str:
    return ", ".join(sorted(shape.fields or {}))


def _short(text: str) -> str:
    return shorten(text, 60)


def _formatting(run: Any) -> bytes:
    """Return a run's formatting, leaving out what Word changes without the user meaning it."""
    rpr = run.find(_RPR) if run.tag == _R else None
    if rpr is None:
        return b""
    kept = sorted(etree.tostring(child) for child in rpr if child.tag not in _IGNORED_RPR)
    return b"".join(kept)


def paragraphs(root: Any, prefix: str) -> Iterator[tuple[str, Any, bool]]:
    """Yield (where, paragraph, is in a table) for every paragraph of a part, in order."""
    tables = {table: n for n, table in enumerate(root.iter(_TBL), 1)}
    count = 0
    for paragraph in root.iter(_P):
        cell = next(paragraph.iterancestors(_TC), None)
        row = cell.getparent() if cell is not None else None
        table = row.getparent() if row is not None else None
        if cell is None or row is None or table is None or table not in tables:
            count += 1
            yield prefix + _("paragraph {n}").format(n=count), paragraph, False
            continue
        row_no = list(table.iterchildren(_TR)).index(row) + 1
        cell_no = list(row.iterchildren(_TC)).index(cell) + 1
        place = _("table {table}, row {row}, cell {cell}").format(
            table=tables[table], row=row_no, cell=cell_no
        )
        yield prefix + place, paragraph, True


def table_place(prefix: str, number: int) -> str:
    """Return where a table is, as :func:`paragraphs` names places: "table 2"."""
    return prefix + _("table {table}").format(table=number)


def part_prefix(kind: str, number: int) -> str:
    """Return how places in a header or footer begin: "header 1, " (``kind`` "header")."""
    part = (_("header {n}") if kind == "header" else _("footer {n}")).format(n=number)
    return f"{part}, "
