"""The operation log: every edit recorded, undone and redone exactly; undo refused when others
changed the same items; what changed since a version."""

from __future__ import annotations

from typing import Any

import pytest

from designer.errors import DraftConflict, OperationConflict, TreeError
from designer.models import Draft, Node, Operation
from designer.selectors.operations import changes_since, undo_state
from designer.services.drafts import draft_update
from designer.services.nodes import (
    node_create,
    node_delete,
    node_duplicate,
    node_move,
    node_restore,
    node_update,
)
from designer.services.operations import operation_redo, operation_undo
from designer.signals import operation_committed
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


def state(draft: Draft) -> dict[str, Any]:
    """Everything undo must give back: every node (key, parent key, place among its siblings, fields)
    and the process settings."""
    draft.refresh_from_db()
    nodes = {}
    for node in Node.objects.filter(draft=draft).select_related("parent"):
        siblings = list(
            Node.objects.filter(draft=draft, parent_id=node.parent_id)
            .order_by("position", "id")
            .values_list("pk", flat=True)
        )
        nodes[str(node.key)] = (
            str(node.parent.key) if node.parent else None,
            siblings.index(node.pk),
            node.kind,
            node.name,
            node.parallel,
            node.read_only,
            node.trigger_type,
            node.job_type,
            node.arguments,
            node.extra,
        )
    settings = (draft.name, draft.due_date, draft.business_days, draft.relative_dates, draft.extra)
    return {"nodes": nodes, "settings": settings}


@pytest.fixture
def me():
    return UserFactory()


@pytest.fixture
def draft(me):
    draft = make_draft(me, name="Close")
    root = root_of(draft)
    prep = add_group(draft, root, "Prepare")
    add_job(draft, prep, "Reconcile cash")
    add_job(draft, prep, "Reconcile AR")
    review = add_group(draft, root, "Review")
    add_job(draft, review, "Sign off")
    add_job(draft, root, "Publish")
    draft.refresh_from_db()
    return draft


def by_label(draft: Draft, label: str) -> Node:
    for node in Node.objects.filter(draft=draft):
        if node.label == label:
            node.draft = draft
            return node
    raise AssertionError(label)


def undo(draft: Draft, actor: Any) -> Operation:
    draft.refresh_from_db()
    return operation_undo(draft=draft, version=draft.version, actor=actor)


def redo(draft: Draft, actor: Any) -> Operation:
    draft.refresh_from_db()
    return operation_redo(draft=draft, version=draft.version, actor=actor)


EDITS = {
    "add job": lambda d, me: node_create(
        draft=d,
        version=d.version,
        parent_key=by_label(d, "Prepare").key,
        position=1,
        kind="job",
        job_type="sendTask",
        arguments={"title": "New"},
        actor=me,
    ),
    "add group after": lambda d, me: node_create(
        draft=d, version=d.version, after_key=by_label(d, "Reconcile cash").key, kind="group", name="G", actor=me
    ),
    "edit job": lambda d, me: node_update(
        node=by_label(d, "Reconcile cash"),
        version=d.version,
        changes={"arguments": {"title": "Cash", "assigneeUser": "u9"}},
        actor=me,
    ),
    "edit group": lambda d, me: node_update(
        node=by_label(d, "Review"), version=d.version, changes={"name": "Check", "parallel": True}, actor=me
    ),
    "move within group": lambda d, me: node_move(
        node=by_label(d, "Reconcile AR"), version=d.version, parent_key=by_label(d, "Prepare").key, position=0, actor=me
    ),
    "move across groups": lambda d, me: node_move(
        node=by_label(d, "Reconcile cash"),
        version=d.version,
        parent_key=by_label(d, "Review").key,
        position=1,
        actor=me,
    ),
    "move group into group": lambda d, me: node_move(
        node=by_label(d, "Prepare"), version=d.version, parent_key=by_label(d, "Review").key, position=0, actor=me
    ),
    "delete job": lambda d, me: node_delete(node=by_label(d, "Reconcile cash"), version=d.version, actor=me),
    "delete group": lambda d, me: node_delete(node=by_label(d, "Prepare"), version=d.version, actor=me),
    "duplicate group": lambda d, me: node_duplicate(node=by_label(d, "Prepare"), version=d.version, actor=me),
    "settings": lambda d, me: draft_update(draft=d, version=d.version, changes={"name": "Q2 close"}, actor=me),
}


@pytest.mark.parametrize("name", list(EDITS))
def test_every_edit_is_recorded_undone_and_redone_exactly(draft, me, name):
    before = state(draft)
    EDITS[name](draft, me)
    after = state(draft)
    assert after != before
    op = Operation.objects.get(draft=draft, version_after=draft.version)
    assert op.actor == me
    assert op.version_before == draft.version - 1
    assert op.keys or op.settings

    undone = undo(draft, me)
    assert state(draft) == before
    assert undone.kind == Operation.Kind.UNDO
    assert undone.reverts == op
    redo(draft, me)
    assert state(draft) == after
    undo(draft, me)
    assert state(draft) == before


