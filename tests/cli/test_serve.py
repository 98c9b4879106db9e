"""petition-merge serve: a real uvicorn on a free port of 127.0.0.1, the printed address lets
the browser in, a foreign Host is refused, Ctrl+C stops it; the CLI starts without the web
framework."""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HEADER, ROOT, batch_dirs, signer_rows, write_csv
from serve_process import serving

from merge.cli import cli
from merge.cli.serve import has_display
from merge.errors import INTERRUPTED


@pytest.fixture
def server(project: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``petition-merge serve --no-browser`` in the project folder, and the address it printed."""
    with serving(project) as started:
        yield started


def request(url: str, path: str, **headers: str) -> http.client.HTTPResponse:
    match = re.match(r"http://([\d.]+):(\d+)", url)
    assert match
    connection = http.client.HTTPConnection(match[1], int(match[2]), timeout=30)
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def test_serve_answers_the_printed_address_refuses_strangers_and_stops_on_ctrl_c(
    server: tuple[subprocess.Popen[str], str],
) -> None:
    process, url = server
    port = int(url.split(":")[2].split("/")[0])
    assert port > 0
    start = request(url, url.split(str(port), 1)[1])
    assert start.status == 303 and start.getheader("location") == "/"
    cookie = start.getheader("set-cookie") or ""
    assert cookie.startswith(f"petition-merge-{port}=") and "HttpOnly" in cookie
    page = request(url, "/", Cookie=cookie.split(";")[0])
    assert page.status == 200
    assert "Neuer Versand" in page.read().decode()
    assert page.getheader("content-security-policy", "").startswith("default-src 'none'")
    assert request(url, "/").status == 403  # no cookie
    foreign = request(url, "/", Host=f"evil.example:{port}", Cookie=cookie.split(";")[0])
    assert foreign.status == 421
    assert foreign.read().decode().startswith("Diese Seite antwortet nur unter")

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == INTERRUPTED
    assert process.stderr is not None
    said = process.stderr.read()
    assert said.strip() == "beendet: die Seite ist geschlossen", said
    assert process.stdout is not None
    assert "Beenden mit Strg+C." in process.stdout.read()


def test_ctrl_c_while_a_batch_is_made_finishes_it_first(
    server: tuple[subprocess.Popen[str], str], project: Path
) -> None:
    process, url = server
    write_csv(project / "inputs" / "liste.csv", [HEADER, *signer_rows(30)])
    port = int(url.split(":")[2].split("/")[0])
    cookie = (request(url, url.split(str(port), 1)[1]).getheader("set-cookie") or "").split(";")[0]
    origin = f"http://127.0.0.1:{port}"
    draft = post(port, "/drafts", "campaign=xuar&file=liste.csv", Cookie=cookie, Origin=origin)
    assert draft.status == 303
    form = "envelope=DL&labels=3422&start_label=1&blank=0"
    job = post(port, draft.getheader("location", "").replace("check", "batch"), form,
               Cookie=cookie, Origin=origin)  # fmt: skip
    assert job.status == 303
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=120) == INTERRUPTED
    (folder,) = batch_dirs(project)
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["signers"] == 30
    assert [p.name for p in (project / "outputs").iterdir() if p.name.startswith(".")] == []


def post(port: int, path: str, body: str, **headers: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request("POST", path, body=body.encode(), headers=headers)
    return connection.getresponse()


def test_serve_listens_on_127_0_0_1_only(server: tuple[subprocess.Popen[str], str]) -> None:
    _process, url = server
    port = int(url.split(":")[2].split("/")[0])
    # Linux routes all of 127.0.0.0/8 to the loopback: a server on every address (0.0.0.0)
    # would answer 127.0.0.2 too; one on 127.0.0.1 does not.
    with pytest.raises(OSError), socket.create_connection(("127.0.0.2", port), timeout=2):
        pass
    with socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


def test_a_port_in_use_is_one_line(project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--no-browser", "--port", str(port)])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: --port: {port} cannot be used (")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("environ", "platform", "shown"),
    [
        ({}, "linux", False),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({}, "darwin", True),
        ({}, "win32", True),
    ],
)
def test_the_browser_opens_only_where_a_display_is(
    environ: dict[str, str], platform: str, shown: bool
) -> None:
    assert has_display(environ, platform) is shown


def test_importing_the_cli_loads_no_web_framework() -> None:
    probe = "import merge.cli, sys, json; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    modules = json.loads(done.stdout)
    web = ("starlette", "uvicorn", "jinja2", "python_multipart", "anyio")
    assert [m for m in modules if m.split(".")[0] in web] == []


def test_serve_help_says_what_it_does(project: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--no-browser" in result.output
    assert "127.0.0.1" in result.output


def test_serve_passes_group_to_the_page(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """serve --group names the group as run --group does (the page's batches are its)."""
    import merge.web.app
    from merge.errors import UsageError

    given: dict[str, object] = {}

    def make_app(*args: object, **options: object) -> None:
        given.update(options)
        raise UsageError("stop here")

    monkeypatch.setattr(merge.web.app, "make_app", make_app)
    result = CliRunner().invoke(cli, ["serve", "--no-browser", "--group", "gruppe-a"])
    assert result.exit_code == 2 and "stop here" in result.stderr
    assert given["group"] == "gruppe-a"


def test_the_web_page_install_hint_fits_how_petition_merge_was_installed() -> None:
    """pip install cannot reach a pipx or uv tool environment: there the hint says how to
    install again with the web page (pipx drops [web] from a wheel's name without ./)."""
    from merge.cli.serve import web_install_hint

    pipx = web_install_hint("/home/anna/.local/share/pipx/venvs/petition-merge")
    assert pipx.startswith("install petition-merge again with its web page: pipx install --force")
    assert '"./petition_merge-' in pipx and "[web]" in pipx
    uv = web_install_hint("/home/anna/.local/share/uv/tools/petition-merge")
    assert "uv tool install --force" in uv
    assert web_install_hint("/work/petition-merge/.venv") == (
        "install them with pip install 'petition-merge[web]' (scripts/setup does)"
    )
