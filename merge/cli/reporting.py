"""The CLI's reporter: warnings and notes on stderr, steps and a progress bar on a terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from merge.cli.console import note, plain, warning
from merge.reporter import Kind, Report, Reporter


@contextmanager
def console_reporter(err: Console) -> Iterator[Reporter]:
    """Yield a reporter that prints to ``err``; a progress bar appears once progress starts."""
    bar: Progress | None = None
    task: TaskID | None = None

    def report(item: Report) -> None:
        nonlocal bar, task
        if item.kind is Kind.WARNING:
            err.print(warning(item.text))
        elif item.kind is Kind.NOTE:
            err.print(note(item.text))
        elif not err.is_terminal:
            return  # steps and progress are for a person watching, not for a log file
        elif item.kind is Kind.STEP:
            err.print(f"[dim]{plain(item.text)} ...[/]")
        elif item.kind is Kind.PROGRESS:
            if bar is None:
                bar = Progress(
                    TextColumn(plain(item.text)), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=err, transient=True,
                )  # fmt: skip
                bar.start()
                task = bar.add_task(item.text, total=item.total)
            assert task is not None
            bar.update(task, completed=item.done, total=item.total)

    try:
        yield report
    finally:
        if bar is not None:
            bar.stop()