def test_node_restore_is_an_operation_too(draft, me):
    snapshot = node_delete(node=by_label(draft, "Prepare"), version=draft.version, actor=me)
    deleted = state(draft)
    node_restore(draft=draft, version=draft.version, snapshot=snapshot, actor=me)
    undo(draft, me)
    assert state(draft) == deleted


def test_many_levels_undo_back_to_the_start_and_redo_forward(draft, me):
    states = [state(draft)]
    for name in ["move across groups", "edit job", "add job", "delete group", "settings"]:
        EDITS[name](draft, me)
        states.append(state(draft))
    for expected in reversed(states[:-1]):
        undo(draft, me)
        assert state(draft) == expected
    with pytest.raises(TreeError, match="nothing of yours to undo"):
        undo(draft, me)
    for expected in states[1:]:
        redo(draft, me)
        assert state(draft) == expected
    with pytest.raises(TreeError, match="nothing of yours to redo"):
        redo(draft, me)


def test_a_new_edit_ends_what_can_be_redone(draft, me):
    EDITS["edit job"](draft, me)
    undo(draft, me)
    assert undo_state(draft, me).redo
    EDITS["edit group"](draft, me)
    assert undo_state(draft, me).redo == ""
    with pytest.raises(TreeError, match="nothing of yours to redo"):
        redo(draft, me)


def test_undo_undoes_only_my_operations(draft, me):
    other = UserFactory(username="bob")
    EDITS["edit job"](draft, me)
    mine = state(draft)
    draft.refresh_from_db()
    node_update(
        node=by_label(draft, "Publish"), version=draft.version, changes={"arguments": {"title": "Go"}}, actor=other
    )
    theirs = state(draft)

    undo(draft, me)  # my edit of another job: theirs stays

    now = state(draft)
    key = str(by_label(draft, "Go").key)
    assert now["nodes"][key] == theirs["nodes"][key]
    assert now != mine
    assert by_label(draft, "Reconcile cash")


def test_undo_is_refused_when_someone_else_changed_the_same_node_since(draft, me):
    bob = UserFactory(username="bob")
    EDITS["edit job"](draft, me)
    draft.refresh_from_db()
    node_update(
        node=by_label(draft, "Cash"), version=draft.version, changes={"arguments": {"title": "Bob's"}}, actor=bob
    )
    before = state(draft)
    version = draft.version

    with pytest.raises(OperationConflict) as refused:
        undo(draft, me)

    message = str(refused.value)
    assert "Cannot undo the edit of “Reconcile cash”" in message
    assert "bob changed the same items since (edit of “Cash”)" in message
    assert state(draft) == before
    assert Draft.objects.get(pk=draft.pk).version == version
    assert not Operation.objects.filter(draft=draft, kind=Operation.Kind.UNDO).exists()


def test_undo_is_refused_when_someone_added_into_the_group_it_would_remove(draft, me):
    bob = UserFactory(username="bob")
    group = EDITS["add group after"](draft, me)
    draft.refresh_from_db()
    node_create(draft=draft, version=draft.version, parent_key=group.key, kind="group", name="Bob's", actor=bob)
    before = state(draft)

    with pytest.raises(OperationConflict, match="bob changed the same items since"):
        undo(draft, me)
    assert state(draft) == before


def test_undo_goes_ahead_when_the_other_change_was_undone(draft, me):
    bob = UserFactory(username="bob")
    start = state(draft)
    EDITS["edit job"](draft, me)
    draft.refresh_from_db()
    node_update(node=by_label(draft, "Cash"), version=draft.version, changes={"arguments": {"title": "B"}}, actor=bob)
    undo(draft, bob)
    undo(draft, me)
    assert state(draft) == start


def test_undo_checks_the_version(draft, me):
    EDITS["edit job"](draft, me)
    with pytest.raises(DraftConflict):
        operation_undo(draft=draft, version=draft.version - 1, actor=me)


def test_undo_state_names_the_action(draft, me):
    EDITS["move across groups"](draft, me)
    assert undo_state(draft, me).undo == "move of “Reconcile cash”"
    undo(draft, me)
    assert undo_state(draft, me).redo == "move of “Reconcile cash”"


def test_field_edits_say_which_fields(draft, me):
    EDITS["edit job"](draft, me)
    op = Operation.objects.get(draft=draft, version_after=draft.version)
    key = str(by_label(draft, "Cash").key)
    assert op.keys == [key]
    assert sorted(op.fields[key]) == ["arguments.assigneeUser", "arguments.title"]


