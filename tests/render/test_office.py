"""The warm LibreOffice: real conversions, crashes and restarts, no processes left, the fallback."""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import HEADER, ROOT, pdf_page_texts, signer_rows, write_xlsx
from pypdf import PdfReader
from test_pdf import signers

from merge import i18n, pipeline
from merge.campaign import load_campaign
from merge.errors import OutputError
from merge.lists.paginate import paginate
from merge.render import office, pdf
from merge.render.office import WarmOffice, pdf_page_png, preview_png
from merge.render.petitions import render_petitions
from merge.reporter import Kind, Report

DOCUMENTS = ("petition-lists", "labels", "envelopes", "post-office")
PAGES = {"petition-lists": 40, "labels": 1, "envelopes": 5, "post-office": 1}  # 200 signers


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The four documents of a batch of 200 invented signers, as `run --no-pdf` writes them."""
    folder = tmp_path_factory.mktemp("batch")
    write_xlsx(folder / "signers.xlsx", {"S": [HEADER, *signer_rows(200)]})
    result = pipeline.run(
        pipeline.RunRequest(
            cwd=folder,
            today=dt.date(2026, 11, 27),
            inputs=(folder / "signers.xlsx",),
            pdf=False,
            ledger=folder / "ledger.sqlite",
        ),
        lambda report: None,
    )
    assert result.batch_dir is not None
    return [result.batch_dir / f"{name}.docx" for name in DOCUMENTS]


@pytest.fixture(scope="module")
def big_lists(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A lists document of 300 lists: long enough to be stopped while LibreOffice lays it out."""
    out = tmp_path_factory.mktemp("big") / "big-lists.docx"
    campaign = load_campaign(None, ROOT)
    render_petitions(campaign.template, campaign, list(paginate(signers(1500))), "b-1", out)
    return out


@pytest.fixture
def warm() -> Iterator[WarmOffice]:
    """A WarmOffice that really runs warm here (CI must have python3-uno)."""
    if office.find_uno_python(pdf.find_soffice()) is None:
        message = "needs a Python with LibreOffice's uno module (python3-uno)"
        if os.environ.get("PETITION_MERGE_REQUIRE_SOFFICE"):
            pytest.fail(message)
        pytest.skip(message)
    with WarmOffice() as started:
        assert started.start(), started.reason
        yield started


