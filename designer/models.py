"""Drafts and their process trees, and who may do what with them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q

from processes_api import schema


def depth_message() -> str:
    """The one refusal of a tree deeper than ``schema.MAX_DEPTH``."""
    return f"Groups can be nested at most {schema.MAX_DEPTH} levels deep; this would go deeper."


# The node and every node above it, in one query. UNION, not UNION ALL: a loop made by hand ends
# the query instead of running it forever.
_ANCESTOR_ROWS_SQL = (
    "WITH RECURSIVE up(id, parent_id) AS (SELECT id, parent_id FROM {table} WHERE id = %s UNION "
    "SELECT n.id, n.parent_id FROM {table} n JOIN up ON n.id = up.parent_id) SELECT id, parent_id FROM up"
)


class Draft(models.Model):
    """A process being designed: its settings and, through ``nodes``, its tree.

    Optional process settings are nullable because "not set" is omitted from the payload, which is
    not the same as an empty or false value. Dates stay text so that a malformed date imported from
    a file is kept and reported by lint instead of being lost.
    """

    name = models.CharField(max_length=500, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_drafts")
    due_date = models.CharField(max_length=40, null=True, blank=True)
    business_start_date = models.CharField(max_length=40, null=True, blank=True)
    business_days = models.JSONField(null=True, blank=True)
    relative_dates = models.BooleanField(null=True, blank=True)
    auto_close = models.BooleanField(null=True, blank=True)
    cert_auto_approve = models.BooleanField(null=True, blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text="Process fields the schema does not know.")
    # The designer's own calendar setting (not sent to Workiva): a country ("US"), a subdivision
    # ("US-CA") or a market ("NYSE") whose holidays are not business days; empty for none.
    holiday_calendar = models.CharField(max_length=20, blank=True, default="")
    version = models.PositiveIntegerField(default=1, help_text="Bumped by every write.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-id"]

    def __str__(self) -> str:
        return self.name or f"Draft {self.pk}"


class Node(models.Model):
    """One group or job of a draft's tree, as an adjacency list ordered by ``position``."""

    class Kind(models.TextChoices):
        GROUP = "group", "Group"
        JOB = "job", "Job"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=5, choices=Kind.choices)
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Group fields; null means "not set" and is omitted from the payload.
    name = models.CharField(max_length=500, null=True, blank=True)
    parallel = models.BooleanField(null=True, blank=True)
    read_only = models.BooleanField(null=True, blank=True)
    trigger_type = models.CharField(max_length=100, null=True, blank=True)
    # Job fields: the ActionArguments ``type`` and the object under its arguments key.
    job_type = models.CharField(max_length=100, blank=True)
    arguments = models.JSONField(default=dict, blank=True)
    # Unknown fields, kept for export: {"wrapper": {...}, "node": {...}, "arguments": {...}}.
    extra = models.JSONField(default=dict, blank=True)
    # Relative dates: argument name → rule, e.g. {"dueDate": {"days": -3}} = 3 business days before
    # the process due date. The argument itself holds the computed date the payload carries.
    date_rules = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["parent_id", "position"]
        indexes = [models.Index(fields=["draft", "parent", "position"])]
        constraints = [
            models.UniqueConstraint(fields=["draft"], condition=Q(parent__isnull=True), name="one_root_per_draft"),
            models.CheckConstraint(condition=Q(kind__in=["group", "job"]), name="node_kind_valid"),
            models.CheckConstraint(condition=Q(parent__isnull=False) | Q(kind="group"), name="root_is_group"),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        """Refuse a parent that is a job, in another draft, or inside this node's own subtree."""
        if self.parent_id is None:
            if self.kind != self.Kind.GROUP:
                raise ValidationError("The root of a process must be a group.")
            return
        parent = self.parent
        if parent is None:
            return
        if parent.kind != self.Kind.GROUP:
            raise ValidationError({"parent": "A job cannot hold other nodes; choose a group."})
        if parent.draft_id != self.draft_id:
            raise ValidationError({"parent": "The parent belongs to another draft."})
        if parent.pk is None:  # an unsaved parent has nothing above it in the database yet
            return
        above = _ancestor_rows(parent.pk)  # the parent and everything above it, in one query
        if self.pk is not None and any(row_id == self.pk for row_id, _ in above):
            raise ValidationError({"parent": "A group cannot be placed inside itself or its own groups."})
        if not any(parent_id is None for _, parent_id in above):
            raise ValidationError({"parent": "The tree has a loop."})
        if len(above) > schema.MAX_DEPTH:
            raise ValidationError({"parent": depth_message()})

    @property
    def is_group(self) -> bool:
        return self.kind == self.Kind.GROUP

    @property
    def is_root(self) -> bool:
        return self.parent_id is None

    @property
    def label(self) -> str:
        if self.is_group:
            return self.name or "Untitled group"
        title = self.arguments.get("title") if isinstance(self.arguments, dict) else None
        return title if isinstance(title, str) and title else "Untitled job"


class Membership(models.Model):
    """A user's role on a draft shared with them. The owner is ``Draft.owner``, not a row here."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        EDITOR = "editor", "Editor"
        REVIEWER = "reviewer", "Reviewer"
        VIEWER = "viewer", "Viewer"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="draft_memberships")
    role = models.CharField(max_length=10, choices=Role.choices)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["draft", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.draft}"


class Invitation(models.Model):
    """An offer to share a draft, waiting for the answer of the person invited; it grants nothing.

    ``identifier`` is the username or e-mail address the sharer typed, and all they are ever shown;
    ``user`` is the active account it named, if exactly one. An identifier that names nobody makes
    an invitation too, so that sharing never tells whether (or to whom) an address belongs.
    Accepting makes a ``Membership``; declining or cancelling deletes the invitation.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="invitations")
    identifier = models.CharField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="draft_invitations"
    )
    role = models.CharField(max_length=10, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [models.UniqueConstraint(fields=["draft", "identifier"], name="one_invitation_per_identifier")]

    def __str__(self) -> str:
        return f"{self.identifier} invited as {self.role} of {self.draft}"


class Revision(models.Model):
    """An immutable snapshot of a draft's content: the payload, its path map and a content hash."""

    class Reason(models.TextChoices):
        REVIEW_REQUEST = "review_request", "Review requested"
        APPROVAL = "approval", "Approved"
        PUBLISH = "publish", "Published"
        SAVE_POINT = "save_point", "Save point"
        RESTORE = "restore", "Restored"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(help_text="1, 2, 3… per draft.")
    draft_version = models.PositiveIntegerField(help_text="The draft version this revision froze.")
    payload = models.JSONField(help_text="The POST /processes body as it was.")
    paths = models.JSONField(help_text="Node key → payload path.")
    content_hash = models.CharField(max_length=64, db_index=True)
    designer = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the designer keeps beside the payload: date rules by node key, the holiday calendar.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="revision_number_unique")]

    def __str__(self) -> str:
        return f"{self.draft} r{self.number} ({self.get_reason_display()})"


