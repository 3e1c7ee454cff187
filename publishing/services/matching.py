"""Which listed process is the one a lost create made: candidates, the strict match, echoed fields."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings

from processes_api import schema
from processes_api.client import Client
from processes_api.walk import Step, walk
from publishing.models import Submission

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)

Status = Submission.Status
# A process created this long before our send still counts as possibly ours: clocks differ and the
# server's time may be truncated to the second.
CLOCK_SKEW = timedelta(seconds=5)


@dataclass
class Candidate:
    """A listed process with the draft's name, and why it is not this submission's ("" when it matches)."""

    process_id: str
    created: str
    created_by: str
    reason: str
    process: dict[str, Any]
    claimable: bool = True  # a person may still name it as this submission's

    @property
    def matches(self) -> bool:
        return not self.reason

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.process_id,
            "created": self.created,
            "created_by": self.created_by,
            "reason": self.reason,
            "claimable": self.claimable,
        }


def find_candidates(client: Client, submission: Submission) -> list[Candidate]:
    """Return every listed process named like the submission's payload, each judged strictly.

    A process matches only when no other submission recorded it, it was created at or after the
    first send (when the server says when), by this connection's API user (when the server says
    who and that user is known), its structure equals the payload's and every field the server
    echoes equals what was sent.
    """
    payload = submission.revision.payload
    name = payload.get("name") or ""
    claimed = dict(Submission.objects.exclude(pk=submission.pk).exclude(process_id="").values_list("process_id", "pk"))
    ours = api_user_ids(submission.api_url)
    sent = submission.first_sent
    wanted = structure(payload)
    found: list[Candidate] = []
    for item in client.list(name=name):
        if not isinstance(item, dict) or item.get("name") != name or not item.get("id"):
            continue
        process_id = str(item["id"])
        if process_id in claimed:
            found.append(_candidate(item, f"already recorded for submission {claimed[process_id]}", claimable=False))
            continue
        process = item if "root" in item else client.get(process_id)
        found.append(_candidate(process, _mismatch(process, payload, wanted, sent, ours)))
    return found


def _candidate(process: dict[str, Any], reason: str, *, claimable: bool = True) -> Candidate:
    when, who = schema.created_stamp(process)
    return Candidate(
        process_id=str(process.get("id")),
        created=when.isoformat() if when else "",
        created_by=who or "",
        reason=reason,
        process=process,
        claimable=claimable,
    )


def _mismatch(process: Any, payload: dict[str, Any], wanted: Any, sent: datetime | None, ours: set[str]) -> str:
    """Return why ``process`` is not the one ``payload`` created, or "" when it matches strictly."""
    when, who = schema.created_stamp(process)
    if when is not None and sent is not None and when < sent - CLOCK_SKEW:
        return f"created at {when:%Y-%m-%d %H:%M:%S} UTC, before this submission was first sent"
    if who is not None and ours and who not in ours:
        return f"created by user {who}, not by this connection's API user"
    if structure(process) != wanted:
        return "its groups and jobs differ from this revision's"
    differences = echo_differences(payload, process)
    if differences:
        return "differs from what was sent in " + ", ".join(differences[:3])
    return ""


def api_user_ids(api_url: str) -> set[str]:
    """Return the user ids this connection's processes are created by, where known.

    ``WORKIVA_API_USER_ID`` when set; otherwise the ``created.user.id`` of processes this
    installation created at ``api_url`` (the 201 answers it kept). Empty when neither is known:
    the API does not publish which user a client-credentials grant acts as.
    """
    configured = str(getattr(settings, "WORKIVA_API_USER_ID", "") or "")
    if configured:
        return {configured}
    ids: set[str] = set()
    answers = (
        Submission.objects.filter(api_url=api_url, status=Status.CREATED)
        .exclude(response_text="")
        .values_list("response_text", flat=True)[:5]
    )
    for text in answers:
        try:
            _, who = schema.created_stamp(json.loads(text))
        except ValueError:
            continue
        if who:
            ids.add(who)
    return ids


def echo_differences(sent: Any, echoed: Any, path: str = "") -> list[str]:
    """Return the paths where the server's answer holds a field that was sent with another value.

    Fields the server does not echo (job arguments beyond ``type``, in the seed) are not compared;
    generated jobs the server adds are skipped; lists of plain values compare in any order.
    """
    if isinstance(sent, dict):
        if not isinstance(echoed, dict):
            return [path or "the process"]
        out: list[str] = []
        for key, value in sent.items():
            if key in echoed:
                out += echo_differences(value, echoed[key], f"{path}.{key}" if path else key)
        return out
    if isinstance(sent, list):
        if not isinstance(echoed, list):
            return [path]
        if path.endswith("children"):
            echoed = [child for child in echoed if not _generated(child)]
        elif all(not isinstance(v, dict | list) for v in sent + echoed):
            return [] if sorted(map(repr, sent)) == sorted(map(repr, echoed)) else [path]
        if len(sent) != len(echoed):
            return [path]
        out = []
        for index, (a, b) in enumerate(zip(sent, echoed, strict=True)):
            out += echo_differences(a, b, f"{path}[{index}]")
        return out
    return [] if sent == echoed else [path]


def _generated(child: Any) -> bool:
    job = child.get("job") if isinstance(child, dict) else None
    args = job.get("arguments") if isinstance(job, dict) else None
    jt = schema.job_type(str(args.get("type"))) if isinstance(args, dict) else None
    return jt is not None and jt.generated


def structure(process: Any) -> Any:
    """Return the shape of a process: its name and, in document order, each node's depth with its
    group name and mode or its job type (generated jobs left out)."""
    if not isinstance(process, dict):
        return None
    shapes = (_shape(step) for step in walk(process.get("root")))
    return (process.get("name"), tuple(shape for shape in shapes if shape is not None))


def _shape(step: Step) -> Any:
    """Return one node's part of :func:`structure`, or None for a generated job."""
    node, _, _, kind, wrapper, _, depth = step
    if wrapper is not None and not isinstance(wrapper, dict):
        return (depth, None)
    if kind == "group":
        if not isinstance(node, dict):
            return (depth, "group", None)
        return (depth, "group", node.get("name"), bool(node.get("parallel")))
    job = (wrapper or {}).get("job") or {}
    args = job.get("arguments") if isinstance(job, dict) else None
    job_type = args.get("type") if isinstance(args, dict) else None
    if isinstance(job_type, str) and job_type.endswith("Generated"):
        return None
    return (depth, "job", job_type)
