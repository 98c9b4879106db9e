"""The command group: options shared by commands, and one line for every error."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

import click

from merge import __version__, i18n
from merge.cli.console import plain, stderr
from merge.cli.language import (
    Group,
    choose_from_args,
    install_click_translations,
    option,
    version_option,
)
from merge.errors import INTERNAL_ERROR, INTERRUPTED, MergeError, UsageError
from merge.i18n import N_, _
from merge.i18n.conventions import format_number, parse_date, parse_number

install_click_translations()

_WHOLE = re.compile(r"[+-]?\d*")  # the part before a comma that may be a decimal comma


class _Cli(Group):
    """Turn every error into one line on stderr and its exit code; never a traceback.

    Click's own complaints about the command line (a bad value, an unknown option, a missing
    argument) come out in the same ``error: <where>: <what> - <how to fix>`` line as a
    MergeError, with exit 2, not as click's three-line usage block.
    """

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        # The language first, so that even a complaint about the command line is in it.
        choose_from_args(sys.argv[1:] if args is None else list(args))
        return super().main(args, *rest, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args:  # a bare `petition-merge` shows the help, as click does
            return super().parse_args(ctx, args)
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as err:
            _fail(ctx, usage_error(err, ctx))

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            _fail(ctx, usage_error(err, ctx))
        except MergeError as err:
            _fail(ctx, err)
        except KeyboardInterrupt:
            stderr().print(_("interrupted: nothing was written"))
            ctx.exit(INTERRUPTED)
        except click.exceptions.Abort:  # Ctrl+C or the end of input at a question
            stderr().print(_("stopped: nothing was changed"))
            ctx.exit(INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as err:  # a bug: one line; the details only on request
            if os.environ.get("PETITION_MERGE_DEBUG"):
                raise
            text = _(
                "internal error: {name} - this is a bug in petition-merge; run again with "
                "PETITION_MERGE_DEBUG=1 and report what it shows"
            ).format(name=type(err).__name__)
            stderr().print(f"[red]{plain(text)}[/]")
            ctx.exit(INTERNAL_ERROR)


def _fail(ctx: click.Context, err: MergeError) -> NoReturn:
    stderr().print("[red]" + plain(_("error: {message}").format(message=err)) + "[/]")
    if os.environ.get("PETITION_MERGE_DEBUG") and err.__cause__ is not None:
        # The library's own words, which the message leaves out: for a bug report.
        cause = err.__cause__
        stderr().print(plain(f"  {type(cause).__module__}.{type(cause).__name__}: {cause}"))
    ctx.exit(err.exit_code)


def usage_error(err: click.UsageError, ctx: click.Context) -> UsageError:
    """Say what click found wrong on the command line as ``<where>: <what> - <how to fix>``.

    Click's own wording is kept (and its "did you mean" guess); only the form is ours.
    """
    if err.ctx is not None:
        command = err.ctx.command_path
    else:  # the parser does not say in which command; the group knows which one it started
        command = " ".join(filter(None, [ctx.command_path, ctx.invoked_subcommand]))
    if isinstance(err, click.MissingParameter):
        where, what = command, err.format_message()
    elif isinstance(err, click.BadParameter):
        where, what = _param_hint(err, command), err.message
    elif isinstance(err, click.NoSuchOption):
        where, what = err.option_name, _("no such option")
    elif isinstance(err, click.BadOptionUsage):
        where, what = err.option_name, err.message.removeprefix(f"Option {err.option_name!r} ")
    elif name := getattr(err, "command_name", None):  # click >= 8.4; before, in the message
        where, what = name, _("no such command")
    else:  # an extra argument, a missing command, ...
        where, what = command, err.message
    guesses = sorted(getattr(err, "possibilities", None) or ())
    names = ", ".join(repr(guess) for guess in guesses)
    if len(guesses) > 1:
        fix = _("did you mean one of {names}? See {command} --help")
    elif guesses:
        fix = _("did you mean {names}? See {command} --help")
    else:
        fix = _("see {command} --help")
    fix = fix.format(names=names, command=command)
    return UsageError(_("{where}: {what} - {fix}").format(where=where, what=_clause(what), fix=fix))


def _param_hint(err: click.BadParameter, command: str) -> str:
    """Return the option (its long name) or argument (its metavar) a bad value was given to."""
    if isinstance(err.param_hint, str):
        return err.param_hint
    if err.param_hint:
        return " / ".join(err.param_hint)
    return command if err.param is None else _param_name(err.param)


def _param_name(param: click.Parameter) -> str:
    """Return an option's long name (--labels) or an argument's metavar (BATCH[:ENVELOPES])."""
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return param.human_readable_name


def _clause(text: str) -> str:
    """Return click's sentence as the middle of our line: one line, no full stop.

    In English its first word is made lower case; German keeps it (a noun stays a noun:
    "Datei 'a.xlsx' existiert nicht").
    """
    text = " ".join(text.split()).rstrip(".")
    if i18n.language() != "de" and text[:1].isupper() and text[1:2].islower():
        text = text[0].lower() + text[1:]
    return text


@contextmanager
def naming(param: click.Parameter | str) -> Iterator[None]:
    """Put the option's name in front of a UsageError from the library's check of its value.

    The library refuses a value without knowing where it came from; here the CLI does:
    ``--labels: unknown label product '9999' - use one of: ...``.
    """
    try:
        yield
    except UsageError as err:
        name = param if isinstance(param, str) else _param_name(param)
        raise UsageError(_("{where}: {message}").format(where=name, message=err)) from None


def check_out(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Refuse an --out folder whose name cannot name a batch, before anything is read."""
    from merge.batch import check_batch_name

    if value is not None:
        with naming(param):
            check_batch_name(value.name)
    return value


