"""What the live app listens to: the designer's recorded operations, its members and its activity.

Each notice is sent once the transaction that made the change has committed, so nobody fetches
a change that is not there yet, or one that was rolled back.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from designer.models import Activity, Membership, Operation
from designer.signals import operation_committed
from live import notify

# Activity that changes what the editor's status shows (approval banner, publish area, comments).
STATUS_VERBS = frozenset(
    {
        Activity.Verb.REVIEW_REQUESTED,
        Activity.Verb.APPROVED,
        Activity.Verb.CHANGES_REQUESTED,
        Activity.Verb.COMMENTED,
        Activity.Verb.COMMENT_RESOLVED,
        Activity.Verb.COMMENT_REOPENED,
        Activity.Verb.PUBLISHED,
        Activity.Verb.GATE_CHANGED,
        Activity.Verb.SAVE_POINT,
    }
)


def connect() -> None:
    operation_committed.connect(_operation_committed, sender=Operation, dispatch_uid="live-operation")
    post_save.connect(_members_changed, sender=Membership, dispatch_uid="live-membership-saved")
    post_delete.connect(_members_changed, sender=Membership, dispatch_uid="live-membership-deleted")
    post_save.connect(_activity_saved, sender=Activity, dispatch_uid="live-activity-saved")


def _operation_committed(sender: Any, operation: Operation, **kwargs: Any) -> None:
    # Sent by the designer after the commit already (designer/signals.py).
    notify.draft_changed(
        draft_id=operation.draft_id, version=operation.version_after, actor_id=operation.actor_id, kind=operation.kind
    )


def _members_changed(sender: Any, instance: Membership, **kwargs: Any) -> None:
    transaction.on_commit(partial(notify.access_changed, draft_id=instance.draft_id))


def _activity_saved(sender: Any, instance: Activity, created: bool = False, **kwargs: Any) -> None:
    if instance.verb in STATUS_VERBS:
        transaction.on_commit(partial(notify.draft_activity, draft_id=instance.draft_id, verb=instance.verb))
