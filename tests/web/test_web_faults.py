"""Faults while the page makes a batch: LibreOffice crashing part-way, a tab closed, the
server stopped or restarted, two tabs or two servers on one ledger. Each leaves the whole
batch or none of it, and nobody on two lists."""

from __future__ import annotations

import html
import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import HEADER, ROOT, batch_dirs, signer_rows, write_csv
from starlette.testclient import TestClient
from web_client import BASE, ORIGIN, PORT, SECRET, make_batch, new_draft, signed_in, text_of
from web_client import wait_for as wait_for_job

from merge.errors import INTERRUPTED
from merge.track.ledger import open_ledger
from merge.web.app import make_app
from merge.web.jobs import Job
from merge.web.security import cookie_name

# The batch's documents as they are converted to PDF (the printing order).
CONVERTED_IN_ORDER = ("petition-lists", "labels", "envelopes", "post-office")
FORM = {"envelope": "DL", "labels": "3422", "start_label": "1", "blank": "0"}
WAITING = "another petition-merge run is using the ledger; waiting for it"
NOT_FOUND = "Diese Seite gibt es nicht (mehr): petition-merge serve vergisst beim Neustart"

# A stand-in for soffice on the PATH (found as LibreOffice is: merge.render.pdf.find_soffice).
# It runs the real LibreOffice and, as soon as the first PDF of the batch is written, kills
# LibreOffice's processes with SIGKILL, then itself: a crash in the middle of the batch. It
# crashes once; from then on it is the real soffice. Without --outdir (a LibreOffice kept
# running for the server, merge.render.office) it watches FAKE_SOFFICE_WATCH instead.
CRASHING_SOFFICE = textwrap.dedent(
    """\
    import os, signal, subprocess, sys, time
    from pathlib import Path

    real, crashed = os.environ["FAKE_SOFFICE_REAL"], Path(os.environ["FAKE_SOFFICE_CRASHED"])
    args = sys.argv[1:]
    if crashed.exists():
        os.execv(real, [real, *args])
    watched = Path(args[args.index("--outdir") + 1] if "--outdir" in args
                   else os.environ["FAKE_SOFFICE_WATCH"])


    def descendants(root):
        children = {}
        for entry in filter(str.isdigit, os.listdir("/proc")):
            try:
                parent = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
        found, todo = [], [root]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found


    def pdfs(folder):
        # os.walk, not Path.rglob: the batch's staging folders come and go while this looks,
        # and rglob raises FileNotFoundError for one that vanished mid-walk (Python 3.11)
        return sorted(name for _, _, names in os.walk(folder) for name in names
                      if name.endswith(".pdf"))


    office = subprocess.Popen([real, *args])
    while office.poll() is None:
        made = pdfs(watched)
        if made:
            # said before anything dies: once LibreOffice is gone the server may kill this
            # wrapper's process group at once (merge.render.office), before a later line ran
            note = crashed.with_name(crashed.name + ".tmp")
            note.write_text(" ".join(made))
            os.replace(note, crashed)
            for pid in [*descendants(office.pid), office.pid]:  # soffice.bin and its starter
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            office.wait()
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.002)
    sys.exit(office.returncode)
    """
)


