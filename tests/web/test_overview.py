"""The status page: every batch of the ledger by campaign, as ``petition-merge status`` has it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import (
    HEADER,
    batch_dirs,
    batch_record,
    ledger_sql,
    record_batches,
    signer_rows,
    write_csv,
)
from web_client import make_batch, new_draft, signed_in, text_of

from merge.cli import cli
from merge.track.ledger import BatchSummary, EnvelopeState
from merge.track.status import BatchStatus
from merge.track.where import LedgerLocation
from merge.web.status_chart import CHAR, Chart, campaign_chart, text_box


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
    assert chart.mailed_label is not None and chart.mailed_label.text == "15 mailed"
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


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


# Batches as the status page may have them: (batches, today).
SHAPES = {
    "deadline long past, nothing mailed": (
        [summary("a", DAY, dt.date(2023, 12, 31), ("prepared", 45, None))], DAY),
    "deadline long past, all mailed": (
        [summary("a", DAY, dt.date(2023, 12, 31), ("mailed", 45, DAY))], DAY),
    "half mailed, time left": (
        [summary("a", DAY - days(5), DAY + days(40), ("mailed", 20, DAY - days(3)),
                 ("prepared", 25, None))], DAY),
    "late, nothing mailed": (
        [summary("a", DAY - days(30), DAY + days(5), ("prepared", 45, None))], DAY),
    "late, nearly all mailed yesterday": (
        [summary("a", DAY - days(30), DAY + days(5), ("mailed", 44, DAY - days(1)),
                 ("prepared", 1, None))], DAY),
    "made today, nothing mailed": (
        [summary("a", DAY, DAY + days(60), ("prepared", 45, None))], DAY),
    "nearly all mailed the day it was made": (
        [summary("a", DAY - days(2), DAY + days(60), ("mailed", 44, DAY - days(1)),
                 ("prepared", 1, None))], DAY),
    "all mailed today, made today": (
        [summary("a", DAY, DAY + days(30), ("mailed", 3, DAY))], DAY),
    "six-figure counts": (
        [summary("a", DAY - days(2), DAY + days(30), ("mailed", 120000, DAY - days(1)),
                 ("prepared", 99999, None))], DAY),
    "mailed after the deadline": (
        [summary("a", DAY - days(40), DAY - days(20), ("mailed", 5, DAY - days(3)),
                 ("prepared", 40, None))], DAY),
    "two batches, two deadlines": (
        [summary("a", DAY - days(10), DAY + days(30), ("mailed", 10, DAY - days(8)),
                 ("prepared", 5, None)),
         summary("b", DAY - days(3), DAY + days(24), ("prepared", 30, None))], DAY),
}  # fmt: skip


def meet(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("shape", SHAPES)
def test_no_label_of_the_chart_covers_another_or_runs_across_a_line(shape: str) -> None:
    batches, today = SHAPES[shape]
    chart = campaign_chart("xuar", [BatchStatus(b, today) for b in batches], today)
    assert chart is not None
    labels = chart.labels()
    assert chart.mailed_label in labels and chart.late_label in labels  # none left out
    assert chart.total in labels or chart.mailed_label.text.startswith("all")
    boxes = [text_box(label) for label in labels]
    for x0, y0, x1, y1 in boxes:  # in the picture
        assert x0 >= 0 and x1 <= chart.width and y0 >= 0 and y1 <= chart.height
    for (a, box_a), (b, box_b) in itertools.combinations(zip(labels, boxes, strict=True), 2):
        assert not meet(box_a, box_b), (a.text, b.text)
    left, top, right, bottom = map(float, (chart.left, chart.top, chart.right, chart.bottom))
    inside = [t for t in (chart.mailed_label, chart.total, chart.late_label) if t is not None]
    for label in inside:  # in the plot, clear of every upright line
        box = text_box(label)
        assert left < box[0] and box[2] < right and top < box[1] and box[3] < bottom
        for marker in chart.markers:
            assert not box[0] <= float(marker.x) <= box[2], (label.text, marker.kind)


def test_the_mailed_label_keeps_clear_of_the_late_label_in_the_corner() -> None:
    """The reviewer's chart: the deadline long past, the batch made today, nothing mailed."""
    batches, today = SHAPES["deadline long past, nothing mailed"]
    chart = campaign_chart("xuar", [BatchStatus(b, today) for b in batches], today)
    assert chart is not None and chart.mailed_label is not None
    assert chart.late_label is not None and chart.total is not None
    assert chart.mailed_label.text == "0 mailed" and chart.late_label.text == "late"
    assert not meet(text_box(chart.mailed_label), text_box(chart.late_label))
    deadline = x_of(chart, "deadline")
    total = text_box(chart.total)
    assert not total[0] <= deadline <= total[2]  # "all 45 signers" beside the deadline's line


