"""Reads for the publishing pages: submissions with their errors and the nodes those concern."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings

from designer.models import Node
from designer.permissions import Action, can
from designer.selectors.reviews import publish_gate
from processes_api import platform
from processes_api import schema as workiva_schema
from publishing.models import Submission, SubmissionError

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from designer.models import Draft
    from processes_api.lint import Problem

SANDBOX_MAGIC = (
    'Sandbox test values: a user "invalid-user" is rejected (400 invalidUser); "unverified-user" is created '
    'but flagged by validation; a process name with "[sandbox:503x1]", "[sandbox:429x1]" or '
    '"[sandbox:drop-afterx1]" makes the sandbox fail that way once.'
)


@dataclass
class ErrorRow:
    error: SubmissionError
    node_label: str  # the node's current label, or "" for a process-level error


def publishing_to_sandbox() -> bool:
    """Return True when drafts publish to the built-in sandbox rather than to Workiva."""
    return bool(settings.WORKIVA_SANDBOX) and str(settings.WORKIVA_API_URL).rstrip("/").endswith("/sandbox")


def process_link(process_id: str) -> str:
    """Return a web link to a created process, or "" when none is known."""
    template = str(getattr(settings, "WORKIVA_PROCESS_LINK", ""))
    if not template and publishing_to_sandbox():
        template = "/sandbox/view/processes/{id}"
    return template.format(id=process_id) if template and process_id else ""


def error_rows(submissions: list[Submission]) -> dict[int, list[ErrorRow]]:
    """Return each submission's errors with the label of the node each concerns (one query per kind)."""
    errors = list(SubmissionError.objects.filter(submission__in=submissions).order_by("id"))
    keys = {e.node_key for e in errors if e.node_key}
    labels: dict[UUID, str] = {n.key: n.label for n in Node.objects.filter(key__in=keys)} if keys else {}
    rows: dict[int, list[ErrorRow]] = {}
    for e in errors:
        label = labels.get(e.node_key, "(deleted node)") if e.node_key else ""
        rows.setdefault(e.submission_id, []).append(ErrorRow(e, label))
    return rows


def status_context(*, submission: Submission, user: AbstractBaseUser | AnonymousUser) -> dict[str, Any]:
    return {
        "submission": submission,
        "draft": submission.draft,
        "errors": error_rows([submission]).get(submission.pk, []),
        "link": process_link(submission.process_id),
        "can_publish": can(user, submission.draft, Action.PUBLISH),
        "stale": submission.is_stale,
        "sandbox": publishing_to_sandbox(),
    }


def submission_history(*, draft: Draft) -> list[tuple[Submission, list[ErrorRow], str]]:
    submissions = list(Submission.objects.filter(draft=draft).select_related("user", "revision", "decided_by"))
    errors = error_rows(submissions)
    return [(s, errors.get(s.pk, []), process_link(s.process_id)) for s in submissions]


def publish_state(
    *,
    draft: Draft,
    problems: list[Problem] | None,
    user: AbstractBaseUser | AnonymousUser,
    current_hash: str | None = None,
) -> dict[str, Any]:
    """Return what the publish area shows: the latest submission and why Publish is disabled, if it is.

    ``problems`` are the draft's lint results (not computed again here); pass ``current_hash``
    when the page has it, or the review gate loads the tree to compute it.
    """
    blocking = [p for p in problems or [] if p.is_error]
    latest = Submission.objects.filter(draft=draft).select_related("user", "draft", "revision").first()
    reason = ""
    allowed = can(user, draft, Action.PUBLISH)
    if not allowed:
        reason = "Your role on this draft does not allow publishing."
    elif blocking:
        reason = f"Fix {len(blocking)} error{'s' if len(blocking) != 1 else ''} in the problems list first."
    gate_allowed, gate_note = publish_gate(draft, current_hash=current_hash)
    if not reason and not gate_allowed:
        reason = gate_note
    state: dict[str, Any] = {
        "draft": draft,
        "can_publish": allowed,
        "reason": reason,
        "gate_note": gate_note if gate_allowed else "",
        "sandbox": publishing_to_sandbox(),
    }
    if latest is not None:
        state.update(status_context(submission=latest, user=user))
        state["can_publish"] = allowed
    return state


def connection_context() -> dict[str, Any]:
    """Where drafts publish — never the secret or a token."""
    return {
        "api_url": settings.WORKIVA_API_URL,
        "token_url": settings.WORKIVA_TOKEN_URL,
        "api_version": settings.WORKIVA_API_VERSION,
        "client_id": settings.WORKIVA_CLIENT_ID,
        "secret_set": bool(settings.WORKIVA_CLIENT_SECRET),
        "organization_id": settings.WORKIVA_ORGANIZATION_ID,
        "platform_version": settings.WORKIVA_PLATFORM_VERSION,
        "scopes": [*workiva_schema.REQUIRED_SCOPES, *platform.DIRECTORY_SCOPES],
        "sandbox": publishing_to_sandbox(),
        "sandbox_magic": SANDBOX_MAGIC,
    }