@pytest.fixture
def crashing_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put the crashing soffice first on the PATH; return the file it writes once it crashed
    (the PDFs made before the crash)."""
    real = shutil.which("soffice")
    assert real is not None
    folder = tmp_path.parent / f"{tmp_path.name}-bin"
    folder.mkdir()
    wrapper = folder / "soffice"
    wrapper.write_text(f"#!{sys.executable}\n{CRASHING_SOFFICE}", encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("FAKE_SOFFICE_REAL", real)
    monkeypatch.setenv("FAKE_SOFFICE_CRASHED", str(folder / "crashed"))
    monkeypatch.setenv("FAKE_SOFFICE_WATCH", str(tmp_path / "outputs"))
    return folder / "crashed"


def recorded(project: Path) -> tuple[list[str], list[str]]:
    """Return the batches the ledger has and the keys of every signer on their lists."""
    with sqlite3.connect(project / "outputs" / "ledger.sqlite") as db:
        batches = [name for (name,) in db.execute("SELECT name FROM batches ORDER BY name")]
        keys = [key for (key,) in db.execute("SELECT key FROM signers")]
    return batches, keys


def made(project: Path) -> list[Path]:
    """Return the batch folders in outputs/ (not the hidden ones being built)."""
    return [folder for folder in batch_dirs(project) if not folder.name.startswith(".")]


def left_in_outputs(project: Path) -> list[str]:
    """Return what outputs/ holds besides the ledger and the batch folders (staging, temp)."""
    folders = {folder.name for folder in made(project)}
    return sorted(
        p.name
        for p in (project / "outputs").iterdir()
        if not p.name.startswith("ledger.sqlite") and p.name not in folders
    )


@pytest.mark.soffice
def test_libreoffice_crashing_mid_batch_is_one_line_and_nothing_is_recorded(
    project: Path, crashing_soffice: Path
) -> None:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(30)])
    with signed_in(project, language="de") as client:
        done = make_batch(client, new_draft(client, ["liste.csv"]), pdf="1")
        assert done["finished"]
        page = client.get(done["page"]).text
        # the first document was converted (on a busy machine perhaps one more before the
        # stand-in looked), then LibreOffice died: mid-batch
        assert crashing_soffice.exists(), text_of(page)  # else the stand-in did not crash it
        made = crashing_soffice.read_text().split()
        converted = [stem for stem in CONVERTED_IN_ORDER if f"{stem}.pdf" in made]
        assert len(converted) == len(made) and 1 <= len(converted) < len(CONVERTED_IN_ORDER)
        assert converted == list(CONVERTED_IN_ORDER[: len(converted)]), made
        stopped_at = CONVERTED_IN_ORDER[len(converted)]  # "labels", unless it was slow
        errors = re.findall(r'<p class="error" role="alert">(.*?)</p>', page, re.DOTALL)
        assert len(errors) == 1, page
        line = html.unescape(errors[0])
        assert line.startswith("Fehler: LibreOffice ") and "\n" not in line, line
        # the file by its name (the half-built folder is gone), and what to do in the page's
        # words, not the CLI's option
        assert f" {stopped_at}.docx " in line and "abgebrochen" in line, line
        assert "partial" not in line and str(project) not in line, line
        assert "--no-pdf" not in line, line
        text = text_of(page)
        assert "LibreOffice" not in text.replace(line, ""), text  # said once, in that line
        assert "Nichts wurde geschrieben und nichts ins Versandbuch eingetragen." in text
        for said in ("Traceback", "error:", "Testperson", "Erika", "Beispielweg"):
            assert said not in page
        assert recorded(project) == ([], [])
        ledger = open_ledger(project / "outputs" / "ledger.sqlite", create=False)
        assert ledger is not None
        try:
            assert ledger.batches() == []
        finally:
            ledger.close()
        assert batch_dirs(project) == [] and left_in_outputs(project) == []

        again = make_batch(client, new_draft(client, ["liste.csv"]), pdf="1")
        assert "ist fertig" in text_of(client.get(again["page"]).text)
    (folder,) = batch_dirs(project)
    assert {"petition-lists.pdf", "labels.pdf", "envelopes.pdf"} <= {
        p.name for p in folder.iterdir()
    }
    batches, keys = recorded(project)
    assert batches == [folder.name] and len(set(keys)) == len(keys) == 30
    assert left_in_outputs(project) == []


@contextmanager
def ledger_held(project: Path) -> Iterator[Callable[[], None]]:
    """Hold the write lock of outputs/ledger.sqlite as a batch being recorded does; yield the
    function that lets go (from any thread), called at the end at the latest."""
    path = project / "outputs" / "ledger.sqlite"
    path.parent.mkdir(exist_ok=True)
    created = open_ledger(path)
    assert created is not None
    created.close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    lock = threading.Lock()

    def release() -> None:
        with lock:
            if holder.in_transaction:
                holder.execute("ROLLBACK")

    try:
        yield release
    finally:
        release()
        holder.close()


def start_batch(client: TestClient, check: str) -> str:
    """Send the options form of a draft; return the job's address, without waiting for it."""
    response = client.post(check.replace("/check", "/batch"), data=FORM, follow_redirects=False)
    assert response.status_code == 303, text_of(response.text)
    return str(response.headers["location"])


