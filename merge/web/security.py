"""The page's guards: only this machine, only the browser that opened the printed address.

The page shows names and addresses, so every request passes these pure-ASGI middlewares
(outermost first, as :func:`guards` lists them):

- :class:`Language` activates the server's language for the request (a context variable);
- :class:`ErrorCatcher` answers a bug with a 500 page and logs only the exception's type
  and the route, never its message (which may hold a name);
- :class:`SecurityHeaders` puts the Content-Security-Policy, no-store and friends on every
  response;
- :class:`HostCheck` refuses a Host other than 127.0.0.1:PORT or localhost:PORT, so a web
  site whose name an attacker points at 127.0.0.1 (DNS rebinding) is not answered;
- :class:`SecretCheck` lets in only the browser that opened ``/start?t=SECRET`` (the address
  ``serve`` prints): it gets a cookie of that secret, HttpOnly and SameSite=Strict, so
  another site's page cannot send it along;
- :class:`OriginCheck` refuses a form sent from another page (every method but GET/HEAD);
- :class:`BodyLimit` counts the request body as it streams in and stops at the limit,
  whatever Content-Length says (Starlette's form parser limits only the number of parts).

The refusals are small pages of their own, made here without templates: they must work
before the browser may load anything, and /static is behind the secret's cookie too. So a
refusal carries the page's style sheet inside it, in a <style> element the
Content-Security-Policy allows by its hash alone (still no style attribute, no other inline
style, no script): it looks like the page without asking for anything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import logging
from decimal import Decimal
from importlib.resources import files
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import cookie_parser
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from merge import i18n
from merge.i18n import _
from merge.i18n.conventions import format_number

log = logging.getLogger("merge.web")

MB = 1_000_000
MAX_BODY = 20 * MB  # one request, e.g. an upload of several spreadsheets

PAGE_CSS = files("merge.web").joinpath("static", "page.css").read_text(encoding="utf-8")
assert "</" not in PAGE_CSS  # it goes inside a refusal's <style> as it is
# The hash of the refusals' <style> (CSP Level 2): it allows that one text, nothing else.
_REFUSAL_STYLE = "'sha256-{}'".format(
    base64.b64encode(hashlib.sha256(PAGE_CSS.encode("utf-8")).digest()).decode("ascii")
)
CONTENT_SECURITY_POLICY = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {_REFUSAL_STYLE}; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",  # pages with names must not stay in the browser's cache
    "X-Content-Type-Options": "nosniff",
    # Not "no-referrer": with it, Chromium sends "Origin: null" on the page's own form posts.
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
START = "/start"  # the address serve prints: /start?t=SECRET


def cookie_name(port: int) -> str:
    """Return the cookie's name: one per port, since browsers share cookies across ports."""
    return f"petition-merge-{port}"


def local_hosts(port: int) -> frozenset[str]:
    """Return the Host headers (and origins, after http://) the page answers to."""
    return frozenset({f"127.0.0.1:{port}", f"localhost:{port}"})


def guards(port: int, secret: str, language: str, max_body: int = MAX_BODY) -> list[Middleware]:
    """Return the middlewares of the page, outermost first (for ``Starlette(middleware=)``)."""
    return [
        Middleware(Language, language=language),
        Middleware(ErrorCatcher),
        Middleware(SecurityHeaders),
        Middleware(HostCheck, port=port),
        Middleware(SecretCheck, port=port, secret=secret),
        Middleware(OriginCheck, port=port),
        Middleware(BodyLimit, max_body=max_body),
    ]


def refusal(status: int, title: str, text: str, todo: str = "", *, back: bool = False) -> Response:
    """Return a small page that says why a request was refused and, in ``todo``, what to do
    (with the security headers, in the page's look).

    With ``back``, a link to the first page: for a browser the guards let in (it holds the
    cookie), refused for what it sent, not for who it is.
    """
    lang = "de" if i18n.language() == "de" else "en"
    todo_line = f'<p class="important">{html.escape(todo)}</p>\n' if todo else ""
    if back:
        link = html.escape(_("Back to the first page"))
        todo_line += f'<p class="actions"><a href="/">{link}</a></p>\n'
    body = (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)} - petition-merge</title>\n"
        f'<link rel="icon" href="data:,">\n<style>{PAGE_CSS}</style>\n</head>\n<body>\n'
        '<header><p class="name">petition-merge</p></header>\n<main id="main">\n'
        f"<h1>{html.escape(title)}</h1>\n<p>{html.escape(text)}</p>\n{todo_line}"
        "</main>\n</body>\n</html>\n"
    )
    return HTMLResponse(body, status_code=status, headers=HEADERS)


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