def test_the_chart_names_its_axes(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(12)])
    run("run", "--no-pdf")
    with signed_in(project, language="de") as client:
        page = client.get("/batches").text
    assert ">Unterzeichnende</text>" in page and ">Datum</text>" in page
    (upright,) = [line for line in page.splitlines() if ">Unterzeichnende</text>" in line]
    assert 'transform="rotate(-90 ' in upright and "style=" not in upright


def test_a_fully_discarded_batch_offers_no_dispatch_link(project: Path) -> None:
    write_csv(project / "inputs" / "a.csv", [HEADER, *signer_rows(12)])
    run("run", "--no-pdf", "--out", "outputs/erster")
    write_csv(project / "inputs" / "b.csv", [HEADER, *signer_rows(6, start=100)])
    run("run", "--no-pdf", "--out", "outputs/zweiter")
    run("discard", "erster")
    with signed_in(project, language="de") as client:
        page = client.get("/batches").text
        downloads = client.get("/batches/erster").text
        dispatch = client.get("/batches/erster/dispatch")
    (gone,) = [row for row in page.split("<tr") if 'href="/batches/erster"' in row]
    assert 'href="/batches/erster/dispatch"' not in gone
    assert '<td class="discarded-batch">Verworfen</td>' in gone
    assert 'href="/batches/zweiter/dispatch">Verschicken</a>' in page  # the other one still
    assert 'href="/batches/erster/dispatch"' in downloads  # its page stays reachable
    assert dispatch.status_code == 200


@pytest.mark.postgres
def test_on_a_shared_ledger_the_page_is_its_groups_and_warns_of_its_lost_folders_only(
    example: Path, postgres_ledger: LedgerLocation
) -> None:
    other = batch_record("a-1", example / "gone", 5, [1], keys="a")
    record_batches(
        postgres_ledger,
        other._replace(batch=dataclasses.replace(other.batch, group="gruppe-a")),
    )
    with signed_in(example, ledger=postgres_ledger, group="gruppe-b") as client:
        done = make_batch(client, new_draft(client))
        assert done["finished"], done
        text = text_of(client.get("/batches").text)
    assert "a-1" in text and "its folder" not in text  # gruppe-a's, on gruppe-a's laptop
    groups = ledger_sql(postgres_ledger, "SELECT name, group_name FROM batches ORDER BY name")
    assert [group for _name, group in groups] == ["gruppe-b", "gruppe-a"]  # 2026-... < a-1
    ledger_sql(postgres_ledger, "UPDATE batches SET group_name = 'gruppe-b'")
    with signed_in(example, ledger=postgres_ledger, group="gruppe-b") as client:
        text = text_of(client.get("/batches").text)
    assert "batch a-1: its folder" in text  # now its own group's, made on this computer


def test_the_page_lists_the_batches_of_a_day_by_number(project: Path) -> None:
    outputs = project / "outputs"
    record_batches(
        outputs / "ledger.sqlite",
        *(
            batch_record(f"2026-12-02-{n}", outputs, 5, [1], "2026-12-02", keys=f"k{n}-")
            for n in (11, 2, 10, 1)
        ),
    )
    with signed_in(project) as client:
        text = text_of(client.get("/batches").text)
    warnings, table = text.split("Campaign xuar")
    for part in (warnings, table):  # the lost folders too (none of them was made here)
        found = [part.index(f"2026-12-02-{n} ") for n in (1, 2, 10, 11)]
        assert found == sorted(found)
