"""The tree reads: ``draft_tree`` (ordinary saved nodes without ``Model.__init__``) and the neighbourhood reads edits use."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from designer.models import Node
from designer.selectors.trees import child_counts, draft_tree, path_to, sibling_index, subtree, subtree_size
from tests.factories import add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


def fields(node: Node) -> dict:
    return {f.attname: getattr(node, f.attname) for f in Node._meta.concrete_fields}


@pytest.fixture
def draft(user):
    draft = make_draft(user, name="Close")
    prep = add_group(draft, root_of(draft), "Prep")
    add_job(draft, prep, "Collect", dueDate="2026-05-01", assignee={"id": "u1", "type": "user"})
    job = add_job(draft, prep, "Check")
    Node.objects.filter(pk=job.pk).update(extra={"node": {"futureField": [1, 2]}})
    add_group(draft, root_of(draft), "Empty")
    draft.refresh_from_db()
    return draft


def test_draft_tree_nodes_hold_the_same_values_as_the_orm_loads(draft):
    tree = draft_tree(draft=draft)

    loaded = {n.pk: fields(n) for n in Node.objects.filter(draft=draft)}
    assert {pk: fields(n) for pk, n in tree.by_id.items()} == loaded
    check = next(n for n in tree.by_id.values() if n.label == "Check")
    assert check.extra == {"node": {"futureField": [1, 2]}}
    assert next(n for n in tree.by_id.values() if n.label == "Collect").arguments["assignee"] == {
        "id": "u1",
        "type": "user",
    }


def test_draft_tree_nodes_are_saved_instances_that_know_their_draft(draft):
    tree = draft_tree(draft=draft)
    node = next(n for n in tree.by_id.values() if n.label == "Prep")

    with CaptureQueriesContext(connection) as ctx:
        assert node.draft is draft
    assert len(ctx.captured_queries) == 0
    assert node._state.adding is False
    assert node._state.db == "default"

    node.name = "Preparation"
    node.save()  # an UPDATE of the existing row, not a second node
    assert Node.objects.filter(draft=draft, name__in=["Prep", "Preparation"]).count() == 1
    node.refresh_from_db()
    assert node.name == "Preparation"


def test_draft_tree_json_values_are_separate_objects_per_node(draft):
    tree = draft_tree(draft=draft)
    empties = [n.extra for n in tree.by_id.values() if n.extra == {}]

    empties[0]["touched"] = True

    assert all(e == {} for e in empties[1:])


def test_draft_tree_sends_post_init_when_something_listens(draft):
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(listener, sender=Node)
    try:
        tree = draft_tree(draft=draft)
    finally:
        post_init.disconnect(listener, sender=Node)

    assert sorted(seen) == sorted(tree.by_id)
    assert [n.label for n, _ in tree.walk()] == ["Close", "Prep", "Collect", "Check", "Empty"]


@pytest.fixture
def nested(user):
    """Close > Prep > (Collect, Inner > (Deep, Deeper)), Sign; and another draft with the same shape."""
    made = {}
    for name in ("Close", "Other"):
        draft = make_draft(user, name=name)
        root = root_of(draft)
        prep = add_group(draft, root, "Prep")
        add_job(draft, prep, "Collect")
        inner = add_group(draft, prep, "Inner")
        add_job(draft, inner, "Deep")
        add_job(draft, inner, "Deeper")
        add_job(draft, root, "Sign")
        draft.refresh_from_db()
        made[name] = {n.label: n for n in draft_tree(draft=draft).by_id.values()}
    return made["Close"]


def test_path_to_lists_the_ancestors_root_first_in_one_query(nested, django_assert_num_queries):
    with django_assert_num_queries(1):
        path = path_to(nested["Deeper"])

    assert [n.label for n in path] == ["Close", "Prep", "Inner"]
    assert path_to(nested["Close"]) == []


def test_subtree_loads_a_node_and_everything_below_it_in_one_query(nested, django_assert_num_queries):
    with django_assert_num_queries(1):
        tree = subtree(node=nested["Prep"])

    assert [(n.label, depth) for n, depth in tree.walk()] == [
        ("Prep", 0),
        ("Collect", 1),
        ("Inner", 1),
        ("Deep", 2),
        ("Deeper", 2),
    ]
    assert tree.parent(tree.root) is None  # the parent is outside the subtree
    assert [n.label for n, _ in subtree(node=nested["Sign"]).walk()] == ["Sign"]


def test_sizes_and_indexes(nested):
    assert subtree_size(nested["Prep"]) == 4
    assert subtree_size(nested["Deep"]) == 0
    assert child_counts([nested["Prep"], nested["Inner"], nested["Sign"]]) == {
        nested["Prep"].pk: 2,
        nested["Inner"].pk: 2,
    }
    assert child_counts([]) == {}
    assert [sibling_index(nested[label]) for label in ("Prep", "Sign", "Collect", "Inner", "Deeper")] == [0, 1, 0, 1, 1]


def test_sibling_index_follows_the_trees_order_when_positions_tie_or_have_gaps(nested):
    Node.objects.filter(pk=nested["Deeper"].pk).update(position=0)  # ties with Deep: id decides
    Node.objects.filter(pk=nested["Collect"].pk).update(position=40)  # a gap, now after Inner
    for label in ("Deep", "Deeper", "Collect"):
        nested[label].refresh_from_db()

    assert [sibling_index(nested[label]) for label in ("Deep", "Deeper", "Collect")] == [0, 1, 1]
    tree = draft_tree(draft=nested["Prep"].draft)
    assert [n.label for n in tree.children(tree.by_key[nested["Inner"].key])] == ["Deep", "Deeper"]
