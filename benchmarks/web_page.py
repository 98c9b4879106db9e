"""The web page as a browser drives it, for ``--warm``: upload, check, preview, the batch.

One server for the whole measurement: Starlette's TestClient against
``merge.web.app.make_app``, in this process, with the server's own warm LibreOffice started
when the server starts, as ``petition-merge serve`` starts it. Each repetition uploads 200
invented signers not uploaded before (so every batch has somebody new), asks for the check,
then the preview of list 1 (the page, then its PNG, as a browser loads them), then makes the
batch with its four PDFs and polls the job as the page's script does.
"""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from merge.render.office import WarmOffice

from workload import write_signers_xlsx

PORT = 8765
SECRET = "bench-secret"
BASE = f"http://127.0.0.1:{PORT}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
START_THREAD = "petition-merge warm LibreOffice"  # the thread merge.web.app starts it in
OPTIONS = {"envelope": "DL", "labels": "3422", "start_label": "1", "blank": "0", "pdf": "1"}


class WebPage:
    """A browser on a server for ``folder``; every request is checked, so a number is real."""

    def __init__(self, folder: Path, signers: int) -> None:
        self.folder, self.signers = folder, signers
        self._stack = contextlib.ExitStack()
        self.client: Any = None

    def __enter__(self) -> WebPage:
        from starlette.testclient import TestClient

        from merge.web.app import make_app

        self.folder.mkdir(parents=True)
        self.app = make_app(self.folder, PORT, SECRET, language="de")
        client = TestClient(self.app, base_url=BASE, headers={"Origin": BASE})
        self.client = self._stack.enter_context(client)  # the lifespan: LibreOffice starts
        self._get(f"/start?t={SECRET}")
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stack.close()

    @property
    def office(self) -> WarmOffice:
        office = self.app.state.site.office
        assert isinstance(office, WarmOffice)
        return office

    def wait_warm(self, seconds: float = 120) -> None:
        """Wait until the server has started its LibreOffice and warmed it up (a volunteer
        takes longer than that to choose the files)."""
        deadline = time.monotonic() + seconds
        while any(thread.name == START_THREAD for thread in threading.enumerate()):
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server's LibreOffice is not ready after {seconds} s")
            time.sleep(0.02)

    def upload(self, repetition: int) -> str:
        """Upload signers never uploaded before and look at the check; return the draft's
        address (``/drafts/N``)."""
        xlsx = self.folder.parent / f"web-upload-{repetition}.xlsx"
        write_signers_xlsx(xlsx, self.signers, first=1 + repetition * self.signers)
        response = self.client.post(
            "/drafts",
            data={"campaign": "xuar"},
            files={"upload": (xlsx.name, xlsx.read_bytes(), XLSX)},
            follow_redirects=False,
        )
        if response.status_code != 303:
            raise RuntimeError(f"upload: {response.status_code}")
        check = str(response.headers["location"])
        self._get(check)
        return check.removesuffix("/check")

    def preview(self, draft: str) -> bytes:
        """Load the preview of list 1 as a browser does: the page, then its picture."""
        page = self._get(f"{draft}/preview")
        if f'src="{draft}/preview/list/1.png"' not in page.text:
            raise RuntimeError("the preview page shows no picture of list 1")
        picture = self._get(f"{draft}/preview/list/1.png")
        if picture.headers["content-type"] != "image/png":
            raise RuntimeError("the preview is not a PNG")
        return bytes(picture.content)

    def batch(self, draft: str) -> Path:
        """Make the draft's batch with its PDFs and wait for the job; return its folder."""
        response = self.client.post(f"{draft}/batch", data=OPTIONS, follow_redirects=False)
        if response.status_code != 303:
            raise RuntimeError(f"batch: {response.status_code}")
        job = str(response.headers["location"])
        while not self._get(f"{job}/status").json()["finished"]:
            time.sleep(0.02)  # the page's script polls more slowly; this measures the job
        progress = self.app.state.site.jobs.get(int(job.rsplit("/", 1)[1])).progress()
        if progress.error or progress.result is None or progress.result.batch_dir is None:
            raise RuntimeError(f"batch: {progress.error or 'nothing made'}")
        return Path(progress.result.batch_dir)

    def _get(self, address: str) -> Any:
        response = self.client.get(address)
        if response.status_code != 200:
            raise RuntimeError(f"{address}: {response.status_code}")
        return response
