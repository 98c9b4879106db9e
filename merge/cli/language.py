"""The CLI in the run's language: click's own strings, every --help text, and --lang.

Click calls gettext for its own words ("Usage:", "Show this message and exit.", "No such
option"); each of its modules binds ``_`` and ``ngettext`` when imported, so those names
are pointed at our catalog (whose German holds click's strings too). Our --help texts are
written in the decorators and docstrings as English message ids; the command classes here
translate them when the help is shown, because the language is known only then. The
exit-code table at the end of every --help is made in the run's language.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import click

from merge import i18n
from merge.errors import exit_codes
from merge.i18n import N_, _
from merge.i18n.choice import choose_language

_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types")

# Click passes these through its gettext without marking them: "required" in the help of an
# option, and the usage line's placeholders (our Command translates those).
N_("required")
OPTIONS_METAVAR = N_("[OPTIONS]")
COMMAND_METAVAR = N_("COMMAND [ARGS]...")

HELP_HELP = N_("Show this message and exit.")
VERSION_HELP = N_("Show the version and exit.")

F = TypeVar("F", bound=Callable[..., Any])


def install_click_translations() -> None:
    """Let click's own messages come from our catalog, in the active language."""
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = i18n._  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]


def choose_from_args(args: Sequence[str]) -> str:
    """Activate the language --lang names anywhere in ``args``, else the environment's."""
    option: str | None = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            option = args[index + 1]
        elif arg.startswith("--lang="):
            option = arg.partition("=")[2]
    if option is not None and option not in i18n.LANGUAGES:
        option = None  # the option itself refuses it, in the environment's language
    language = choose_language(option)
    i18n.activate(language)
    return language


def _activate(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # Without --lang here, the language stays what the whole command line chose (the group's
    # --lang callback runs with None before a command's "--help --lang en" is read).
    if value is not None:
        i18n.activate(choose_language(value))
    return value


class Option(click.Option):
    """An option whose metavar (FOLDER, DATE) is shown in the run's language.

    Give it as an English message id marked with N_: ``option("--out", metavar=N_("FOLDER"))``.
    """

    def make_metavar(self, ctx: click.Context) -> str:
        return _(super().make_metavar(ctx))


class Argument(click.Argument):
    """An argument whose metavar is shown in the run's language, in the help and in errors."""

    @property
    def human_readable_name(self) -> str:
        return _(super().human_readable_name)

    def make_metavar(self, ctx: click.Context) -> str:
        return _(super().make_metavar(ctx))


class Path(click.Path):
    """click.Path, naming a file, folder or path in its messages in the run's language.

    click translates that name once, when the option is made: at import, before the run's
    language is known ("Datei 'a.xlsx' does not exist" in an English run). Here it is kept
    as the English message id and translated where a message uses it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.file_okay and not self.dir_okay:
            self._kind = N_("file")
        elif self.dir_okay and not self.file_okay:
            self._kind = N_("directory")
        else:
            self._kind = N_("path")

    @property
    def name(self) -> str:
        return _(getattr(self, "_kind", "path"))

    @name.setter
    def name(self, value: str) -> None:
        pass  # click's own, translated too early; see __init__


def option(*param_decls: str, **attrs: Any) -> Callable[[F], F]:
    """click.option, with the metavar in the run's language (every option of petition-merge)."""
    return click.option(*param_decls, cls=Option, **attrs)


def argument(*param_decls: str, **attrs: Any) -> Callable[[F], F]:
    """click.argument, with the metavar in the run's language."""
    return click.argument(*param_decls, cls=Argument, **attrs)


def version_option(version: str, prog_name: str) -> Callable[[F], F]:
    """--version, saying "petition-merge, version 1.0" in the run's language.

    click's version_option translates its help and message when the option is made, before
    the run's language is known.
    """

    def show(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            click.echo(_("%(prog)s, version %(version)s") % {"prog": prog_name, "version": version})
            ctx.exit()

    return option(
        "--version",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=show,
        help=VERSION_HELP,
    )


def lang_option() -> click.Option:
    return Option(
        ["--lang"],
        type=click.Choice(i18n.LANGUAGES),
        is_eager=True,
        expose_value=False,
        callback=_activate,
        help=i18n.N_(
            "Language of messages and outputs: de or en (default: PETITION_MERGE_LANG, "
            "then the system's language, else de)."
        ),
    )


@contextmanager
def _translated(*objects: Any) -> Iterator[None]:
    """Show the help texts of commands and parameters in the active language, for a while."""
    saved = []
    for obj in objects:
        for attr in ("help", "short_help"):
            text = getattr(obj, attr, None)
            if text:
                saved.append((obj, attr, text))
                setattr(obj, attr, _(inspect.cleandoc(text)))
    try:
        yield
    finally:
        for obj, attr, text in saved:
            setattr(obj, attr, text)


def exit_code_table() -> str:
    """Return the exit-code table in the active language (click keeps \\b blocks as they are)."""
    rows = "\n".join(f"  {code:>3}  {_(meaning)}" for code, meaning in exit_codes())
    return "\b\n" + _("Exit codes:") + f"\n{rows}\n"


class Command(click.Command):
    """A command whose --help is in the run's language and ends with the exit codes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.params.append(lang_option())

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self, *self.get_params(ctx)):
            super().format_help(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # click makes it (and translates its help) once per command, in the language of the
        # moment; keep the English message id, which _translated shows in the run's language.
        fresh = getattr(self, "_help_option", None) is None
        option = super().get_help_option(ctx)
        if fresh and option is not None:
            option.help = HELP_HELP
        return option

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        # "[OPTIONS]" and "COMMAND [ARGS]..." are click's; the arguments translate themselves.
        ours = {self.options_metavar, getattr(self, "subcommand_metavar", None)} - {None}
        return [_(piece) if piece in ours else piece for piece in super().collect_usage_pieces(ctx)]

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self):
            return super().get_short_help_str(limit)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(exit_code_table())


class Group(Command, click.Group):
    """The command group: its commands are :class:`Command`, its help translated too."""

    command_class = Command
