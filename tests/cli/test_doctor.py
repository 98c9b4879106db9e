"""petition-merge doctor: what it finds here, what it says is missing, and its exit code.

The real runs use this machine (LibreOffice, fonts and poppler installed); the runs without
LibreOffice start petition-merge in a process whose PATH is a folder with only python in it.
The checks themselves are tried on fake computers (tmp_path as the root).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import TABLES, ledger_sql
from unmarked import unmarked_words

from merge import i18n
from merge.cli import cli, doctor
from merge.errors import DataError, LedgerError, OutputError
from merge.render import find_office
from merge.render.find_office import System
from merge.track.keys import SECRET_VARIABLE
from merge.track.schema import SCHEMA_VERSION
from merge.track.where import LedgerLocation

ROOT = Path(__file__).parent.parent.parent


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["doctor", *args], prog_name="petition-merge")


def doctor_without_path(
    folder: Path, *args: str, **environ: str
) -> subprocess.CompletedProcess[str]:
    """Run the doctor in ``folder`` with a PATH that holds only python, as a new process."""
    bin_folder = folder / "bin"
    bin_folder.mkdir(exist_ok=True)
    if not (bin_folder / "python").exists():
        (bin_folder / "python").symlink_to(sys.executable)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PETITION_MERGE_SOFFICE", "PETITION_MERGE_LANG", "LANGUAGE", "LC_ALL")
    }
    env.update({"PATH": str(bin_folder), "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8", **environ})
    return subprocess.run(
        [sys.executable, "-m", "merge", "doctor", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def lines_of(output: str) -> dict[str, str]:
    """Return each finding's line by its first words after the marker."""
    return {line.split(maxsplit=1)[1]: line for line in output.splitlines() if line[:2] == "  "}


# --- here, with everything installed -------------------------------------------------------


@pytest.mark.soffice
def test_here_everything_is_found_and_named(project: Path) -> None:
    result = invoke()
    assert result.exit_code == 0, result.output
    out = result.stdout
    version = find_office.office_version(str(find_office.find_soffice()))
    assert f"  ok       LibreOffice {version} (the PDFs): {find_office.find_soffice()}\n" in out
    assert f"ok       Python {sys.version_info.major}.{sys.version_info.minor}." in out
    assert "ok       petition-merge 0.1.0 and its libraries\n" in out
    assert "ok       font with Arial's widths: Liberation Sans" in out
    assert "ok       Noto Sans CJK SC (Chinese addresses)\n" in out
    assert "ok       poppler (previews of pages): " in out and "pdftoppm" in out
    assert "ok       web page (serve): starlette, uvicorn, jinja2, python-multipart\n" in out
    ledger = project / "outputs" / "ledger.sqlite"
    assert f"ok       ledger {ledger}: none yet - the first run makes it\n" in out
    assert out.rstrip().endswith("All there: run makes the .docx files and their PDFs.")
    assert "missing" not in out and "error" not in out
    assert not (project / "outputs").exists()  # nothing is written, not even the ledger


@pytest.mark.soffice
def test_here_in_german_by_default(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV_VARIABLE, "de")
    result = invoke()
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("petition-merge 0.1.0 prüft diesen Computer:\n")
    assert "  ok      Schrift mit den Breiten von Arial: Liberation Sans" in out
    assert "  ok      Noto Sans CJK SC (chinesische Anschriften)\n" in out
    assert "Versandbuch " in out and "noch keines - der erste run legt es an" in out
    assert out.rstrip().endswith("Alles da: run macht die .docx-Dateien und ihre PDFs.")


def test_english_with_lang_en(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV_VARIABLE, "de")
    out = invoke("--lang", "en").stdout
    assert out.startswith("petition-merge 0.1.0 checks this computer:\n")
    assert "Versandbuch" not in out


# --- without LibreOffice -------------------------------------------------------------------


