from __future__ import annotations

import pytest

from designer.diff import FieldChange, diff_revisions, field_label
from designer.models import Node
from designer.services.drafts import draft_update
from designer.services.nodes import node_delete, node_move, node_update
from designer.services.revisions import revision_save_point
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


def _v(draft):
    draft.refresh_from_db()
    return draft.version


def _node(node):
    return Node.objects.select_related("draft").get(key=node.key)


@pytest.fixture
def nested():
    """root: [A: [A1: [j1, j2], j3], B: [j4], j5]"""
    owner = UserFactory()
    draft = make_draft(owner)
    root = root_of(draft)
    a = add_group(draft, root, "A")
    a1 = add_group(draft, a, "A1")
    j1 = add_job(draft, a1, "j1")
    j2 = add_job(draft, a1, "j2")
    j3 = add_job(draft, a, "j3")
    b = add_group(draft, root, "B")
    j4 = add_job(draft, b, "j4")
    j5 = add_job(draft, root, "j5")
    draft.refresh_from_db()
    base = revision_save_point(draft=draft, actor=owner)
    return {
        "draft": draft,
        "owner": owner,
        "base": base,
        "root": root,
        "a": a,
        "a1": a1,
        "b": b,
        "j1": j1,
        "j2": j2,
        "j3": j3,
        "j4": j4,
        "j5": j5,
    }


def _diff(t):
    return diff_revisions(t["base"], t["draft"])


def test_identical_content_has_an_empty_diff(nested):
    diff = _diff(nested)

    assert diff.is_empty


def test_added_job_in_a_nested_group_is_added_and_siblings_are_not_moved(nested):
    draft = nested["draft"]
    _v(draft)
    new = add_job(draft, nested["a1"], "new", position=0)

    diff = _diff(nested)

    assert diff.keys("added") == {str(new.key)}
    assert diff.added[0].depth == 3
    assert diff.moved == []
    assert diff.removed == []
    assert diff.changed == []


def test_removing_a_group_removes_its_whole_subtree(nested):
    draft = nested["draft"]

    node_delete(node=_node(nested["a1"]), version=_v(draft))

    diff = _diff(nested)
    assert diff.keys("removed") == {str(nested[k].key) for k in ("a1", "j1", "j2")}
    assert diff.moved == []
    assert diff.added == []


def test_moving_a_job_out_of_a_nested_group_is_moved_with_its_parents(nested):
    draft = nested["draft"]

    node_move(node=_node(nested["j2"]), version=_v(draft), parent_key=nested["b"].key, position=0)

    diff = _diff(nested)
    assert diff.keys("moved") == {str(nested["j2"].key)}
    moved = diff.moved[0]
    assert moved.parent_changed
    assert (moved.before_parent_label, moved.after_parent_label) == ("A1", "B")
    assert diff.added == diff.removed == diff.changed == []


def test_moving_a_whole_group_reports_only_the_group(nested):
    draft = nested["draft"]

    node_move(node=_node(nested["a1"]), version=_v(draft), parent_key=nested["b"].key, position=1)

    diff = _diff(nested)
    assert diff.keys("moved") == {str(nested["a1"].key)}


def test_reordering_siblings_reports_the_node_that_moved_not_the_ones_shifted(nested):
    draft = nested["draft"]

    # root: [A, B, j5] -> [j5, A, B]
    node_move(node=_node(nested["j5"]), version=_v(draft), parent_key=nested["root"].key, position=0)

    diff = _diff(nested)
    assert diff.keys("moved") == {str(nested["j5"].key)}
    assert diff.moved[0].parent_changed is False
    assert (diff.moved[0].before.position, diff.moved[0].after.position) == (2, 0)


def test_changed_fields_have_before_and_after_including_arguments(nested):
    draft = nested["draft"]
    node_update(node=_node(nested["a1"]), version=_v(draft), changes={"name": "Sub A", "parallel": True})
    node_update(
        node=_node(nested["j1"]),
        version=_v(draft),
        changes={"arguments": {"title": "j1", "assigneeUser": "userId2", "description": "Read it"}},
    )
    draft_update(draft=draft, version=_v(draft), changes={"due_date": "2026-12-31"})

    diff = _diff(nested)

    by_key = {c.key: c.fields for c in diff.changed}
    assert by_key[str(nested["a1"].key)] == [
        FieldChange("name", "A1", "Sub A"),
        FieldChange("parallel", False, True),
    ]
    assert by_key[str(nested["j1"].key)] == [
        FieldChange("arguments.assigneeUser", "userId1", "userId2"),
        FieldChange("arguments.description", None, "Read it"),
    ]
    assert diff.process == [FieldChange("dueDate", None, "2026-12-31")]
    assert diff.moved == diff.added == diff.removed == []


