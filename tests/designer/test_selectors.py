"""``draft_tree`` builds its nodes without ``Model.__init__``: they must be ordinary saved nodes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from designer.models import Node
from designer.selectors import draft_tree
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