# --- Review: requests, decisions, comments, the approval gate and the activity log ---------------


class ReviewRequest(models.Model):
    """An editor's request that chosen reviewers check the content frozen in ``revision``."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        SUPERSEDED = "superseded", "Superseded by a newer request"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="review_requests")
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="review_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="review_requests")
    note = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created = models.DateTimeField(auto_now_add=True)
    mailed = models.DateTimeField(null=True, blank=True, help_text="When the reviewers' e-mail went out.")
    mail_error = models.TextField(blank=True, help_text="Why the reviewers' e-mail could not be sent.")

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"Review of {self.draft} r{self.revision.number}"


class Approval(models.Model):
    """A reviewer's decision on exact content: approved, or changes requested with a note.

    ``content_hash`` is the hash of the content decided on; an approval is valid only while the
    draft's current content hash is the same, so any later edit voids it without any bookkeeping.
    """

    class Verdict(models.TextChoices):
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="approvals")
    review_request = models.ForeignKey(
        ReviewRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    content_hash = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["draft", "-created"])]

    def __str__(self) -> str:
        return f"{self.reviewer} {self.verdict} {self.draft}"


class Comment(models.Model):
    """A comment on the draft (``node_key`` null) or on one node, anchored by the node's key.

    The key survives moves, so the comment follows its node. Replies point at the thread's first
    comment through ``parent``; a thread is resolved or reopened as a whole, on its first comment.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="comments")
    node_key = models.UUIDField(null=True, blank=True, db_index=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["draft", "node_key"])]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.draft}"


class ApprovalGateChange(models.Model):
    """The log of the owner's per-draft choice to require an approval before publishing.

    The latest row is the current setting; without any row the gate is on.
    """

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="gate_changes")
    required = models.BooleanField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.draft}: approval {'required' if self.required else 'not required'}"


class Activity(models.Model):
    """One line of a draft's audit log: who did what, when."""

    class Verb(models.TextChoices):
        CREATED = "created", "Created the draft"
        EDITED = "edited", "Edited"
        REVIEW_REQUESTED = "review_requested", "Requested a review"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Requested changes"
        COMMENTED = "commented", "Commented"
        COMMENT_RESOLVED = "comment_resolved", "Resolved a comment"
        COMMENT_REOPENED = "comment_reopened", "Reopened a comment"
        PUBLISHED = "published", "Published"
        MEMBER_ADDED = "member_added", "Added a member"
        MEMBER_CHANGED = "member_changed", "Changed a role"
        MEMBER_REMOVED = "member_removed", "Removed a member"
        MEMBER_JOINED = "member_joined", "Accepted an invitation"
        MEMBER_LEFT = "member_left", "Left the draft"
        OWNER_CHANGED = "owner_changed", "Transferred ownership"
        GATE_CHANGED = "gate_changed", "Changed the approval gate"
        SAVE_POINT = "save_point", "Saved a revision"
        RESTORED = "restored", "Restored a revision"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="activities")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    verb = models.CharField(max_length=20)
    summary = models.TextField(blank=True)
    count = models.PositiveIntegerField(default=1, help_text="Edits folded into this line.")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["draft", "-created"])]
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return f"{self.actor} {self.verb} {self.draft}"


