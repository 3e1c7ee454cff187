"""Writes for team review: members, review requests, decisions, comments, the gate, revisions, activity.

Services are keyword-only and atomic and take the acting user. Views check the actor's role with
``designer.permissions.require`` before calling; the services enforce the domain's own rules (who
can be a reviewer, what a comment needs) and raise :class:`DraftError` with a message for the user.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from designer import permissions
from designer.errors import DraftConflict, DraftError
from designer.models import Activity, Approval, ApprovalGateChange, Comment, Draft, Membership, Node, Revision
from designer.models import ReviewRequest as ReviewRequestModel
from designer.permissions import Action
from designer.selectors import Tree, draft_tree
from designer.services import DRAFT_FIELDS, content_hash
from processes_api import schema
from processes_api.payload import GROUP_KEYS, PROCESS_KEYS, build_payload

if TYPE_CHECKING:
    from django.contrib.auth.models import User

Role = Membership.Role
MEMBER_ROLES = (Role.EDITOR, Role.REVIEWER, Role.VIEWER)
COMMENT_MAX = 10_000


# --- activity -------------------------------------------------------------------------------------


EDIT_FOLD_WINDOW = timedelta(minutes=15)
EDIT_SUMMARY_MAX = 600


def activity_record(*, draft: Draft, actor: User | None, verb: str, summary: str = "") -> Activity:
    """Append one line to ``draft``'s activity log; ``verb`` is usually an ``Activity.Verb``.

    Edits are summarised: an ``edited`` line by the same person within 15 minutes of their last
    one folds into it (``count`` goes up, the newest summaries are kept), so a working session is
    one line, not hundreds.
    """
    verb = str(verb)
    summary = summary.strip()
    if verb == Activity.Verb.EDITED and actor is not None:
        last = Activity.objects.filter(draft=draft).order_by("-created", "-id").first()
        if (
            last is not None
            and last.verb == verb
            and last.actor_id == actor.pk
            and timezone.now() - last.updated < EDIT_FOLD_WINDOW
        ):
            last.count += 1
            if summary:
                joined = f"{summary}; {last.summary}" if last.summary else summary
                last.summary = joined if len(joined) <= EDIT_SUMMARY_MAX else joined[: EDIT_SUMMARY_MAX - 1] + "…"
            last.save(update_fields=["count", "summary", "updated"])
            return last
    return Activity.objects.create(draft=draft, actor=actor, verb=verb, summary=summary[:2000])


def _name(user: Any) -> str:
    return str(user.get_username())


# --- members --------------------------------------------------------------------------------------


def _find_user(identifier: str) -> User:
    identifier = identifier.strip()
    if not identifier:
        raise DraftError("Enter a username or an e-mail address.")
    users = get_user_model()._default_manager.filter(is_active=True)
    matches = list(users.filter(username__iexact=identifier)[:2])
    if not matches and "@" in identifier:
        matches = list(users.filter(email__iexact=identifier)[:2])
    if len(matches) > 1:
        raise DraftError(f'More than one user has "{identifier}"; use their username instead.')
    if not matches:
        raise DraftError(f'There is no user "{identifier}". Check the username or e-mail address.')
    user: User = matches[0]
    return user


def _check_role(role: str) -> str:
    if role == Role.OWNER:
        raise DraftError("A draft has one owner; use “Transfer ownership” to hand it over.")
    if role not in MEMBER_ROLES:
        raise DraftError(f'"{role}" is not a role; choose editor, reviewer or viewer.')
    return role


@transaction.atomic
def membership_add(*, draft: Draft, actor: User, identifier: str, role: str) -> Membership:
    """Share ``draft`` with the user named by username or e-mail ``identifier``, in ``role``."""
    role = _check_role(role)
    user = _find_user(identifier)
    if user.pk == draft.owner_id:
        raise DraftError(f"{_name(user)} owns this draft already.")
    existing = Membership.objects.filter(draft=draft, user=user).first()
    if existing is not None:
        raise DraftError(f"{_name(user)} is already {existing.role} of this draft; change their role instead.")
    membership = Membership.objects.create(draft=draft, user=user, role=role)
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.MEMBER_ADDED, summary=f"{_name(user)} as {role}")
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, actor: User, role: str) -> Membership:
    """Change a member's role."""
    role = _check_role(role)
    before = membership.role
    if before == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    if Action.APPROVE not in permissions.RULES[role]:
        for request in ReviewRequestModel.objects.filter(draft=membership.draft, reviewers=membership.user):
            request.reviewers.remove(membership.user)
    activity_record(
        draft=membership.draft,
        actor=actor,
        verb=Activity.Verb.MEMBER_CHANGED,
        summary=f"{_name(membership.user)}: {before} → {role}",
    )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Take a member off the draft; their open review assignments go with it."""
    draft, user = membership.draft, membership.user
    membership.delete()
    for request in ReviewRequestModel.objects.filter(draft=draft, reviewers=user):
        request.reviewers.remove(user)
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.MEMBER_REMOVED, summary=f"{_name(user)}")


@transaction.atomic
def ownership_transfer(*, draft: Draft, actor: User, new_owner: User) -> Draft:
    """Make member ``new_owner`` the owner; the previous owner stays on as an editor."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if new_owner.pk == locked.owner_id:
        raise DraftError(f"{_name(new_owner)} owns this draft already.")
    membership = Membership.objects.filter(draft=locked, user=new_owner).first()
    if membership is None:
        raise DraftError(f"{_name(new_owner)} is not a member of this draft; share it with them first.")
    previous = locked.owner
    membership.delete()
    Membership.objects.create(draft=locked, user=previous, role=Role.EDITOR)
    locked.owner = new_owner
    locked.save(update_fields=["owner"])
    draft.owner = new_owner
    draft.__dict__.pop("_role_cache", None)
    activity_record(
        draft=locked,
        actor=actor,
        verb=Activity.Verb.OWNER_CHANGED,
        summary=f"{_name(previous)} → {_name(new_owner)} ({_name(previous)} is now an editor)",
    )
    return draft