def members(group: int) -> list[int]:
    """Return the live (not zombie) processes of a process group (Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def until(condition: Callable[[], bool], seconds: float = 15) -> bool:
    """Wait until ``condition()`` holds (a killed process takes a moment to end); return it."""
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.02)
    return condition()


def ended(child: int) -> bool:
    """Tell whether a child of this process has exited, as its parent sees it (without
    reaping it). Not /proc: a killed process's first thread shows as a zombie there while its
    other threads are still ending, and only then can its parent see it end."""
    try:
        flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
        return os.waitid(os.P_PID, child, flags) is not None
    except ChildProcessError:
        return True  # reaped already


def command_name(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


linux_only = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


# --- warm --------------------------------------------------------------------------------------


@pytest.mark.soffice
def test_a_batch_converts_warm_twice_with_the_same_soffice(
    warm: WarmOffice, batch: list[Path], tmp_path: Path
) -> None:
    pid = warm.soffice_pid
    (tmp_path / "one").mkdir()
    made = warm.convert(batch, tmp_path / "one")
    assert made == [tmp_path / "one" / f"{name}.pdf" for name in DOCUMENTS]
    assert {path.stem: pages(path) for path in made} == PAGES
    assert "Liste 40 / 40" in pdf_page_texts(made[0])[39]
    (tmp_path / "two").mkdir()
    again = warm.convert(batch[:1], tmp_path / "two")
    assert pages(again[0]) == 40
    assert warm.soffice_pid == pid  # the same LibreOffice, not started again
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == sorted(
        f"{name}.pdf" for name in DOCUMENTS
    )  # no temporary files left beside them
    assert warm.reason is None
    assert warm.version.startswith(("7.", "2", "8.", "9."))


@pytest.mark.soffice
def test_a_warm_up_converts_a_blank_page_that_is_not_counted(
    batch: list[Path], tmp_path: Path
) -> None:
    if office.find_uno_python(pdf.find_soffice()) is None:
        pytest.skip("needs python3-uno")
    with WarmOffice() as started:
        assert started.start(warm_up=True), started.reason
        assert started.conversions == 0
        assert pages(Path(started._work.name) / "warm-up.pdf") == 1
        (made,) = started.convert(batch[1:2], tmp_path)
        assert pages(made) == 1
        assert started.conversions == 1


@pytest.mark.soffice
def test_a_page_range_keeps_only_those_pages(
    warm: WarmOffice, batch: list[Path], tmp_path: Path
) -> None:
    (made,) = warm.convert(batch[:1], tmp_path, pages=(2, 3))
    texts = pdf_page_texts(made)
    assert len(texts) == 2
    assert "Liste 2 / 40" in texts[0]
    assert "Liste 3 / 40" in texts[1]


@pytest.mark.soffice
def test_pairs_name_their_pdfs_as_the_batch_writer_does(
    warm: WarmOffice, batch: list[Path], tmp_path: Path
) -> None:
    target = tmp_path / "staging" / "Etiketten.pdf"
    target.parent.mkdir()
    warm.convert_pairs([(batch[1], target)])
    assert pages(target) == 1
    assert [path.name for path in target.parent.iterdir()] == ["Etiketten.pdf"]
    warm.convert_pairs([])  # nothing to do


@pytest.mark.soffice
def test_the_preview_is_a_png_of_a4(warm: WarmOffice, batch: list[Path], tmp_path: Path) -> None:
    png = tmp_path / "page-1.png"
    data = preview_png(warm, batch[0], tmp_path, 1, dpi=50, png=png)
    assert png.read_bytes() == data
    width, height = png_size(data)
    assert abs(width / height - 210 / 297) < 0.01
    assert abs(width - 210 / 25.4 * 50) <= 2  # 50 dpi
    assert pages(tmp_path / "petition-lists.pdf") == 1


@pytest.mark.soffice
@linux_only
@pytest.mark.parametrize("victim", ["soffice.bin", "helper"])
def test_a_crash_during_a_conversion_is_one_error_and_the_next_one_restarts(
    warm: WarmOffice, big_lists: Path, batch: list[Path], tmp_path: Path, victim: str
) -> None:
    group, helper = warm.soffice_pid, warm.worker_pid
    assert group is not None and helper is not None
    failed: list[BaseException] = []
    out = tmp_path / "crash"
    out.mkdir()

    def convert() -> None:
        try:
            warm.convert([big_lists], out)
        except BaseException as err:
            failed.append(err)

    converting = threading.Thread(target=contextvars.copy_context().run, args=(convert,))
    converting.start()
    time.sleep(0.7)  # LibreOffice is laying out the 300 lists now
    assert converting.is_alive()
    if victim == "helper":
        os.kill(helper, signal.SIGKILL)
    else:
        (office_bin,) = (pid for pid in members(group) if command_name(pid) == "soffice.bin")
        os.kill(office_bin, signal.SIGKILL)
    converting.join(30)
    assert not converting.is_alive()
    (error,) = failed
    assert isinstance(error, OutputError)
    message = str(error)
    reason = "LibreOffice ended" if victim == "soffice.bin" else "the helper process ended"
    said = f"LibreOffice stopped while converting {big_lists.name} ({reason}) - "
    assert message.startswith(said)
    assert message.endswith("try again: it starts anew for the next conversion")
    assert "\n" not in message
    assert list(out.iterdir()) == []  # no partial PDF, no temporary file
    assert until(lambda: members(group) == [])  # what was left of it is gone (it may be
    assert until(lambda: not running(helper))  # exiting still: killed, not yet a zombie)

    (made,) = warm.convert(batch[1:2], out)
    assert pages(made) == 1
    assert warm.soffice_pid not in (None, group)  # a new LibreOffice
    assert warm.worker_pid not in (None, helper)


@pytest.mark.soffice
@linux_only
def test_a_soffice_that_died_between_conversions_is_restarted_without_an_error(
    warm: WarmOffice, batch: list[Path], tmp_path: Path
) -> None:
    group = warm.soffice_pid
    assert group is not None
    os.killpg(group, signal.SIGKILL)
    assert until(lambda: ended(group))  # dead, not dying
    (made,) = warm.convert(batch[1:2], tmp_path)
    assert pages(made) == 1
    assert warm.soffice_pid != group


@pytest.mark.soffice
def test_a_conversion_past_its_timeout_is_one_error_and_the_next_one_restarts(
    warm: WarmOffice, big_lists: Path, batch: list[Path], tmp_path: Path
) -> None:
    group = warm.soffice_pid
    with pytest.raises(OutputError) as info:
        warm.convert([big_lists], tmp_path, timeout=0.3)
    assert str(info.value) == (
        f"LibreOffice could not convert {big_lists.name}: no result after 0.3 s - it starts anew "
        "for the next conversion"
    )
    assert list(tmp_path.iterdir()) == []
    (made,) = warm.convert(batch[3:], tmp_path)
    assert pages(made) == 1
    assert warm.soffice_pid != group


@pytest.mark.soffice
def test_a_document_that_cannot_be_opened_fails_alone(
    warm: WarmOffice, batch: list[Path], tmp_path: Path
) -> None:
    group = warm.soffice_pid
    missing = tmp_path / "missing.docx"
    with pytest.raises(OutputError) as info:
        warm.convert([missing], tmp_path)
    assert str(info.value) == (
        f"LibreOffice could not open {missing.name} - check that it is a Word document (.docx) and "
        "not damaged"
    )
    assert "IllegalArgumentException" in str(info.value.__cause__)  # for PETITION_MERGE_DEBUG
    assert list(tmp_path.iterdir()) == []
    (made,) = warm.convert(batch[1:2], tmp_path)
    assert pages(made) == 1
    assert warm.soffice_pid == group  # it was not LibreOffice's fault: no restart


@pytest.mark.soffice
@linux_only
def test_close_leaves_no_process_and_no_pipe_behind(batch: list[Path], tmp_path: Path) -> None:
    if office.find_uno_python(pdf.find_soffice()) is None:
        pytest.skip("needs python3-uno")
    started = WarmOffice()
    started.convert(batch[1:2], tmp_path)
    group, helper, pipe = started.soffice_pid, started.worker_pid, started._pipe
    assert group is not None and helper is not None
    assert {command_name(pid) for pid in members(group)} >= {"soffice.bin"}
    work = Path(started._work.name)
    started.close()
    assert until(lambda: members(group) == [])  # soffice.bin, killed, may still be ending
    assert not running(helper)
    assert not Path(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}").exists()
    assert not work.exists()  # the profile and the logs are gone
    assert started.soffice_pid is None
    started.close()  # twice is fine
    with pytest.raises(RuntimeError):
        started.convert(batch[1:2], tmp_path)
    with pytest.raises(RuntimeError):
        started.start()  # no LibreOffice behind a closed one's back


@pytest.mark.soffice
@linux_only
def test_when_its_process_is_killed_the_helper_ends_libreoffice(tmp_path: Path) -> None:
    if office.find_uno_python(pdf.find_soffice()) is None:
        pytest.skip("needs python3-uno")
    script = (
        "import time\n"
        "from merge.render.office import WarmOffice\n"
        "office = WarmOffice()\n"
        "assert office.start(), office.reason\n"
        "print(office.soffice_pid, office.worker_pid, flush=True)\n"
        "time.sleep(120)\n"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)},
    )
    try:
        assert server.stdout is not None
        group, helper = map(int, server.stdout.readline().split())
    finally:
        server.kill()  # as kill -9 would: no close(), no atexit
        server.wait()
    assert until(lambda: members(group) == [])
    assert until(lambda: not running(helper))


@pytest.mark.soffice
@linux_only
def test_a_crashed_soffice_leaves_no_pipe_behind(warm: WarmOffice, batch: list[Path]) -> None:
    group, pipe = warm.soffice_pid, warm._pipe
    assert group is not None
    os.killpg(group, signal.SIGKILL)
    assert until(lambda: ended(group))  # dead, not dying
    warm.start()  # notices and restarts
    assert not Path(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}").exists()
    assert warm._pipe != pipe


# --- cold fallback -------------------------------------------------------------------------------


@pytest.mark.soffice
def test_without_a_uno_python_it_says_so_once_and_still_makes_pdfs(
    monkeypatch: pytest.MonkeyPatch, batch: list[Path], tmp_path: Path
) -> None:
    monkeypatch.setattr(office, "find_uno_python", lambda soffice=None: None)
    notes: list[Report] = []
    with WarmOffice(reporter=notes.append) as cold:
        made = cold.convert(batch, tmp_path)
        assert {path.stem: pages(path) for path in made} == PAGES
        (tmp_path / "range").mkdir()
        (first,) = cold.convert(batch[:1], tmp_path / "range", pages=(40, 40))
        assert "Liste 40 / 40" in pdf_page_texts(first)[0]
        assert len(pdf_page_texts(first)) == 1
        assert cold.soffice_pid is None
        assert cold.reason is not None and "python3-uno" in cold.reason
    assert [(note.kind, note.text) for note in notes] == [(Kind.NOTE, cold.reason)]


def test_the_reason_is_german_in_german(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(office, "find_uno_python", lambda soffice=None: None)
    monkeypatch.setattr(pdf, "find_soffice", lambda: "/usr/bin/soffice")
    i18n.activate("de")
    with WarmOffice() as cold:
        assert not cold.start()
        assert cold.reason is not None
        assert "python3-uno" in cold.reason
        assert "LibreOffice" in cold.reason and "Python" in cold.reason
        assert cold.reason != office._NO_UNO  # translated
        i18n.activate("en")
        assert cold.reason.startswith("no Python with LibreOffice's uno module found")


def fake_office(monkeypatch: pytest.MonkeyPatch, folder: Path, *, helper: str) -> None:
    """Make WarmOffice start a "soffice" that only sleeps, and as its helper's Python a shell
    script of these lines."""
    for name, lines in (("python", helper), ("soffice", "exec sleep 60")):
        script = folder / name
        script.write_text(f"#!/bin/sh\n{lines}\n")
        script.chmod(0o755)
    monkeypatch.setattr(office, "find_uno_python", lambda soffice=None: str(folder / "python"))
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(folder / "soffice"))


def test_a_helper_that_does_not_start_makes_it_cold(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fake_office(monkeypatch, tmp_path, helper="echo 'no uno here' >&2\nexit 1")
    notes: list[Report] = []
    with WarmOffice(reporter=notes.append, start_timeout=5) as cold:
        started = time.monotonic()
        assert not cold.start()
        assert time.monotonic() - started < 10
        assert cold.reason == (
            "the warm LibreOffice did not start (the helper process ended), so every PDF is made "
            "by a "
            "new LibreOffice, about a second slower"
        )
        assert cold.soffice_pid is None  # the sleeping "soffice" was killed
    assert len(notes) == 1


def test_close_during_a_slow_start_is_no_failure_to_report(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The server stops (Ctrl-C) while its LibreOffice is still starting on a slow computer:
    # close() ends the start, and the terminal must not say the warm LibreOffice failed.
    fake_office(monkeypatch, tmp_path, helper="exec sleep 60")  # a helper that never answers
    notes: list[Report] = []
    starting = WarmOffice(reporter=notes.append, start_timeout=60)
    thread = threading.Thread(target=starting.start)
    thread.start()
    deadline = time.monotonic() + 10
    while starting.worker_pid is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert starting.worker_pid is not None  # it is waiting for the helper's answer
    began = time.monotonic()
    starting.close()
    thread.join(timeout=20)
    assert not thread.is_alive() and time.monotonic() - began < 15
    assert notes == []
    assert starting.soffice_pid is None


# --- finding the Python with uno ---------------------------------------------------------------


def test_the_python_bundled_with_libreoffice_comes_first(tmp_path: Path) -> None:
    program = tmp_path / "libreoffice" / "program"
    program.mkdir(parents=True)
    soffice = program / "soffice"
    soffice.write_text("#!/bin/sh\n")
    bundled = program / "python"
    bundled.write_text('#!/bin/sh\n[ "$2" = "import uno" ]\n')
    for path in (soffice, bundled):
        path.chmod(0o755)
    candidates = office.uno_python_candidates(str(soffice))
    assert candidates[0] == str(bundled)
    assert office.find_uno_python(str(soffice)) == str(bundled)


def test_the_python_that_cannot_import_uno_is_not_taken(tmp_path: Path) -> None:
    program = tmp_path / "program"
    program.mkdir()
    (program / "python").write_text("#!/bin/sh\nexit 1\n")
    (program / "python").chmod(0o755)
    found = office.find_uno_python(str(program / "soffice"))
    assert found != str(program / "python")


def test_the_helper_does_not_see_our_python_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    monkeypatch.setenv("VIRTUAL_ENV", "/venv")
    environment = office.helper_environment()
    assert "PYTHONPATH" not in environment and "VIRTUAL_ENV" not in environment
    assert environment["PATH"] == os.environ["PATH"]


def test_the_helper_imports_nothing_of_ours() -> None:
    source = office.WORKER.read_text(encoding="utf-8")
    assert "merge" not in {
        line.split()[1].split(".")[0]
        for line in source.splitlines()
        if line.startswith(("import ", "from "))
    }


# --- pictures ------------------------------------------------------------------------------------


@pytest.mark.soffice
def test_a_page_that_is_not_there_is_one_error(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    one = tmp_path / "one.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(str(one))
    assert png_size(pdf_page_png(one, 1, dpi=72)) == (595, 842)
    with pytest.raises(OutputError) as info:
        pdf_page_png(one, 2)
    assert str(info.value) == f"{one} has no page 2: it has 1 page"
    (one.parent / "broken.pdf").write_bytes(b"%PDF-1.4 and then nothing")
    with pytest.raises(OutputError, match="cannot read this PDF - make it again"):
        pdf_page_png(one.parent / "broken.pdf")


@pytest.mark.soffice
def test_a_pdftoppm_that_fails_is_one_error_in_our_words(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pypdf import PdfWriter

    one = tmp_path / "one.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(str(one))
    failing = tmp_path / "pdftoppm"
    failing.write_text("#!/bin/sh\necho 'Syntax Error: something poppler says' >&2\nexit 99\n")
    failing.chmod(0o755)
    monkeypatch.setattr(office.shutil, "which", lambda name: str(failing))
    with pytest.raises(OutputError) as info:
        pdf_page_png(one)
    assert str(info.value) == f"{one}: cannot make a picture of page 1 (exit 99)"
    assert "poppler says" in str(info.value.__cause__)


def test_without_pdftoppm_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(office.shutil, "which", lambda name: None)
    with pytest.raises(OutputError, match="install poppler-utils"):
        pdf_page_png(tmp_path / "x.pdf")


@pytest.mark.soffice
def test_the_picture_refusals_are_german_in_german(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    one = tmp_path / "one.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.write(str(one))
    i18n.activate("de")
    with pytest.raises(OutputError) as info:
        pdf_page_png(one, 3)
    assert str(info.value) == f"{one} hat keine Seite 3: es hat 1 Seite"