def check_label_code(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Refuse an unknown --labels product before anything is read (a click callback)."""
    from merge.render.label_products import label_product

    with naming(param):
        label_product(value)
    return value


def check_start_label(label_code: str, start: int) -> None:
    """Refuse a --start-label that is not on a sheet of the --labels product."""
    from merge.render.label_products import check_start, label_product

    with naming("--start-label"):
        check_start(label_product(label_code), start)


class Whole(click.IntRange):
    """A whole number in a range; a word is refused as "not a whole number", in the run's
    language (click would say "not a valid integer range", its type name untranslated)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str):
            try:
                value = int(value.strip())
            except ValueError:
                self.fail(_("{value} is not a whole number").format(value=repr(value)), param, ctx)
        return super().convert(value, param, ctx)


class Grams(click.FloatRange):
    """A weight in grams, with a decimal comma or point (12,5 or 12.5), in the range.

    Numbers in its messages are written as the run's language writes them (0,1 in German).
    click's FloatRange would let nan and inf through.
    """

    name = "grams"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        grams = value
        if isinstance(value, str):
            try:
                grams = float(parse_number(value))
            except ValueError:
                grams = math.nan  # "nan", "inf" and words alike
        if not math.isfinite(grams):
            self.fail(_("{value} is not a weight in grams").format(value=repr(value)), param, ctx)
        try:
            return super().convert(grams, param, ctx)
        except click.BadParameter:  # out of the range: said with the language's numbers
            message = _("{value} is not in the range {range}.").format(
                value=format_number(float(grams)), range=self._describe_range()
            )
            self.fail(message, param, ctx)

    def _describe_range(self) -> str:
        return super()._describe_range().replace(".", "," if i18n.language() == "de" else ".")


class Day(click.ParamType[dt.date, str]):
    """A date as a German or anyone types it: 31.12.2026, 1.2.2026 or 2026-12-31.

    A date that is none is refused in one line that shows how to write one (never a format
    code such as %Y-%m-%d).
    """

    name = "date"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        with naming(param or "--date"):
            try:
                return parse_date(str(value))
            except ValueError as err:
                raise UsageError(str(err)) from None


def label_offset_option(help_text: str) -> Callable[[Any], Any]:
    return option(
        "--label-offset",
        metavar="X;Y",
        default="0;0",
        show_default=True,
        callback=_label_offset,
        help=help_text,
    )


def _label_offset(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, float]:
    from merge.render.label_products import check_offset

    with naming(param):
        offset = parse_offset(value)
        check_offset(offset)
    return offset


def _ledger(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """Read --ledger: a path, or a postgresql:// URL checked (no password) before any work."""
    from merge.track.where import parse_ledger

    if value is None:
        return None
    with naming(param):
        return parse_ledger(value)


LEDGER_OPTION = option(
    "--ledger",
    metavar=N_("FILE|URL"),
    callback=_ledger,
    help=N_(
        "The ledger of prepared and mailed batches: a file (default outputs/ledger.sqlite), or "
        "postgresql://user@host:port/database for one that several groups share (the password "
        "in ~/.pgpass, never in the URL)."
    ),
)
GROUP_OPTION = option(
    "--group",
    metavar=N_("NAME"),
    help=N_(
        "Your local group, as a shared ledger names who prepared a batch (default: the "
        "working folder's name)."
    ),
)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@version_option(__version__, prog_name="petition-merge")
def cli() -> None:
    """Turn spreadsheets of petition signers into printed petition lists of five."""


def parse_offset(value: str) -> tuple[float, float]:
    """Read X;Y millimetres right;down: 1,5;-0,5 or 1.5;-0.5, and X,Y with points: 1.5,-0.5.

    A comma is a German's decimal comma or the old separator of X,Y: "1,5" could be 1.5 mm
    or 1 mm and 5 mm, so it is refused with both readings (unless they are the same: "20,0").
    """
    text = value.replace(" ", "").replace("\u2212", "-")
    parts = text.split(";") if ";" in text else text.split(",")
    if ";" not in text and len(parts) == 2:
        whole, rest = parts
        single = f"{whole}.{rest}"
        if _WHOLE.fullmatch(whole) and rest.isdigit() and Decimal(single) != Decimal(whole or "0"):
            raise UsageError(
                _(
                    "'{value}' can be read two ways - write \"{single};0\" for {single} mm "
                    'right, or "{x};{y}" for {x} mm right and {y} mm down'
                ).format(
                    value=value,
                    single=format_number(Decimal(single)),
                    x=format_number(Decimal(whole or "0")),
                    y=format_number(Decimal(rest)),
                )
            )
    try:
        if len(parts) != 2:
            raise ValueError(value)
        x, y = (float(parse_number(part)) for part in parts)
    except ValueError:
        example = format_number(Decimal("1.5")) + ";" + format_number(Decimal("-0.5"))
        raise click.BadParameter(
            _("'{value}' is not X;Y in mm, e.g. \"{example}\"").format(value=value, example=example)
        ) from None
    return x, y


def main() -> None:
    """Run the CLI (the console script and ``python -m merge``)."""
    cli(prog_name="petition-merge")
