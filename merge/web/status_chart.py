"""The status page's chart of a campaign: signers mailed over time against the time left.

One picture per campaign, drawn on the server as SVG (no chart library, no script): the
signers mailed so far as a rising line by mailing day, the line of all signers to mail
above it, and upright lines for today, the latest safe mailing day ("Mail by") and the
campaign's deadline; mailing after the latest safe day is shaded as late. Every place is an
SVG attribute (the Content-Security-Policy blocks style attributes); the look is page.css's.
The same facts stand in words in :attr:`Chart.summary` (the picture's description) and in
the table beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from merge.i18n import _, ngettext
from merge.i18n.conventions import format_date
from merge.track.status import BatchStatus

WIDTH = 640
LEFT, RIGHT = 56, 24  # room for the signers' numbers on the left
PLOT_HEIGHT = 120
ROW = 16  # one line of the labels above the plot
CHAR = 6.8  # the width of a character of the labels (12 px Liberation Sans, generously)


@dataclass(frozen=True)
class Text:
    """A label of the chart: where it stands and which way it runs from there."""

    x: str
    y: str
    text: str
    anchor: str = "start"  # SVG text-anchor: start, middle or end


@dataclass(frozen=True)
class Marker:
    """An upright line at a day: today, the latest safe mailing day or the deadline."""

    kind: str  # "today", "safe", "deadline": its class in page.css
    x: str
    label: Text


@dataclass(frozen=True)
class Chart:
    """What the template draws, every number already an SVG attribute."""

    width: int
    height: int
    title: str
    summary: str  # the picture in words
    left: str
    top: str
    right: str
    bottom: str
    mailed: str  # the polyline of signers mailed by day
    area: str  # the polygon under it
    total_y: str
    total: Text | None  # the line of all signers, unless the mailed line says "all"
    mailed_label: Text
    ticks: tuple[Text, ...]  # days below the plot, numbers of signers beside it
    markers: tuple[Marker, ...]
    late: tuple[str, str, str, str] | None  # x, y, width, height of the late part
    late_label: Text | None


def campaign_chart(campaign: str, rows: Sequence[BatchStatus], today: dt.date) -> Chart | None:
    """Return the chart of a campaign's batches (None: nothing left to mail or mailed)."""
    batches = [row.batch for row in rows]
    mailed = sum(b.count("mailed", "signers") for b in batches)
    pending = sum(b.count("prepared", "signers") for b in batches)
    total = mailed + pending
    if not total:
        return None
    by_day: dict[dt.date, int] = {}
    for b in batches:
        for e in b.envelopes:
            if e.state == "mailed" and e.mailed_on is not None:
                by_day[e.mailed_on] = by_day.get(e.mailed_on, 0) + e.signers
    safe_days = sorted({b.latest_safe_mailing for b in batches})
    deadlines = sorted({b.deadline for b in batches})
    first = min(b.prepared_on for b in batches)
    days = [first, today, *by_day, *safe_days, *deadlines]
    start, end = min(days), max(days)
    span = max((end - start).days, 1)
    plot_w = WIDTH - LEFT - RIGHT

    def x(day: dt.date) -> float:
        return LEFT + (day - start).days / span * plot_w

    wanted = [("today", today, _("today, {date}"))]
    wanted += [("safe", day, _("mail by {date}")) for day in safe_days]
    wanted += [("deadline", day, _("deadline {date}")) for day in deadlines]
    labels, rows_used = _place_labels(
        [(x(day), text.format(date=format_date(day))) for _k, day, text in wanted]
    )
    top = 8 + ROW * rows_used + 6
    bottom = top + PLOT_HEIGHT

    def y(signers: int) -> float:
        return bottom - signers / total * PLOT_HEIGHT

    points = [(x(first), y(0))]
    count = 0
    for day in sorted(by_day):
        points.append((x(day), y(count)))
        count += by_day[day]
        points.append((x(day), y(count)))
    points.append((x(max(today, *by_day) if by_day else today), y(count)))
    end_x, end_y = points[-1]
    if count == total:
        said = _("all {n} mailed").format(n=total)
    else:
        said = ngettext("{n} mailed", "{n} mailed", count).format(n=count)
    below = count * 2 > total  # high up: under the line, clear of the labels above
    mailed_label = Text(
        _n(end_x + 4 if end_x < WIDTH / 2 else end_x - 4),
        _n(end_y + 15 if below else end_y - 6),
        said,
        "start" if end_x < WIDTH / 2 else "end",
    )
    total_label = None
    if count < total:
        total_label = Text(
            _n(LEFT + 4 if end_x >= WIDTH / 2 else WIDTH - RIGHT - 4),
            _n(y(total) + 15),
            _("all {n} signers").format(n=total),
            "start" if end_x >= WIDTH / 2 else "end",
        )
    line = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
    area = f"{line} {_n(points[-1][0])},{_n(bottom)} {_n(points[0][0])},{_n(bottom)}"

    markers = tuple(
        Marker(kind, _n(x(day)), Text(_n(lx), _n(ly), text, anchor))
        for (kind, day, _t), (lx, ly, text, anchor) in zip(wanted, labels, strict=True)
    )
    ticks = (
        Text(_n(LEFT), _n(bottom + 16), format_date(start)),
        Text(_n(WIDTH - RIGHT), _n(bottom + 16), format_date(end), "end"),
        Text(_n(LEFT - 6), _n(bottom + 4), "0", "end"),
        Text(_n(LEFT - 6), _n(y(total) + 4), str(total), "end"),
    )
    late_x = x(safe_days[0])
    late = None
    late_label = None
    if late_x < WIDTH - RIGHT:
        late = (_n(late_x), _n(top), _n(WIDTH - RIGHT - late_x), _n(PLOT_HEIGHT))
        if WIDTH - RIGHT - late_x > 60:
            late_label = Text(_n(WIDTH - RIGHT - 4), _n(bottom - 6), _("late"), "end")
    return Chart(
        width=WIDTH,
        height=bottom + 24,
        title=_("Signers mailed, campaign {campaign}").format(campaign=campaign),
        summary=_summary(mailed, pending, safe_days[0], deadlines[-1], today),
        left=_n(LEFT),
        top=_n(top),
        right=_n(WIDTH - RIGHT),
        bottom=_n(bottom),
        mailed=line,
        area=area,
        total_y=_n(y(total)),
        total=total_label,
        mailed_label=mailed_label,
        ticks=ticks,
        markers=markers,
        late=late,
        late_label=late_label,
    )