def test_a_node_moved_and_changed_is_reported_in_both(nested):
    draft = nested["draft"]
    node_move(node=_node(nested["j4"]), version=_v(draft), parent_key=nested["a1"].key, position=1)
    node_update(
        node=_node(nested["j4"]), version=_v(draft), changes={"arguments": {"title": "j4b", "assigneeUser": "userId1"}}
    )

    diff = _diff(nested)

    assert diff.keys("moved") == {str(nested["j4"].key)}
    assert diff.keys("changed") == {str(nested["j4"].key)}
    assert diff.changed[0].fields == [FieldChange("arguments.title", "j4", "j4b")]


def test_diff_between_two_revisions_in_either_direction(nested):
    draft = nested["draft"]
    new = add_job(draft, nested["b"], "late")
    r2 = revision_save_point(draft=draft, actor=nested["owner"])

    forward = diff_revisions(nested["base"], r2)
    backward = diff_revisions(r2, nested["base"])

    assert forward.keys("added") == backward.keys("removed") == {str(new.key)}
    assert forward.count == backward.count == 1


def test_values_and_labels_read_as_the_registry_says_for_their_kind(nested):
    draft = nested["draft"]
    node_update(node=_node(nested["a1"]), version=_v(draft), changes={"parallel": True, "read_only": True})
    draft_update(draft=draft, version=_v(draft), changes={"business_days": ["monday", "friday"]})

    diff = _diff(nested)

    [group] = [c for c in diff.changed if c.key == str(nested["a1"].key)]
    shown = [(field_label(f.field), f.before_text, f.after_text) for f in group.fields]
    assert shown == [("All at the same time", "No", "Yes"), ("Read only", "No", "Yes")]
    assert [(field_label(f.field), f.after_text) for f in diff.process] == [("Business days", "Monday, Friday")]
    assert FieldChange("arguments.assignee", None, {"id": "userId9", "type": "user"}).after_text == "userId9"
    assert field_label("arguments.dueDate") == "Due date"
    assert field_label("type") == "Job type"


def test_moving_a_job_below_a_group_reports_the_job_not_the_group():
    owner = UserFactory()
    draft = make_draft(owner)
    root = root_of(draft)
    job = add_job(draft, root, "Collect")
    group = add_group(draft, root, "Bank")
    add_job(draft, group, "Reconcile")
    draft.refresh_from_db()
    base = revision_save_point(draft=draft, actor=owner)

    node_move(node=_node(job), version=_v(draft), parent_key=root.key, position=1)  # root: [Bank, Collect]

    diff = diff_revisions(base, draft)
    assert diff.keys("moved") == {str(job.key)}
    assert (diff.moved[0].before.position, diff.moved[0].after.position) == (0, 1)


def test_among_equally_long_orders_the_larger_subtree_stays_and_fewest_moves_win(nested):
    draft = nested["draft"]
    # root: [A, B, j5] -> [B, A, j5]: A (5 nodes) stays, B (2 nodes) moved before it.
    node_move(node=_node(nested["b"]), version=_v(draft), parent_key=nested["root"].key, position=0)

    assert _diff(nested).keys("moved") == {str(nested["b"].key)}


def test_an_added_node_reads_in_the_registry_s_words(nested):
    draft = nested["draft"]
    job = add_job(draft, nested["b"], "Certify", dueDate="2026-12-31", approverUser="userId7")
    draft.refresh_from_db()
    group = add_group(draft, nested["root"], "Parallel checks")
    node_update(node=_node(group), version=_v(draft), changes={"parallel": True})

    added = {c.key: c.after.shown for c in _diff(nested).added}

    assert added[str(job.key)] == [
        ("Job type", "Send a task"),
        ("Assignee", "userId1"),
        ("Due date", "2026-12-31"),
        ("Approver", "userId7"),
    ]
    assert added[str(group.key)] == [
        ("Children run", "all at the same time"),
        ("Read only", "No"),
        ("Trigger", "whenEligible"),
    ]
