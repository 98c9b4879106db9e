"""A job runs the work in a thread of its own; its progress follows the reports; an error is
one line, a bug logs only its type."""

from __future__ import annotations

import logging
import threading

import pytest

from merge import i18n
from merge.errors import InputError
from merge.pipeline import RunResult
from merge.reporter import Report, Reporter
from merge.web.jobs import Jobs


def test_progress_follows_the_steps_and_the_progress_reports() -> None:
    go_on = threading.Event()
    seen: list[float] = []
    jobs = Jobs()

    def fraction() -> float:
        running = jobs.get(1)  # the job is known by its number before its thread starts
        assert running is not None
        return running.progress().fraction

    def work(report: Reporter) -> RunResult:
        for text in ("reading", "labels", "lists"):
            report(Report.step(text))
            seen.append(fraction())
        report(Report.step("pdf"))
        report(Report.progress(50, 100, "PDF pages"))
        seen.append(fraction())
        report(Report.warning("weigh one envelope"))
        report(Report.note("header in row 3"))
        go_on.wait(10)
        raise InputError("inputs/a.csv: no signers found")

    job = jobs.start(draft=3, work=work, expected_steps=4)
    for _round in range(200):
        if len(seen) == 4:
            break
        threading.Event().wait(0.01)
    assert seen == [0.0, 0.25, 0.5, 0.875]
    assert job.progress().step == "pdf"
    assert [j.number for j in jobs.running()] == [job.number]
    go_on.set()
    assert job.wait(10)
    done = job.progress()
    assert done.finished and done.fraction == 1.0
    assert done.error == "error: inputs/a.csv: no signers found"
    assert done.warnings == ("weigh one envelope",) and done.notes == ("header in row 3",)
    assert done.draft == 3 and done.result is None
    assert jobs.running() == []


def test_jobs_are_numbered_and_found_by_number() -> None:
    jobs = Jobs()
    first = jobs.start(1, lambda report: None, 3)  # type: ignore[arg-type, return-value]
    second = jobs.start(1, lambda report: None, 3)  # type: ignore[arg-type, return-value]
    jobs.wait_all()
    assert (first.number, second.number) == (1, 2)
    assert jobs.get(2) is second and jobs.get(3) is None


def test_a_bug_in_the_work_is_one_line_and_logs_only_its_type(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def work(report: Reporter) -> RunResult:
        raise KeyError("Testperson-3, Erika")

    with caplog.at_level(logging.DEBUG):
        job = Jobs().start(1, work, 3)
        job.wait(10)
    assert job.progress().error.startswith("internal error: KeyError - this is a bug")
    assert "Testperson" not in job.progress().error
    logged = [record.getMessage() for record in caplog.records]
    assert logged == ["internal error KeyError in job 1"]


def test_the_job_speaks_the_language_of_the_request_that_started_it() -> None:
    i18n.activate("de")
    try:
        job = Jobs().start(1, lambda report: None, 3)  # type: ignore[arg-type, return-value]
        assert job.progress().step in ("wird gestartet", "fertig")
        job.wait(10)
        assert job.progress().step == "fertig"
    finally:
        i18n.activate("en")
