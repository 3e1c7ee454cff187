"""The schedule of a draft: every job on a timeline by due date, groups as lanes in tree order.

:func:`build_schedule` lays the rows out (lanes and jobs, y by row, x by due date) and renders the
three SVG parts (date header, lane/job names, chart) and the table alternative as markup, in Python:
a template loop over 3,000 jobs costs seconds, this costs tens of milliseconds. Every text is
escaped (``django.utils.html.escape``); the SVG carries no inline style (CSP), only classes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from uuid import UUID

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from designer.calendar import BusinessCalendar
from designer.selectors.trees import Tree
from processes_api.lint import parse_date

ZOOMS = {"week": 24, "month": 6}  # pixels per day
ROW = 22
HEAD = 34
LABEL_WIDTH = 300
INDENT = 10
MAX_DAYS = 1100  # the span is clamped to about three years around the process due date
LABEL_CHARS = 40


@dataclass(frozen=True, slots=True)
class JobRow:
    key: UUID
    title: str
    lane: str
    due: dt.date | None
    problems: tuple[str, ...]
    depth: int
    y: int
    closed: str | None


@dataclass(frozen=True, slots=True)
class LaneRow:
    label: str
    parallel: bool
    depth: int
    y: int


@dataclass
class Schedule:
    zoom: str
    first: dt.date
    last: dt.date
    px: int
    width: int
    height: int
    jobs: list[JobRow] = field(default_factory=list)
    head_svg: SafeString = mark_safe("")  # noqa: S308
    labels_svg: SafeString = mark_safe("")  # noqa: S308
    chart_svg: SafeString = mark_safe("")  # noqa: S308
    focus_x: int = 0

    @property
    def undated(self) -> int:
        return sum(1 for j in self.jobs if j.due is None)

    @property
    def with_problems(self) -> int:
        return sum(1 for j in self.jobs if j.problems)


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def _rows(
    tree: Tree, problems: dict[UUID, list[str]], calendar: BusinessCalendar
) -> tuple[list[LaneRow | JobRow], list[JobRow]]:
    rows: list[LaneRow | JobRow] = []
    jobs: list[JobRow] = []
    lane_of: dict[int, str] = {}
    y = 0
    for node, depth in tree.walk():
        if node.is_group:
            lane_of[node.id] = node.label
            rows.append(LaneRow(node.label, bool(node.parallel), depth, y))
        else:
            args = node.arguments if isinstance(node.arguments, dict) else {}
            due = parse_date(args.get("dueDate"))
            closed = calendar.closed_because(due) if due and calendar.weekdays else None
            lane = lane_of.get(node.parent_id or 0, "")
            job = JobRow(node.key, node.label, lane, due, tuple(problems.get(node.key, ())), depth, y, closed)
            rows.append(job)
            jobs.append(job)
        y += ROW
    return rows, jobs


def build_schedule(
    tree: Tree,
    calendar: BusinessCalendar,
    problems: dict[UUID, list[str]],
    *,
    today: dt.date,
    process_due: dt.date | None,
    zoom: str | None,
    editor_url: str,
) -> Schedule:
    """Lay out and render ``tree``'s schedule; ``zoom`` "week" or "month" (None: by the span)."""
    rows, jobs = _rows(tree, problems, calendar)
    dues = [j.due for j in jobs if j.due]
    anchor = process_due or today
    half = dt.timedelta(days=MAX_DAYS // 2)
    first = max(min([*dues, today, anchor]), anchor - half) - dt.timedelta(days=3)
    last = min(max([*dues, today, anchor]), anchor + half) + dt.timedelta(days=3)
    span = (last - first).days + 1
    if zoom not in ZOOMS:
        zoom = "week" if span <= 70 else "month"
    px = ZOOMS[zoom]
    height = ROW * len(rows) + 8
    width = span * px + 20

    def x_of(day: dt.date | None) -> int | None:
        if day is None or not first <= day <= last:
            return None
        return (day - first).days * px

    days = [first + dt.timedelta(days=i) for i in range(span)]
    closed = [(d, calendar.closed_because(d)) for d in days] if calendar.weekdays else []
    ticks = [d for d in days if (d.weekday() == 0 if zoom == "week" else d.day == 1)]
    fmt = "%b %-d" if zoom == "week" else "%b %Y"

    head = [f'<rect class="closed" x="{x_of(d)}" y="0" width="{px}" height="{HEAD}"/>' for d, why in closed if why]
    for d in ticks:
        x = x_of(d)
        head.append(f'<line class="tick" x1="{x}" x2="{x}" y1="0" y2="{HEAD}"/>')
        head.append(f'<text class="tick-label" x="{(x or 0) + 2}" y="14">{d.strftime(fmt)}</text>')
    today_x, due_x = x_of(today), x_of(process_due)
    if today_x is not None:
        head.append(f'<text class="marker-label" x="{today_x + 3}" y="30">Today</text>')
    if due_x is not None:
        head.append(f'<text class="marker-label due-label" x="{due_x + 3}" y="30">Process due</text>')

    labels: list[str] = []
    chart = [
        f'<rect class="closed" x="{x_of(d)}" y="0" width="{px}" height="{height}"><title>{d.isoformat()}: {escape(why)}</title></rect>'
        for d, why in closed
        if why
    ]
    chart += [f'<line class="tick" x1="{x_of(d)}" x2="{x_of(d)}" y1="0" y2="{height}"/>' for d in ticks]
    for row in rows:
        indent = row.depth * INDENT
        if isinstance(row, LaneRow):
            how = "‖ at the same time" if row.parallel else "→ in order"
            labels.append(
                f'<g class="lane"><rect class="lane-bg" x="0" y="{row.y}" width="{LABEL_WIDTH}" height="{ROW}"/>'
                f'<text class="lane-label" x="{indent + 6}" y="{row.y + 15}">{escape(_short(row.label))} {how}</text></g>'
            )
            chart.append(f'<rect class="lane-bg" x="0" y="{row.y}" width="{width}" height="{ROW}"/>')
            continue
        cls = "job problem" if row.problems else "job"
        due = row.due.isoformat() if row.due else "not set"
        tip = escape(" · ".join((row.title, f"due {due}", *row.problems)))
        labels.append(
            f'<g class="{cls}" data-key="{row.key}"><text class="job-label" x="{indent + 8}" y="{row.y + 15}">'
            f"{escape(_short(row.title))}</text><title>{tip}</title></g>"
        )
        x = x_of(row.due)
        if x is not None:
            chart.append(
                f'<g class="{cls}" data-key="{row.key}"><rect class="mark" x="{x}" y="{row.y + 3}" width="{px}" '
                f'height="{ROW - 6}" rx="3"/><title>{tip}</title></g>'
            )
    if today_x is not None:
        chart.append(f'<line class="today" x1="{today_x}" x2="{today_x}" y1="0" y2="{height}"/>')
    if due_x is not None:
        chart.append(f'<line class="due" x1="{due_x}" x2="{due_x}" y1="0" y2="{height}"/>')
    focus = x_of(min(dues)) if dues else today_x
    return Schedule(
        zoom=zoom,
        first=first,
        last=last,
        px=px,
        width=width,
        height=height,
        jobs=jobs,
        head_svg=mark_safe("".join(head)),  # noqa: S308 -- every text above went through escape()
        labels_svg=mark_safe("".join(labels)),  # noqa: S308
        chart_svg=mark_safe("".join(chart)),  # noqa: S308
        focus_x=max(0, (focus or 0) - 8 * px),
    )


def table_rows(schedule: Schedule, editor_url: str) -> SafeString:
    """Return the table alternative's rows: group, job (a link that selects it in the editor), due, problems."""
    out = []
    for j in schedule.jobs:
        due = j.due.isoformat() if j.due else "—"
        if j.closed:
            due += f" ({escape(j.closed)})"
        cls = ' class="has-problem"' if j.problems else ""
        out.append(
            f'<tr{cls}><td>{escape(j.lane)}</td><td><a href="{escape(editor_url)}?node={j.key}#node-{j.key}">'
            f"{escape(j.title)}</a></td><td>{due}</td><td>{escape(' '.join(j.problems))}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 -- every text above went through escape()
