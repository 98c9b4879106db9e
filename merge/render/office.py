"""A warm LibreOffice for a long-running process (the web page): PDFs without a start each time.

The CLI starts LibreOffice for every batch (:mod:`merge.render.pdf`), which costs about a
second before the first page. A process that runs for hours (``petition-merge serve``) keeps
one LibreOffice running instead, in a :class:`WarmOffice`::

    with WarmOffice() as office:
        pdfs = office.convert([lists_docx, labels_docx], batch_dir)
        png = preview_png(office, first_list_docx, work_dir)

How: our own ``soffice --headless`` with its own throwaway profile, listening on a UNO *pipe*
with a random name (a Unix socket only its user can open; no TCP port), in a process group of
its own. It is driven by a small helper, ``office_worker.py``, run as a file under a Python that
can ``import uno`` (Debian's /usr/bin/python3 with python3-uno, or the Python that LibreOffice
bundles); petition-merge's own interpreter usually cannot. They talk JSON lines over the
helper's stdin and stdout. unoserver does the same over XML-RPC and TCP, but waits a fixed 5 s
at start, listens on ports every local user can reach, and exits when LibreOffice dies.

Faults: every PDF is written to a temporary name and renamed, so a crash leaves no half file.
If LibreOffice or the helper dies during a conversion (a crash, ``kill -9``), the conversion
fails with one :class:`OutputError` line and the next conversion starts both anew (with a fresh
profile); a conversion that takes longer than its timeout is treated alike. When they died
between conversions, the next one just restarts them. :meth:`WarmOffice.close` ends
LibreOffice (``desktop.terminate``), then kills what is left of its process group.

Without a Python that has ``uno`` (Windows or macOS installs without a bundled Python,
python3-uno missing), or when the warm LibreOffice does not start, :attr:`WarmOffice.reason`
says so once (also as a note to the reporter) and every conversion is the CLI's cold one: the
caller gets its PDFs whenever LibreOffice is installed.

Previews: :func:`preview_png` converts one page of a .docx and pictures it with poppler's
``pdftoppm``; LibreOffice has no PNG export for Writer in the headless packages. LibreOffice
lays out the whole document even for one page, so for a fast preview of list 1 give it a
.docx of that list only.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from merge.atomic import write_atomically
from merge.errors import OutputError
from merge.i18n import N_, _, ngettext
from merge.render import pdf
from merge.reporter import Report, Reporter, ignore

WORKER = Path(__file__).with_name("office_worker.py")  # run as a file by the uno Python
START_TIMEOUT_S = 60.0  # from spawning soffice to the helper connected (about 1-2 s)
CONVERT_TIMEOUT_S = 300.0  # per document, as the CLI's
QUIT_TIMEOUT_S = 10.0  # for LibreOffice to end after desktop.terminate
DEAD_GRACE_S = 2.0  # after soffice exited, how long the helper may take to say so
PREVIEW_DPI = 90  # an A4 page of 744 x 1053 pixels: the lists' 9 pt text readable on a screen

# Shown through _() where they are said.
_NO_UNO = N_(
    "no Python with LibreOffice's uno module found (on Debian/Ubuntu: sudo apt-get install "
    "python3-uno), so every PDF is made by a new LibreOffice, about a second slower"
)
_NOT_STARTED = N_(
    "the warm LibreOffice did not start ({reason}), so every PDF is made by a new "
    "LibreOffice, about a second slower"
)
_STOPPED = N_(
    "LibreOffice stopped while converting {file} ({reason}) - try again: it starts anew for "
    "the next conversion"
)
_TIMED_OUT = N_(
    "LibreOffice could not convert {file}: no result after {seconds} s - it starts anew for the "
    "next conversion"
)
_CANNOT_OPEN = N_(
    "LibreOffice could not open {file} - check that it is a Word document (.docx) and not damaged"
)
_CANNOT_STORE = N_(
    "LibreOffice could not write the PDF of {file} - check that the folder is writable and that "
    "the disk is not full"
)
_FAILED = N_("LibreOffice could not convert {file}")
_HELPER_ENDED = N_("the helper process ended")
_SOFFICE_ENDED = N_("LibreOffice ended")
_NO_PIPE_ANSWER = N_("LibreOffice did not answer on its pipe")
_CANNOT_START = N_("cannot start {program}")

Pages = tuple[int, int]  # first and last page, counted from 1, both included


# --- finding a Python that can import uno -----------------------------------------------------


def uno_python_candidates(soffice: str | None) -> list[str]:
    """Return the Pythons that may have LibreOffice's ``uno``, the likeliest first.

    LibreOffice's own bundled Python (Windows: ``program/python.exe``; macOS:
    ``Contents/Resources/python``; libreoffice.org's Linux packages: ``program/python``), then
    the system's (Debian's python3-uno is for /usr/bin/python3), then ``python3`` on the PATH.
    """
    found: list[str] = []
    if soffice:
        program = Path(os.path.realpath(soffice)).parent
        found += [
            str(program / "python.exe"),
            str(program / "python"),
            str(program.parent / "Resources" / "python"),
        ]
    found += ["/usr/bin/python3", shutil.which("python3") or ""]
    seen: list[str] = []
    for candidate in found:
        if candidate and candidate not in seen and os.access(candidate, os.X_OK):
            seen.append(candidate)
    return seen


@functools.cache
def find_uno_python(soffice: str | None = None) -> str | None:
    """Return a Python executable that can ``import uno`` (the check runs it), or None."""
    for candidate in uno_python_candidates(soffice):
        try:
            result = subprocess.run(
                [candidate, "-c", "import uno"],
                env=helper_environment(),
                capture_output=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if result.returncode == 0:
            return candidate
    return None


def helper_environment() -> dict[str, str]:
    """Return our environment without the variables that point a Python at our own packages."""
    return {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")
    }


# --- the warm LibreOffice -----------------------------------------------------------------


class WarmOffice:
    """One LibreOffice kept running for many conversions, restarted when it dies.

    Thread-safe: conversions are made one at a time (one LibreOffice lays out one document at
    a time anyway). Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        *,
        reporter: Reporter = ignore,
        timeout: float = CONVERT_TIMEOUT_S,
        start_timeout: float = START_TIMEOUT_S,
    ) -> None:
        self.timeout = timeout
        self.start_timeout = start_timeout
        self._reporter = reporter
        self._lock = threading.Lock()
        self._work = tempfile.TemporaryDirectory(prefix="petition-merge-office-")
        self._starts = 0
        self._cold: tuple[str, dict[str, str]] | None = None  # why conversions are cold
        self._soffice: subprocess.Popen[bytes] | None = None
        self._worker: subprocess.Popen[str] | None = None
        self._answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._pipe = ""
        self._profile: Path | None = None
        self.version = ""  # LibreOffice's, once it runs warm
        self.conversions = 0  # documents converted warm (not the cold fallback's)
        self._closed = False
        self._closing = False  # close() has begun: a start it cuts short is no failure to say

    def __enter__(self) -> WarmOffice:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def reason(self) -> str | None:
        """Why conversions are cold (in the active language), or None while they are warm."""
        if self._cold is None:
            return None
        message, values = self._cold
        return _(message).format(**values)

    @property
    def soffice_pid(self) -> int | None:
        """The id of the running soffice (also its process group's), or None."""
        return self._soffice.pid if self._soffice is not None else None

    @property
    def worker_pid(self) -> int | None:
        """The id of the running helper, or None."""
        return self._worker.pid if self._worker is not None else None

    def start(self, *, warm_up: bool = False) -> bool:
        """Start LibreOffice now rather than at the first conversion; return whether it is warm.

        ``warm_up`` also converts a blank page (not counted in :attr:`conversions`): LibreOffice
        loads Writer and its PDF export at its first conversion, about a second, which the
        first document that matters then does not wait for.
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("WarmOffice is closed")
            warm = self._ensure_started()
            if warm and warm_up:
                self._warm_up()
            return warm

    def convert(
        self,
        docx_paths: Sequence[Path],
        out_dir: Path,
        *,
        pages: Pages | None = None,
        timeout: float | None = None,
    ) -> list[Path]:
        """Convert each .docx to ``out_dir/<name>.pdf`` (written atomically); return the PDFs.

        ``pages`` (first, last) keeps only those pages, for previews. ``timeout`` is per
        document (default: the office's).
        """
        targets = [out_dir / f"{docx.stem}.pdf" for docx in docx_paths]
        self.convert_pairs(
            list(zip(docx_paths, targets, strict=True)), pages=pages, timeout=timeout
        )
        return targets

    def convert_pairs(
        self,
        pairs: Sequence[tuple[Path, Path]],
        *,
        pages: Pages | None = None,
        timeout: float | None = None,
    ) -> None:
        """Convert each (.docx, .pdf) pair, as :func:`merge.render.pdf.convert_all_to_pdf` does
        (which a batch writer can take this for), each PDF written atomically."""
        if pages is not None and not 1 <= pages[0] <= pages[1]:
            raise ValueError(f"bad page range {pages}")
        if not pairs:
            return
        seconds = self.timeout if timeout is None else timeout
        with self._lock:
            if self._closed:
                raise RuntimeError("WarmOffice is closed")
            if not self._ensure_started():
                _convert_cold(pairs, pages, seconds)
                return
            for docx, target in pairs:
                write_atomically(
                    target,
                    functools.partial(self._convert_one, docx, pages=pages, seconds=seconds),
                )
                self.conversions += 1

    def close(self) -> None:
        """End LibreOffice and the helper; leave no process of theirs behind."""
        if self._closed:
            return
        self._closing = True
        if not self._lock.acquire(timeout=5):
            self._kill_now()  # a conversion is running: it fails at once
            self._lock.acquire()
        try:
            self._stop(gracefully=True)
            self._closed = True
            self._work.cleanup()
        finally:
            self._lock.release()

    # --- inside the lock ---

    def _warm_up(self) -> None:
        from docx import Document

        blank = Path(self._work.name) / "warm-up.docx"
        Document().save(str(blank))
        with contextlib.suppress(OutputError):  # it failed: the next conversion starts anew
            self._convert_one(blank, blank.with_suffix(".pdf"), pages=None, seconds=self.timeout)

    def _ensure_started(self) -> bool:
        if self._cold is not None:
            return False
        if self._running():
            return True
        self._stop(gracefully=False)  # what is left of one that died
        soffice = pdf.find_soffice()
        if soffice is None:
            return False  # the cold conversion says how to install it
        python = find_uno_python(soffice)
        if python is None:
            self._go_cold(_NO_UNO, {})
            return False
        try:
            self._start(soffice, python)
        except _StartFailed as err:
            self._stop(gracefully=False)
            if not self._closing:  # else close() killed it (the server stops): nothing to say
                self._go_cold(_NOT_STARTED, {"reason": str(err)})
            return False
        return True

    def _go_cold(self, message: str, values: dict[str, str]) -> None:
        self._cold = (message, values)
        self._reporter(Report.note(_(message).format(**values)))

    def _start(self, soffice: str, python: str) -> None:
        self._spawn(soffice, python)
        answer = self._wait(self.start_timeout + 5)
        if answer is None:
            raise _StartFailed(
                _("no answer after {seconds} s").format(seconds=f"{self.start_timeout:g}")
            )
        if not answer.get("ready"):
            if answer.get("helper_ended"):
                reason = _(_HELPER_ENDED)
            elif answer.get("code") == "connect":
                reason = _(_NO_PIPE_ANSWER)
            elif answer.get("dead"):
                reason = _(_SOFFICE_ENDED)
            else:
                reason = _("the helper could not connect to LibreOffice")
            raise _StartFailed(reason) from RuntimeError(answer.get("error"))
        self.version = str(answer.get("version") or "")

    def _spawn(self, soffice: str, python: str) -> None:
        """Start soffice on a new pipe with a fresh profile, and the helper that connects to it."""
        self._starts += 1
        work = Path(self._work.name)
        self._profile = work / f"profile-{self._starts}"  # fresh: a crash may have hurt the last
        self._pipe = f"pm_{secrets.token_hex(8)}"
        self._soffice = _popen(
            soffice,
            [
                soffice,
                "--headless",
                "--invisible",
                "--nologo",
                "--norestore",
                "--nodefault",
                "--nolockcheck",
                f"-env:UserInstallation={self._profile.resolve().as_uri()}",
                f"--accept=pipe,name={self._pipe};urp;StarOffice.ComponentContext",
            ],
            work / "soffice.log",
            text=False,
        )
        self._worker = _popen(
            python,
            [python, str(WORKER), self._pipe, str(self.start_timeout)],
            work / "worker.log",
            text=True,
        )
        self._answers = queue.Queue()
        assert self._worker.stdout is not None
        threading.Thread(
            target=_read_answers, args=(self._worker.stdout, self._answers), daemon=True
        ).start()

    def _convert_one(self, docx: Path, tmp: Path, *, pages: Pages | None, seconds: float) -> None:
        request = {
            "op": "convert",
            "src": str(docx.resolve()),
            "dst": str(tmp.resolve()),
            "pages": f"{pages[0]}-{pages[1]}" if pages else None,
        }
        if not self._send(request):
            self._stop(gracefully=False)
            raise OutputError(_(_STOPPED).format(file=docx.name, reason=_(_HELPER_ENDED)))
        answer = self._wait(seconds)
        if answer is None:
            self._stop(gracefully=False)
            raise OutputError(_(_TIMED_OUT).format(file=docx.name, seconds=f"{seconds:g}"))
        if answer.get("ok"):
            return
        # LibreOffice's own words only for a bug report (chained: PETITION_MERGE_DEBUG=1)
        cause = RuntimeError(str(answer.get("error") or ""))
        if answer.get("dead") or not self._running():
            reason = _(_HELPER_ENDED) if answer.get("helper_ended") else _(_SOFFICE_ENDED)
            self._stop(gracefully=False)
            raise OutputError(_(_STOPPED).format(file=docx.name, reason=reason)) from cause
        message = {"open": _CANNOT_OPEN, "store": _CANNOT_STORE}.get(
            str(answer.get("code")), _FAILED
        )
        raise OutputError(_(message).format(file=docx.name)) from cause

    def _send(self, request: dict[str, Any]) -> bool:
        worker = self._worker
        if worker is None or worker.stdin is None:
            return False
        try:
            worker.stdin.write(json.dumps(request) + "\n")
            worker.stdin.flush()
        except (OSError, ValueError):  # a broken pipe, or closed
            return False
        return True

    def _wait(self, seconds: float) -> dict[str, Any] | None:
        """Return the helper's next answer; a dead one if it ended; None after ``seconds``."""
        deadline = time.monotonic() + seconds
        soffice_gone: float | None = None
        while True:
            try:
                answer = self._answers.get(timeout=0.1)
            except queue.Empty:
                now = time.monotonic()
                if soffice_gone is None and not _alive(self._soffice):
                    soffice_gone = now
                if soffice_gone is not None and now - soffice_gone > DEAD_GRACE_S:
                    return {"ok": False, "dead": True, "error": _(_SOFFICE_ENDED)}
                if now > deadline:
                    return None
                continue
            if answer is None:  # the helper's output ended: it exited
                return {"ok": False, "dead": True, "helper_ended": True, "error": _(_HELPER_ENDED)}
            return answer

    def _running(self) -> bool:
        worker = self._worker
        return _alive(self._soffice) and worker is not None and worker.poll() is None

    def _stop(self, *, gracefully: bool) -> None:
        """End the helper and LibreOffice: politely if ``gracefully``, then by force."""
        worker, soffice = self._worker, self._soffice
        if worker is None and soffice is None:
            return
        if gracefully and worker is not None and worker.poll() is None:
            if self._send({"op": "quit"}):
                self._wait(QUIT_TIMEOUT_S)
            deadline = time.monotonic() + QUIT_TIMEOUT_S
            while _alive(soffice) and time.monotonic() < deadline:
                time.sleep(0.05)
        self._worker = self._soffice = None
        if worker is not None:
            with contextlib.suppress(OSError):
                worker.kill()
            worker.wait()
            for stream in (worker.stdin, worker.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()
        if soffice is not None:
            _kill_group(soffice)
            soffice.wait()
            self._remove_pipes()
        if self._profile is not None:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def _kill_now(self) -> None:
        """Kill the helper and LibreOffice without waiting (from outside the lock)."""
        worker, soffice = self._worker, self._soffice
        if worker is not None:
            with contextlib.suppress(OSError):
                worker.kill()
        if soffice is not None:
            _kill_group(soffice)

    def _remove_pipes(self) -> None:
        """Remove the sockets a killed LibreOffice leaves in /tmp (it removes them when it ends).

        Its UNO pipe, and the pipe that makes one LibreOffice per profile, which is named by the
        MD5 of the profile's URL in UTF-16, each byte in hex without leading zeros.
        """
        if sys.platform in ("win32", "darwin") or self._profile is None:
            return
        url = self._profile.resolve().as_uri()
        digest = "".join(f"{byte:x}" for byte in hashlib.md5(url.encode("utf-16-le")).digest())
        prefix = f"/tmp/OSL_PIPE_{os.getuid()}_"
        for name in (self._pipe, f"SingleOfficeIPC_{digest}"):
            with contextlib.suppress(OSError):
                os.unlink(prefix + name)


def _popen(program: str, command: list[str], log: Path, *, text: bool) -> Any:
    """Start ``command`` in a session (process group) of its own, its output into ``log``.

    soffice's group is killed as one (it starts soffice.bin in it); the helper's own session
    keeps Ctrl-C in the server's terminal from reaching it: the server ends it.
    The helper (``text``) talks over stdin and stdout, soffice over nothing but its pipe.
    """
    try:
        with open(log, "ab") as output:
            if not text:
                return subprocess.Popen(
                    command,
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=output,
                    start_new_session=True,
                )
            return subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=output,
                env=helper_environment(),
                text=True,
                encoding="utf-8",
                start_new_session=True,
            )
    except OSError as err:  # not executable, gone, or no room for the log
        raise _StartFailed(_(_CANNOT_START).format(program=program)) from err


class _StartFailed(Exception):
    """The warm LibreOffice did not get ready (the reason is not shown alone)."""


def _read_answers(stream: IO[str], answers: queue.Queue[dict[str, Any] | None]) -> None:
    """Put every JSON line the helper writes into ``answers``; None when it ends."""
    with contextlib.suppress(OSError, ValueError):
        for line in stream:
            with contextlib.suppress(ValueError):
                answer = json.loads(line)
                if isinstance(answer, dict):
                    answers.put(answer)
    answers.put(None)


def _alive(process: subprocess.Popen[bytes] | None) -> bool:
    """Tell whether a process runs, without reaping it: while it is not reaped, its id and its
    process group's cannot be given to another process, so killing the group stays safe."""
    if process is None or process.returncode is not None:
        return False
    if hasattr(os, "waitid"):
        try:
            flags = os.WEXITED | os.WNOHANG | os.WNOWAIT
            return os.waitid(os.P_PID, process.pid, flags) is None
        except ChildProcessError:
            return False
    return process.poll() is None


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill a process and every process of its group (soffice starts soffice.bin in it)."""
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False
        )
        return
    with contextlib.suppress(OSError):  # none of it left
        os.killpg(process.pid, signal.SIGKILL)


def _convert_cold(pairs: Sequence[tuple[Path, Path]], pages: Pages | None, seconds: float) -> None:
    """Convert as the CLI does (one LibreOffice start for all), keeping ``pages`` if given."""
    pdf.convert_all_to_pdf(pairs, seconds)
    if pages is not None:
        for _docx, target in pairs:
            _keep_pages(target, pages)


def _keep_pages(path: Path, pages: Pages) -> None:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(path)
    writer = PdfWriter()
    for page in reader.pages[pages[0] - 1 : pages[1]]:
        writer.add_page(page)
    write_atomically(path, lambda tmp: writer.write(str(tmp)))


# --- previews ------------------------------------------------------------------------------


def pdf_page_png(pdf_path: Path, page: int = 1, *, dpi: int = PREVIEW_DPI) -> bytes:
    """Return a PNG of one page of a PDF (counted from 1), made by poppler's pdftoppm."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise OutputError(
            _(
                "{file}: pdftoppm not found - install poppler-utils to see pages as pictures "
                "(on Debian/Ubuntu: sudo apt-get install poppler-utils)"
            ).format(file=pdf_path)
        )
    count = _page_count(pdf_path)
    if not 1 <= page <= count:
        raise OutputError(
            ngettext(
                "{file} has no page {page}: it has {count} page",
                "{file} has no page {page}: it has {count} pages",
                count,
            ).format(file=pdf_path, page=page, count=count)
        )
    command = [pdftoppm, "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
    cause: Exception
    try:
        result = subprocess.run(
            [*command, str(pdf_path)], capture_output=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired as err:
        reason, cause = _("no picture after {seconds} s").format(seconds=60), err
    except OSError as err:
        reason, cause = _(_CANNOT_START).format(program=pdftoppm), err
    else:
        if result.returncode == 0 and result.stdout.startswith(b"\x89PNG"):
            return result.stdout
        reason = _("exit {code}").format(code=result.returncode)
        cause = RuntimeError(result.stderr.decode("utf-8", "replace").strip())
    raise OutputError(
        _("{file}: cannot make a picture of page {page} ({reason})").format(
            file=pdf_path, page=page, reason=reason
        )
    ) from cause


def _page_count(pdf_path: Path) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        return len(PdfReader(pdf_path).pages)
    except (OSError, PyPdfError) as err:
        raise OutputError(
            _("{file}: cannot read this PDF - make it again").format(file=pdf_path)
        ) from err


def preview_png(
    office: WarmOffice,
    docx: Path,
    work_dir: Path,
    page: int = 1,
    *,
    dpi: int = PREVIEW_DPI,
    png: Path | None = None,
) -> bytes:
    """Return a PNG of one page of a .docx (and write it to ``png`` if given, atomically).

    The page's PDF is made in ``work_dir`` (``<name>.pdf``, that page only) and stays there.
    """
    (made,) = office.convert([docx], work_dir, pages=(page, page))
    picture = pdf_page_png(made, 1, dpi=dpi)
    if png is not None:
        write_atomically(png, lambda tmp: tmp.write_bytes(picture))
    return picture
