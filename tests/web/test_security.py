"""The page's guards: the local Host only, the secret's cookie, the Origin of forms, the body
limit, the security headers on every response and a 500 page that logs no message."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from web_client import BASE, PORT, SECRET, client_of, signed_in, text_of

from merge.web.security import CONTENT_SECURITY_POLICY, cookie_name
from merge.web.site import TEMPLATES


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    with signed_in(project, language="de", max_body=2000) as client:
        yield client


@pytest.fixture
def stranger(project: Path) -> Iterator[TestClient]:
    """A client that never opened the printed address."""
    with client_of(project, language="de") as client:
        yield client


@pytest.mark.parametrize("host", ["evil.example:8765", "evil.example", f"127.0.0.1:{PORT + 1}",
                                  "127.0.0.1", "[::1]:8765", "0.0.0.0:8765"])  # fmt: skip
def test_a_foreign_host_is_refused_in_one_german_line(client: TestClient, host: str) -> None:
    response = client.get("/", headers={"host": host})
    assert response.status_code == 421
    assert response.text.count("\n") == 1
    assert response.text.startswith("Diese Seite antwortet nur unter http://127.0.0.1:8765/")


def test_localhost_with_the_port_is_answered(client: TestClient) -> None:
    assert client.get("/", headers={"host": f"localhost:{PORT}"}).status_code == 200


def test_the_host_is_checked_before_the_secret(stranger: TestClient) -> None:
    response = stranger.get(f"/start?t={SECRET}", headers={"host": "evil.example:8765"})
    assert response.status_code == 421
    assert "set-cookie" not in response.headers


def test_the_printed_address_sets_a_strict_httponly_cookie_named_for_the_port(
    stranger: TestClient,
) -> None:
    response = stranger.get(f"/start?t={SECRET}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{cookie_name(PORT)}={SECRET};")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/" in cookie
    assert stranger.get("/").status_code == 200  # the cookie now goes along


@pytest.mark.parametrize("path", ["/", "/batches", "/static/page.css", "/drafts/1/check",
                                  "/batches/2026-11-27-1/zip", "/nowhere"])  # fmt: skip
def test_without_the_cookie_every_address_says_to_open_the_printed_one(
    stranger: TestClient, path: str
) -> None:
    response = stranger.get(path)
    assert response.status_code == 403
    text = text_of(response.text)
    assert "Öffnen Sie die Adresse aus dem Terminal" in text
    assert "http://127.0.0.1:8765/start?t=" in text
    assert SECRET not in response.text


@pytest.mark.parametrize("token", ["", "wrong", SECRET[:-1], SECRET + "x", SECRET.upper()])
def test_a_wrong_secret_gets_no_cookie(stranger: TestClient, token: str) -> None:
    response = stranger.get(f"/start?t={token}", follow_redirects=False)
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert stranger.get("/").status_code == 403


def test_the_cookie_of_another_port_does_not_open_the_page(stranger: TestClient) -> None:
    stranger.cookies.set(cookie_name(PORT + 1), SECRET)
    assert stranger.get("/").status_code == 403
    stranger.cookies.set(cookie_name(PORT), "guess")
    assert stranger.get("/").status_code == 403


def test_a_post_without_the_cookie_is_refused(stranger: TestClient) -> None:
    response = stranger.post("/drafts", data={"campaign": "xuar"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},  # a page of data: or a sandbox
        {"Origin": f"http://127.0.0.1:{PORT + 1}"},
        {"Origin": f"https://127.0.0.1:{PORT}"},
        {"Origin": BASE, "Sec-Fetch-Site": "cross-site"},
        {"Origin": BASE, "Sec-Fetch-Site": "same-site"},
    ],
)
def test_a_form_sent_from_another_page_is_refused(
    client: TestClient, project: Path, headers: dict[str, str]
) -> None:
    response = client.post(
        "/drafts", data={"campaign": "xuar"}, files={"upload": ("a.csv", b"x")}, headers=headers
    )
    assert response.status_code == 403
    assert "Von einer anderen Seite gesendet" in response.text
    assert list((project / "inputs").iterdir()) == []


def test_a_form_without_an_origin_is_refused(client: TestClient) -> None:
    del client.headers["Origin"]
    response = client.post("/drafts", data={"campaign": "xuar"})
    assert response.status_code == 403


def test_a_form_from_the_page_itself_is_taken(client: TestClient) -> None:
    response = client.post(
        "/drafts", data={"campaign": "xuar"}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 400  # taken, and refused for its content: nothing chosen


def test_an_upload_over_the_limit_by_its_length_is_refused(
    client: TestClient, project: Path
) -> None:
    response = client.post(
        "/drafts", data={"campaign": "xuar"}, files={"upload": ("big.csv", b"x" * 3000)}
    )
    assert response.status_code == 413
    assert "höchstens 0,002 MB" in text_of(response.text)
    assert list((project / "inputs").iterdir()) == []


def test_an_upload_over_the_limit_without_a_length_is_refused_as_it_streams(
    client: TestClient, project: Path
) -> None:
    boundary = "b0undary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="big.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + b"Name,Ort\r\n" * 500
        + f"\r\n--{boundary}--\r\n".encode()
    )

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked
        for start in range(0, len(body), 500):
            yield body[start : start + 500]

    response = client.post(
        "/drafts",
        content=chunks(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413
    assert list((project / "inputs").iterdir()) == []


@pytest.mark.parametrize("length", ["-1", "12abc", "99999999999999999999"])
def test_a_content_length_that_is_no_number_or_too_large_is_refused(
    client: TestClient, length: str
) -> None:
    response = client.post("/drafts", content=b"", headers={"content-length": length})
    assert response.status_code in (400, 413)


def test_the_page_states_its_upload_limit(project: Path) -> None:
    with signed_in(project, language="de") as client:
        assert "höchstens 20 MB" in text_of(client.get("/").text)


HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


@pytest.mark.parametrize(
    ("method", "path", "headers", "status"),
    [
        ("GET", "/", {}, 200),
        ("GET", "/batches", {}, 200),
        ("GET", "/static/page.css", {}, 200),
        ("GET", "/static/progress.js", {}, 200),
        ("GET", "/nowhere", {}, 404),
        ("GET", "/drafts/7/check", {}, 404),
        ("POST", "/", {}, 405),
        ("GET", "/", {"host": "evil.example"}, 421),
        ("POST", "/drafts", {"Origin": "http://evil.example"}, 403),
        ("POST", "/drafts", {"content-length": "999999"}, 413),
    ],
)
def test_every_response_has_the_security_headers(
    client: TestClient, method: str, path: str, headers: dict[str, str], status: int
) -> None:
    response = client.request(method, path, headers=headers)
    assert response.status_code == status
    for name, value in HEADERS.items():
        assert response.headers[name] == value, name


def test_the_refusal_without_the_cookie_has_the_security_headers(stranger: TestClient) -> None:
    response = stranger.get("/")
    for name, value in HEADERS.items():
        assert response.headers[name] == value


def test_a_bug_answers_a_german_500_page_and_logs_only_its_type_and_route(
    client: TestClient, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object) -> None:
        raise ValueError("Testperson-7, Erika: Beispielweg 7, 12345 Musterstadt")

    monkeypatch.setattr("merge.web.overview.status", broken)
    with caplog.at_level(logging.DEBUG):
        response = client.get("/batches")
    assert response.status_code == 500
    assert "Interner Fehler" in text_of(response.text)
    assert "ValueError" in response.text
    assert "Testperson" not in response.text
    for name, value in HEADERS.items():
        assert response.headers[name] == value
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "ValueError" in logged and "/batches" in logged
    assert "Testperson" not in logged and "Beispielweg" not in logged
    assert all(record.exc_info is None for record in caplog.records)


def test_the_templates_hold_no_inline_script_style_or_handler() -> None:
    """What the Content-Security-Policy would block: the page must not need it."""
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=|javascript:", text), template.name
        assert not re.search(r"(src|href)=\"(https?:)?//", text), template.name  # no CDN


def test_the_static_files_come_from_the_package(client: TestClient) -> None:
    for name in ("page.css", "progress.js"):
        response = client.get(f"/static/{name}")
        assert response.status_code == 200
        assert response.content == (TEMPLATES.parent / "static" / name).read_bytes()
    assert client.get("/static/../app.py").status_code == 404
    assert client.get("/static/%2E%2E/app.py").status_code == 404


# --- the refusals look like the page, without loading anything --------------------------------


def style_of(page: str) -> str:
    (style,) = re.findall(r"<style>(.*?)</style>", page, re.S)
    return style


@pytest.mark.parametrize("path", ["/", "/static/page.css", "/batches"])
def test_the_refusal_without_the_cookie_has_the_pages_look_and_says_what_to_do(
    stranger: TestClient, path: str
) -> None:
    response = stranger.get(path)
    assert response.status_code == 403
    page = response.text
    style = style_of(page)
    assert style == (TEMPLATES.parent / "static" / "page.css").read_text("utf-8")
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'self' 'sha256-{digest}';" in response.headers["content-security-policy"]
    assert re.findall(r'(?:src|href)="([^"]*)"', page) == ["data:,"]  # nothing to load
    assert not re.search(r"\sstyle=|<script", page)
    assert '<header><p class="name">petition-merge</p></header>' in page
    todo = (
        '<p class="important">Öffnen Sie die Seite über die Adresse, die petition-merge serve '
        "angezeigt hat; ist das Terminal geschlossen, starten Sie petition-merge serve noch "
        "einmal.</p>"
    )
    assert todo in page


def test_the_refusal_of_a_foreign_form_says_what_to_do(client: TestClient) -> None:
    response = client.post("/drafts", data={"campaign": "xuar"}, headers={"Origin": "null"})
    assert response.status_code == 403
    assert style_of(response.text)
    assert (
        '<p class="important">Öffnen Sie die Seite über die Adresse, die petition-merge serve '
        f"angezeigt hat (http://127.0.0.1:{PORT}/), und senden Sie das Formular von dort.</p>"
    ) in response.text


def test_the_refusal_of_a_large_upload_links_back_to_the_first_page(client: TestClient) -> None:
    response = client.post(
        "/drafts", data={"campaign": "xuar"}, files={"upload": ("big.csv", b"x" * 3000)}
    )
    assert response.status_code == 413
    page = response.text
    assert style_of(page) == (TEMPLATES.parent / "static" / "page.css").read_text("utf-8")
    assert '<p class="actions"><a href="/">Zurück zur ersten Seite</a></p>' in page
    assert re.findall(r'(?:src|href)="([^"]*)"', page) == ["data:,", "/"]  # nothing to load
    assert not re.search(r"\sstyle=|<script", page)
    # the link leads where the guards let this browser in: the first page, with its menu
    first = client.get("/")
    assert first.status_code == 200 and 'href="/batches"' in first.text


def test_a_refusal_for_who_the_browser_is_has_no_link_back(stranger: TestClient) -> None:
    page = stranger.get("/").text  # no cookie: the first page would refuse it as well
    assert 'href="/"' not in page


def test_the_style_hash_allows_no_style_attribute() -> None:
    """A hash lets in that one <style> text; style attributes would need 'unsafe-hashes'."""
    assert "unsafe" not in CONTENT_SECURITY_POLICY
    assert CONTENT_SECURITY_POLICY.count("'sha256-") == 1


def _every_address() -> list[tuple[str, str]]:
    """(method, address) of every route the application has, its parameters filled in: a
    route added later is covered without touching this test."""
    from starlette.routing import Mount, Route

    from merge.web.app import make_app

    values = {"draft": "1", "job": "1", "page": "2", "name": "2026-11-27-1",
              "file": "manifest.json", "path": "page.css"}  # fmt: skip
    found: list[tuple[str, str]] = []
    for route in make_app(Path("."), PORT, SECRET, warm_start=False).routes:
        if isinstance(route, Mount):
            found.append(("GET", route.path + "/page.css"))
            continue
        assert isinstance(route, Route)
        address = re.sub(r"\{(\w+)(?::\w+)?\}", lambda m: values[m[1]], route.path)
        found += [(method, address) for method in sorted(route.methods or ()) if method != "HEAD"]
    assert len(found) > 20  # the table really was read
    return found


@pytest.mark.parametrize(("method", "address"), _every_address())
def test_every_route_is_behind_every_guard(project: Path, method: str, address: str) -> None:
    """A foreign Host gets 421, no cookie 403, and a form from another site 403, on every
    route; nothing behind them runs (the working folder stays empty)."""
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    with client_of(project, language="de") as stranger:
        foreign = stranger.request(method, address, headers={"Host": f"evil.example:{PORT}"})
        assert foreign.status_code == 421, address
        assert stranger.request(method, address).status_code == 403, address
    if method == "POST":
        with signed_in(project, language="de") as client:
            forged = client.request(method, address, headers={"Origin": "http://evil.example"})
            assert forged.status_code == 403, address
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
