"""init: a working folder to start from: the invented example, the campaign to edit, outputs/.

Everything a volunteer changes lives in the working folder (the campaign, its Word template,
porto.toml, inputs/spalten.toml), never inside the installation; ``init`` puts copies of the
shipped campaign and template there. It never overwrites a file, and it adds neither the
example to an inputs/ that holds spreadsheets already (their run would print invented people
among real ones) nor the example campaign to a templates/ with a campaign of its own (a run
would then have to be told which one).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import merge
from merge.cli import language
from merge.cli.app import cli
from merge.cli.console import console, plain, warning
from merge.cli.language import argument
from merge.errors import DataError, OutputError, os_reason
from merge.i18n import N_, _, ngettext

INPUTS, TEMPLATES, OUTPUTS = "inputs", "templates", "outputs"
# The invented example of the repository's inputs/ (scripts/make_example_inputs.py); a wheel
# carries it in merge/examples/inputs/ (pyproject.toml).
EXAMPLE_INPUTS = (
    "infostand-und-gottesdienst.xlsx",
    "online-anmeldungen.csv",
    "umfrage-formular.csv",
)
README = "LIESMICH.txt"  # German, as the volunteers read it: how to add a second campaign


@dataclass(frozen=True)
class Step:
    """One file or folder of the working folder, and what init did with it."""

    path: str  # relative to the working folder, with "/" as every system prints it here
    made: bool  # False: it was there already and is kept as it is


def shipped_examples() -> Path:
    """Return the folder of the shipped example inputs: in a wheel merge/examples/inputs, in a
    checkout the repository's inputs/."""
    package = Path(merge.__file__).resolve().parent
    for folder in (package / "examples" / INPUTS, package.parent / INPUTS):
        if all((folder / name).is_file() for name in EXAMPLE_INPUTS):
            return folder
    raise DataError(
        _("{file}: the shipped example is missing - reinstall petition-merge").format(
            file=f"{INPUTS}/{EXAMPLE_INPUTS[0]}"
        )
    )


def shipped_campaign_files() -> tuple[Path, Path, Path]:
    """Return the shipped campaign file, its Word template and the templates/ read-me."""
    from merge.campaign import DEFAULT_TEMPLATE, letter_source

    campaign = letter_source()
    template = campaign.parent / DEFAULT_TEMPLATE
    readme = Path(merge.__file__).resolve().parent / "examples" / README
    for path in (template, readme):
        if not path.is_file():
            raise DataError(
                _("{file}: missing from petition-merge - reinstall petition-merge").format(
                    file=path.name
                )
            )
    return campaign, template, readme


@dataclass
class _Maker:
    """Make the folders and copy the files of a working folder, keeping what is there."""

    root: Path
    steps: list[Step]

    def folder(self, name: str) -> Path:
        path = self.root / name
        if path.is_dir():
            return path
        try:
            path.mkdir(parents=True)
        except OSError as err:
            raise OutputError(
                _(
                    "{folder}: cannot make this folder ({reason}) - choose a folder you may "
                    "write to"
                ).format(folder=path, reason=os_reason(err))
            ) from err
        return path

    def exists(self, folder: str, name: str) -> bool:
        """Return whether the file is there, and if so note that it is kept."""
        if (self.root / folder / name).exists():
            self.steps.append(Step(f"{folder}/{name}", made=False))
            return True
        return False

    def copy(self, source: Path, folder: str) -> None:
        """Copy ``source`` into ``folder`` unless a file of its name is there."""
        from shutil import copyfile

        from merge.atomic import write_atomically

        if self.exists(folder, source.name):
            return
        target = self.folder(folder) / source.name
        write_atomically(target, lambda tmp: copyfile(source, tmp))
        self.steps.append(Step(f"{folder}/{source.name}", made=True))


@dataclass(frozen=True)
class WorkingFolder:
    """What init made in a working folder, and what it left alone."""

    steps: tuple[Step, ...]  # every file (and outputs/), made or kept, in order
    own_inputs: bool  # inputs/ holds spreadsheets that are not the example
    example_missing: bool  # some of the example is not in inputs/ (not added: own_inputs)
    own_campaigns: tuple[str, ...]  # the folder's own campaigns, when the example's is not added