# --- revisions ------------------------------------------------------------------------------------


def current_content(draft: Draft, *, tree: Tree | None = None) -> tuple[dict[str, Any], dict[str, str], str]:
    """Return the draft's current ``(payload, paths, content_hash)``; pass ``tree`` if loaded."""
    payload = build_payload(tree if tree is not None else draft_tree(draft=draft))
    paths = {str(key): path for path, key in payload.paths.key_by_path.items()}
    return payload.data, paths, content_hash(payload.data, paths)


def _freeze(*, draft: Draft, author: User, reason: str, note: str = "") -> Revision:
    from designer.services import revision_freeze

    return revision_freeze(draft=draft, author=author, reason=reason, note=note)


@transaction.atomic
def revision_save_point(*, draft: Draft, actor: User, note: str = "") -> Revision:
    """Freeze the current content as a manual save point."""
    revision = _freeze(draft=draft, author=actor, reason=Revision.Reason.SAVE_POINT, note=note.strip()[:2000])
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.SAVE_POINT, summary=f"r{revision.number}")
    return revision


@transaction.atomic
def revision_restore(*, draft: Draft, actor: User, version: int, revision: Revision) -> Revision:
    """Replace the draft's content with ``revision``'s, as a new change that can be undone.

    The current content is frozen first as a "restore" revision (returned): restoring that one
    undoes this. Node keys come back from the revision's path map, so comments stay on their nodes.
    """
    if revision.draft_id != draft.pk:
        raise DraftError("That revision belongs to another draft.")
    from designer.services import _lock

    current = Draft.objects.select_for_update().get(pk=draft.pk)
    if current.version != version:
        raise DraftConflict(expected=version, actual=current.version)
    undo = _freeze(
        draft=current,
        author=actor,
        reason=Revision.Reason.RESTORE,
        note=f"Content before restoring r{revision.number}",
    )
    locked = _lock(draft, version)
    fields, records = _parse_revision(revision)
    for attr in DRAFT_FIELDS:
        setattr(locked, attr, fields.get(attr))
    locked.name = fields.get("name") or ""
    locked.extra = fields.get("extra", {})
    locked.save()
    for attr in (*DRAFT_FIELDS, "extra", "version", "updated"):
        setattr(draft, attr, getattr(locked, attr))
    # One DELETE statement: nodes are referenced only by their own parent links (all going now)
    # and comments anchor by key, so the ORM's per-object cascade collection is pure cost here.
    old_nodes = Node.objects.filter(draft=locked)
    old_nodes._raw_delete(old_nodes.db)
    by_path: dict[str, Node] = {}
    depth = 0
    while True:  # level by level, so each level's parents exist: one insert per tree level
        level = [r for r in records if r["depth"] == depth]
        if not level:
            break
        nodes = [
            Node(
                draft=locked,
                parent=by_path[r["parent_path"]] if r["parent_path"] else None,
                **{k: v for k, v in r.items() if k not in ("parent_path", "path", "depth")},
            )
            for r in level
        ]
        for record, node in zip(level, Node.objects.bulk_create(nodes, batch_size=1000), strict=True):
            by_path[record["path"]] = node
        depth += 1
    activity_record(
        draft=draft,
        actor=actor,
        verb=Activity.Verb.RESTORED,
        summary=f"r{revision.number} (undo: restore r{undo.number})",
    )
    return undo


