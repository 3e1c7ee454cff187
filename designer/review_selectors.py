"""Reads for team review: inbox, approval status, the publish gate, comments, history, roles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Case, CharField, Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When

from designer.models import Activity, Approval, ApprovalGateChange, Comment, Draft, Membership, ReviewRequest, Revision

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


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
        from designer.review import current_content

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


def comment_counts(draft: Draft) -> dict[UUID | None, int]:
    """Return ``{node key: open thread count}`` for the editor's comment markers (one query)."""
    rows = (
        Comment.objects.filter(draft=draft, parent__isnull=True, resolved=False, node_key__isnull=False)
        .values("node_key")
        .annotate(n=Count("id"))
    )
    return {row["node_key"]: row["n"] for row in rows}


def comment_threads(draft: Draft, *, node_key: UUID | None = None) -> list[Comment]:
    """Return the draft's threads (first comments with ``thread_replies``), open ones first."""
    threads = (
        Comment.objects.filter(draft=draft, parent__isnull=True)
        .select_related("author", "resolved_by")
        .prefetch_related(
            Prefetch("replies", queryset=Comment.objects.select_related("author"), to_attr="thread_replies")
        )
        .order_by("resolved", "created", "id")
    )
    if node_key is not None:
        threads = threads.filter(node_key=node_key)
    return list(threads)


def activity_list(draft: Draft, *, limit: int = 200) -> list[Activity]:
    return list(Activity.objects.filter(draft=draft).select_related("actor").order_by("-created", "-id")[:limit])


def revision_list(draft: Draft) -> list[Revision]:
    return list(Revision.objects.filter(draft=draft).select_related("author").defer("payload", "paths"))


def review_base(revision: Revision) -> Revision | None:
    """Return the last approved or published revision before ``revision``: what a review diffs against."""
    return (
        Revision.objects.filter(
            draft_id=revision.draft_id,
            number__lt=revision.number,
            reason__in=[Revision.Reason.APPROVAL, Revision.Reason.PUBLISH],
        )
        .order_by("-number")
        .first()
    )


def members(draft: Draft) -> list[Membership]:
    return list(Membership.objects.filter(draft=draft).select_related("user").order_by("role", "user__username"))


def with_my_role(drafts: QuerySet[Draft], *, user: AbstractBaseUser) -> QuerySet[Draft]:
    """Annotate each draft with ``my_role`` for ``user`` in the same query (no query per draft)."""
    role = Membership.objects.filter(draft=OuterRef("pk"), user_id=user.pk).values("role")[:1]
    return drafts.annotate(
        my_role=Case(
            When(owner_id=user.pk, then=Value(Membership.Role.OWNER)),
            default=Subquery(role),
            output_field=CharField(),
        )
    )


def review_base_latest(draft: Draft) -> Revision | None:
    """Return the draft's last approved or published revision, if any."""
    return (
        Revision.objects.filter(draft=draft, reason__in=[Revision.Reason.APPROVAL, Revision.Reason.PUBLISH])
        .order_by("-number")
        .first()
    )