def test_without_libreoffice_it_says_so_with_the_hint_and_exits_0(tmp_path: Path) -> None:
    nowhere = tmp_path / "nowhere" / "soffice"
    done = doctor_without_path(tmp_path, "--lang", "en", PETITION_MERGE_SOFFICE=str(nowhere))
    assert done.returncode == 0, done.stdout + done.stderr
    found = lines_of(done.stdout)
    hint = find_office.install_hint(sys.platform)
    assert found[
        "LibreOffice not found: run makes the .docx files, but no PDFs - "
        + hint
        + ("; if it is installed in another place, name its soffice in PETITION_MERGE_SOFFICE")
    ].startswith("  missing  ")
    assert f"  error    PETITION_MERGE_SOFFICE names {nowhere}, which is not a program" in (
        done.stdout
    )
    poppler = "poppler (pdftoppm) not found: no previews of pages as pictures - "
    assert poppler + "on Debian/Ubuntu: sudo apt-get install poppler-utils" in done.stdout
    # fc-list is not on PATH either: the font folders are searched instead.
    assert "  ok       font with Arial's widths: Liberation Sans" in done.stdout
    assert done.stdout.rstrip().endswith(
        "run makes the .docx files; for the PDFs see the lines marked above."
    )
    assert done.stderr == ""


def test_without_libreoffice_in_german(tmp_path: Path) -> None:
    done = doctor_without_path(tmp_path, PETITION_MERGE_LANG="de")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert (
        "  fehlt   LibreOffice nicht gefunden: run macht die .docx-Dateien, aber keine PDFs - "
        "installieren Sie LibreOffice, um PDFs zu erzeugen: unter Debian/Ubuntu mit `sudo apt-get "
        "install libreoffice-writer-nogui fonts-liberation2 fonts-noto-cjk`"
    ) in out
    assert "nennen Sie sein soffice in PETITION_MERGE_SOFFICE" in out
    assert "  fehlt   poppler (pdftoppm) nicht gefunden" in out
    assert out.rstrip().endswith(
        "run macht die .docx-Dateien; für die PDFs siehe die markierten Zeilen oben."
    )


def test_strict_fails_without_libreoffice_with_exit_6(tmp_path: Path) -> None:
    done = doctor_without_path(tmp_path, "--strict", "--lang", "en")
    assert done.returncode == OutputError.exit_code == 6
    assert done.stdout.rstrip().endswith(
        "PDFs cannot be made as designed: see the lines marked above."
    )


@pytest.mark.soffice
def test_the_variable_comes_before_path(tmp_path: Path) -> None:
    on_path = Path(str(find_office.find_soffice()))
    named = tmp_path / "LibreOffice" / "soffice"
    named.parent.mkdir()
    named.symlink_to(os.path.realpath(on_path))
    # PATH keeps the tools LibreOffice's start script needs (dirname, grep, uname).
    path = f"{tmp_path / 'bin'}:{on_path.parent}"
    done = doctor_without_path(
        tmp_path, "--lang", "en", PATH=path, PETITION_MERGE_SOFFICE=str(named)
    )
    assert done.returncode == 0
    assert f" (the PDFs): {named}\n" in done.stdout
    assert "PETITION_MERGE_SOFFICE names" not in done.stdout


# --- the ledger ----------------------------------------------------------------------------


def make_ledger(path: Path, version: int | None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        if version is not None:
            db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(version),))
    db.close()
    return path


def test_a_ledger_made_by_a_run_has_the_current_version(example: Path) -> None:
    assert CliRunner().invoke(cli, ["run", "--no-pdf"]).exit_code == 0
    ledger = example / "outputs" / "ledger.sqlite"
    before = ledger.read_bytes()
    result = invoke()
    assert result.exit_code == 0, result.output
    assert f"ok       ledger {ledger}: version {SCHEMA_VERSION}\n" in result.stdout
    assert ledger.read_bytes() == before


def test_an_older_ledger_is_ok_and_left_as_it_is(project: Path) -> None:
    ledger = make_ledger(project / "old.sqlite", 1)
    before = ledger.read_bytes()
    result = invoke("--ledger", "old.sqlite")
    assert result.exit_code == 0
    assert f"version 1, brought up to {SCHEMA_VERSION} by the next run" in result.stdout
    assert ledger.read_bytes() == before


def test_a_ledger_of_a_newer_version_fails_with_exit_7(project: Path) -> None:
    make_ledger(project / "outputs" / "ledger.sqlite", SCHEMA_VERSION + 1)
    result = invoke()
    assert result.exit_code == LedgerError.exit_code == 7
    assert (
        f"  error    ledger {project / 'outputs' / 'ledger.sqlite'}: written by a newer "
        f"petition-merge (ledger version {SCHEMA_VERSION + 1}) - update petition-merge\n"
    ) in result.stdout
    assert result.stdout.rstrip().endswith("run cannot make a batch: see the lines marked above.")
    assert "Traceback" not in result.output