class Language:
    """Speak the server's language in this request (``merge.i18n`` keeps it per task)."""

    def __init__(self, app: ASGIApp, language: str) -> None:
        self.app, self.language = app, language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        i18n.activate(self.language)
        i18n.speak_for_page()
        await self.app(scope, receive, send)


class ErrorCatcher:
    """Answer a bug with a 500 page; log its type and route, never its message.

    An exception's message may hold a cell's text; uvicorn and Starlette would log it with
    its traceback. Nothing is re-raised, so neither does.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as err:
            route = getattr(scope.get("route"), "path", "-")
            log.error("internal error %s at %s", type(err).__name__, route)
            if not started:
                page = refusal(
                    500,
                    _("Internal error"),
                    _(
                        "internal error: {name} - this is a bug in petition-merge; please "
                        "report what you did just before. A batch is either made whole or not "
                        "at all: see the status page."
                    ).format(name=type(err).__name__),
                )
                await page(scope, receive, send)


class SecurityHeaders:
    """Put the Content-Security-Policy, no-store and the other headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


class HostCheck:
    """Answer only requests for 127.0.0.1:PORT or localhost:PORT (against DNS rebinding)."""

    def __init__(self, app: ASGIApp, port: int) -> None:
        self.app, self.port, self.hosts = app, port, local_hosts(port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _header(scope, b"host") not in self.hosts:
            text = _(
                "This page answers only at http://127.0.0.1:{port}/ - open the address "
                "petition-merge serve printed in the terminal"
            ).format(port=self.port)
            await PlainTextResponse(text + "\n", 421, headers=HEADERS)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SecretCheck:
    """Let in only the browser that opened ``/start?t=SECRET``: it gets the secret's cookie."""

    def __init__(self, app: ASGIApp, port: int, secret: str) -> None:
        self.app, self.port, self.secret = app, port, secret
        self.cookie = cookie_name(port)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] == START and scope["method"] in ("GET", "HEAD"):
            token = parse_qs(scope["query_string"].decode("latin-1")).get("t", [""])[0]
            if self._right(token):
                response: Response = RedirectResponse("/", status_code=303)
                response.set_cookie(self.cookie, self.secret, httponly=True, samesite="strict")
            else:
                response = self._closed()
            await response(scope, receive, send)
            return
        cookies = cookie_parser(_header(scope, b"cookie") or "")
        if not self._right(cookies.get(self.cookie, "")):
            await self._closed()(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _right(self, token: str) -> bool:
        return hmac.compare_digest(token.encode(), self.secret.encode())

    def _closed(self) -> Response:
        return refusal(
            403,
            _("Open the address from the terminal"),
            _(
                "This page only answers the browser that opened the address petition-merge "
                "serve printed in the terminal; it begins with http://127.0.0.1:{port}/start?t="
            ).format(port=self.port),
            _(
                "Open the page through the address petition-merge serve showed; if the "
                "terminal is closed, start petition-merge serve again."
            ),
        )


class OriginCheck:
    """Refuse every request but GET and HEAD that another page sent (a cross-site form)."""

    def __init__(self, app: ASGIApp, port: int) -> None:
        self.app, self.port = app, port
        self.origins = frozenset(f"http://{host}" for host in local_hosts(port))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD"):
            origin = _header(scope, b"origin")
            site = _header(scope, b"sec-fetch-site")
            if origin not in self.origins or site not in (None, "same-origin"):
                page = refusal(
                    403,
                    _("Sent from another page"),
                    _(
                        "This form did not come from petition-merge's own page, so it was not "
                        "taken."
                    ),
                    _(
                        "Open the page through the address petition-merge serve showed "
                        "(http://127.0.0.1:{port}/) and send the form from there."
                    ).format(port=self.port),
                )
                await page(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    """The request body passed the limit while it streamed in."""


class BodyLimit:
    """Refuse a request body over ``max_body`` bytes: by Content-Length, else as it streams."""

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = _header(scope, b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await self._refuse()(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _TooLarge
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _TooLarge:
            if started:
                raise
            await self._refuse()(scope, receive, send)

    def _refuse(self) -> Response:
        return refusal(
            413,
            _("Too large"),
            _(
                "The upload is too large: at most {mb} MB at a time - upload fewer or smaller "
                "files at once."
            ).format(mb=limit_mb(self.max_body)),
            back=True,
        )


def limit_mb(max_body: int) -> str:
    """Return the body limit in MB as the page states it ("20")."""
    return format_number(Decimal(f"{max_body / MB:g}"))
