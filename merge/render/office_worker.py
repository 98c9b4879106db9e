"""The helper that drives a warm LibreOffice through UNO, run as a file under a uno Python.

petition-merge's own interpreter (a virtual environment) usually cannot ``import uno``: the
module comes with LibreOffice (Debian's python3-uno for /usr/bin/python3, or the Python that
LibreOffice bundles on Windows and macOS). So :mod:`merge.render.office` starts this file under
such a Python, as a separate process::

    /usr/bin/python3 office_worker.py PIPE_NAME CONNECT_SECONDS

It imports nothing of petition-merge (it runs under any Python 3.7 or newer), connects to the
soffice listening on the UNO pipe ``PIPE_NAME`` (retrying until it listens), and then reads one
JSON request a line on stdin and answers each with one JSON line on stdout:

    {"ready": true, "version": "7.4.7.2"}                      (once, when connected)
    {"ready": false, "code": "connect" | "other", "error": "..."}   (or it could not)
    {"op": "convert", "src": "/abs/in.docx", "dst": "/abs/out.pdf", "pages": "1-1" | null}
        -> {"ok": true} | {"ok": false, "code": "open" | "store" | "other", "error": "...",
                           "dead": false}
    {"op": "quit"}  -> ends LibreOffice (desktop.terminate) -> {"ok": true}, then exits

``code`` says what failed (opening the document, storing the PDF), so the parent can say it
in its own words; ``error`` is LibreOffice's own text, for a bug report. ``"dead": true`` means
the connection to LibreOffice is gone (it crashed or was killed); the helper exits after saying
so. At the end of stdin (its parent died) it ends LibreOffice too. Anything else LibreOffice or
Python print goes to stderr, never into the answers.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]


def props(**values: Any) -> tuple[Any, ...]:
    """Return UNO PropertyValues from keyword arguments."""
    from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

    found = []
    for name, value in values.items():
        prop = PropertyValue()
        prop.Name, prop.Value = name, value
        found.append(prop)
    return tuple(found)


def connect(pipe: str, seconds: float) -> Any:
    """Return the component context of the soffice on ``pipe``, retrying until it listens."""
    from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + seconds
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def version(context: Any) -> str:
    """Return LibreOffice's version ("7.4.7.2"), or "" if it does not say."""
    try:
        provider = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", context
        )
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess",
            props(nodepath="/org.openoffice.Setup/Product"),
        )
        return str(access.getByName("ooSetupVersionAboutBox"))
    except Exception:
        return ""


def is_dead(err: BaseException, desktop: Any) -> bool:
    """Tell whether the connection to LibreOffice is gone, after ``err`` broke a conversion.

    A crash shows as a DisposedException, or as any other exception from the call it broke
    ("illegal object given!"); a cheap call on the desktop tells them apart from a document
    LibreOffice could not open.
    """
    if type(err).__name__ == "DisposedException":
        return True
    try:
        desktop.getCurrentComponent()
    except Exception:
        return True
    return False


class Failed(Exception):
    """A step of a conversion failed: ``code`` names the step, the cause is chained."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code


def convert(desktop: Any, src: str, dst: str, pages: str | None) -> None:
    """Open ``src`` hidden, read-only, without macros or link updates; store it as PDF."""
    try:
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(src),
            "_blank",
            0,
            props(Hidden=True, ReadOnly=True, MacroExecutionMode=0, UpdateDocMode=0),
        )
    except Exception as err:
        raise Failed("open", f"{type(err).__name__}: {err}") from err
    if document is None:
        raise Failed("open", "loadComponentFromURL gave no document")
    try:
        options: dict[str, Any] = {"FilterName": "writer_pdf_Export"}
        if pages:
            data = props(PageRange=pages)
            options["FilterData"] = uno.Any("[]com.sun.star.beans.PropertyValue", data)
        try:
            document.storeToURL(uno.systemPathToFileUrl(dst), props(**options))
        except Exception as err:
            raise Failed("store", f"{type(err).__name__}: {err}") from err
    finally:
        try:
            document.close(True)
        except Exception:
            document.dispose()


def terminate(desktop: Any) -> None:
    try:
        desktop.terminate()
    except Exception as err:  # gone already, or it refused: the parent ends it then
        print(f"terminate: {type(err).__name__}: {err}", file=sys.stderr)


def main(argv: list[str]) -> int:
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    os.dup2(2, 1)  # whatever else prints (LibreOffice, Python) goes to stderr
    sys.stdout = sys.stderr

    def answer(**values: Any) -> None:
        answers.write(json.dumps(values) + "\n")
        answers.flush()

    pipe, seconds = argv[1], float(argv[2])
    try:
        context = connect(pipe, seconds)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
    except Exception as err:
        code = "connect" if type(err).__name__ == "NoConnectException" else "other"
        answer(ready=False, code=code, error=f"{type(err).__name__}: {err}")
        return 1
    answer(ready=True, version=version(context))
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        if request.get("op") == "quit":
            terminate(desktop)
            answer(ok=True)
            return 0
        try:
            convert(desktop, request["src"], request["dst"], request.get("pages"))
        except Exception as err:
            cause = err.__cause__ if isinstance(err, Failed) and err.__cause__ else err
            dead = is_dead(cause, desktop)
            code = err.code if isinstance(err, Failed) else "other"
            print(f"{request['src']}: {code}: {err}", file=sys.stderr)
            answer(ok=False, code=code, error=str(err), dead=dead)
            if dead:
                return 1
        else:
            answer(ok=True)
    terminate(desktop)  # the parent is gone: take LibreOffice with us
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
