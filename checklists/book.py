"""The process book: a draft as a printable document for auditors and managers who never log in.

A table of contents by group, each group's jobs with every field, the process settings, the latest
approval (and whether it still holds for this content) and the latest publish record, each with who
and when. The page's print CSS lays it out on A4 or Letter with page numbers; the browser prints it
to PDF. The schedule (relative dates from the business calendar) joins the book when that exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from designer.models import Approval, Draft, Node
from designer.selectors.revisions import current_content
from designer.selectors.trees import draft_tree
from processes_api import schema
from processes_api.lint import lint_tree
from publishing.models import Submission


@dataclass
class BookJob:
    number: str
    title: str
    type_label: str
    fields: list[tuple[str, str]]
    problems: list[str] = field(default_factory=list)


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
            by_node[parent.id].jobs.append(_job(node, number, problems.get(node.key, [])))
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
    }


def _job(node: Node, number: str, problems: list[str]) -> BookJob:
    jt = schema.job_type(node.job_type)
    fields: list[tuple[str, str]] = []
    arguments = node.arguments or {}
    known = jt.fields if jt else ()
    for f in known:
        if f.name == "title" or f.name not in arguments:
            continue
        fields.append((f.label, schema.shown(f.kind, arguments[f.name])))
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
