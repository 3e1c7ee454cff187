"""The publish area that publishing adds to the designer's editor (see ``designer.panels``)."""

from __future__ import annotations

import re

from designer.models import Draft
from designer.panels import Panel, PanelRequest
from processes_api.lint import Problem
from publishing.models import Submission
from publishing.selectors import publish_state


def publish_area(asked: PanelRequest) -> Panel:
    """Return the editor's publish area: the Publish button, why it is disabled, the last result."""
    state = publish_state(
        draft=asked.draft, problems=asked.problems, user=asked.request.user, current_hash=asked.current_hash
    )
    return Panel(template="publishing/publish.html#publish-area", context=state)


def workiva_problems(draft: Draft) -> list[Problem]:
    """Return what Workiva reported on the draft's last submission, while the draft is as it was sent.

    Each error is an error-level problem on the node it was mapped to (the process when none), so the
    editor shows it on the row, in the inspector and in the problems list; any edit retires them.
    """
    latest = Submission.objects.filter(draft=draft).select_related("revision").first()
    if latest is None or latest.revision.draft_version != draft.version:
        return []
    return [
        Problem(
            "error",
            f"workiva-{error.code or 'error'}",
            f"Workiva: {error.message or error.code}",
            error.node_key,
            error.argument_name or _argument_in(error.target) or None,
        )
        for error in latest.errors.all()
        if not (error.node_key is None and error.is_detail)
    ]


def _argument_in(target: str) -> str:
    """Return the job argument a target path ends at (``…sendTaskArgs.assigneeUser``), or ""."""
    match = re.search(r"Args\.(\w+)$", target)
    return match.group(1) if match else ""
