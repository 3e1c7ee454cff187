"""The starter templates shipped as data (``*.json`` here) and their conversion to a template's content.

A starter is written compactly: groups (``"group"``, ``"parallel"``, ``"children"``) and jobs
(``"job"``: the job type, its arguments, and ``"due"``: business days from the process due date,
negative before it). :func:`starter_content` turns it into what ``ProcessTemplate.content`` holds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FILES = ("quarterly_close.json", "sox_302_subcertification.json", "bu_data_request.json")


def starters() -> list[dict[str, Any]]:
    """Return the starter templates as written."""
    return [json.loads((HERE / name).read_text(encoding="utf-8")) for name in FILES]


def _node(item: dict[str, Any]) -> dict[str, Any]:
    if "group" in item:
        fields = {"name": item["group"], "parallel": bool(item.get("parallel")), "read_only": False}
        fields |= {"trigger_type": "whenEligible", "job_type": "", "arguments": {}, "extra": {}}
        return {"kind": "group", "fields": fields, "children": [_node(c) for c in item.get("children", [])]}
    args = {k: v for k, v in item.items() if k not in ("job", "due")}
    fields = {"name": None, "parallel": None, "read_only": None, "trigger_type": None}
    fields |= {"job_type": item["job"], "arguments": args, "extra": {}}
    data: dict[str, Any] = {"kind": "job", "fields": fields}
    if "due" in item:
        data["date_rules"] = {"dueDate": {"days": int(item["due"])}}
    return data


def _jobs(node: dict[str, Any]) -> int:
    return 1 if node["kind"] == "job" else sum(_jobs(c) for c in node.get("children", []))


def starter_content(starter: dict[str, Any]) -> dict[str, Any]:
    """Return a starter as a template's content (no reference due date: every date is a rule)."""
    root = _node({"group": starter["name"], "children": starter["tree"]})
    return {"reference_due": None, "settings": starter.get("settings", {}), "root": root}


def starter_job_count(starter: dict[str, Any]) -> int:
    return _jobs(starter_content(starter)["root"])


def install_starters(model: Any) -> None:
    """Create the starter templates missing from ``model``'s table (the migration passes its
    historical ``ProcessTemplate``)."""
    for starter in starters():
        if not model.objects.filter(name=starter["name"], starter=True).exists():
            model.objects.create(
                name=starter["name"],
                description=starter["description"],
                content=starter_content(starter),
                job_count=starter_job_count(starter),
                starter=True,
            )