def _place_labels(
    wanted: Sequence[tuple[float, str]],
) -> tuple[list[tuple[float, float, str, str]], int]:
    """Put each marker's label in the first line above the plot where it overlaps no other.

    Return (x, y, text, anchor) per label, in the order given, and the lines used.
    """
    ends: list[float] = []  # per line, where its last label ends
    placed: dict[int, tuple[float, float, str, str]] = {}
    for index in sorted(range(len(wanted)), key=lambda i: wanted[i][0]):
        at, text = wanted[index]
        width = CHAR * len(text)
        anchor = "end" if at + width > WIDTH - 4 else "start"
        left = at - width if anchor == "end" else at
        line = next((n for n, end in enumerate(ends) if end + 8 < left), len(ends))
        if line == len(ends):
            ends.append(0.0)
        ends[line] = left + width
        placed[index] = (at + (2 if anchor == "start" else -2), 8 + ROW * line + 12, text, anchor)
    return [placed[i] for i in range(len(wanted))], max(len(ends), 1)


def _summary(mailed: int, pending: int, safe: dt.date, deadline: dt.date, today: dt.date) -> str:
    """Say the chart in words: how many are mailed and open, and the time left to mail."""
    total = mailed + pending
    counts = ngettext(
        "{mailed} of {total} signer mailed, {pending} open.",
        "{mailed} of {total} signers mailed, {pending} open.",
        total,
    ).format(mailed=mailed, total=total, pending=pending)
    deadline_text = _("Deadline {date}.").format(date=format_date(deadline))
    if not pending:  # nothing left to mail: no time left to count
        return f"{counts} {deadline_text}"
    left = (safe - today).days
    date = format_date(safe)
    if left > 0:
        time = ngettext(
            "Mail by {date}: {n} day left.", "Mail by {date}: {n} days left.", left
        ).format(date=date, n=left)
    elif left == 0:
        time = _("Mail by {date}: that is today.").format(date=date)
    else:
        time = ngettext(
            "Mail by {date}: passed {n} day ago.", "Mail by {date}: passed {n} days ago.", -left
        ).format(date=date, n=-left)
    return f"{counts} {time} {deadline_text}"


def _n(value: float) -> str:
    """Write a coordinate for an SVG attribute: 56, 127.5 (a dot, never a comma)."""
    return f"{value:.1f}".removesuffix(".0")