def make_working_folder(root: Path) -> WorkingFolder:
    """Make (or complete) the working folder ``root``; never overwrite a file in it."""
    campaign, template, readme = shipped_campaign_files()
    examples = shipped_examples()
    maker = _Maker(root, [])
    maker.folder("")
    inputs = maker.folder(INPUTS)
    own_inputs = any(
        path.is_file() and not path.name.startswith(".") and path.name not in EXAMPLE_INPUTS
        for path in inputs.iterdir()
    )
    example_missing = False
    for name in EXAMPLE_INPUTS:
        if own_inputs:
            example_missing |= not maker.exists(INPUTS, name)
        else:
            maker.copy(examples / name, INPUTS)
    templates = maker.folder(TEMPLATES)
    own_campaigns: tuple[str, ...] = ()
    others = sorted(path.stem for path in templates.glob("*.toml") if path.name != campaign.name)
    if others and not (templates / campaign.name).exists():
        own_campaigns = tuple(others)  # a second campaign would make every run ask which
    else:
        maker.copy(campaign, TEMPLATES)
    maker.copy(template, TEMPLATES)
    maker.copy(readme, TEMPLATES)
    outputs_made = not (root / OUTPUTS).is_dir()
    maker.folder(OUTPUTS)
    maker.steps.append(Step(f"{OUTPUTS}/", made=outputs_made))
    return WorkingFolder(
        steps=tuple(maker.steps),
        own_inputs=own_inputs,
        example_missing=example_missing,
        own_campaigns=own_campaigns,
    )


_NEXT_RUN = N_("reads the spreadsheets in inputs/ and writes a batch into outputs/")
_NEXT_SERVE = N_("the same in the browser")


@cli.command("init")
@argument(
    "folder",
    required=False,
    default=".",
    type=language.Path(file_okay=False, path_type=Path),
    metavar=N_("[FOLDER]"),
)
def init_command(folder: Path) -> None:
    """Make a working folder: the invented example, the campaign to edit, outputs/.

    FOLDER (default: the folder you are in) gets inputs/ with an invented example,
    templates/ with a copy of the campaign and its Word template to edit (and how to add a
    second campaign: templates/LIESMICH.txt), and outputs/. Nothing there is overwritten: a
    file that exists is kept; inputs/ with spreadsheets of its own gets no example.

    \b
    Example:
      petition-merge init petitionen
      cd petitionen
      petition-merge run
    """
    made = make_working_folder(folder)
    out = console()
    out.print(_("Working folder {folder}:").format(folder=plain(str(folder.resolve()))))
    for step in made.steps:
        text = _("made {file}") if step.made else _("kept {file} (already there, unchanged)")
        out.print("  " + plain(text.format(file=step.path)))
    if made.example_missing:
        out.print(
            "  "
            + plain(
                _("inputs/ holds spreadsheets of yours, so the invented example is not added there")
            )
        )
    elif made.own_inputs:
        out.print(
            warning(
                _(
                    "inputs/ holds the invented example beside spreadsheets of yours - take "
                    "the example out before you print real lists"
                )
            )
        )
    if made.own_campaigns:
        out.print(
            "  "
            + plain(
                ngettext(
                    "templates/ holds the campaign {names}, so the example campaign is not "
                    "added there",
                    "templates/ holds the campaigns {names}, so the example campaign is not "
                    "added there",
                    len(made.own_campaigns),
                ).format(names=", ".join(made.own_campaigns))
            )
        )
    out.print(_("Next:"))
    if folder.resolve() != Path.cwd().resolve():
        out.print(plain(f"  cd {_quoted(str(folder))}"))
    out.print(plain(f"  petition-merge run     ({_(_NEXT_RUN)})"))
    out.print(plain(f"  petition-merge serve   ({_(_NEXT_SERVE)})"))
    if made.own_inputs:
        text = _(
            "The campaign's text is in templates/ ({readme} there says how to add a second "
            "campaign)."
        )
    else:
        text = _(
            "Your own spreadsheets go into inputs/ once you take the invented example out; the "
            "campaign's text is in templates/ ({readme} there says how to add a second "
            "campaign)."
        )
    out.print(plain(text.format(readme=README)))


def _quoted(folder: str) -> str:
    """Return a folder name as a shell takes it: in double quotes if it has a space."""
    return f'"{folder}"' if any(ch.isspace() for ch in folder) else folder
