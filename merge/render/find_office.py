"""Find LibreOffice where its installers put it, on Windows, macOS and Linux.

Its Windows and macOS installers do not put ``soffice`` on PATH, so looking only there finds
no LibreOffice on most volunteers' computers. The search goes, first to last: the variable
PETITION_MERGE_SOFFICE (the executable, or a command name looked up on PATH), PATH
(``soffice``, ``libreoffice``), then where this platform's installers put it (Program Files
and the registry's install path; /Applications and ~/Applications; flatpak and snap).

Everything the search depends on (the platform, the environment, the home folder, the
registry and the root of the file system) is one :class:`System`, so that a test builds a
fake computer of each kind in a temporary folder.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

from merge.i18n import N_

VARIABLE = "PETITION_MERGE_SOFFICE"  # names the LibreOffice executable to use
COMMANDS = ("soffice", "libreoffice")  # its names on PATH

# The install path LibreOffice's Windows installer writes (the program folder), for all users
# and for one; WOW6432Node is where a 32-bit LibreOffice on 64-bit Windows writes it.
REGISTRY_KEYS = (
    r"HKEY_LOCAL_MACHINE\SOFTWARE\LibreOffice\UNO\InstallPath",
    r"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath",
    r"HKEY_CURRENT_USER\SOFTWARE\LibreOffice\UNO\InstallPath",
)
_PROGRAM_FILES = (  # variable, and its value where it is not set
    ("ProgramFiles", r"C:\Program Files"),
    ("ProgramW6432", ""),  # the 64-bit folder, seen from a 32-bit Python
    ("ProgramFiles(x86)", r"C:\Program Files (x86)"),
)
_MACOS_APP = "Applications/LibreOffice.app/Contents/MacOS/soffice"
_LINUX_PLACES = (  # besides PATH: flatpak for all users, then for one, then snap
    "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice",
    "~/.local/share/flatpak/exports/bin/org.libreoffice.LibreOffice",
    "/snap/bin/libreoffice",
)

# How to install LibreOffice here; shown through _() where it is said.
INSTALL_HINTS = {
    "win32": N_(
        "install LibreOffice to make PDFs: download it from https://www.libreoffice.org/download/"
    ),
    "darwin": N_(
        "install LibreOffice to make PDFs: download it from "
        "https://www.libreoffice.org/download/ and move it to Applications"
    ),
    "linux": N_(
        "install LibreOffice to make PDFs: on Debian/Ubuntu `sudo apt-get install "
        "libreoffice-writer-nogui fonts-liberation2 fonts-noto-cjk`, elsewhere your "
        "distribution's libreoffice package"
    ),
}

Registry = Callable[[str], str | None]  # a key's default value, or None


def read_registry(key: str) -> str | None:
    """Return the default value of a registry key (``HKEY_...\\path``) on Windows, else None."""
    if sys.platform != "win32":
        return None
    import winreg

    hive, _sep, path = key.partition("\\")
    try:
        # The 64-bit view, so that a 32-bit Python sees both (WOW6432Node is named explicitly).
        access = winreg.KEY_READ | winreg.KEY_WOW64_64KEY
        with winreg.OpenKey(getattr(winreg, hive), path, 0, access) as opened:
            value, _kind = winreg.QueryValueEx(opened, "")
    except OSError:
        return None
    return value if isinstance(value, str) else None


def _no_registry(key: str) -> str | None:
    return None


def platform_family(platform: str) -> str:
    """Return "win32", "darwin" or "linux" (every other Unix is searched like Linux)."""
    return platform if platform in ("win32", "darwin") else "linux"


@dataclass(frozen=True)
class System:
    """The computer searched: its platform, environment, home folder, registry and root.

    ``root`` is None for this computer's own file system; a test gives a folder, and every
    absolute path the search looks at is taken inside it (``C:\\Program Files`` as
    ``root/C/Program Files``, ``/usr/bin`` as ``root/usr/bin``).
    """

    platform: str
    environ: Mapping[str, str]
    home: str
    registry: Registry = field(default=_no_registry)
    root: Path | None = None

    @classmethod
    def current(cls) -> System:
        """Return this computer, as it is now (its environment read at this moment)."""
        return cls(sys.platform, dict(os.environ), str(Path.home()), read_registry)

    @property
    def family(self) -> str:
        return platform_family(self.platform)

    def variable(self, name: str) -> str:
        """Return an environment variable, "" where it is not set (on Windows in any case)."""
        if self.family != "win32":
            return self.environ.get(name, "")
        wanted = name.upper()  # os.environ holds Windows' names upper-cased
        return next((value for key, value in self.environ.items() if key.upper() == wanted), "")

    def path(self, text: str) -> PurePath:
        """Return ``text`` as a path of this platform, ``~`` being the home folder."""
        kind = PureWindowsPath if self.family == "win32" else PurePosixPath
        if text == "~" or text.startswith(("~/", "~\\")):
            return kind(self.home) / text[2:]
        return kind(text)

    def at(self, path: PurePath) -> Path:
        """Return where ``path`` is on the file system searched (inside ``root``, if any)."""
        if self.root is None:
            return Path(path)
        if not path.is_absolute():
            return self.root / Path(*path.parts)
        drive = path.drive.strip("\\/:").replace("\\", "_").replace("/", "_")
        return self.root.joinpath(*filter(None, [drive]), *path.parts[1:])

    def is_program(self, path: PurePath) -> bool:
        """Say whether ``path`` is a file this system can run (on Windows: any file)."""
        found = self.at(path)
        if not found.is_file():
            return False
        return self.family == "win32" or os.access(found, os.X_OK)

    def which(self, name: str) -> Path | None:
        """Return where PATH has the program ``name`` (on Windows with PATHEXT's endings)."""
        separator = ";" if self.family == "win32" else ":"
        names = [name]
        if self.family == "win32":
            endings = [e.lower() for e in (self.variable("PATHEXT") or ".COM;.EXE").split(";") if e]
            if PureWindowsPath(name).suffix.lower() not in endings:
                names = [name + ending for ending in endings]
        for folder in self.variable("PATH").split(separator):
            folder = folder.strip('"')  # Windows lets a folder of PATH be quoted
            if not folder:
                continue
            for candidate in names:
                path = self.path(folder) / candidate
                if self.is_program(path):
                    return self.at(path)
        return None


def install_hint(platform: str = sys.platform) -> str:
    """Return how to install LibreOffice on ``platform`` (a message id, for _())."""
    return INSTALL_HINTS[platform_family(platform)]


INSTALL_HINT = install_hint()  # this computer's, as merge.render.pdf has always offered it


def installer_places(system: System) -> Iterator[PurePath]:
    """Yield where this platform's LibreOffice installers put soffice, first to last."""
    if system.family == "win32":
        seen: set[str] = set()
        for variable, default in _PROGRAM_FILES:
            folder = system.variable(variable) or default
            if folder and folder.lower() not in seen:
                seen.add(folder.lower())
                yield system.path(folder) / "LibreOffice" / "program" / "soffice.exe"
        for key in REGISTRY_KEYS:
            program = system.registry(key)
            if program:
                yield system.path(program) / "soffice.exe"
    elif system.family == "darwin":
        yield system.path("/" + _MACOS_APP)
        yield system.path("~/" + _MACOS_APP)
    else:
        for place in _LINUX_PLACES:
            yield system.path(place)


def named_by_variable(system: System) -> str | None:
    """Return what PETITION_MERGE_SOFFICE names, or None where it is not set."""
    return system.variable(VARIABLE).strip() or None


def named_program(system: System) -> Path | None:
    """Return the program PETITION_MERGE_SOFFICE names, or None where it names none."""
    named = named_by_variable(system)
    if named is None:
        return None
    path = system.path(named)
    if len(path.parts) == 1 and not path.is_absolute():  # a bare command name: on PATH
        return system.which(named)
    return system.at(path) if system.is_program(path) else None


def find_office(system: System) -> Path | None:
    """Return the LibreOffice executable on ``system``, or None where there is none.

    A PETITION_MERGE_SOFFICE that names nothing runnable is passed over (the doctor says
    so), so that a stale setting does not cost the PDF when LibreOffice is installed.
    """
    found = named_program(system)
    if found is not None:
        return found
    for command in COMMANDS:
        found = system.which(command)
        if found is not None:
            return found
    for place in installer_places(system):
        if system.is_program(place):
            return system.at(place)
    return None


def find_soffice() -> str | None:
    """Return this computer's LibreOffice executable, or None if it is not installed."""
    found = find_office(System.current())
    return None if found is None else str(found)


_VERSION = re.compile(r"LibreOffice\S*\s+(\d+(?:\.\d+)+)")


def office_version(soffice: str, timeout: float = 60) -> str | None:
    """Return LibreOffice's version ("7.4.7.2"), or None when it does not say it in time.

    It runs with a throwaway profile, as every conversion does. On Windows, soffice.exe
    writes nothing to a console; the soffice.com beside it does.
    """
    program = Path(soffice)
    console = program.with_suffix(".com")
    if program.suffix.lower() == ".exe" and console.is_file():
        program = console
    with tempfile.TemporaryDirectory(prefix="petition-merge-version-") as work:
        profile = (Path(work) / "profile").resolve().as_uri()
        try:
            done = subprocess.run(
                [str(program), f"-env:UserInstallation={profile}", "--version"],
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
    found = _VERSION.search(done.stdout)
    return found.group(1) if found else None