def test_changes_since_sums_up_the_operations(draft, me):
    start = draft.version
    cash, ar = by_label(draft, "Reconcile cash"), by_label(draft, "Reconcile AR")
    EDITS["edit job"](draft, me)
    draft.refresh_from_db()
    node_delete(node=ar, version=draft.version, actor=me)
    draft.refresh_from_db()
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2026-12-31"}, actor=me)

    changes = changes_since(draft, start)

    assert changes is not None
    assert changes.version == Draft.objects.get(pk=draft.pk).version
    assert cash.key in changes.touched
    assert changes.fields[cash.key] == {"arguments.title", "arguments.assigneeUser"}
    assert changes.removed == {ar.key}
    assert by_label(draft, "Prepare").key in changes.touched  # its items changed
    assert changes.settings == {"due_date"}
    assert [op.kind for op in changes.operations] == ["edit", "delete", "settings"]
    assert changes_since(draft, changes.version) == type(changes)(since=changes.version, version=changes.version)
    assert changes_since(draft, changes.version + 1) is None
    assert changes_since(draft, 0) is None  # older than the log: the draft's creation is not in it


def test_undone_delete_comes_back_as_touched_not_removed(draft, me):
    start = draft.version
    ar = by_label(draft, "Reconcile AR")
    node_delete(node=ar, version=draft.version, actor=me)
    undo(draft, me)
    changes = changes_since(draft, start)
    assert changes is not None
    assert ar.key in changes.touched
    assert ar.key not in changes.removed


def test_operation_committed_is_sent_after_commit(draft, me, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender: Any, operation: Operation, **kwargs: Any) -> None:
        received.append(operation)

    operation_committed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            EDITS["edit job"](draft, me)
            assert received == []
    finally:
        operation_committed.disconnect(receiver)
    assert [op.kind for op in received] == ["edit"]


def test_a_refused_edit_records_nothing(draft, me):
    count = Operation.objects.count()
    with pytest.raises(TreeError):
        node_move(
            node=by_label(draft, "Prepare"),
            version=draft.version,
            parent_key=by_label(draft, "Prepare").key,
            position=0,
            actor=me,
        )
    assert Operation.objects.count() == count


def test_a_revision_restore_is_undone_like_any_edit(draft, me):
    from designer.models import Revision
    from designer.services.revisions import revision_restore, revision_save_point

    first = revision_save_point(draft=draft, actor=me)
    EDITS["move across groups"](draft, me)
    draft.refresh_from_db()
    EDITS["settings"](draft, me)
    changed = state(draft)
    draft.refresh_from_db()
    revision_restore(draft=draft, actor=me, version=draft.version, revision=Revision.objects.get(pk=first.pk))
    assert state(draft) != changed
    undo(draft, me)
    assert state(draft) == changed


def test_a_refused_undo_leaves_the_list_so_the_next_undo_goes_on(draft, me):
    bob = UserFactory(username="bob")
    EDITS["edit group"](draft, me)  # Review → Check
    EDITS["edit job"](draft, me)  # Reconcile cash → Cash
    draft.refresh_from_db()
    node_update(node=by_label(draft, "Cash"), version=draft.version, changes={"arguments": {"title": "B"}}, actor=bob)

    with pytest.raises(OperationConflict, match="It is off your undo list now."):
        undo(draft, me)
    undone = undo(draft, me)

    assert undone.reverts is not None
    assert undone.reverts.summary == "edit of “Review”"
    assert by_label(draft, "Review").name == "Review"
    assert by_label(draft, "B")  # bob's edit stays


def test_a_reorder_and_its_undo_say_which_item_moved(draft, me):
    ar = by_label(draft, "Reconcile AR")
    EDITS["move within group"](draft, me)
    moved = Operation.objects.get(draft=draft, version_after=draft.version)
    undone = undo(draft, me)
    assert moved.fields == {str(ar.key): ["position"]}
    assert len(undone.fields) == 1
    assert next(iter(undone.fields.values())) == ["position"]
    assert str(by_label(draft, "Prepare").key) in undone.keys


def test_pruning_old_operations_ends_undo_and_changes_since_there(draft, me):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    start = draft.version
    EDITS["edit job"](draft, me)
    Operation.objects.filter(draft=draft).update(created=timezone.now() - timedelta(days=100))
    EDITS["edit group"](draft, me)

    call_command("prune_operations", "--days", "90")

    assert Operation.objects.filter(draft=draft).count() == 1
    assert changes_since(draft, start) is None
    assert changes_since(draft, draft.version - 1) is not None
    undo(draft, me)
    with pytest.raises(TreeError, match="nothing of yours to undo"):
        undo(draft, me)
