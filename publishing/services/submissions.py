"""Publish a draft: lint, freeze, and create its one in-flight submission, then queue the send."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction

from designer.models import Draft, Revision
from designer.picks import directory_problems
from designer.selectors.reviews import publish_gate
from designer.selectors.trees import draft_tree
from designer.services.revisions import revision_freeze
from processes_api.lint import Problem, lint_tree
from processes_api.payload import build_payload, dumps
from publishing import tasks
from publishing.models import Submission
from publishing.services.sending import submission_check_start

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Status = Submission.Status


class PublishBlocked(Exception):
    """The draft cannot be published yet; ``problems`` are the lint errors that block it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"Fix {count} problem{'s' if count != 1 else ''} before publishing: "
            + "; ".join(p.message for p in problems)
        )


def blocking_problems(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.is_error]


@dataclass
class Publish:
    submission: Submission
    created: bool  # False when an existing submission was returned


def submission_create(*, draft: Draft, user: User) -> Publish:
    """Lint and freeze ``draft`` and create its submission, or return the one in flight.

    Raises :class:`PublishBlocked` when lint finds errors; nothing is written then.
    """
    try:
        with transaction.atomic():
            locked = Draft.objects.select_for_update().get(pk=draft.pk)
            existing = Submission.objects.filter(draft=locked, status__in=Submission.IN_FLIGHT).first()
            if existing is not None:
                return Publish(existing, created=False)
            tree = draft_tree(draft=locked)
            payload = build_payload(tree)
            errors = blocking_problems([*lint_tree(tree, payload), *directory_problems(tree)])
            if errors:
                raise PublishBlocked(errors)
            digest = payload.content_hash()
            allowed, reason = publish_gate(locked, current_hash=digest)
            if not allowed:
                raise PublishBlocked([Problem("error", "approval-required", reason)])
            done = (
                Submission.objects.filter(
                    draft=locked,
                    payload_hash=digest,
                    api_url=_api_url(),
                    status__in=(Status.CREATED, Status.RECONCILED),
                )
                .exclude(process_id="")
                .first()
            )
            if done is not None:
                return Publish(done, created=False)
            revision = revision_freeze(draft=locked, author=user, reason=Revision.Reason.PUBLISH, payload=payload)
            submission = Submission.objects.create(
                draft=locked,
                revision=revision,
                user=user,
                payload_hash=revision.content_hash,
                api_url=_api_url(),
                request_body=dumps(revision.payload, indent=None),
            )
            return Publish(submission, created=True)
    except IntegrityError:
        # Another transaction won the race the lock did not serialise (e.g. SQLite).
        existing = Submission.objects.filter(draft=draft, status__in=Submission.IN_FLIGHT).first()
        if existing is None:
            raise
        return Publish(existing, created=False)


def draft_publish(*, draft: Draft, user: User) -> Publish:
    """Create (or find) the draft's submission and queue its send; see :func:`submission_create`."""
    result = submission_create(draft=draft, user=user)
    if result.created:
        tasks.send_submission.enqueue(result.submission.pk)
    elif result.submission.status == Status.UNKNOWN and submission_check_start(submission_id=result.submission.pk):
        # Only the click that started looking queues the look; a create is never sent from here.
        tasks.reconcile_submission.enqueue(result.submission.pk)
    result.submission.refresh_from_db()
    return result


def _api_url() -> str:
    return str(settings.WORKIVA_API_URL)