def job_of(client: TestClient, address: str) -> Job:
    job = site_of_client(client).jobs.get(int(address.rsplit("/", 1)[1]))
    assert job is not None
    return job


def site_of_client(client: TestClient) -> Any:
    return client.app.state.site  # type: ignore[attr-defined]


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_stopping_the_server_while_a_batch_is_made_finishes_the_whole_batch_first(
    project: Path,
) -> None:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(30)])
    let_go: list[float] = []
    with ledger_held(project) as release:
        with signed_in(project) as client:
            job = job_of(client, start_batch(client, new_draft(client, ["liste.csv"])))
            # nobody polls; the job is under way and waits for the ledger
            wait_until(lambda: WAITING in job.progress().notes, "the job never waited")

            def later() -> None:
                let_go.append(time.monotonic())
                release()

            threading.Timer(1.0, later).start()
        # leaving the client is the server's shutdown (its lifespan), as on Ctrl+C
        stopped = time.monotonic()
    assert let_go and stopped > let_go[0]  # the shutdown waited for the job
    done = job.progress()
    assert done.finished and done.error == "" and done.result is not None
    (folder,) = batch_dirs(project)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["signers"] == 30
    batches, keys = recorded(project)
    assert batches == [folder.name] and len(set(keys)) == 30
    assert left_in_outputs(project) == []


@pytest.mark.parametrize("servers", [1, 2], ids=["two-tabs", "two-servers"])
def test_two_batches_at_once_on_one_ledger_print_nobody_twice(project: Path, servers: int) -> None:
    # overlapping spreadsheets: signers 1-60 and 31-90
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(60)])
    write_csv(project / "inputs" / "b.csv", [HEADER, *signer_rows(60, start=31)])
    with ExitStack() as stack:
        servers_of = [stack.enter_context(signed_in(project)) for _ in range(servers)]
        tabs = [servers_of[0], servers_of[-1]]  # two tabs of one server, or one of each
        checks = [
            new_draft(tab, [name]) for tab, name in zip(tabs, ("a.csv", "b.csv"), strict=True)
        ]
        for tab, check in zip(tabs, checks, strict=True):
            assert "signers (printed) 60" in text_of(tab.get(check).text)  # as each tab saw it
        with ledger_held(project), ThreadPoolExecutor(2) as pool:
            addresses = list(pool.map(start_batch, tabs, checks))
            jobs = [job_of(tab, address) for tab, address in zip(tabs, addresses, strict=True)]
            wait_until(
                lambda: all(WAITING in job.progress().notes for job in jobs),
                "the two jobs did not wait for the ledger at the same time",
            )
            assert not any(job.progress().finished for job in jobs)  # both under way at once
        for tab, address in zip(tabs, addresses, strict=True):
            assert wait_for_job(tab, address)["finished"]
        pages = [
            text_of(tab.get(address).text) for tab, address in zip(tabs, addresses, strict=True)
        ]

    assert [job.progress().error for job in jobs] == ["", ""]
    manifests = [
        json.loads((folder / "manifest.json").read_text("utf-8")) for folder in batch_dirs(project)
    ]
    assert len(manifests) == 2
    first, second = sorted(manifests, key=lambda m: len(m["previously_listed"]))
    assert first["counts"]["signers"] == 60 and first["counts"]["previously_listed"] == 0
    assert second["counts"]["signers"] == 30 and second["counts"]["previously_listed"] == 30
    assert {row["batch"] for row in second["previously_listed"]} == {first["batch"]}
    for manifest in manifests:  # every row of its file: on its lists or on the earlier ones
        printed = [origin for page in manifest["lists"] for origin in page["origins"]]
        listed = [row["origin"] for row in manifest["previously_listed"]]
        assert len(set(printed + listed)) == len(printed + listed) == manifest["counts"]["rows"]
        assert manifest["counts"]["rows"] == 60
    batches, keys = recorded(project)
    assert batches == sorted(m["batch"] for m in manifests)
    assert len(keys) == len(set(keys)) == 90  # everyone once, on one batch's lists
    said = f"Left out, already on lists of campaign xuar in earlier batches: {first['batch']} (30)"
    (second_page,) = [page for page in pages if f"Batch {second['batch']} is ready." in page]
    assert said in second_page
    assert all("Left out" not in page for page in pages if page != second_page)
    assert left_in_outputs(project) == []