@pytest.mark.parametrize("content", [b"not a database, just text" * 100, None])
def test_a_ledger_that_is_no_database_or_a_folder_fails_with_exit_7(
    project: Path, content: bytes | None
) -> None:
    target = project / "bad.sqlite"
    if content is None:
        target.mkdir()
    else:
        target.write_bytes(content)
    result = invoke("--ledger", str(target))
    assert result.exit_code == 7, result.output
    assert f"  error    ledger {target}: " in result.stdout
    assert "Traceback" not in result.output


def test_an_empty_ledger_file_is_ok(project: Path) -> None:
    (project / "empty.sqlite").write_bytes(b"")
    result = invoke("--ledger", "empty.sqlite")
    assert result.exit_code == 0
    assert "empty - the next run makes its tables" in result.stdout


# --- the checks on their own ---------------------------------------------------------------


def test_a_python_too_old_fails_with_exit_8() -> None:
    finding = doctor.check_python((3, 9, 18))
    assert finding.state == doctor.BROKEN and finding.exit_code(strict=False) == 8
    assert finding.text == "Python 3.9.18 is too old: petition-merge needs 3.11 or newer"
    assert doctor.check_python((3, 11, 0)).ok


def test_a_missing_library_fails_with_exit_8_and_names_it() -> None:
    def load(name: str) -> object:
        if name in ("docxtpl", "python_calamine"):
            raise ImportError(name)
        return object()

    finding = doctor.check_libraries(load)
    assert finding.exit_code(strict=False) == DataError.exit_code == 8
    assert "docxtpl, python-calamine" in finding.text


def test_a_missing_web_package_only_warns() -> None:
    def load(name: str) -> object:
        if name in ("uvicorn", "python_multipart", "multipart"):
            raise ImportError(name)
        return object()

    finding = doctor.check_web(load)
    assert finding.state == doctor.MISSING and finding.exit_code(strict=True) == 0
    assert finding.text == "web page (serve): uvicorn, python-multipart missing"
    assert "petition-merge[web]" in finding.hint
    assert doctor.check_web(lambda name: object()).ok


def font(root: Path, path: str) -> None:
    parts = path.replace("\\", "/").replace(":", "").strip("/").split("/")
    file = root.joinpath(*parts)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(b"\0")


def test_fonts_in_the_windows_font_folders(tmp_path: Path) -> None:
    font(tmp_path, r"C:\Windows\Fonts\arial.ttf")
    font(tmp_path, r"C:\Users\erika\AppData\Local\Microsoft\Windows\Fonts\NotoSansCJK-Regular.ttc")
    environ = {"PATH": r"C:\Windows", "LOCALAPPDATA": r"C:\Users\erika\AppData\Local"}
    system = System("win32", environ, r"C:\Users\erika", root=tmp_path)
    assert doctor.font_families(system) == {"Arial", "Noto Sans CJK SC"}


def test_fonts_in_the_macos_font_folders(tmp_path: Path) -> None:
    font(tmp_path, "/System/Library/Fonts/Supplemental/Arial.ttf")
    system = System("darwin", {"PATH": "/usr/bin"}, "/Users/erika", root=tmp_path)
    assert doctor.font_families(system) == {"Arial"}
    font(tmp_path, "/Users/erika/Library/Fonts/NotoSansCJKsc-Regular.otf")
    assert doctor.font_families(system) == {"Arial", "Noto Sans CJK SC"}


