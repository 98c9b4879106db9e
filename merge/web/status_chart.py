"""The status page's chart of a campaign: signers mailed over time against the time left.

One picture per campaign, drawn on the server as SVG (no chart library, no script): the
signers mailed so far as a rising line by mailing day, the line of all signers to mail
above it, and upright lines for today, the latest safe mailing day ("Mail by") and the
campaign's deadline; mailing after the latest safe day is shaded as late. Every place is an
SVG attribute (the Content-Security-Policy blocks style attributes); the look is page.css's.
The same facts stand in words in :attr:`Chart.summary` (the picture's description) and in
the table beside it.

No label may cover another, or run across an upright line or the line of signers mailed:
each is given in the first of its candidate places where its box (estimated from the
text's length, :func:`text_box`) meets nothing placed before it, or left out (the summary
still says it). The labels inside the plot go in order of importance: signers mailed, all
signers, "late".
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from merge.i18n import _, ngettext
from merge.i18n.conventions import format_date
from merge.track.status import BatchStatus

WIDTH = 640
LEFT, RIGHT = 68, 24  # room on the left for the signers' numbers and the axis's title
PLOT_HEIGHT = 120
ROW = 16  # one line of the labels above the plot
CHAR = 6.8  # the width of a character of the labels (12 px Liberation Sans, generously)
ASCENT, DESCENT = 11, 3  # a label's box above and below its baseline (12 px, as getBBox has it)
GAP = 5  # between a label and the line or point it stands beside
LINE = 14  # one line of labels inside the plot

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True)
class Text:
    """A label of the chart: where it stands and which way it runs from there."""

    x: str
    y: str
    text: str
    anchor: str = "start"  # SVG text-anchor: start, middle or end
    upright: bool = False  # turned a quarter to the left about (x, y): runs upwards


def text_box(label: Text) -> Box:
    """Return where a label's text is, estimated from its length (CHAR per character)."""
    width = CHAR * len(label.text)
    x, y = float(label.x), float(label.y)
    start = {"start": 0.0, "middle": width / 2, "end": width}[label.anchor]
    if label.upright:  # the text runs up from (x, y), its letters' tops to the left
        return (x - ASCENT, y - width + start, x + DESCENT, y + start)
    return (x - start, y - ASCENT, x - start + width, y + DESCENT)


def _meets(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: Box, frame: Box) -> bool:
    return frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]


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
    mailed_label: Text | None  # None: no room for it (the summary says it)
    ticks: tuple[Text, ...]  # days below the plot, numbers of signers beside it
    markers: tuple[Marker, ...]
    late: tuple[str, str, str, str] | None  # x, y, width, height of the late part
    late_label: Text | None
    axis_titles: tuple[Text, ...] = ()  # "Signers" up the left, "Date" below

    def labels(self) -> tuple[Text, ...]:
        """Every text of the picture."""
        inside = (self.mailed_label, self.total, self.late_label)
        return (
            *(m.label for m in self.markers),
            *(t for t in inside if t is not None),
            *self.ticks,
            *self.axis_titles,
        )


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
    end_x = points[-1][0]
    if count == total:
        said = _("all {n} mailed").format(n=total)
    else:
        said = ngettext("{n} mailed", "{n} mailed", count).format(n=count)
    line = " ".join(f"{_n(px)},{_n(py)}" for px, py in points)
    area = f"{line} {_n(points[-1][0])},{_n(bottom)} {_n(points[0][0])},{_n(bottom)}"
    right = WIDTH - RIGHT

    markers = tuple(
        Marker(kind, _n(x(day)), Text(_n(lx), _n(ly), text, anchor))
        for (kind, day, _t), (lx, ly, text, anchor) in zip(wanted, labels, strict=True)
    )
    room = _Room((LEFT, top, right, bottom), sorted({float(m.x) for m in markers}), points)
    mailed_label = room.place(
        said,
        [
            *_beside_end(points, high_up=count * 2 > total),
            *room.beside_uprights(LEFT, right, room.rows_up, start_first=end_x < WIDTH / 2),
        ],
    )
    total_label = None
    if count < total:  # under the line of all signers, where the mailed line leaves room
        total_label = room.place(
            _("all {n} signers").format(n=total),
            room.beside_uprights(LEFT, right, room.rows_down[:2], start_first=end_x >= WIDTH / 2),
        )
    late_x = x(safe_days[0])
    late = None
    late_label = None
    if late_x < right:
        late = (_n(late_x), _n(top), _n(right - late_x), _n(PLOT_HEIGHT))
        late_label = room.place(
            _("late"), room.beside_uprights(late_x, right, room.rows_up, start_first=False)
        )
    ticks = (
        Text(_n(LEFT), _n(bottom + 16), format_date(start)),
        Text(_n(right), _n(bottom + 16), format_date(end), "end"),
        Text(_n(LEFT - 6), _n(bottom + 4), "0", "end"),
        Text(_n(LEFT - 6), _n(y(total) + 4), str(total), "end"),
    )
    numbers_left = min(text_box(t)[0] for t in ticks[2:])
    axis_titles = (
        Text(_n(numbers_left - GAP - DESCENT), _n((top + bottom) / 2), _("signers"), "middle",
             upright=True),
        Text(_n(LEFT + (right - LEFT) / 2), _n(bottom + 16), _("date"), "middle"),
    )  # fmt: skip
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
        axis_titles=axis_titles,
    )


