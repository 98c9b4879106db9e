"""Uploaded spreadsheets go into inputs/ and nowhere else, under a tidy name, never replacing
a file; what the browser calls a file is refused unless it is a spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import HEADER, signer_rows, write_csv
from starlette.testclient import TestClient
from web_client import signed_in, text_of

from merge.web.uploads import Upload, UploadError, safe_name, save_uploads


@pytest.mark.parametrize(
    ("sent", "saved"),
    [
        ("liste.xlsx", "liste.xlsx"),
        ("../../liste.csv", "liste.csv"),
        ("/etc/cron.d/liste.csv", "liste.csv"),
        ("C:\\Users\\Anna\\Desktop\\Stand.XLSX", "Stand.xlsx"),
        ("..\\..\\boot.ini.csv", "boot.ini.csv"),
        (".versteckt.csv", "versteckt.csv"),
        ("~$Liste.xlsx", "Liste.xlsx"),
        ("Unterschriften\x00\x1b[31m.ods", "Unterschriften[31m.ods"),
        ('a<b>:"c"|d?*.tsv', "a_b___c__d__.tsv"),
        ("Gemeinde Sankt Jo\u0308rgen.csv", "Gemeinde Sankt J\u00f6rgen.csv"),  # NFC
        ("-.csv", "-.csv"),
        ("x" * 300 + ".xls", "x" * 96 + ".xls"),
    ],
)
def test_an_upload_keeps_only_a_tidy_last_part_of_its_name(sent: str, saved: str) -> None:
    assert safe_name(sent) == saved


@pytest.mark.parametrize(
    "sent", ["", "..", "../", "/", "/etc/passwd", "liste.exe", "liste.xlsx.exe", "liste.docx",
             "README", ".csv", "bild.png"],
)  # fmt: skip
def test_a_name_without_a_spreadsheets_extension_is_refused(sent: str) -> None:
    with pytest.raises(UploadError, match="not a spreadsheet petition-merge reads"):
        safe_name(sent)


def test_a_taken_name_gets_a_number_and_the_old_file_stays(tmp_path: Path) -> None:
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "stand.csv").write_bytes(b"old")
    (tmp_path / "inputs" / "stand-2.csv").write_bytes(b"older")
    saved = save_uploads(tmp_path, [Upload("stand.csv", io.BytesIO(b"new"))])
    assert [item.name for item in saved] == ["stand-3.csv"]
    assert (tmp_path / "inputs" / "stand.csv").read_bytes() == b"old"
    assert (tmp_path / "inputs" / "stand-3.csv").read_bytes() == b"new"


def test_two_uploads_of_one_name_are_both_kept(tmp_path: Path) -> None:
    saved = save_uploads(
        tmp_path, [Upload("a.csv", io.BytesIO(b"one")), Upload("a.csv", io.BytesIO(b"two"))]
    )
    assert [item.name for item in saved] == ["a.csv", "a-2.csv"]


def test_bytes_that_are_in_inputs_already_are_not_saved_twice(tmp_path: Path) -> None:
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "markt.csv").write_bytes(b"Name;Ort\n")
    saved = save_uploads(tmp_path, [Upload("Markt (1).csv", io.BytesIO(b"Name;Ort\n"))])
    assert [(item.name, item.existing) for item in saved] == [("markt.csv", True)]
    assert sorted(p.name for p in (tmp_path / "inputs").iterdir()) == ["markt.csv"]


def test_one_refused_file_saves_none_of_the_upload(tmp_path: Path) -> None:
    uploads = [Upload("gut.csv", io.BytesIO(b"a")), Upload("schlecht.exe", io.BytesIO(b"b"))]
    with pytest.raises(UploadError):
        save_uploads(tmp_path, uploads)
    assert not (tmp_path / "inputs").exists() or not list((tmp_path / "inputs").iterdir())


# --- through the page: a raw multipart body, as any program (not only a browser) can send ----


@pytest.fixture
def client(project: Path) -> Iterator[TestClient]:
    with signed_in(project) as client:
        yield client


def raw_upload(client: TestClient, filename: str, content: bytes, campaign: str = "xuar") -> str:
    """Post the first page's form with one file part named as given (the TestClient itself
    would strip folders from a name); return the check's address, or "" if refused."""
    boundary = "----petitionmerge7"
    body = (
        (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="campaign"\r\n\r\n{campaign}\r\n'
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="upload"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        "/drafts",
        content=body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
        follow_redirects=False,
    )
    if response.status_code == 303:
        return str(response.headers["location"])
    assert response.status_code == 400, response.text
    return ""


def everything_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*")}


def csv_bytes(tmp_path: Path) -> bytes:
    return write_csv(
        tmp_path.parent / f"{tmp_path.name}.csv", [HEADER, *signer_rows(3)]
    ).read_bytes()


@pytest.mark.parametrize(
    "filename",
    ["../../escaped.csv", "../templates/escaped.csv", "/tmp/escaped.csv",
     "C:\\Windows\\escaped.csv", "%2e%2e%2fescaped.csv"],
)  # fmt: skip
def test_a_path_in_the_upload_name_stays_in_inputs(
    client: TestClient, project: Path, tmp_path: Path, filename: str
) -> None:
    content = csv_bytes(project)
    before = everything_under(project)
    check = raw_upload(client, filename, content)
    assert check.endswith("/check")
    added = everything_under(project) - before
    assert len(added) == 1
    (new,) = added
    assert new.startswith("inputs/") and new.endswith("escaped.csv"), new
    assert (project / new).read_bytes() == content
    for outside in (project.parent, project.parent.parent, project / "templates", Path("/tmp")):
        assert not (outside / "escaped.csv").exists()


def test_an_upload_goes_on_to_the_check_of_its_rows(client: TestClient, project: Path) -> None:
    check = raw_upload(client, "Stand am Markt.csv", csv_bytes(project))
    page = text_of(client.get(check).text)
    assert "inputs/Stand am Markt.csv:Stand am Markt:2" not in page  # nothing rejected
    assert "signers (printed) 3" in page


@pytest.mark.parametrize("filename", ["liste.exe", "/etc/passwd", "brief.docx", ".."])
def test_a_file_that_is_no_spreadsheet_is_refused_in_one_line(
    client: TestClient, project: Path, filename: str
) -> None:
    boundary_check = raw_upload(client, filename, b"MZ\x90\x00")
    assert boundary_check == ""
    assert list((project / "inputs").iterdir()) == []
    response = client.post("/drafts", data={"campaign": "xuar"}, files={"upload": (filename, b"x")})
    assert "not a spreadsheet petition-merge reads" in text_of(response.text)


def test_a_refused_upload_is_said_in_german(project: Path) -> None:
    with signed_in(project, language="de") as client:
        response = client.post(
            "/drafts", data={"campaign": "xuar"}, files={"upload": ("liste.exe", b"x")}
        )
    assert response.status_code == 400
    assert "'liste.exe': keine Tabelle, die petition-merge liest" in text_of(response.text)


def test_too_many_files_at_once_are_refused(client: TestClient, project: Path) -> None:
    files = [("upload", (f"l{n}.csv", b"x")) for n in range(51)]
    response = client.post("/drafts", data={"campaign": "xuar"}, files=files)
    assert response.status_code == 400
    assert "upload at most 50 in one go" in text_of(response.text)
    assert list((project / "inputs").iterdir()) == []
