"""The status page: every batch of the ledger by campaign, as ``petition-merge status`` has it."""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HEADER, batch_dirs, signer_rows, write_csv
from web_client import signed_in, text_of

from merge.cli import cli
from merge.track.ledger import BatchSummary, EnvelopeState
from merge.track.status import BatchStatus
from merge.web.status_chart import CHAR, Chart, campaign_chart


def run(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output


def test_no_ledger_yet_means_no_batches(project: Path) -> None:
    with signed_in(project, language="de") as client:
        text = text_of(client.get("/batches").text)
    assert "Noch keine Versände." in text
    assert not (project / "outputs").exists()  # looking writes nothing


def test_every_batch_shows_by_campaign_with_mailed_open_and_dates(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(12)])
    run("run", "--no-pdf", "--out", "outputs/erster")
    shutil.copy(project / "templates" / "xuar.toml", project / "templates" / "tibet.toml")
    run("run", "--no-pdf", "--campaign", "tibet", "--out", "outputs/zweiter")
    run("mark-mailed", "erster:1", "--by", "Anna")
    today = dt.date.today().isoformat()
    with signed_in(project) as client:
        page = client.get("/batches").text
    text = text_of(page)
    mailed = f"erster {today} 3 / 0 / 0 12 / 0 / 0 {today} (Anna) 2023-12-31 2023-12-10 0 -"
    assert f"Campaign xuar Batch Prepared on {HEADINGS} {mailed}" in text
    still_open = f"zweiter {today} 0 / 3 / 0 0 / 12 / 0 - 2023-12-31 2023-12-10 1 -"
    assert f"Campaign tibet Batch Prepared on {HEADINGS} {still_open}" in text
    assert text.index("Campaign xuar") < text.index("Campaign tibet")
    assert "Total signers: 12 mailed, 12 pending in 1 envelope." in text
    assert (
        "batch zweiter: 1 envelope is not mailed and its latest safe mailing date 2023-12-10 has "
        "passed - it will likely arrive after the deadline 2023-12-31"
    ) in text
    assert 'href="/batches/erster"' in page and 'href="/batches/zweiter"' in page
    assert page.count('class="late"') == 1


HEADINGS = (
    "Lists mailed / open / discarded Signers mailed / open / discarded Last mailed Deadline "
    "Mail by Late envelopes Purged Dispatch"
)


def test_the_days_left_count_from_the_servers_clock(project: Path) -> None:
    (project / "templates" / "xuar.toml").write_text(
        (project / "templates" / "xuar.toml")
        .read_text("utf-8")
        .replace("deadline = ", "deadline = 2099-01-31\n# was: "),
        encoding="utf-8",
    )
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(3)])
    run("run", "--no-pdf")
    with signed_in(project, today=lambda: dt.date(2099, 1, 20)) as client:
        late = text_of(client.get("/batches").text)
    with signed_in(project) as client:
        early = text_of(client.get("/batches").text)
    assert "will likely arrive after the deadline 2099-01-31" in late
    assert "will likely arrive" not in early


def test_a_lost_folder_is_said_as_status_says_it(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(3)])
    run("run", "--no-pdf")
    (folder,) = batch_dirs(project)
    shutil.rmtree(folder)
    with signed_in(project) as client:
        text = text_of(client.get("/batches").text)
    assert f"batch {folder.name}: its folder" in text and "is gone" in text


def test_a_broken_ledger_is_one_line(project: Path) -> None:
    (project / "outputs").mkdir()
    (project / "outputs" / "ledger.sqlite").write_bytes(b"not a database at all" * 100)
    with signed_in(project) as client:
        response = client.get("/batches")
    assert response.status_code == 200
    assert "error: " in text_of(response.text)


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_page_speaks_the_servers_language(project: Path, language: str) -> None:
    with signed_in(project, language=language) as client:
        page = client.get("/batches").text
    assert f'<html lang="{language}">' in page
    assert ("Übersicht" in page) == (language == "de")


# --- the chart of each campaign -----------------------------------------------------------------


def summary(
    name: str, prepared: dt.date, deadline: dt.date, *envelopes: tuple[str, int, dt.date | None]
) -> BatchSummary:
    """A batch of the ledger: envelopes as (state, signers, mailed on), 21 days in the post."""
    return BatchSummary(
        name, "xuar", prepared, deadline, 21, Path("outputs") / name, None,
        tuple(EnvelopeState(name, n, state, day, None, 1, signers)
              for n, (state, signers, day) in enumerate(envelopes, start=1)),
    )  # fmt: skip


DAY = dt.date(2026, 11, 27)


def x_of(chart: Chart, kind: str) -> float:
    (marker,) = [m for m in chart.markers if m.kind == kind]
    return float(marker.x)


