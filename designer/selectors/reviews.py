"""Reads for review: the inbox, where a draft stands with its reviewers, and the publish gate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from designer.errors import DraftError
from designer.models import Approval, ApprovalGateChange, Draft, Membership, ReviewRequest, Revision
from designer.selectors.revisions import current_content

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User


def inbox(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[ReviewRequest]:
    """Return the open review requests naming ``user`` that they have not decided on, newest first."""
    if not user.is_authenticated:
        return ReviewRequest.objects.none()
    decided = Approval.objects.filter(review_request=OuterRef("pk"), reviewer_id=user.pk)
    return (
        ReviewRequest.objects.filter(status=ReviewRequest.Status.OPEN, reviewers__pk=user.pk)
        .filter(Q(draft__owner_id=user.pk) | Q(draft__memberships__user_id=user.pk))
        .exclude(Exists(decided))
        .select_related("draft", "revision", "requested_by")
        .distinct()
        .order_by("-created", "-id")
    )


def inbox_count(*, user: AbstractBaseUser | AnonymousUser) -> int:
    """Return how many reviews wait for ``user`` (the header badge)."""
    return inbox(user=user).count() if user.is_authenticated else 0


def approval_gate_required(draft: Draft) -> bool:
    """Return whether the owner requires an approval before publishing (on unless turned off)."""
    latest = ApprovalGateChange.objects.filter(draft=draft).order_by("-created", "-id").first()
    return True if latest is None else latest.required


def has_reviewers(draft: Draft) -> bool:
    return Membership.objects.filter(draft=draft, role=Membership.Role.REVIEWER).exists()


@dataclass(frozen=True)
class ApprovalStatus:
    """Where the draft stands with its reviewers.

    ``state`` is ``valid`` (the latest decision approved exactly the current content), ``voided``
    (approved, but the content changed since: "changed since approval"), ``changes_requested``
    (the latest decision asked for changes) or ``none`` (nobody decided yet).
    """

    state: str
    decision: Approval | None
    current_hash: str

    @property
    def is_valid(self) -> bool:
        return self.state == "valid"

    @property
    def approved_revision(self) -> Revision | None:
        """The revision the last approval froze, to diff against when it was voided."""
        return self.decision.revision if self.decision and self.state in ("valid", "voided") else None


def approval_status(draft: Draft, *, current_hash: str | None = None) -> ApprovalStatus:
    """Return the draft's :class:`ApprovalStatus`; pass ``current_hash`` when you have it already."""
    if current_hash is None:
        current_hash = current_content(draft)[2]
    decision = (
        Approval.objects.filter(draft=draft).select_related("reviewer", "revision").order_by("-created", "-id").first()
    )
    if decision is None:
        return ApprovalStatus("none", None, current_hash)
    if decision.verdict == Approval.Verdict.CHANGES_REQUESTED:
        return ApprovalStatus("changes_requested", decision, current_hash)
    state = "valid" if decision.content_hash == current_hash else "voided"
    return ApprovalStatus(state, decision, current_hash)


def publish_gate(draft: Draft, *, current_hash: str | None = None) -> tuple[bool, str]:
    """Return ``(allowed, reason)``: may the draft be published as it is now, as far as review goes.

    A draft with reviewers needs a valid approval of its exact current content, unless its owner
    turned the gate off. ``reason`` says why for the publish button (empty when nothing to say).
    """
    if not has_reviewers(draft):
        return True, ""
    if not approval_gate_required(draft):
        return True, "The owner turned off the approval requirement for this draft."
    status = approval_status(draft, current_hash=current_hash)
    if status.state == "valid":
        assert status.decision is not None
        return True, f"Approved by {status.decision.reviewer.get_username()}."
    if status.state == "voided":
        return False, "The draft changed since it was approved; ask for a new review before publishing."
    if status.state == "changes_requested":
        return False, "A reviewer requested changes; publish after a new approval."
    return False, "This draft has reviewers: it needs an approval before it can be published."


def reviewers_from_ids(*, draft: Draft, ids: Iterable[str]) -> list[User]:
    """Return the users named by ``ids`` (form values), refusing ones that are not members."""
    wanted: set[int] = set()
    for value in ids:
        try:
            wanted.add(int(value))
        except ValueError:
            raise DraftError(f'"{value}" is not a user.') from None
    users = list(
        get_user_model()
        ._default_manager.filter(Q(pk__in=wanted) & (Q(draft_memberships__draft=draft) | Q(owned_drafts=draft)))
        .distinct()
    )
    if len(users) != len(wanted):
        raise DraftError("One of the chosen reviewers is not a member of this draft; share it with them first.")
    return users
