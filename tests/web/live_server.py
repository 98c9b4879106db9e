"""Serve the web page for a real browser: uvicorn on a free port of 127.0.0.1, as serve runs
it, in a thread; and the Chromium the browser tests drive (Playwright), where it is."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from web_client import SECRET

from merge.web.app import make_app

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no Chromium at /usr/bin/chromium"
)


@contextmanager
def live_page(workdir: Path, **options: Any) -> Iterator[str]:
    """Serve the page for ``workdir``; yield its address (http://127.0.0.1:PORT)."""
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    port = sock.getsockname()[1]
    options.setdefault("language", "de")
    app = make_app(workdir, port, SECRET, **options)
    server = uvicorn.Server(uvicorn.Config(app, http="h11", ws="none", log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)
        sock.close()
