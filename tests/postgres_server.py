"""A throwaway PostgreSQL server for the tests of the shared ledger.

``PETITION_MERGE_TEST_POSTGRES=postgresql://user@host:port/db`` names a server to use (its
user may create databases); else the tests start one: initdb and pg_ctl of the PostgreSQL
installed (Debian's postgresql puts them in /usr/lib/postgresql/<version>/bin), in a fresh
folder, on a free port of 127.0.0.1, without fsync (nothing here must survive a crash of
the machine; a crash of the server, which the restart test makes, is survived: commits are
still synchronous). PostgreSQL refuses to run as root, so as root the server runs as the
``postgres`` user (Debian's package makes it), else as ``nobody``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import random
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

URL_VARIABLE = "PETITION_MERGE_TEST_POSTGRES"
REQUIRE_VARIABLE = "PETITION_MERGE_REQUIRE_POSTGRES"


def binaries() -> Path | None:
    """Return the folder of initdb and pg_ctl (the newest version installed), or None."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    """Return a port of 127.0.0.1 that is free now, below the range the system hands out to
    outgoing connections (a port from there could be taken by one before the server binds
    it, seconds later, after initdb)."""
    low = 32768
    with contextlib.suppress(OSError, ValueError):
        low = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    for _ in range(100):
        port = random.randrange(min(20000, low // 2), low)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    with socket.socket() as sock:  # all taken: let the system choose
        sock.bind(("127.0.0.1", 0))
        chosen: int = sock.getsockname()[1]
        return chosen


class Given:
    """A server the tests were given (PETITION_MERGE_TEST_POSTGRES): not theirs to restart."""

    restart_immediately = None

    def __init__(self, url: str) -> None:
        self.url = url


class Server:
    """A server started for the tests: its admin URL, and a way to restart it the hard way."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="petition-merge-pg-"))
        self._as_user: dict[str, object] = {}
        self._started = False  # once it ran, its URL is known to the tests: same port again
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                user = pwd.getpwnam("nobody")
            os.chown(self.root, user.pw_uid, user.pw_gid)
            self._as_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        self.data = self.root / "data"
        self._on_port(_free_port())

    def _on_port(self, port: int) -> None:
        self.port = port
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        self._options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=60"
        )

    def _pg_ctl(self, *args: str) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args)

    def _run(self, *args: str) -> None:
        subprocess.run(
            args,
            check=True,
            capture_output=True,
            cwd=self.root,
            timeout=120,
            **self._as_user,  # type: ignore[arg-type]
        )

    def start(self) -> None:
        try:
            if not self.data.exists():
                self._run(
                    str(self.bin_dir / "initdb"), "-D", str(self.data), "-A", "trust",
                    "-U", "postgres", "-E", "UTF8",
                )  # fmt: skip
            log = self.root / "server.log"
            for attempt in range(3):
                try:
                    self._pg_ctl("-o", self._options, "-l", str(log), "-w", "start")
                    break
                except subprocess.CalledProcessError:
                    said = log.read_text(errors="replace") if log.exists() else ""
                    if attempt == 2 or "could not bind" not in said or self._started:
                        raise
                    self._on_port(_free_port())  # taken meanwhile: another one, first start only
            self._started = True
        except subprocess.CalledProcessError as err:
            message = err.stderr.decode(errors="replace")
            raise RuntimeError(f"cannot start PostgreSQL: {message}") from err

    def restart_immediately(self) -> None:
        """Stop the server as a crash would (no clean shutdown), and start it again."""
        self._pg_ctl("-m", "immediate", "-w", "stop")
        self.start()

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            self._pg_ctl("-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)


@contextlib.contextmanager
def throwaway_server(bin_dir: Path) -> Iterator[Server]:
    """Start a server for the session; stop and remove it after."""
    server = Server(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()
