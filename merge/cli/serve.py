"""petition-merge serve: the web page on this computer, for volunteers who never open a terminal.

The server listens on 127.0.0.1 only, on a port picked when it starts (or --port); there is
no option to serve other machines, since the page shows names and addresses over plain
HTTP. Every start makes a new secret: the address printed here carries it, and only the
browser that opens it gets in (see merge/web/security.py). uvicorn and Starlette are
imported when the command runs, so the rest of the CLI starts without them.
"""

from __future__ import annotations

import os
import secrets
import socket
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import click

from merge import __version__, i18n
from merge.cli.app import GROUP_OPTION, LEDGER_OPTION, Whole, cli
from merge.cli.console import stderr
from merge.cli.language import option
from merge.errors import INTERRUPTED, UsageError
from merge.i18n import N_, _
from merge.track.where import LedgerOption

if TYPE_CHECKING:
    import uvicorn
    from starlette.applications import Starlette

HOST = "127.0.0.1"


@cli.command("serve")
@option(
    "--port",
    type=Whole(0, 65535),
    default=0,
    show_default=True,
    metavar=N_("NUMBER"),
    help="Port on 127.0.0.1 to serve the page at (0: a free one).",
)
@option("--no-browser", is_flag=True, help="Do not open the browser; only print the address.")
@LEDGER_OPTION
@GROUP_OPTION
@click.pass_context
def serve_command(
    ctx: click.Context, port: int, no_browser: bool, ledger: LedgerOption, group: str | None
) -> None:
    """Start the web page: a whole batch from spreadsheets to stamps in the browser.

    It works on the folder it is started in (inputs/, templates/, outputs/ and the ledger),
    like the other commands. Only this computer can open it (http://127.0.0.1), and only the
    browser that opens the address printed here. Ctrl+C stops it; a batch being made is
    finished first.

    \b
    Example:
      petition-merge serve
      petition-merge serve --port 8765 --no-browser
    """
    try:
        import uvicorn

        from merge.web.app import make_app
    except ImportError as err:
        raise UsageError(
            _(
                "petition-merge serve: the web page's packages are not installed ({missing}) - "
                "{how}"
            ).format(missing=err.name, how=web_install_hint())
        ) from None

    sock = _listen(port)
    port = sock.getsockname()[1]
    secret = secrets.token_urlsafe(32)
    app = make_app(Path.cwd(), port, secret, language=i18n.language(), ledger=ledger, group=group)
    url = f"http://{HOST}:{port}/start?t={secret}"
    # Plain echo, not the rich console: the address must stay on one line to be clicked.
    click.echo(_("The page runs at {url} - open this address in your browser.").format(url=url))
    click.echo(_("Stop it with Ctrl+C."))
    if not no_browser and has_display():
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()

    config = uvicorn.Config(
        app,
        http="h11",
        ws="none",
        lifespan="on",
        access_log=False,  # its lines hold the paths; the page logs no request
        proxy_headers=False,  # every local program could claim another client address
        server_header=False,
        log_level="warning",
    )
    server = _server(config, app)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        stderr().print(_("stopped: the page is closed"))
        ctx.exit(INTERRUPTED)
    finally:
        sock.close()


def _listen(port: int) -> socket.socket:
    """Bind 127.0.0.1:``port`` (0: a free port) and listen, before the app is made.

    The port is then known to the host and origin checks, and a browser that connects
    before uvicorn runs waits in the backlog instead of being refused.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((HOST, port))
        sock.listen(128)
    except OSError as err:
        sock.close()
        raise UsageError(
            _(
                "--port: {port} cannot be used ({reason}) - choose another port, or leave "
                "--port out for a free one"
            ).format(port=port, reason=err.strerror or err)
        ) from None
    return sock


def has_display(environ: dict[str, str] | None = None, platform: str | None = None) -> bool:
    """Say whether a graphical browser can open: on Windows and macOS, or with a display.

    Without a display, Python's webbrowser would start a text browser (lynx, w3m) in this
    terminal and wait until it is closed.
    """
    env = os.environ if environ is None else environ
    if (platform or sys.platform) in ("win32", "darwin"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def _server(config: uvicorn.Config, app: Starlette) -> uvicorn.Server:
    """Return uvicorn's server, saying on Ctrl+C that a batch being made is finished first."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            if not self.should_exit and app.state.site.jobs.running():
                stderr().print(
                    _("finishing the batch being made first: it is made whole or not at all")
                )
            super().handle_exit(sig, frame)

    return Server(config)


def web_install_hint(prefix: str = sys.prefix) -> str:
    """How to add the web page's packages to this installation: pipx and uv keep a program
    in an environment of its own, which pip install cannot reach."""
    wheel = f"./petition_merge-{__version__}-py3-none-any.whl[web]"
    parts = Path(prefix).parts
    if "pipx" in parts:
        return _(
            'install petition-merge again with its web page: pipx install --force "{wheel}" '
            "(with the ./ before the file's name, pipx keeps [web])"
        ).format(wheel=wheel)
    if "uv" in parts and "tools" in parts:
        return _(
            'install petition-merge again with its web page: uv tool install --force "{wheel}"'
        ).format(wheel=wheel)
    return _("install them with pip install 'petition-merge[web]' (scripts/setup does)")
