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

from merge.web import uploads
from merge.web.uploads import Upload, UploadError, safe_name, save_uploads, tidy_name


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
        ("con.csv", "con_.csv"),  # names Windows keeps for devices
        ("LPT1.XLSX", "LPT1_.xlsx"),
        ("aux.stand.ods", "aux_.stand.ods"),
        ("console.csv", "console.csv"),
    ],
)
def test_an_upload_keeps_only_a_tidy_last_part_of_its_name(sent: str, saved: str) -> None:
    assert safe_name(sent) == saved


@pytest.mark.parametrize(
    ("sent", "why"),
    [
        ("liste.xlsx", ""),
        ("Liste.XLSX", ""),  # the extension's case is no new name
        ("../../a.csv", uploads.FOLDERS),
        ("C:\\Users\\Anna\\a.csv", uploads.FOLDERS),
        ("a\x00b.csv", uploads.INVISIBLE),
        ("a:b.csv", uploads.WINDOWS_CHARACTERS),
        (".a.csv", uploads.HIDDEN),
        ("~$a.xlsx", uploads.HIDDEN),
        ("con.csv", uploads.RESERVED),
        ("x" * 300 + ".xls", uploads.TOO_LONG),
    ],
)
def test_a_new_name_says_why(sent: str, why: str) -> None:
    assert tidy_name(sent)[1] == why


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


# --- what the check says of each upload --------------------------------------------------------


@pytest.fixture
def german(project: Path) -> Iterator[TestClient]:
    with signed_in(project, language="de") as client:
        yield client


def test_an_upload_already_in_inputs_is_said_to_be_not_saved_again(
    german: TestClient, project: Path
) -> None:
    content = csv_bytes(project)
    (project / "inputs" / "verein-stand-2.csv").write_bytes(content)
    check = raw_upload(german, "verein-stand.csv", content)
    text = text_of(german.get(check).text)
    assert (
        "Hochgeladen verein-stand.csv: gleicher Inhalt wie inputs/verein-stand-2.csv - nicht "
        "noch einmal gespeichert"
    ) in text
    assert "Nach inputs/ hochgeladen" not in text
    assert sorted(p.name for p in (project / "inputs").iterdir()) == ["verein-stand-2.csv"]


@pytest.mark.parametrize(
    ("sent", "said"),
    [
        ("con.csv", "con.csv: als inputs/con_.csv gespeichert - der Name ist unter Windows "
                    "nicht erlaubt"),
        ("../../a.csv", "../../a.csv: als inputs/a.csv gespeichert - ein Dateiname kann keine "
                        "Ordner enthalten"),
        ("Stand: Markt.csv", "Stand: Markt.csv: als inputs/Stand_ Markt.csv gespeichert - der "
                             "Name enthält Zeichen, die Windows in Dateinamen nicht erlaubt"),
        ("stand.csv", "stand.csv: in inputs/ gespeichert"),
        ("Stand.CSV", "Stand.CSV: als inputs/Stand.csv gespeichert"),
    ],
)  # fmt: skip
def test_an_upload_saved_under_another_name_says_why_in_one_line(
    german: TestClient, project: Path, sent: str, said: str
) -> None:
    text = text_of(german.get(raw_upload(german, sent, csv_bytes(project))).text)
    assert f"Hochgeladen {said}" in text


def test_a_corrected_list_under_a_taken_name_says_both_are_read(
    german: TestClient, project: Path
) -> None:
    write_csv(project / "inputs" / "verein-stand.csv", [HEADER, *signer_rows(2)])
    write_csv(project / "inputs" / "andere.csv", [HEADER, *signer_rows(1, start=7)])
    corrected = write_csv(project.parent / "neu.csv", [HEADER, *signer_rows(3)]).read_bytes()
    response = german.post(
        "/drafts",
        data={"campaign": "xuar", "file": ["verein-stand.csv", "andere.csv"]},
        files={"upload": ("verein-stand.csv", corrected)},
        follow_redirects=False,
    )
    check = response.headers["location"]
    page = german.get(check).text
    text = text_of(page)
    assert (
        "verein-stand.csv: als inputs/verein-stand-2.csv gespeichert - inputs/verein-stand.csv "
        "ist eine andere Datei und bleibt, wie sie ist"
    ) in text
    assert (
        "inputs/verein-stand.csv und die neue inputs/verein-stand-2.csv werden beide gelesen - "
        "nehmen Sie das Häkchen bei der alten Datei weg, wenn die neue sie ersetzt."
    ) in text
    number = check.split("/")[2]
    link = f'<a href="/?draft={number}&amp;only=new">'
    assert link + "Zurück: Dateien neu wählen, ohne Häkchen bei der alten Datei</a>" in page
    assert "verein-stand" not in link  # the address names the draft, never a file
    first = german.get(f"/?draft={number}&only=new").text
    assert 'value="verein-stand-2.csv" checked' in first and 'value="andere.csv" checked' in first
    assert 'value="verein-stand.csv">' in first  # the old one: not ticked
    assert 'value="verein-stand.csv" checked' in german.get(f"/?draft={number}").text


def test_two_uploads_of_one_name_in_one_go_are_not_old_and_new(
    german: TestClient, project: Path
) -> None:
    response = german.post(
        "/drafts",
        data={"campaign": "xuar"},
        files=[("upload", ("a.csv", csv_bytes(project))), ("upload", ("a.csv", b"Name\n"))],
        follow_redirects=False,
    )
    text = text_of(german.get(response.headers["location"]).text)
    assert "a.csv: als inputs/a-2.csv gespeichert" in text
    assert "werden beide gelesen" not in text
