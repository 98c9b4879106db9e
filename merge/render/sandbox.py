"""The Jinja environment every petition template renders in: sandboxed, and bounded.

Jinja's sandbox keeps a template away from Python's internals, but not from work without
end: ``{% for x in range(100000000) %}`` raised an OverflowError (reported as a bug), and
two nested ``range(99999)`` loops ran for hours. Here every loop is counted, ``range`` refuses
more than a few thousand items, operators, filters and calls may not build huge values, and
the output and the time of one render are bounded in proportion to the lists it renders.
Going past a bound raises :class:`TemplateLimitError`, which the callers report in one line.

Loops are counted by rewriting the parsed template before it is compiled: the iterable of
every ``for`` goes through :meth:`BoundedEnvironment.count_loop`, which the template cannot
rename or shadow (it is an attribute of the environment). Time is read with a monotonic clock
every few hundred loop steps and output blocks: a watchdog, not a date.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import wraps
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.visitor import NodeTransformer

from merge.i18n import N_, _, ngettext
from merge.i18n.conventions import format_number

HOW = N_("remove or simplify it in the Word template")  # shown through _()
PER_LIST_STEPS, PER_RENDER_STEPS = 1_000, 10_000
PER_LIST_CHARS, PER_RENDER_CHARS = 1_000_000, 10_000_000


class TemplateLimitError(Exception):
    """A template went past one of the bounds of :class:`Limits`; the message is one line."""


class TemplateRefused(SecurityError):
    """A statement the sandbox does not run ({% macro %}); the message is ours, one line in
    the run's language, unlike the words of Jinja's own errors."""


@dataclass(frozen=True)
class Limits:
    """How much one render may do; :meth:`for_lists` scales them to a batch."""

    lists: int = 1  # for messages: the number of lists the render is for
    loop_steps: int = 11_000  # iterations of all loops together
    output_chars: int = 11_000_000  # characters of rendered XML
    seconds: float = 5.05
    range_items: int = 10_000  # the largest range()
    value_chars: int = 20_000  # the longest text or list an operator, filter or call makes
    number: int = 1_000_000  # the largest number given to a filter or call (widths, counts)

    @classmethod
    def for_lists(cls, lists: int) -> Limits:
        """Return bounds for rendering ``lists`` lists: about a hundred times what the bundled
        template needs (ten loop steps and 15 000 characters a list), and as much again once
        for the whole render."""
        lists = max(lists, 1)
        return cls(
            lists=lists,
            loop_steps=PER_RENDER_STEPS + PER_LIST_STEPS * lists,
            output_chars=PER_RENDER_CHARS + PER_LIST_CHARS * lists,
            seconds=5.0 + 0.05 * lists,
        )

    @classmethod
    def for_sample(cls, lists: int) -> Limits:
        """Return the bounds of check-template's sample: the per-list bounds alone, so that a
        template the check lets through stays within the bounds of a batch of any size."""
        return replace(
            cls.for_lists(lists),
            loop_steps=PER_LIST_STEPS * lists,
            output_chars=PER_LIST_CHARS * lists,
        )


_UNSUPPORTED = {
    nodes.Macro: "{% macro %}",
    nodes.CallBlock: "{% call %}",
    nodes.FilterBlock: "{% filter %}",
    nodes.AssignBlock: "{% set %}...{% endset %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
}
# Widths and precisions a format string pads to: "%9999d", "%.9999f", "{:9999}", "{:.9999f}".
_FORMAT_WIDTH = re.compile(r"%[-+ #0]*(\d*)(?:\.(\d+))?|\{[^{}]*:[^{}\d]*(\d*)(?:\.(\d+))?")
# A replacement field inside a format spec ("{0:{1}}"): its width is only known when filled.
_NESTED_FIELD = re.compile(r"\{[^{}]*:[^{}]*\{")
_INT_BITS = 4096  # about 1 200 digits: any integer a list could need, and cheap to compute


class _Bounded(NodeTransformer):
    """Route every loop and every ``~`` through the environment's counters."""

    def generic_visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        for kind, tag in _UNSUPPORTED.items():
            if isinstance(node, kind):
                raise TemplateRefused(
                    _("'{tag}' is not supported in a petition template").format(tag=tag)
                )
        return super().generic_visit(node, *args, **kwargs)

    def visit_For(self, node: nodes.For) -> nodes.Node:
        if node.recursive:
            raise TemplateRefused(_("a recursive loop is not supported in a petition template"))
        self.generic_visit(node)
        node.iter = _call("count_loop", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _call("check_value", node)


def _call(method: str, argument: nodes.Node) -> nodes.Call:
    expression = cast(nodes.Expr, argument)
    return nodes.Call(nodes.EnvironmentAttribute(method), [expression], [], None, None)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox with autoescape and StrictUndefined, counting what a render does."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, limits: Limits | None = None) -> None:
        super().__init__(autoescape=True, undefined=jinja2.StrictUndefined)
        self.limits = limits or Limits()
        self.steps = 0
        self.output = 0
        self.deadline = time.monotonic() + self.limits.seconds
        self.globals["range"] = self.bounded_range
        del self.globals["lipsum"]  # a million paragraphs of filler text in one call
        self.filters = {name: self._bounded(f) for name, f in self.filters.items()}

    # -- compiling -----------------------------------------------------------------------------

    def compile(
        self,
        source: str | nodes.Template,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        """Compile ``source`` with every loop counted (see the module docstring)."""
        if isinstance(source, str):
            source = self.parse(source, name, filename)
        source = _Bounded().visit(source)
        return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]

    # -- what templates call -------------------------------------------------------------------

    def count_loop(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Yield the items of a template loop, counting each against the loop bound."""
        limit = self.limits.loop_steps
        for item in iterable:
            self.steps += 1
            if not self.steps & 255:
                self.check_time()
            if self.steps > limit:
                raise TemplateLimitError(
                    ngettext(
                        "the template loops too often: more than {limit} loop steps for {n} "
                        "list - {how}",
                        "the template loops too often: more than {limit} loop steps for {n} "
                        "lists - {how}",
                        self.limits.lists,
                    ).format(limit=limit, n=self.limits.lists, how=_(HOW))
                )
            yield item

    def bounded_range(self, *args: Any) -> range:
        """``range`` for templates: at most ``range_items`` items."""
        numbers = range(*args)
        try:
            items = len(numbers)
        except OverflowError:
            items = self.limits.range_items + 1
        if items > self.limits.range_items:
            shown = ", ".join(str(a) for a in args)
            raise TemplateLimitError(
                _(
                    "the template loops too often: range({arguments}) has more than {most} "
                    "items - {how}"
                ).format(arguments=shown, most=self.limits.range_items, how=_(HOW))
            )
        return numbers

    def check_value(self, value: Any) -> Any:
        """Refuse a text or list longer than ``value_chars``; return it otherwise."""
        if isinstance(value, str):
            self._check_size(len(value))
        elif isinstance(value, list | tuple | dict):
            self._check_size(_size(value, self.limits.value_chars))
        return value

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                ngettext(
                    "the template takes too long: more than {seconds} s for {n} list - {how}",
                    "the template takes too long: more than {seconds} s for {n} lists - {how}",
                    self.limits.lists,
                ).format(
                    seconds=format_number(Decimal(f"{self.limits.seconds:g}")),
                    n=self.limits.lists,
                    how=_(HOW),
                )
            )

    def count_output(self, chars: int) -> None:
        """Count ``chars`` rendered characters against the output bound."""
        self.output += chars
        if self.output > self.limits.output_chars:
            raise TemplateLimitError(
                ngettext(
                    "the template writes too much: more than {millions} million characters for "
                    "{n} list - {how}",
                    "the template writes too much: more than {millions} million characters for "
                    "{n} lists - {how}",
                    self.limits.lists,
                ).format(
                    millions=self.limits.output_chars // 1_000_000, n=self.limits.lists, how=_(HOW)
                )
            )
        self.check_time()

    # -- the sandbox's hooks -------------------------------------------------------------------

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            self._check_power(left, right)
        ints = [v for v in (left, right) if isinstance(v, int) and not isinstance(v, bool)]
        if len(ints) == 2 and sum(v.bit_length() for v in ints) > _INT_BITS:
            # a*a squared over and over grows without end, each step slower than the last
            raise TemplateLimitError(
                _("the template uses a number too large - {how}").format(how=_(HOW))
            )
        elif operator == "*":
            for times, value in ((left, right), (right, left)):
                if isinstance(times, int) and isinstance(value, str | list | tuple):
                    self._check_size(times * _size(value, self.limits.value_chars))
        elif operator == "%" and isinstance(left, str):
            self._check_widths(left)
            self._check_arguments(right if isinstance(right, tuple) else (right,), {})
        self._check_arguments((), {}, (left, right))
        return self.check_value(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(__obj, "__self__", None) is __self:  # count_loop, bounded_range, ...
            return super().call(__context, __obj, *args, **kwargs)  # they check for themselves
        method = getattr(__obj, "__wrapped__", __obj)
        owner = getattr(method, "__self__", None)
        __self._guard(getattr(method, "__name__", ""), (owner, *args), kwargs)
        __self.check_time()
        return __self.check_value(super().call(__context, __obj, *args, **kwargs))

    # -- helpers -------------------------------------------------------------------------------

    def _bounded(self, f: Callable[..., Any]) -> Callable[..., Any]:
        name = f.__name__.removeprefix("do_")

        @wraps(f)
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self._guard(name, args, kwargs)
            return self.check_value(f(*args, **kwargs))

        return bounded

    def _guard(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        """Refuse a filter or call whose arguments are too large, or would make its result so.

        ``args`` starts with the value a filter filters, or the object a method belongs to.
        """
        self._check_arguments(args, kwargs, (*args, *kwargs.values()))
        texts = [a for a in (*args, *kwargs.values()) if isinstance(a, str)]
        if not texts:
            return
        if name in ("format", "format_map"):
            self._check_widths(texts[0])
        elif name == "replace" and len(texts) >= 3:
            text, old, new = texts[:3]
            self._check_size(len(text) + text.count(old) * len(new))
        elif name == "indent":
            width = args[1] if len(args) > 1 else kwargs.get("width", 4)
            width = len(width) if isinstance(width, str) else int(width)
            self._check_size(len(texts[0]) + (texts[0].count("\n") + 1) * width)
        elif name == "join":
            items = next((a for a in args if isinstance(a, list | tuple)), ())
            self._check_size(_size(items, self.limits.value_chars) + len(items) * len(texts[-1]))

    def _check_arguments(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], sized: tuple[Any, ...] = ()
    ) -> None:
        for value in (*args, *kwargs.values()):
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if number and not abs(value) <= self.limits.number:  # also refuses nan
                raise TemplateLimitError(
                    _(
                        "the template uses a number too large: {number} (at most {most}) - {how}"
                    ).format(number=_number(value), most=self.limits.number, how=_(HOW))
                )
        for value in sized:
            if isinstance(value, str | list | tuple | dict):
                self._check_size(_size(value, self.limits.value_chars))

    def _check_size(self, size: int) -> None:
        if size > self.limits.value_chars:
            raise TemplateLimitError(
                _(
                    "the template makes a value too long: more than {most} characters or items "
                    "- {how}"
                ).format(most=self.limits.value_chars, how=_(HOW))
            )

    def _check_widths(self, text: str) -> None:
        if _NESTED_FIELD.search(text):
            raise TemplateLimitError(
                _("the template builds a format from its own values ('{example}') - {how}").format(
                    example="{0:{1}}", how=_(HOW)
                )
            )
        for match in _FORMAT_WIDTH.finditer(text):
            for number in match.groups():
                if number:
                    self._check_size(int(number))

    def _check_power(self, base: Any, exponent: Any) -> None:
        if not (isinstance(base, int | float) and isinstance(exponent, int | float)):
            return
        if math.log2(abs(base) + 2) * abs(exponent) > 4096:  # more than about 1 200 digits
            raise TemplateLimitError(
                _("the template uses a number too large: {number} - {how}").format(
                    number=f"{_number(base)} ** {_number(exponent)}", how=_(HOW)
                )
            )


def _size(value: Any, limit: int = 10**9) -> int:
    """Return how many characters and items a value holds, nested containers included.

    Counting stops once past ``limit``: a list nested deep and repeated is refused by its
    first million items, not counted to the end.
    """
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item)
        elif isinstance(item, list | tuple):
            total += len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        else:
            total += 1
    return total


def _number(value: Any) -> str:
    """Show a number in a message; an integer of hundreds of digits by its length."""
    if isinstance(value, int) and value.bit_length() > 64:
        return _("a number of about {n} digits").format(n=int(value.bit_length() * 0.30103) + 1)
    return f"{value:g}" if isinstance(value, float) else str(value)
