"""The process book: a draft as a printable document for auditors and managers who never log in.

A table of contents by group, each group's jobs with every field, the process settings, the latest
approval (and whether it still holds for this content) and the latest publish record, each with who
and when. The page's print CSS lays it out on A4 or Letter with page numbers; the browser prints it
to PDF. A schedule lists every job's dates in date order, with the rule a relative date follows
("3 business days before the process due date") and a warning on a day the draft's business
calendar is closed (the same calendar as the editor's schedule view).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from designer.calendar import BusinessCalendar, describe_rule
from designer.models import Approval, Draft, Node
from designer.selectors.calendar import draft_calendar
from designer.selectors.revisions import current_content
from designer.selectors.trees import draft_tree
from processes_api import schema
from processes_api.lint import lint_tree, parse_date
from publishing.models import Submission


@dataclass
class BookJob:
    number: str
    title: str
    type_label: str
    fields: list[tuple[str, str]]
    problems: list[str] = field(default_factory=list)


@dataclass
class BookDate:
    """One line of the book's schedule: a date of a job, the rule it follows, why that day is closed."""

    date: dt.date
    label: str  # which of the job's dates: "Due date", "Approver due date" …
    number: str
    title: str
    path: str
    rule: str
    closed: str | None


@dataclass
class BookGroup:
    number: str
    name: str
    path: str
    depth: int
    mode: str
    anchor: str
    jobs: list[BookJob] = field(default_factory=list)


def process_book(draft: Draft) -> dict[str, Any]:
    """Return the template context of ``draft``'s process book."""
    tree = draft_tree(draft=draft)
    _, _, content_hash = current_content(draft, tree=tree)
    problems: dict[Any, list[str]] = {}
    for problem in lint_tree(tree):
        problems.setdefault(problem.node_key, []).append(problem.message)
    groups: list[BookGroup] = []
    numbers: dict[int, str] = {tree.root.id: ""}
    names: dict[int, list[str]] = {tree.root.id: []}
    top = BookGroup(
        number="",
        name="Top level",
        path="Top level",
        depth=0,
        mode=schema.parallel_mode(tree.root.parallel),
        anchor="top",
    )
    by_node: dict[int, BookGroup] = {tree.root.id: top}
    calendar = draft_calendar(draft)
    schedule: list[BookDate] = []
    for node, depth in tree.walk():
        if node.is_root:
            continue
        parent = tree.parent(node)
        assert parent is not None
        siblings = tree.children(parent)
        number = f"{numbers[parent.id]}{siblings.index(node) + 1}"
        numbers[node.id] = number + "."
        if node.is_group:
            names[node.id] = [*names[parent.id], node.name or "(unnamed group)"]
            group = BookGroup(
                number=number,
                name=node.name or "(unnamed group)",
                path=" › ".join(names[node.id]),
                depth=depth,
                mode=schema.parallel_mode(node.parallel),
                anchor=f"g-{node.key}",
            )
            by_node[node.id] = group
            groups.append(group)
        else:
            job = _job(node, number, problems.get(node.key, []))
            by_node[parent.id].jobs.append(job)
            schedule.extend(_dates(node, job, " › ".join(names[parent.id]) or "Top level", calendar))
    approval = (
        Approval.objects.filter(draft=draft, verdict=Approval.Verdict.APPROVED).select_related("reviewer").first()
    )
    published = (
        Submission.objects.filter(draft=draft, status__in=(Submission.Status.CREATED, Submission.Status.RECONCILED))
        .select_related("user")
        .defer("request_body", "response_text")
        .first()
    )
    settings = [
        (f.label, schema.shown(f.kind, schema.field_value(draft, f, "process")))
        for f in schema.PROCESS_FIELDS
        if f.key != "name"
    ]
    return {
        "draft": draft,
        "top": top,
        "groups": groups,
        "settings": settings,
        "jobs": sum(1 for node, _ in tree.walk() if node.kind == Node.Kind.JOB),
        "approval": approval,
        "approval_holds": approval is not None and approval.content_hash == content_hash,
        "published": published,
        "printed": timezone.now(),
        "content_hash": content_hash,
        "schedule": sorted(schedule, key=lambda d: (d.date, d.number)),
        "undated": sum(1 for node, _ in tree.walk() if node.kind == Node.Kind.JOB) - len({d.number for d in schedule}),
        "process_due": parse_date(draft.due_date),
        "holiday_calendar": draft.holiday_calendar,
    }


def _dates(node: Node, job: BookJob, path: str, calendar: BusinessCalendar) -> list[BookDate]:
    jt = schema.job_type(node.job_type)
    arguments = node.arguments or {}
    rules = node.date_rules or {}
    found = []
    for f in jt.date_fields if jt else ():
        day = parse_date(arguments.get(f.name))
        if day is None:
            continue
        rule = rules.get(f.name)
        found.append(
            BookDate(
                date=day,
                label=str(f.label),
                number=job.number,
                title=job.title,
                path=path,
                rule=describe_rule(rule) if rule else "",
                closed=calendar.closed_because(day),
            )
        )
    return found


def _job(node: Node, number: str, problems: list[str]) -> BookJob:
    jt = schema.job_type(node.job_type)
    fields: list[tuple[str, str]] = []
    arguments = node.arguments or {}
    known = jt.fields if jt else ()
    rules = node.date_rules or {}
    for f in known:
        if f.name == "title" or f.name not in arguments:
            continue
        shown = schema.shown(f.kind, arguments[f.name])
        if f.name in rules:
            shown = f"{shown} ({describe_rule(rules[f.name])})"
        fields.append((f.label, shown))
    for name, value in arguments.items():  # fields the registry does not know, kept from a payload
        if jt is None or name not in jt.field_map:
            fields.append((name, schema.shown(None, value)))
    return BookJob(
        number=number,
        title=str(arguments.get("title") or "(untitled)"),
        type_label=jt.label if jt else node.job_type,
        fields=fields,
        problems=problems,
    )
