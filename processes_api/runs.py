"""Reading a ProcessRun (``GET /processRuns/{id}``, ``POST /processes/{id}/run``) tolerantly.

Documented [doc]: a ProcessRun holds group runs and job runs with a status each, status counts,
``eligibleToStart`` and an integer ``revision``. Its exact layout and the status enum are not
published: the reader below is [inferred]. It looks for the root group run under ``root`` (or
``rootGroupRun``, ``groupRun``), reads children as wrappers ``{"type": …, <one object>}`` like the
build-time process, or as the run objects themselves, and names statuses after the six the
product's monitor shows (Sent, Waiting, Complete, Approval, Returned, Canceled), compared without
case; any other value is shown as Workiva wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATUSES = ("sent", "waiting", "complete", "approval", "returned", "canceled")  # [product help]
FINISHED = ("complete", "canceled")
_ROOT_KEYS = ("root", "rootGroupRun", "groupRun")
_ALIASES = {"completed": "complete", "cancelled": "canceled", "inprogress": "sent", "notstarted": "waiting"}


def status_of(value: Any) -> str:
    """Return a run status in the monitor's words (lower case), or the value as written."""
    text = str(value or "").strip()
    key = text.replace("_", "").replace(" ", "").lower()
    key = _ALIASES.get(key, key)
    return key if key in STATUSES else text


@dataclass
class RunNode:
    name: str
    kind: str  # "group" or "job"
    status: str
    server_id: str = ""
    children: list[RunNode] = field(default_factory=list)


@dataclass
class Run:
    id: str
    status: str
    root: RunNode | None
    raw: dict[str, Any]

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}

        def add(node: RunNode) -> None:
            if node.kind == "job":
                found[node.status] = found.get(node.status, 0) + 1
            for child in node.children:
                add(child)

        if self.root is not None:
            add(self.root)
        return found


def read_run(document: Any) -> Run:
    """Return the run a ProcessRun document describes (whatever of it can be read)."""
    document = document if isinstance(document, dict) else {}
    root_doc = next((document[k] for k in _ROOT_KEYS if isinstance(document.get(k), dict)), None)
    root = _node(root_doc, "group", 0) if root_doc is not None else None
    status = status_of(document.get("status")) or (root.status if root else "")
    return Run(id=str(document.get("id") or ""), status=status, root=root, raw=document)


def _node(obj: dict[str, Any], kind: str, depth: int) -> RunNode:
    found = obj.get("arguments")
    arguments: dict[str, Any] = found if isinstance(found, dict) else {}
    title = next((v.get("title") for v in arguments.values() if isinstance(v, dict) and v.get("title")), "")
    name = str(obj.get("name") or title or obj.get("id") or kind)
    node = RunNode(name=name, kind=kind, status=status_of(obj.get("status")), server_id=str(obj.get("id") or ""))
    if depth >= 100:
        return node
    for child in obj.get("children") or []:
        if not isinstance(child, dict):
            continue
        child_kind = str(child.get("type") or "").lower()
        inner = next((v for k, v in child.items() if k != "type" and isinstance(v, dict)), None)
        if inner is None:
            inner = child
        node.children.append(_node(inner, "group" if "group" in child_kind else "job", depth + 1))
    return node
