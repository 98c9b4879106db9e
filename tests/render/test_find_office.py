"""LibreOffice is found where its installers put it: one fake computer per platform.

Each test builds the computer's files in tmp_path (its root) and says what the search finds
first, then takes that away and checks what comes next: the order is the behaviour.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from merge.render import find_office, pdf
from merge.render.find_office import System
from merge.render.find_office import find_office as search


def program(root: Path, path: str, executable: bool = True) -> Path:
    """Make a file at ``path`` (C:\\... as root/C/..., /x as root/x) inside ``root``."""
    parts = path.replace("\\", "/").replace(":", "").strip("/").split("/")
    file = root.joinpath(*parts)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text("#!/bin/sh\n")
    mode = file.stat().st_mode
    file.chmod(mode | stat.S_IXUSR if executable else mode & ~(stat.S_IXUSR | stat.S_IXGRP))
    return file


def found_in_order(system: System) -> list[Path]:
    """Search again and again, removing what was found each time: every find, first to last."""
    order = []
    while (found := search(system)) is not None:
        order.append(found)
        found.unlink()
    return order


# --- Windows ------------------------------------------------------------------------------------


def windows(root: Path, registry: dict[str, str] | None = None, **environ: str) -> System:
    environ.setdefault("PATH", r"C:\Windows\system32;C:\Windows")
    # A dict's get is a registry reader: a key's default value, or None.
    return System("win32", environ, r"C:\Users\erika", (registry or {}).get, root)


def test_windows_finds_program_files_then_x86_then_the_registry_path(tmp_path: Path) -> None:
    registry = {
        r"HKEY_LOCAL_MACHINE\SOFTWARE\LibreOffice\UNO\InstallPath": r"D:\Büro\LibreOffice\program",
        r"HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\LibreOffice\UNO\InstallPath": (
            r"E:\LO32\program"
        ),
    }
    made = [
        program(tmp_path, r"C:\Program Files\LibreOffice\program\soffice.exe"),
        program(tmp_path, r"C:\Program Files (x86)\LibreOffice\program\soffice.exe"),
        program(tmp_path, r"D:\Büro\LibreOffice\program\soffice.exe"),
        program(tmp_path, r"E:\LO32\program\soffice.exe"),
    ]
    system = windows(tmp_path, registry)  # no variables: C:\Program Files and (x86)
    assert found_in_order(system) == made


def test_windows_in_a_32_bit_python_looks_in_both_program_files(tmp_path: Path) -> None:
    # A 32-bit Python on 64-bit Windows sees ProgramFiles as the (x86) folder.
    made = [
        program(tmp_path, r"D:\Apps (x86)\LibreOffice\program\soffice.exe"),
        program(tmp_path, r"D:\Apps\LibreOffice\program\soffice.exe"),
    ]
    environ = {"ProgramFiles": r"D:\Apps (x86)", "ProgramFiles(x86)": r"D:\Apps (x86)"}
    system = windows(tmp_path, ProgramW6432=r"D:\Apps", **environ)
    assert found_in_order(system) == made


def test_windows_reads_program_files_from_the_environment_in_any_case(tmp_path: Path) -> None:
    # os.environ on Windows holds the names upper-cased: PROGRAMFILES, PROGRAMFILES(X86).
    made = program(tmp_path, r"F:\Programme\LibreOffice\program\soffice.exe")
    system = windows(tmp_path, PROGRAMFILES=r"F:\Programme")
    assert search(system) == made


def test_windows_without_the_variables_looks_in_c_program_files(tmp_path: Path) -> None:
    made = program(tmp_path, r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
    assert search(windows(tmp_path)) == made


def test_windows_path_comes_before_program_files_with_pathext(tmp_path: Path) -> None:
    on_path = program(tmp_path, r"C:\Tools\LO\soffice.exe")
    installed = program(tmp_path, r"C:\Program Files\LibreOffice\program\soffice.exe")
    system = windows(tmp_path, PATH=r'C:\Windows;"C:\Tools\LO"', PATHEXT=".COM;.EXE;.BAT")
    assert found_in_order(system) == [on_path, installed]


def test_windows_registry_of_one_user_is_read_last(tmp_path: Path) -> None:
    key = r"HKEY_CURRENT_USER\SOFTWARE\LibreOffice\UNO\InstallPath"
    made = program(tmp_path, r"C:\Users\erika\AppData\Local\LO\program\soffice.exe")
    system = windows(tmp_path, {key: r"C:\Users\erika\AppData\Local\LO\program"})
    assert search(system) == made


def test_windows_registry_naming_a_missing_folder_finds_nothing(tmp_path: Path) -> None:
    key = find_office.REGISTRY_KEYS[0]
    assert search(windows(tmp_path, {key: r"C:\Gone\program"})) is None


# --- macOS --------------------------------------------------------------------------------------


def macos(root: Path, **environ: str) -> System:
    environ.setdefault("PATH", "/usr/bin:/bin:/usr/local/bin")
    return System("darwin", environ, "/Users/erika", root=root)


def test_macos_finds_path_then_applications_then_home_applications(tmp_path: Path) -> None:
    made = [
        program(tmp_path, "/usr/local/bin/soffice"),
        program(tmp_path, "/Applications/LibreOffice.app/Contents/MacOS/soffice"),
        program(tmp_path, "/Users/erika/Applications/LibreOffice.app/Contents/MacOS/soffice"),
    ]
    assert found_in_order(macos(tmp_path)) == made


def test_macos_passes_over_a_file_that_cannot_run(tmp_path: Path) -> None:
    program(tmp_path, "/Applications/LibreOffice.app/Contents/MacOS/soffice", executable=False)
    made = program(tmp_path, "/Users/erika/Applications/LibreOffice.app/Contents/MacOS/soffice")
    assert search(macos(tmp_path)) == made


# --- Linux --------------------------------------------------------------------------------------


def linux(root: Path, **environ: str) -> System:
    environ.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    return System("linux", environ, "/home/erika", root=root)


def test_linux_finds_soffice_then_libreoffice_then_flatpak_then_snap(tmp_path: Path) -> None:
    made = [
        program(tmp_path, "/usr/bin/soffice"),
        program(tmp_path, "/usr/local/bin/libreoffice"),
        program(tmp_path, "/var/lib/flatpak/exports/bin/org.libreoffice.LibreOffice"),
        program(
            tmp_path, "/home/erika/.local/share/flatpak/exports/bin/org.libreoffice.LibreOffice"
        ),
        program(tmp_path, "/snap/bin/libreoffice"),
    ]
    assert found_in_order(linux(tmp_path)) == made


def test_linux_path_is_searched_in_its_order(tmp_path: Path) -> None:
    first = program(tmp_path, "/opt/lo/bin/soffice")
    second = program(tmp_path, "/usr/bin/soffice")
    assert found_in_order(linux(tmp_path, PATH="/opt/lo/bin:/usr/bin")) == [first, second]


def test_other_unixes_are_searched_like_linux(tmp_path: Path) -> None:
    made = program(tmp_path, "/snap/bin/libreoffice")
    system = System("freebsd14", {"PATH": "/usr/bin"}, "/home/erika", root=tmp_path)
    assert search(system) == made


def test_nothing_installed_finds_nothing_on_any_platform(tmp_path: Path) -> None:
    program(tmp_path, "/usr/bin/python3")
    for system in (windows(tmp_path), macos(tmp_path), linux(tmp_path)):
        assert search(system) is None


# --- the variable comes first -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "named"),
    [
        (windows, r"G:\Portable\LibreOffice\program\soffice.exe"),
        (macos, "/Volumes/Stick/LibreOffice.app/Contents/MacOS/soffice"),
        (linux, "/opt/libreoffice24.8/program/soffice"),
    ],
)
def test_the_variable_comes_before_everything(make: object, named: str, tmp_path: Path) -> None:
    chosen = program(tmp_path, named)
    for path in (
        r"C:\Program Files\LibreOffice\program\soffice.exe",
        "/Applications/LibreOffice.app/Contents/MacOS/soffice",
        "/usr/bin/soffice",
        "/snap/bin/libreoffice",
    ):
        program(tmp_path, path)
    system = make(tmp_path, PETITION_MERGE_SOFFICE=named)  # type: ignore[operator]
    assert search(system) == chosen


def test_the_variable_may_name_a_command_on_path(tmp_path: Path) -> None:
    chosen = program(tmp_path, "/usr/bin/libreoffice7.6")
    program(tmp_path, "/usr/bin/soffice")
    assert search(linux(tmp_path, PETITION_MERGE_SOFFICE="libreoffice7.6")) == chosen


def test_a_variable_naming_nothing_is_passed_over(tmp_path: Path) -> None:
    installed = program(tmp_path, "/Applications/LibreOffice.app/Contents/MacOS/soffice")
    system = macos(tmp_path, PETITION_MERGE_SOFFICE="/Applications/Old.app/soffice")
    assert find_office.named_by_variable(system) == "/Applications/Old.app/soffice"
    assert search(system) == installed


# --- this computer ------------------------------------------------------------------------------


def test_the_install_hint_is_this_platforms() -> None:
    assert "apt-get" in find_office.install_hint("linux")
    assert "apt-get" not in find_office.install_hint("win32")
    assert "Applications" in find_office.install_hint("darwin")
    assert find_office.install_hint(sys.platform) == pdf.INSTALL_HINT


def test_find_soffice_reads_the_environment_of_the_moment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = program(tmp_path, "/somewhere/soffice")
    monkeypatch.setenv("PETITION_MERGE_SOFFICE", str(chosen))
    assert pdf.find_soffice() == str(chosen)
    monkeypatch.setenv("PETITION_MERGE_SOFFICE", str(tmp_path / "nowhere"))
    monkeypatch.setenv("PATH", str(tmp_path))
    if sys.platform == "linux" and not any(
        os.path.exists(p) for p in ("/var/lib/flatpak/exports/bin", "/snap/bin/libreoffice")
    ):
        assert pdf.find_soffice() is None


@pytest.mark.soffice
def test_the_version_of_the_installed_libreoffice() -> None:
    soffice = pdf.find_soffice()
    assert soffice is not None
    version = find_office.office_version(soffice)
    assert version is not None and version.split(".")[0].isdigit()


def test_a_program_that_says_no_version_has_none(tmp_path: Path) -> None:
    silent = program(tmp_path, "/bin/silent")
    silent.write_text("#!/bin/sh\necho hello\n")
    assert find_office.office_version(str(silent)) is None
    assert find_office.office_version(str(tmp_path / "missing")) is None
