"""--ledger: a path, or a postgresql:// URL that never carries (or shows) a password."""

import os
from pathlib import Path

import pytest
from conftest import TEST_SECRET, invoke

from merge.errors import LedgerError, UsageError
from merge.track.keys import SECRET_FILE_VARIABLE, SECRET_VARIABLE, organisation_secret
from merge.track.ledger import open_ledger
from merge.track.where import LedgerLocation, ledger_location, parse_ledger

PASSWORD = "Geheim-4711"  # invented


def test_a_path_stays_a_path_relative_to_the_working_folder(tmp_path: Path) -> None:
    assert ledger_location(None, tmp_path) == LedgerLocation.file(
        tmp_path / "outputs" / "ledger.sqlite"
    )
    assert ledger_location("shared/l.sqlite", tmp_path).path == tmp_path / "shared" / "l.sqlite"
    assert ledger_location(Path("/abs/l.sqlite"), tmp_path).path == Path("/abs/l.sqlite")
    assert ledger_location("C:\\ledger.sqlite", tmp_path).path is not None  # no scheme://


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_url_is_shown_masked(scheme: str) -> None:
    found = parse_ledger(f"{scheme}://anna@db.example.org:5433/petition?sslmode=require")
    assert isinstance(found, LedgerLocation) and found.shared
    assert str(found) == "postgresql://anna@db.example.org:5433/petition"
    assert str(parse_ledger("postgresql:///petition?service=buero")) == (
        "postgresql:///petition?service=buero"
    )


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://anna:{PASSWORD}@db.example.org/petition",
        f"postgres://db.example.org/petition?password={PASSWORD}",
    ],
)
def test_a_url_with_a_password_is_refused_without_showing_it(url: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_ledger(url)
    message = str(info.value)
    assert PASSWORD not in message
    assert "~/.pgpass" in message and "PGPASSWORD" in message and "PGSERVICE" in message


def test_an_unreadable_url_is_refused_without_repeating_it() -> None:
    # libpq's own complaint would quote the password part ("unexpected spaces found in ...").
    with pytest.raises(UsageError) as info:
        parse_ledger(f"postgresql://anna:{PASSWORD} x@db.example.org/petition")
    assert PASSWORD not in str(info.value)
    assert "postgresql://user@host:port/database" in str(info.value)


@pytest.mark.parametrize("url", ["mysql://db/petition", "https://example.org/ledger"])
def test_another_scheme_is_refused_in_one_line(url: str, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is not a ledger petition-merge can use"):
        parse_ledger(url)


@pytest.mark.parametrize("command", [["status"], ["run", "--dry-run"], ["discard", "b"]])
def test_the_cli_never_prints_a_password_given_in_the_url(
    project: Path, command: list[str]
) -> None:
    url = f"postgresql://anna:{PASSWORD}@127.0.0.1:1/petition"
    result = invoke(*command, "--ledger", url)
    assert result.exit_code == 2
    assert PASSWORD not in result.output
    assert result.stderr.startswith("error: --ledger: the URL holds a password")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (project / "postgresql:").exists()  # once a folder of that name appeared


def test_an_unknown_scheme_from_the_cli_is_one_line(project: Path) -> None:
    result = invoke("status", "--ledger", "sqlite://outputs/ledger.sqlite")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: --ledger: 'sqlite://' is not a ledger petition-merge can use - give a file "
        "path or a postgresql:// URL"
    )


def test_a_shared_ledger_without_the_secret_is_refused_before_connecting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    monkeypatch.delenv(SECRET_FILE_VARIABLE, raising=False)
    where = ledger_location("postgresql://anna@127.0.0.1:1/petition", Path.cwd())
    with pytest.raises(LedgerError) as info:
        open_ledger(where)
    message = str(info.value)
    assert message.startswith(
        "postgresql://anna@127.0.0.1:1/petition: a shared ledger needs the organisation's secret"
    )
    assert "secrets.token_hex(32)" in message and "\n" not in message


def test_a_short_secret_or_an_unreadable_secret_file_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    where = ledger_location("postgresql://anna@127.0.0.1:1/petition", Path.cwd())
    monkeypatch.setenv(SECRET_VARIABLE, "kurz")
    with pytest.raises(LedgerError, match=r"too short \(4 characters, at least 32\)"):
        open_ledger(where)
    monkeypatch.delenv(SECRET_VARIABLE)
    monkeypatch.setenv(SECRET_FILE_VARIABLE, str(tmp_path / "missing"))
    with pytest.raises(LedgerError, match="cannot read the ledger secret from"):
        open_ledger(where)


def test_the_refusals_of_a_url_are_in_german(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    result = invoke("status", "--ledger", f"postgresql://anna:{PASSWORD}@db.example.org/petition")
    assert result.exit_code == 2 and PASSWORD not in result.output
    assert result.stderr.strip() == (
        "Fehler: --ledger: die Adresse enthält ein Passwort - nehmen Sie es heraus und legen Sie "
        "es in ~/.pgpass ab (oder in der Datei, die PGPASSFILE nennt), in PGPASSWORD oder in "
        "einem Dienst (PGSERVICE)"
    )


KEY_VALUE = f"host=127.0.0.1 port=5432 dbname=petition user=x password={PASSWORD}"
REFUSED = (
    "error: --ledger: this is a PostgreSQL connection string (key=value), which petition-merge "
    "does not take - write postgresql://user@host:port/database, and keep the password in "
    "~/.pgpass"
)


@pytest.mark.parametrize(
    "given", [KEY_VALUE, "dbname=petition", "  Host = db.example.org", f"password={PASSWORD}"]
)
def test_a_libpq_connection_string_is_refused_without_repeating_it(given: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_ledger(given)
    assert PASSWORD not in str(info.value) and "db.example.org" not in str(info.value)
    assert "postgresql://user@host:port/database" in str(info.value)


@pytest.mark.parametrize("given", ["outputs/user=anna.sqlite", "ledger-host.sqlite", "a=b"])
def test_a_path_with_an_equals_sign_stays_a_path(given: str) -> None:
    assert isinstance(parse_ledger(given), Path)


@pytest.mark.parametrize(
    "command",
    [
        ["run", "--no-pdf"],
        ["status"],
        ["discard", "x-1"],
        ["mark-mailed", "x-1"],
        ["purge", "--yes"],
        ["serve", "--no-browser"],
    ],
)
def test_a_connection_string_is_refused_by_every_command_and_makes_no_file(
    project: Path, signers_csv: Path, command: list[str]
) -> None:
    result = invoke(*command, "--ledger", KEY_VALUE)
    assert result.exit_code == 2
    assert result.stderr.strip() == REFUSED
    assert PASSWORD not in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in project.iterdir()) == ["inputs", "templates"]


def test_migrate_refuses_a_connection_string_as_from_or_to(project: Path) -> None:
    result = invoke("ledger", "migrate", "outputs/ledger.sqlite", KEY_VALUE)
    assert result.exit_code == 2
    assert result.stderr.strip() == REFUSED.replace("--ledger", "TO")
    assert PASSWORD not in result.output


def test_a_connection_string_is_refused_in_german(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    result = invoke("status", "--ledger", KEY_VALUE)
    assert result.stderr.strip() == (
        "Fehler: --ledger: das ist eine PostgreSQL-Verbindungszeichenkette (Schlüssel=Wert), "
        "die petition-merge nicht annimmt - schreiben Sie postgresql://benutzer@server:port/"
        "datenbank und legen Sie das Passwort in ~/.pgpass ab"
    )


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_secret_file_others_may_read_is_refused_as_ssh_refuses_a_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mode: int
) -> None:
    secret = tmp_path / "ledger-secret"
    secret.write_text(TEST_SECRET + "\n")
    secret.chmod(mode)
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    monkeypatch.setenv(SECRET_FILE_VARIABLE, str(secret))
    with pytest.raises(LedgerError) as info:
        organisation_secret("postgresql://anna@db.example.org/petition")
    assert str(info.value) == (
        f"postgresql://anna@db.example.org/petition: the ledger secret file {secret} is open to "
        f"other users (mode {mode:03o}) - make it readable by you only: chmod 600 {secret}"
    )
    assert TEST_SECRET not in str(info.value)
    secret.chmod(0o600)
    assert organisation_secret("x") == TEST_SECRET.encode()
    secret.chmod(0o400)
    assert organisation_secret("x") == TEST_SECRET.encode()


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX's")
def test_a_world_readable_secret_file_stops_a_command_in_one_german_line(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "ledger-secret"
    secret.write_text(TEST_SECRET)
    secret.chmod(0o644)
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    monkeypatch.setenv(SECRET_FILE_VARIABLE, str(secret))
    monkeypatch.setenv("PETITION_MERGE_LANG", "de")
    result = invoke("status", "--ledger", "postgresql://anna@127.0.0.1:1/petition")
    assert result.exit_code == 7
    assert result.stderr.strip() == (
        f"Fehler: postgresql://anna@127.0.0.1:1/petition: die Datei {secret} mit dem Geheimnis "
        "des Versandbuchs ist für andere Benutzer offen (Modus 644) - machen Sie sie nur für "
        f"sich lesbar: chmod 600 {secret}"
    )
