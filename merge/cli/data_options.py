"""--labels and --envelope: options whose default and choices come from the bundled data.

``merge/data/labels.json`` names the default label product, ``merge/data/envelopes.json`` the
envelope formats and their default. Both are read when the CLI is imported, which is cheap (two
small JSON files, no document library), so that ``--help`` shows the defaults. A damaged file
must not break every command: the option then has no default, and the command that uses it
stops with the DataError (one line, exit 8) when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from merge.cli.app import check_label_code
from merge.cli.language import option
from merge.data import default_label_code
from merge.errors import DataError
from merge.i18n import N_
from merge.post.envelope_formats import AUTO, bundled_envelope_data

F = TypeVar("F", bound=Callable[..., Any])
CODE = N_("CODE")  # the metavar of a label product or an envelope format


def labels_option(help_text: str | None = None) -> Callable[[F], F]:
    """Return the --labels option (parameter ``label_code``), default from ``labels.json``."""
    try:
        default = default_label_code()
    except DataError as err:
        return option("--labels", "label_code", metavar=CODE, callback=_refuse(err), help=help_text)
    return option(
        "--labels",
        "label_code",
        metavar=CODE,
        default=default,
        show_default=True,
        callback=check_label_code,
        help=help_text,
    )


def envelope_option(help_text: str) -> Callable[[F], F]:
    """Return the --envelope option: a format of ``envelopes.json`` (default: its default), or
    "auto" for the cheapest."""
    try:
        envelopes = bundled_envelope_data()
    except DataError as err:
        return option("--envelope", metavar=CODE, callback=_refuse(err), help=help_text)
    return option(
        "--envelope",
        type=click.Choice([*envelopes.codes, AUTO], case_sensitive=False),
        default=envelopes.default_code,
        show_default=True,
        help=help_text,
    )


def _refuse(err: DataError) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        raise err

    return callback
