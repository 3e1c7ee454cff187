"""Writes of the template gallery: save a draft as a template (the next version of its family when the
name is taken), and create a draft from a template with every date computed for a new process due date.

A template keeps the tree, the process settings, each job's relative-date rules and the process
due date its dates were planned against. A new draft's rule-based dates come from their rules; its
other dates move by business days from that reference due date (the roll-forward rule).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from designer.errors import TreeError
from designer.models import Activity, Draft, Node
from designer.selectors.trees import draft_tree
from designer.services.activity import activity_record
from designer.services.dates import recompute_rule_dates
from designer.services.locking import draft_attrs
from designer.services.nodes import node_attrs
from designer.services.periods import roll_in_place
from gallery.models import ProcessTemplate
from processes_api import schema
from processes_api.lint import parse_date

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# What a template keeps of the process beyond its tree (the name and due date are asked for anew).
_NOT_KEPT = ("name", "due_date")
_NODE_FIELDS = tuple(a for a in node_attrs() if a not in ("kind", "date_rules"))


def template_content(draft: Draft) -> dict[str, Any]:
    """Return the snapshot a template keeps of ``draft``: settings, reference due date and tree."""
    tree = draft_tree(draft=draft)

    def node_data(node: Node) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": node.kind, "fields": {a: getattr(node, a) for a in _NODE_FIELDS}}
        if node.date_rules:
            data["date_rules"] = node.date_rules
        if node.is_group:
            data["children"] = [node_data(child) for child in tree.children(node)]
        return data

    return {
        "reference_due": draft.due_date if parse_date(draft.due_date) else None,
        "settings": {a: getattr(draft, a) for a in draft_attrs() if a not in _NOT_KEPT},
        "root": node_data(tree.root),
    }


def _count_jobs(node: dict[str, Any]) -> int:
    if node.get("kind") == "job":
        return 1
    return sum(_count_jobs(child) for child in node.get("children", []))


@transaction.atomic
def template_save(*, draft: Draft, actor: User, name: str, description: str = "") -> ProcessTemplate:
    """Save ``draft`` as a template called ``name``: version 1 of a new family, or the next version
    of the family already called so (names compare without case)."""
    name, description = name.strip(), description.strip()
    if not name:
        raise TreeError("Give the template a name.")
    if len(name) > 200 or len(description) > 2000:
        raise TreeError("A template name has at most 200 characters and a description at most 2,000.")
    content = template_content(draft)
    latest = ProcessTemplate.objects.select_for_update().filter(name__iexact=name).order_by("-version").first()
    template = ProcessTemplate(name=name, description=description, content=content, created_by=actor)
    template.job_count = _count_jobs(content["root"])
    if latest is not None:
        template.family = latest.family
        top = ProcessTemplate.objects.filter(family=latest.family).aggregate(Max("version"))["version__max"]
        template.version = (top or 0) + 1
    template.save()
    return template


@transaction.atomic
def draft_from_template(*, template: ProcessTemplate, owner: User, name: str, due: dt.date) -> Draft:
    """Create a draft of ``owner`` called ``name`` from ``template``, due ``due``, every date computed."""
    name = name.strip()
    if not name:
        raise TreeError("Give the new draft a name.")
    content = template.content
    settings = {a: v for a, v in (content.get("settings") or {}).items() if a in draft_attrs() and a not in _NOT_KEPT}
    reference = parse_date(content.get("reference_due"))
    draft = Draft(owner=owner, name=name[:500], due_date=(reference or due).isoformat(), **settings)
    try:
        draft.full_clean(exclude=["owner"])
    except ValidationError as exc:
        raise TreeError(f"The template cannot be used: {' '.join(exc.messages)}") from None
    draft.save()
    _create_nodes(draft, content["root"], name)
    if reference is not None:
        roll_in_place(draft, due, {})
    else:
        recompute_rule_dates(draft)
    activity_record(
        draft=draft, actor=owner, verb=Activity.Verb.CREATED, summary=f"Made from the template “{template}”."
    )
    return draft


def _create_nodes(draft: Draft, root: dict[str, Any], name: str) -> None:
    """Create the template's tree under ``draft``, level by level; the root group takes the draft's name."""
    level: list[tuple[dict[str, Any], Node | None, int]] = [(root, None, 0)]
    depth = 0
    while level:
        if depth > schema.MAX_DEPTH:
            raise TreeError("The template nests groups deeper than a draft may.")
        nodes = []
        for data, parent, position in level:
            fields = {a: v for a, v in (data.get("fields") or {}).items() if a in _NODE_FIELDS}
            node = Node(draft=draft, parent=parent, position=position, kind=data["kind"], **fields)
            node.date_rules = data.get("date_rules") or {}
            if parent is None:
                node.name = name[:500]
            nodes.append(node)
        created = Node.objects.bulk_create(nodes, batch_size=1000)
        level = [
            (child, node, index)
            for (data, _, _), node in zip(level, created, strict=True)
            for index, child in enumerate(data.get("children") or [])
        ]
        depth += 1