Spot = tuple[float, float, str]  # where a label may go: x, baseline, text-anchor


class _Room:
    """The plot's room for labels: what the upright lines, the line of signers mailed and the
    labels placed so far leave free."""

    def __init__(
        self, plot: Box, uprights: list[float], mailed: Sequence[tuple[float, float]]
    ) -> None:
        left, top, right, bottom = plot
        self.frame: Box = (left + 2, top + 2, right - 2, bottom - 2)
        self.uprights = uprights
        self.taken: list[Box] = [(u - 2, top, u + 2, bottom) for u in uprights]
        self.taken += [  # the mailed line rises in steps: each piece upright or level
            (min(ax, bx) - 2, min(ay, by) - 2, max(ax, bx) + 2, max(ay, by) + 2)
            for (ax, ay), (bx, by) in itertools.pairwise(mailed)
        ]
        lines = range(PLOT_HEIGHT // LINE)
        self.rows_down = [top + GAP + ASCENT + k * LINE for k in lines]  # from the top
        self.rows_up = [bottom - GAP - DESCENT - k * LINE for k in lines]  # from the bottom

    def place(self, text: str, spots: Iterable[Spot]) -> Text | None:
        """Put the text at the first spot where it is inside the plot and meets nothing."""
        for x, y, anchor in spots:
            label = Text(_n(x), _n(y), text, anchor)
            box = text_box(label)
            if _inside(box, self.frame) and not any(_meets(box, t) for t in self.taken):
                self.taken.append(box)
                return label
        return None

    def beside_uprights(
        self, low: float, high: float, rows: Sequence[float], *, start_first: bool
    ) -> list[Spot]:
        """Spots in these rows beside the upright lines between ``low`` and ``high``, row by
        row, from the left (``start_first``) or from the right."""
        edges = sorted({low, high, *(u for u in self.uprights if low < u < high)})
        gaps = list(itertools.pairwise(edges))
        anchors = ("start", "end") if start_first else ("end", "start")
        if not start_first:
            gaps.reverse()
        return [
            (a + GAP if anchor == "start" else b - GAP, row, anchor)
            for row in rows
            for a, b in gaps
            for anchor in anchors
        ]


def _beside_end(points: Sequence[tuple[float, float]], *, high_up: bool) -> list[Spot]:
    """Spots for the label of signers mailed: beside the line's end, above it (below, when
    ``high_up``: clear of the line of all signers), a line or two further off, else beside
    where its last level part begins (the last rise)."""
    end_x, end_y = points[-1]
    step_x = points[-2][0]  # the last level part runs from here to the end, at end_y
    sides = [(end_x + GAP, "start"), (end_x - GAP, "end")]
    if end_x >= WIDTH / 2:
        sides.reverse()
    sides += [(step_x - GAP, "end"), (step_x + GAP, "start")]
    heights = [(end_y - GAP - DESCENT, -LINE), (end_y + GAP + ASCENT, LINE)]
    if high_up:
        heights.reverse()
    return [
        (x, y + k * step, anchor) for x, anchor in sides for k in range(3) for y, step in heights
    ]


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