def _parse_revision(revision: Revision) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Invert ``build_payload`` leniently: draft fields and node records in document order.

    Unlike import this checks nothing: a revision was built from a draft, so what it holds is
    exactly what goes back, unknown fields included.
    """
    data = dict(revision.payload)  # shallow copies only: nothing below mutates what it reads
    key_by_path = {path: UUID(key) for key, path in revision.paths.items()}
    fields: dict[str, Any] = {}
    for attr, key in PROCESS_KEYS:
        if key in data:
            fields[attr] = data.pop(key)
    root = data.pop("root")
    fields["extra"] = data
    records: list[dict[str, Any]] = []

    def group(
        obj: dict[str, Any], path: str, parent_path: str | None, position: int, wrapper: dict[str, Any], depth: int
    ) -> None:
        obj = dict(obj)
        children = obj.pop("children", [])
        record: dict[str, Any] = {"kind": "group", "position": position, "parent_path": parent_path, "depth": depth}
        for attr, key in GROUP_KEYS:
            record[attr] = obj.pop(key, None)
        record["extra"] = {k: v for k, v in (("node", obj), ("wrapper", wrapper)) if v}
        record["key"] = key_by_path[path]
        record["path"] = path
        records.append(record)
        inner = path if parent_path is None else f"{path}.group"
        for index, child in enumerate(children):
            child = dict(child)
            child_path = f"{inner}.children[{index}]"
            kind = child.pop("type")
            body = child.pop(kind)
            if kind == "group":
                group(body, child_path, path, index, child, depth + 1)
            else:
                job(body, child_path, path, index, child, depth + 1)

    def job(
        obj: dict[str, Any], path: str, parent_path: str, position: int, wrapper: dict[str, Any], depth: int
    ) -> None:
        obj = dict(obj)
        arguments = dict(obj.pop("arguments"))
        job_type = arguments.pop("type")
        jt = schema.job_type(job_type)
        values = arguments.pop(jt.args_key if jt else f"{job_type}Args")
        records.append(
            {
                "kind": "job",
                "position": position,
                "parent_path": parent_path,
                "job_type": job_type,
                "arguments": values,
                "extra": {k: v for k, v in (("node", obj), ("arguments", arguments), ("wrapper", wrapper)) if v},
                "key": key_by_path[path],
                "path": path,
                "depth": depth,
            }
        )

    group(root, "root", None, 0, {}, 0)
    return fields, records


# --- review requests and decisions ----------------------------------------------------------------


@transaction.atomic
def review_request(
    *, draft: Draft, actor: User, reviewers: Sequence[User], note: str = "", notify_url: str = ""
) -> ReviewRequestModel:
    """Freeze the current content and ask ``reviewers`` (members who may approve) to review it.

    Each reviewer gets an e-mail; older open requests on the draft are superseded.
    """
    chosen = list({user.pk: user for user in reviewers}.values())
    if not chosen:
        raise DraftError("Choose at least one reviewer.")
    for user in chosen:
        if user.pk == actor.pk:
            raise DraftError("You cannot review your own request; choose someone else.")
        role = permissions.role_of(user, draft)
        if role is None:
            raise DraftError(f"{_name(user)} is not a member of this draft; share it with them as a reviewer first.")
        if Action.APPROVE not in permissions.RULES[role]:
            raise DraftError(f"{_name(user)} is {role} of this draft and cannot approve; make them a reviewer first.")
    revision = _freeze(draft=draft, author=actor, reason=Revision.Reason.REVIEW_REQUEST, note=note.strip()[:2000])
    ReviewRequestModel.objects.filter(draft=draft, status=ReviewRequestModel.Status.OPEN).update(
        status=ReviewRequestModel.Status.SUPERSEDED
    )
    request = ReviewRequestModel.objects.create(
        draft=draft, revision=revision, requested_by=actor, note=note.strip()[:2000]
    )
    request.reviewers.set(chosen)
    names = ", ".join(_name(u) for u in chosen)
    activity_record(
        draft=draft, actor=actor, verb=Activity.Verb.REVIEW_REQUESTED, summary=f"r{revision.number} from {names}"
    )
    recipients = [u.email for u in chosen if u.email]
    if recipients:
        body = f"{_name(actor)} asks you to review “{draft}” (revision {revision.number})."
        if note.strip():
            body += f"\n\nNote: {note.strip()}"
        if notify_url:
            body += f"\n\nOpen the review: {notify_url}"
        # robust: a mail server that is down must not undo or fail the request itself.
        transaction.on_commit(lambda: send_mail(f"Review requested: {draft}", body, None, recipients), robust=True)
    return request


def _decide(
    *, draft: Draft, actor: User, version: int, verdict: str, note: str, request: ReviewRequestModel | None
) -> Approval:
    if draft.version != version:
        raise DraftConflict(expected=version, actual=draft.version)
    if request is not None and request.draft_id != draft.pk:
        raise DraftError("That review request belongs to another draft.")
    if request is None:
        request = ReviewRequestModel.objects.filter(draft=draft, status=ReviewRequestModel.Status.OPEN).first()
    payload, paths, digest = current_content(draft)
    last = Revision.objects.filter(draft=draft).order_by("-number").first()
    reason = Revision.Reason.APPROVAL if verdict == Approval.Verdict.APPROVED else ""
    if reason or last is None or last.content_hash != digest:
        revision = _freeze(draft=draft, author=actor, reason=reason or Revision.Reason.SAVE_POINT, note=note[:2000])
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
    *, draft: Draft, actor: User, version: int, note: str = "", request: ReviewRequestModel | None = None
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
    *, draft: Draft, actor: User, version: int, note: str, request: ReviewRequestModel | None = None
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


# --- comments -------------------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *,
    draft: Draft,
    actor: User,
    body: str,
    node_key: UUID | str | None = None,
    parent: Comment | None = None,
) -> Comment:
    """Comment on the draft, on the node ``node_key``, or reply to the thread of ``parent``."""
    body = body.strip()
    if not body:
        raise DraftError("The comment is empty; write something first.")
    if len(body) > COMMENT_MAX:
        raise DraftError(f"The comment is too long ({len(body)} characters; at most {COMMENT_MAX}).")
    key: UUID | None = None
    if parent is not None:
        if parent.draft_id != draft.pk:
            raise DraftError("That comment belongs to another draft.")
        thread = parent.parent or parent
        key = thread.node_key
        parent = thread
    elif node_key not in (None, ""):
        try:
            key = node_key if isinstance(node_key, UUID) else UUID(str(node_key))
        except ValueError:
            raise DraftError(f"There is no node {node_key} in this draft.") from None
        if not Node.objects.filter(draft=draft, key=key).exists():
            raise DraftError(f"There is no node {node_key} in this draft.")
    comment = Comment.objects.create(draft=draft, node_key=key, parent=parent, author=actor, body=body)
    if parent is not None and parent.resolved:
        _set_resolved(parent, actor=None, resolved=False)
    where = "a reply" if parent else ("on a node" if key else "on the draft")
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.COMMENTED, summary=f"{where}: {body[:120]}")
    return comment


def _set_resolved(thread: Comment, *, actor: User | None, resolved: bool) -> None:
    thread.resolved = resolved
    thread.resolved_by = actor if resolved else None
    thread.resolved_at = timezone.now() if resolved else None
    thread.save(update_fields=["resolved", "resolved_by", "resolved_at"])


@transaction.atomic
def comment_resolve(*, comment: Comment, actor: User) -> Comment:
    """Resolve the thread ``comment`` belongs to."""
    thread = comment.parent or comment
    if thread.resolved:
        raise DraftError("That comment thread is already resolved.")
    _set_resolved(thread, actor=actor, resolved=True)
    activity_record(draft=thread.draft, actor=actor, verb=Activity.Verb.COMMENT_RESOLVED, summary=thread.body[:120])
    return thread


@transaction.atomic
def comment_reopen(*, comment: Comment, actor: User) -> Comment:
    """Reopen the resolved thread ``comment`` belongs to."""
    thread = comment.parent or comment
    if not thread.resolved:
        raise DraftError("That comment thread is open already.")
    _set_resolved(thread, actor=actor, resolved=False)
    activity_record(draft=thread.draft, actor=actor, verb=Activity.Verb.COMMENT_REOPENED, summary=thread.body[:120])
    return thread


# --- the approval gate ----------------------------------------------------------------------------


@transaction.atomic
def approval_gate_set(*, draft: Draft, actor: User, required: bool, reason: str = "") -> ApprovalGateChange:
    """Turn the draft's "approval needed to publish" gate on or off; every change is logged."""
    from designer.review_selectors import approval_gate_required

    if approval_gate_required(draft) == required:
        raise DraftError(f"Approval before publishing is already {'required' if required else 'off'}.")
    change = ApprovalGateChange.objects.create(draft=draft, required=required, actor=actor, reason=reason.strip())
    summary = "approval required before publishing" if required else "approval no longer required before publishing"
    if reason.strip():
        summary += f": {reason.strip()}"
    activity_record(draft=draft, actor=actor, verb=Activity.Verb.GATE_CHANGED, summary=summary)
    return change


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
