"""Reads for review: the inbox, where a draft stands with its reviewers, and the publish gate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from designer.errors import DraftError
from designer.models import Activity, Approval, ApprovalGateChange, Draft, Membership, ReviewRequest, Revision
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


# Activity that changes a draft's content, and so makes its actor an author of the change.
CONTENT_VERBS = (Activity.Verb.CREATED, Activity.Verb.EDITED, Activity.Verb.RESTORED)


@dataclass(frozen=True)
class FourEyes:
    """Which approvals count for publishing: the four-eyes rule, applied to a draft's history.

    **The change under review** of an approval is everything done to the content since it was last
    *accepted* — approved by someone who did not make that change — up to the approval; before the
    first accepted approval, since the draft was created. **Its authors** are the actors of every
    content-changing activity (creating the draft, an edit, a restore) in that span. When the
    approval is of the very content last accepted (nothing changed, or an edit was undone), that
    earlier change is under review again, so its authors stay authors. **An approval counts** only
    when its reviewer is not one of the authors of its change; only an approval that counts accepts
    content. A publish accepts nothing by itself: with the gate on it needs a counting approval of
    exactly that content first, and with the gate off nobody independent looked at it.

    ``counts`` and ``authors`` are per approval id; ``current_authors`` are the authors of the
    change a new approval of the content as it is now would be judged on.
    """

    counts: dict[int, bool]
    authors: dict[int, frozenset[int]]
    current_authors: frozenset[int]


def four_eyes(draft: Draft, *, current_hash: str) -> FourEyes:
    """Apply the four-eyes rule (see :class:`FourEyes`) to ``draft``'s activity log and approvals.

    An edit line of the log folds a person's edits from ``created`` to ``updated``; both ends are
    edits, and a decision always starts a new line, so no approval falls inside one.
    """
    events: list[tuple[Any, int, int, str]] = []
    lines = Activity.objects.filter(draft=draft, verb__in=CONTENT_VERBS, actor__isnull=False)
    for created, updated, actor_id in lines.values_list("created", "updated", "actor_id"):
        events += [(created, 0, actor_id, ""), (updated, 0, actor_id, "")]
    approvals = Approval.objects.filter(draft=draft, verdict=Approval.Verdict.APPROVED)
    for created, pk, reviewer_id, digest in approvals.values_list("created", "pk", "reviewer_id", "content_hash"):
        events.append((created, 1, pk, f"{reviewer_id}:{digest}"))
    counts: dict[int, bool] = {}
    authors_of: dict[int, frozenset[int]] = {}
    authors: set[int] = set()
    accepted_hash, accepted_authors = "", frozenset[int]()
    for _, kind, ident, detail in sorted(events, key=lambda e: (e[0], e[1])):
        if kind == 0:
            authors.add(ident)
            continue
        reviewer, digest = detail.split(":", 1)
        change = frozenset(authors) | (accepted_authors if digest == accepted_hash else frozenset())
        counts[ident], authors_of[ident] = int(reviewer) not in change, change
        if counts[ident]:
            accepted_hash, accepted_authors, authors = digest, change, set()
    current = frozenset(authors) | (accepted_authors if str(current_hash) == accepted_hash else frozenset())
    return FourEyes(counts, authors_of, current)


def accepted_revision(draft: Draft, *, eyes: FourEyes, before: int | None = None) -> Revision | None:
    """Return the last revision whose content was accepted — published, or frozen by an approval
    that counts (see :class:`FourEyes`) — before revision number ``before``: what a review diffs
    against. An approval that does not count accepted nothing, so the change stays under review."""
    counted = [pk for pk, ok in eyes.counts.items() if ok]
    revisions = Revision.objects.filter(draft=draft).filter(
        Q(reason=Revision.Reason.PUBLISH) | Q(reason=Revision.Reason.APPROVAL, decisions__pk__in=counted)
    )
    if before is not None:
        revisions = revisions.filter(number__lt=before)
    return revisions.order_by("-number").first()


@dataclass(frozen=True)
class ApprovalStatus:
    """Where the draft stands with its reviewers.

    ``state`` is ``valid`` (an approval that counts — see :class:`FourEyes` — approved exactly the
    current content), ``own_change`` (the current content is approved, but only by people who
    made part of the change: it does not count), ``voided`` (approved, but the content changed
    since: "changed since approval"), ``changes_requested`` (the latest decision asked for changes)
    or ``none`` (nobody decided yet). ``open_request`` is the open review request made after the
    latest decision, if any: the reviewers have yet to answer it.
    """

    state: str
    decision: Approval | None
    current_hash: str
    open_request: ReviewRequest | None = None

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
    decisions = Approval.objects.filter(draft=draft).select_related("reviewer", "revision").order_by("-created", "-id")
    decision = decisions.first()
    pending = open_request(draft, after=decision)
    if decision is None:
        return ApprovalStatus("none", None, current_hash, pending)
    if decision.verdict == Approval.Verdict.CHANGES_REQUESTED:
        return ApprovalStatus("changes_requested", decision, current_hash, pending)
    if decision.content_hash != current_hash:
        return ApprovalStatus("voided", decision, current_hash, pending)
    eyes = four_eyes(draft, current_hash=current_hash)
    asked_changes = decisions.filter(verdict=Approval.Verdict.CHANGES_REQUESTED).values_list("created", flat=True)
    approvals = decisions.filter(verdict=Approval.Verdict.APPROVED, content_hash=decision.content_hash)
    if (last_asked := asked_changes.first()) is not None:
        approvals = approvals.filter(created__gt=last_asked)
    counted = next((a for a in approvals if eyes.counts.get(a.pk)), None)
    if counted is not None:
        return ApprovalStatus("valid", counted, current_hash, pending)
    return ApprovalStatus("own_change", decision, current_hash, pending)


def decision_list(draft: Draft, *, eyes: FourEyes, limit: int = 20) -> list[Approval]:
    """Return the latest decisions, each with ``counts``: whether it counts for publishing."""
    decisions = list(Approval.objects.filter(draft=draft).select_related("reviewer", "revision")[:limit])
    for decision in decisions:
        decision.counts = eyes.counts.get(decision.pk, False)  # type: ignore[attr-defined]
    return decisions


def open_request(draft: Draft, *, after: Approval | None = None) -> ReviewRequest | None:
    """Return the draft's open review request if it was made after the decision ``after``."""
    requests = ReviewRequest.objects.filter(draft=draft, status=ReviewRequest.Status.OPEN)
    if after is not None:
        requests = requests.filter(created__gt=after.created)
    return requests.select_related("revision").prefetch_related("reviewers").order_by("-created", "-id").first()


def publish_gate(draft: Draft, *, current_hash: str | None = None) -> tuple[bool, str]:
    """Return ``(allowed, reason)``: may the draft be published as it is now, as far as review goes.

    A draft with reviewers needs an approval of its exact current content by a reviewer who did not
    make the change (four eyes, see :class:`FourEyes`), unless its owner turned the gate off.
    ``reason`` says why for the publish button (empty when nothing to say).
    """
    if not has_reviewers(draft):
        return True, ""
    if not approval_gate_required(draft):
        return True, "The owner turned off the approval requirement for this draft."
    status = approval_status(draft, current_hash=current_hash)
    if status.state == "valid":
        assert status.decision is not None
        return True, f"Approved by {status.decision.reviewer.get_username()}."
    if status.state == "own_change":
        assert status.decision is not None
        return False, (
            f"{status.decision.reviewer.get_username()} approved, but edited this change; publishing needs"
            " an approval from a reviewer who did not edit it (four eyes)."
        )
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