def test_fonts_missing_on_linux_say_how_to_install_them(tmp_path: Path) -> None:
    font(tmp_path, "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    system = System("linux", {"PATH": "/usr/bin"}, "/home/erika", root=tmp_path)
    families = doctor.font_families(system)
    assert families == set()
    arial, cjk = doctor.check_fonts(system, families)
    assert arial.state == doctor.MISSING and arial.pdf_only
    assert arial.exit_code(strict=False) == 0 and arial.exit_code(strict=True) == 6
    assert arial.hint == "on Debian/Ubuntu: sudo apt-get install fonts-liberation2"
    assert cjk.hint == "on Debian/Ubuntu: sudo apt-get install fonts-noto-cjk"
    assert cjk.exit_code(strict=True) == 0  # only the Chinese addresses' look


def test_fc_list_is_asked_where_it_exists(tmp_path: Path) -> None:
    fc_list = tmp_path / "usr" / "bin" / "fc-list"
    fc_list.parent.mkdir(parents=True)
    fc_list.write_text("")
    fc_list.chmod(0o755)
    asked = []

    def run(command: list[str]) -> str:
        asked.append(command)
        return "Liberation Sans,Liberation Sans Narrow\nNoto Sans CJK JP,Noto Sans CJK SC\nX\n"

    system = System("linux", {"PATH": "/usr/bin"}, "/home/erika", root=tmp_path)
    assert doctor.font_families(system, run) == {"Liberation Sans", "Noto Sans CJK SC"}
    assert asked == [[str(fc_list), ":", "family"]]


def test_the_hints_are_this_platforms(tmp_path: Path) -> None:
    for platform, word in (("win32", "Windows"), ("darwin", "brew"), ("linux", "apt-get")):
        system = System(platform, {"PATH": ""}, "/home/erika", root=tmp_path)
        assert word in doctor.check_poppler(system).hint
        (office,) = doctor.check_office(system, lambda path: None)
        assert office.hint.startswith(find_office.install_hint(platform))


def test_a_libreoffice_that_says_no_version_is_an_error_that_only_strict_fails_on(
    tmp_path: Path,
) -> None:
    soffice = tmp_path / "usr" / "bin" / "soffice"
    soffice.parent.mkdir(parents=True)
    soffice.write_text("")
    soffice.chmod(0o755)
    system = System("linux", {"PATH": "/usr/bin"}, "/home/erika", root=tmp_path)
    (office,) = doctor.check_office(system, lambda path: None)
    assert office.state == doctor.BROKEN
    assert office.exit_code(strict=False) == 0 and office.exit_code(strict=True) == 6
    (office,) = doctor.check_office(system, lambda path: "24.8.1.2")
    assert office.ok and office.text == f"LibreOffice 24.8.1.2 (the PDFs): {soffice}"


# --- help and translation ------------------------------------------------------------------


def test_help_says_when_it_fails() -> None:
    text = invoke("--help").stdout
    assert "--strict" in text and "Exit 0 when run can make a batch's .docx files" in text


def test_every_line_is_translated(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(i18n.ENV_VARIABLE, i18n.PSEUDO)
    monkeypatch.setenv("PETITION_MERGE_SOFFICE", str(project / "nowhere"))
    result = invoke()
    data = [
        "Python",
        "LibreOffice",
        "PETITION_MERGE_SOFFICE",
        "Liberation",
        "Sans",
        "Noto",
        "CJK",
        "SC",
        "Arial",
        "starlette",
        "uvicorn",
        "jinja",
        "python-multipart",
    ]
    assert unmarked_words(result.stdout, data) == [], result.stdout


@pytest.mark.postgres
def test_a_shared_ledger_is_read_with_its_url_masked_and_nothing_written(
    example: Path, postgres_ledger: LedgerLocation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """doctor names the server as postgresql://user@host:port/db, says it is empty, then its
    version after a run, and refuses a wrong or missing secret in one line (exit 7);
    the database keeps what it had: no tables made, no check value written."""
    url = postgres_ledger.url
    assert url is not None
    empty = invoke("--ledger", url)
    assert empty.exit_code == 0, empty.output
    assert f"ledger {postgres_ledger}: empty - the next run makes its tables" in empty.stdout
    assert ledger_sql(postgres_ledger, TABLES) == []  # doctor made no table

    made = CliRunner().invoke(cli, ["run", "--no-pdf", "--ledger", url])
    assert made.exit_code == 0, made.output
    found = invoke("--ledger", url)
    assert found.exit_code == 0, found.output
    assert f"ok       ledger {postgres_ledger}: version {SCHEMA_VERSION}\n" in found.stdout

    monkeypatch.setenv(SECRET_VARIABLE, "another-organisation-" + "x" * 40)
    wrong = invoke("--ledger", url)
    assert wrong.exit_code == LedgerError.exit_code
    assert "the ledger secret is not the one its keys were made with" in wrong.stdout
    monkeypatch.delenv(SECRET_VARIABLE)
    missing = invoke("--ledger", url)
    assert missing.exit_code == LedgerError.exit_code
    assert f"{postgres_ledger}: a shared ledger needs the organisation's secret" in missing.stdout
    for result in (empty, found, wrong, missing):
        assert "Traceback" not in result.output
