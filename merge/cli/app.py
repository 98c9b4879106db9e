"""The command group: options shared by commands, and one line for every MergeError."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from merge import __version__
from merge.cli.console import plain, stderr
from merge.errors import INTERNAL_ERROR, INTERRUPTED, MergeError, exit_codes


def _exit_code_epilog() -> str:
    """Return the exit-code table that ends every command's --help, made from the classes."""
    rows = "\n".join(f"  {code:>3}  {meaning}" for code, meaning in exit_codes())
    return f"\b\nExit codes:\n{rows}\n"


EXIT_CODES = _exit_code_epilog()


class _Cli(click.Group):
    """Turn every MergeError into one line on stderr and its exit code; never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except MergeError as err:
            stderr().print(f"[red]error:[/] {plain(str(err))}")
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            stderr().print("interrupted: nothing was written")
            ctx.exit(INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except Exception as err:  # a bug: one line; the details only on request
            if os.environ.get("PETITION_MERGE_DEBUG"):
                raise
            stderr().print(
                f"[red]internal error:[/] {type(err).__name__} - this is a bug in "
                "petition-merge; run again with PETITION_MERGE_DEBUG=1 and report what it shows"
            )
            ctx.exit(INTERNAL_ERROR)


def label_offset_option(help_text: str) -> Callable[[Any], Any]:
    return click.option(
        "--label-offset",
        metavar="X,Y",
        default="0,0",
        show_default=True,
        callback=lambda ctx, param, value: parse_offset(value),
        help=help_text,
    )


LEDGER_OPTION = click.option(
    "--ledger",
    type=click.Path(path_type=Path),
    help="The ledger of prepared and mailed batches (default outputs/ledger.sqlite).",
)


@click.group(cls=_Cli, epilog=EXIT_CODES, context_settings={"help_option_names": ["-h", "--help"]})
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
