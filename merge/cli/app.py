"""The command group: options shared by commands, and one line for every error."""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click

from merge import __version__
from merge.cli.console import plain, stderr
from merge.cli.language import Group, choose_from_args, install_click_translations
from merge.errors import INTERNAL_ERROR, INTERRUPTED, MergeError, UsageError
from merge.i18n import N_, _

install_click_translations()


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
    """Return click's sentence as the middle of our line: one line, no full stop, lower case."""
    text = " ".join(text.split()).rstrip(".")
    if text[:1].isupper() and text[1:2].islower():
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


class Grams(click.FloatRange):
    """A weight in grams: a number in the range (click's FloatRange lets nan and inf through)."""

    name = "grams"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        grams = super().convert(value, param, ctx)
        if not math.isfinite(grams):
            self.fail(_("{value} is not a weight in grams").format(value=repr(value)), param, ctx)
        return grams


def label_offset_option(help_text: str) -> Callable[[Any], Any]:
    return click.option(
        "--label-offset",
        metavar="X,Y",
        default="0,0",
        show_default=True,
        callback=_label_offset,
        help=help_text,
    )


def _label_offset(ctx: click.Context, param: click.Parameter, value: str) -> tuple[float, float]:
    from merge.render.label_products import check_offset

    offset = parse_offset(value)
    with naming(param):
        check_offset(offset)
    return offset


LEDGER_OPTION = click.option(
    "--ledger",
    type=click.Path(path_type=Path),
    help=N_("The ledger of prepared and mailed batches (default outputs/ledger.sqlite)."),
)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="petition-merge")
def cli() -> None:
    """Turn spreadsheets of petition signers into printed petition lists of five."""


def parse_offset(value: str) -> tuple[float, float]:
    """Parse X,Y millimetres, e.g. 1.5,-0.5."""
    try:
        x, y = (float(part) for part in value.replace(" ", "").split(","))
    except ValueError:
        raise click.BadParameter(f"'{value}' is not X,Y in mm, e.g. 1.5,-0.5") from None
    return x, y


def main() -> None:
    """Run the CLI (the console script and ``python -m merge``)."""
    cli(prog_name="petition-merge")
