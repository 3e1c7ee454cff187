"""Writes for review: requests, decisions (approve or request changes) and the approval gate.

Services are keyword-only and atomic and take the acting user. Views check the actor's role with
``designer.permissions.require`` before calling; the services enforce the domain's own rules (who
can be a reviewer, what a decision needs) and raise :class:`DraftError` with a message for the user."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from designer import permissions
from designer.errors import DraftConflict, DraftError
from designer.models import Activity, Approval, ApprovalGateChange, Draft, ReviewRequest, Revision
from designer.permissions import Action
from designer.selectors.reviews import approval_gate_required
from designer.selectors.revisions import current_content
from designer.services.activity import activity_record, display_name
from designer.services.revisions import revision_freeze

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


@transaction.atomic
def review_request_create(
    *, draft: Draft, actor: User, reviewers: Sequence[User], note: str = "", notify_url: str = ""
) -> ReviewRequest:
    """Freeze the current content and ask ``reviewers`` (members who may approve) to review it.

    Each reviewer with an address gets an e-mail once the request is committed; whether it went out
    is recorded on the request (``mailed``, ``mail_error``). Older open requests are superseded.
    """
    chosen = list({user.pk: user for user in reviewers}.values())
    if not chosen:
        raise DraftError("Choose at least one reviewer.")
    for user in chosen:
        if user.pk == actor.pk:
            raise DraftError("You cannot review your own request; choose someone else.")
        role = permissions.role_of(user, draft)
        if role is None:
            raise DraftError(
                f"{display_name(user)} is not a member of this draft; share it with them as a reviewer first."
            )
        if Action.APPROVE not in permissions.RULES[role]:
            raise DraftError(
                f"{display_name(user)} is {role} of this draft and cannot approve; make them a reviewer first."
            )
    revision = revision_freeze(
        draft=draft, author=actor, reason=Revision.Reason.REVIEW_REQUEST, note=note.strip()[:2000]
    )
    ReviewRequest.objects.filter(draft=draft, status=ReviewRequest.Status.OPEN).update(
        status=ReviewRequest.Status.SUPERSEDED
    )
    request = ReviewRequest.objects.create(draft=draft, revision=revision, requested_by=actor, note=note.strip()[:2000])
    request.reviewers.set(chosen)
    names = ", ".join(display_name(u) for u in chosen)
    activity_record(
        draft=draft, actor=actor, verb=Activity.Verb.REVIEW_REQUESTED, summary=f"r{revision.number} from {names}"
    )
    recipients = [u.email for u in chosen if u.email]
    if recipients:
        body = f"{display_name(actor)} asks you to review “{draft}” (revision {revision.number})."
        if note.strip():
            body += f"\n\nNote: {note.strip()}"
        if notify_url:
            body += f"\n\nOpen the review: {notify_url}"
        subject = header_safe(f"Review requested: {draft}")
        # After the commit, so that a request rolled back mails nobody; a failure is recorded on the
        # request (the requester is told), it never undoes the request itself.
        transaction.on_commit(
            lambda: review_request_mail(review_request=request, subject=subject, body=body, recipients=recipients),
            robust=True,
        )
    return request


def header_safe(text: str) -> str:
    """Return ``text`` on one line: a line break in a mail header is refused (BadHeaderError)."""
    return " ".join(line.strip() for line in text.splitlines() if line.strip())


def review_request_mail(*, review_request: ReviewRequest, subject: str, body: str, recipients: list[str]) -> None:
    """Send the reviewers' e-mail and record the outcome on ``review_request`` (``mailed`` or ``mail_error``)."""
    try:
        send_mail(subject, body, None, recipients)
    except Exception as error:  # any failure of the mail server or the message is the requester's to know
        logger.warning("review request %s: e-mail not sent: %r", review_request.pk, error)
        review_request.mail_error = f"{type(error).__name__}: {error}"[:1000]
        ReviewRequest.objects.filter(pk=review_request.pk).update(mail_error=review_request.mail_error)
    else:
        review_request.mailed = timezone.now()
        ReviewRequest.objects.filter(pk=review_request.pk).update(mailed=review_request.mailed, mail_error="")


def _decide(
    *, draft: Draft, actor: User, version: int, verdict: str, note: str, request: ReviewRequest | None
) -> Approval:
    if draft.version != version:
        raise DraftConflict(expected=version, actual=draft.version)
    if request is not None and request.draft_id != draft.pk:
        raise DraftError("That review request belongs to another draft.")
    if request is None:
        request = ReviewRequest.objects.filter(draft=draft, status=ReviewRequest.Status.OPEN).first()
    payload, paths, digest = current_content(draft)
    last = Revision.objects.filter(draft=draft).order_by("-number").first()
    reason = Revision.Reason.APPROVAL if verdict == Approval.Verdict.APPROVED else ""
    if reason or last is None or last.content_hash != digest:
        revision = revision_freeze(
            draft=draft, author=actor, reason=reason or Revision.Reason.SAVE_POINT, note=note[:2000]
        )
    else:
        revision = last
    return Approval.objects.create(
        draft=draft,
        review_request=request,
        revision=revision,
        reviewer=actor,
        verdict=verdict,
        content_hash=digest,
        note=note,
    )


@transaction.atomic
def review_approve(
    *, draft: Draft, actor: User, version: int, note: str = "", request: ReviewRequest | None = None
) -> Approval:
    """Approve the draft's current content, exactly: the approval records its content hash.

    ``version`` is the draft version the reviewer looked at; a newer one is refused so that nobody
    approves content they have not seen.
    """
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    approval = _decide(
        draft=locked,
        actor=actor,
        version=version,
        verdict=Approval.Verdict.APPROVED,
        note=note.strip(),
        request=request,
    )
    activity_record(
        draft=draft, actor=actor, verb=Activity.Verb.APPROVED, summary=f"r{approval.revision.number} {note.strip()}"
    )
    return approval


@transaction.atomic
def review_request_changes(
    *, draft: Draft, actor: User, version: int, note: str, request: ReviewRequest | None = None
) -> Approval:
    """Ask for changes, saying which in ``note`` (required)."""
    note = note.strip()
    if not note:
        raise DraftError("Say what should change: the note is empty.")
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    decision = _decide(
        draft=locked,
        actor=actor,
        version=version,
        verdict=Approval.Verdict.CHANGES_REQUESTED,
        note=note,
        request=request,
    )
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.CHANGES_REQUESTED, summary=note)
    return decision


@transaction.atomic
def approval_gate_set(*, draft: Draft, actor: User, required: bool, reason: str = "") -> ApprovalGateChange:
    """Turn the draft's "approval needed to publish" gate on or off; every change is logged."""
    if approval_gate_required(draft) == required:
        raise DraftError(f"Approval before publishing is already {'required' if required else 'off'}.")
    change = ApprovalGateChange.objects.create(draft=draft, required=required, actor=actor, reason=reason.strip())
    summary = "approval required before publishing" if required else "approval no longer required before publishing"
    if reason.strip():
        summary += f": {reason.strip()}"
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.GATE_CHANGED, summary=summary)
    return change