class Operation(models.Model):
    """One recorded edit of a draft's tree or settings: the single log behind undo, redo, live
    updates and the REST API (see :mod:`designer.services.operations`).

    ``before`` and ``after`` are the states of what the edit touched, in the same shape: ``nodes``
    (key → ``{"parent": key, <attrs>}``, or null for "does not exist"), ``children`` (group key →
    its ordered child keys, or null for "no such group") and ``settings`` (draft attr → value).
    Applying ``before`` undoes the edit, ``after`` redoes it, once the draft's current state of
    those things equals the other side. ``keys``, ``removed``, ``fields`` and ``settings`` say what
    changed, for readers that merge changes (live updates, the API) without reading the states.
    """

    class Kind(models.TextChoices):
        ADD = "add", "Add"
        EDIT = "edit", "Edit"
        MOVE = "move", "Move"
        DELETE = "delete", "Delete"
        DUPLICATE = "duplicate", "Duplicate"
        RESTORE = "restore", "Restore"
        SETTINGS = "settings", "Settings"
        PASTE = "paste", "Paste"
        BULK_EDIT = "bulk_edit", "Bulk edit"
        REVISION_RESTORE = "revision_restore", "Revision restored"
        UNDO = "undo", "Undo"
        REDO = "redo", "Redo"

    class State(models.TextChoices):
        DONE = "done", "Done"
        UNDONE = "undone", "Undone (can be redone)"
        DROPPED = "dropped", "Undone, and no longer redoable"

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="operations")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    summary = models.CharField(max_length=600, help_text='What it did, e.g. "move of “Reconcile cash”".')
    version_before = models.PositiveIntegerField()
    version_after = models.PositiveIntegerField()
    keys = models.JSONField(default=list, help_text="Keys of the nodes it changed (added, removed, edited, reordered).")
    removed = models.JSONField(default=list, help_text="Keys of the nodes it deleted.")
    fields = models.JSONField(default=dict, help_text="Node key → the fields it changed on that node.")
    settings = models.JSONField(default=list, help_text="The process settings it changed.")
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DONE)
    reverts = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="What an undo or redo applied.",
    )
    undone_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version_after"]
        constraints = [models.UniqueConstraint(fields=["draft", "version_after"], name="one_operation_per_version")]
        indexes = [models.Index(fields=["draft", "actor", "state"])]

    def __str__(self) -> str:
        return f"{self.draft} v{self.version_after}: {self.kind} by {self.actor}"


class ClosureDate(models.Model):
    """A day the whole organization is closed (an admin keeps the list): never a business day."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=200, blank=True, help_text="Shown as the reason, e.g. Company offsite.")

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}".strip()


class LoginFailureCount(models.Model):
    """Failed log-in attempts for one throttle key (designer/throttle.py) until ``until``.

    A row, not a cache entry, so that check-and-count is one conditional UPDATE on every database.
    """

    key = models.CharField(max_length=80, unique=True)
    count = models.PositiveIntegerField(default=0)
    until = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.until:%Y-%m-%d %H:%M:%S}"


class WorkivaOrigin(models.Model):
    """The Workiva process a draft was imported from (``GET /processes/{id}``), and when.

    Kept beside the draft, not in it: the draft's content and its operations stay Workiva's
    Process document; this says where the draft came from, so a later publish or run can refer to
    that process and its nodes (:class:`ImportedServerId`).
    """

    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="workiva_origin")
    process_id = models.CharField(max_length=200, db_index=True)
    imported = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.process_id


class ImportedServerId(models.Model):
    """The id Workiva's answer gave a node of an imported draft (as ``publishing.ServerId`` does for a
    published one): by node key, so a node deleted since simply has none, and a copy gets none."""

    origin = models.ForeignKey(WorkivaOrigin, on_delete=models.CASCADE, related_name="server_ids")
    node_key = models.UUIDField()
    server_id = models.CharField(max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["origin", "node_key"], name="one_imported_id_per_node")]

    def __str__(self) -> str:
        return f"{self.node_key} = {self.server_id}"


def _ancestor_rows(node_id: int) -> list[tuple[int, int | None]]:
    """Return ``(id, parent_id)`` of the node ``node_id`` and of every node above it (one query, any order)."""
    with connection.cursor() as cursor:
        cursor.execute(_ANCESTOR_ROWS_SQL.format(table=connection.ops.quote_name(Node._meta.db_table)), [node_id])
        return [(row[0], row[1]) for row in cursor.fetchall()]