def test_after_a_restart_the_page_picks_up_from_the_ledger(project: Path) -> None:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(12)])
    with signed_in(project, language="de") as before:
        done = make_batch(before, new_draft(before, ["liste.csv"]))
        unmade = new_draft(before, ["liste.csv"])  # a batch being prepared when it stopped
        old = [done["page"], f"{done['page']}/status", unmade, unmade.replace("check", "options")]
    (folder,) = batch_dirs(project)

    secret = "another-secret-Kp4"
    app = make_app(project, PORT, secret, language="de")
    with TestClient(app, base_url=BASE, headers=ORIGIN) as after:
        after.cookies.set(cookie_name(PORT), SECRET)  # the cookie of the server before
        refused = after.get("/batches")
        assert refused.status_code == 403
        assert "Öffnen Sie die Adresse aus dem Terminal" in text_of(refused.text)
        assert after.get(f"/start?t={secret}").status_code == 200
        fresh = new_draft(after, ["liste.csv"])  # the new server's first draft and job
        start_batch(after, fresh)

        assert folder.name in text_of(after.get("/batches").text)
        downloads = after.get(f"/batches/{folder.name}")
        assert downloads.status_code == 200
        assert f'href="/batches/{folder.name}/files/manifest.json"' in downloads.text
        dispatch = after.get(f"/batches/{folder.name}/dispatch")
        assert dispatch.status_code == 200
        assert "Noch nicht verschickt" in text_of(dispatch.text)
        for address in old:
            response = after.get(address)
            assert response.status_code == 404, address
            assert NOT_FOUND in text_of(response.text), address
        response = after.post(unmade.replace("check", "batch"), data=FORM)
        assert response.status_code == 404 and NOT_FOUND in text_of(response.text)
    # the old draft made nothing; the new server's job, by then, found everyone listed
    assert batch_dirs(project) == [folder]


def http_request(
    port: int, method: str, path: str, body: str = "", **headers: str
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body.encode() or None, headers=headers)
    return connection.getresponse()


def test_a_tab_closed_as_it_sends_the_batch_gets_the_whole_batch_from_a_real_server(
    project: Path,
) -> None:
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(30)])
    server = subprocess.Popen(
        [sys.executable, "-m", "merge", "serve", "--no-browser"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PETITION_MERGE_LANG": "de"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        printed = server.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)(/start\?t=[\w-]+)", printed)
        assert found, printed
        port = int(found[1])
        start = http_request(port, "GET", found[2])
        assert start.status == 303
        cookie = (start.getheader("set-cookie") or "").split(";")[0]
        tab = {"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}
        draft = http_request(port, "POST", "/drafts", "campaign=xuar&file=liste.csv", **tab)
        assert draft.status == 303
        batch = draft.getheader("location", "").replace("check", "batch")
        closing = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        form = {**tab, "Content-Type": "application/x-www-form-urlencoded"}
        closing.request(
            "POST", batch, body="&".join(f"{k}={v}" for k, v in FORM.items()), headers=form
        )
        closing.close()  # the tab is gone before the answer
        # the batch folder is renamed into place once the batch is whole and recorded
        wait_until(lambda: bool(made(project)), "no batch was made")
        (folder,) = made(project)
        status = http_request(port, "GET", "/batches", **tab)
        assert folder.name in status.read().decode()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=60) == INTERRUPTED
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=30)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["signers"] == 30
    batches, keys = recorded(project)
    assert batches == [folder.name] and len(set(keys)) == 30
    assert left_in_outputs(project) == []