def test_the_chart_rises_by_the_signers_mailed_on_each_day() -> None:
    batch = summary(
        "a", DAY, DAY + dt.timedelta(days=40),
        ("mailed", 10, DAY + dt.timedelta(days=1)), ("mailed", 5, DAY + dt.timedelta(days=3)),
        ("prepared", 15, None), ("discarded", 7, None),
    )  # fmt: skip
    today = DAY + dt.timedelta(days=5)
    chart = campaign_chart("xuar", [BatchStatus(batch, today)], today)
    assert chart is not None
    points = [tuple(map(float, p.split(","))) for p in chart.mailed.split()]
    heights = [float(chart.bottom) - y for _x, y in points]
    full = float(chart.bottom) - float(chart.total_y)  # all 30 to mail; the discarded are not
    assert heights == pytest.approx([0, 0, full / 3, full / 3, full / 2, full / 2])
    assert points[-1][0] == pytest.approx(x_of(chart, "today"))
    days = [x for x, _y in points]
    assert days == sorted(days)
    assert x_of(chart, "today") < x_of(chart, "safe") < x_of(chart, "deadline")
    assert chart.late is not None and float(chart.late[0]) == pytest.approx(x_of(chart, "safe"))
    assert chart.summary == (
        "15 of 30 signers mailed, 15 open. Mail by 2026-12-16: 14 days left. Deadline 2027-01-06."
    )
    assert chart.mailed_label.text == "15 mailed"
    assert chart.total is not None and chart.total.text == "all 30 signers"


def test_the_chart_says_when_the_day_to_mail_has_passed_or_is_today() -> None:
    batch = summary("a", DAY, DAY + dt.timedelta(days=30), ("prepared", 4, None))
    late = DAY + dt.timedelta(days=12)
    chart = campaign_chart("xuar", [BatchStatus(batch, late)], late)
    assert chart is not None
    assert "Mail by 2026-12-06: passed 3 days ago." in chart.summary
    assert x_of(chart, "today") > x_of(chart, "safe")
    on_the_day = DAY + dt.timedelta(days=9)
    chart = campaign_chart("xuar", [BatchStatus(batch, on_the_day)], on_the_day)
    assert chart is not None and "Mail by 2026-12-06: that is today." in chart.summary


def test_the_labels_above_the_chart_never_overlap() -> None:
    """Today and the day to mail by on one day, the deadline near: no label over another."""
    batch = summary("a", DAY, DAY + dt.timedelta(days=22), ("prepared", 4, None))
    today = DAY + dt.timedelta(days=1)
    chart = campaign_chart("xuar", [BatchStatus(batch, today)], today)
    assert chart is not None
    spans: dict[float, list[tuple[float, float]]] = {}
    for marker in chart.markers:
        label = marker.label
        width = CHAR * len(label.text)
        left = float(label.x) - (width if label.anchor == "end" else 0)
        assert left >= 0 and left + width <= chart.width
        assert 0 < float(label.y) < float(chart.top)
        spans.setdefault(float(label.y), []).append((left, left + width))
    assert len(spans) == 2  # today and the day to mail by: one line each
    for line in spans.values():
        line.sort()
        assert all(a[1] < b[0] for a, b in itertools.pairwise(line))


def test_nothing_to_mail_draws_no_chart() -> None:
    batch = summary("a", DAY, DAY + dt.timedelta(days=30), ("discarded", 4, None))
    assert campaign_chart("xuar", [BatchStatus(batch, DAY)], DAY) is None


def test_each_campaign_has_its_chart_in_words_too(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(12)])
    run("run", "--no-pdf", "--out", "outputs/erster")
    shutil.copy(project / "templates" / "xuar.toml", project / "templates" / "tibet.toml")
    run("run", "--no-pdf", "--campaign", "tibet", "--out", "outputs/zweiter")
    run("mark-mailed", "erster:1")
    with signed_in(project, language="de") as client:
        page = client.get("/batches").text
    assert page.count('<svg viewBox="0 0 640 ') == 2
    for n in (1, 2):  # each its own name and description
        assert page.count(f'role="img" aria-labelledby="chart-{n}-title chart-{n}-desc"') == 1
    (xuar, tibet) = page.split("<h2>Kampagne ")[1:]
    assert '<title id="chart-1-title">Verschickte Unterzeichnende, Kampagne xuar</title>' in xuar
    said = "12 von 12 Unterzeichnenden verschickt, 0 offen. Einsendeschluss 31.12.2023."
    assert said in text_of(xuar)
    assert ">alle 12 verschickt</text>" in xuar
    assert ">0 verschickt</text>" in tibet and ">alle 12 Unterzeichnenden</text>" in tibet
    today = dt.date.today().strftime("%d.%m.%Y")
    assert f">heute, {today}</text>" in tibet
    assert ">spätestens versenden am 10.12.2023</text>" in tibet
    assert ">Einsendeschluss 31.12.2023</text>" in tibet
    assert "seit" in text_of(tibet) and "Tagen vorbei" in text_of(tibet)
    assert "style=" not in page
