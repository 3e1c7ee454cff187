"""The number of SQL queries per editor request does not grow with the tree."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designer.models import Node
from designer.selectors import draft_tree
from tests.factories import UserFactory, make_draft, root_of


def big_draft(owner, groups):
    """Return a draft whose root holds ``groups`` groups of 9 sendTask jobs (10 nodes each)."""
    draft = make_draft(owner, name=f"{groups * 10} nodes")
    root = root_of(draft)
    made = Node.objects.bulk_create(
        [Node(draft=draft, parent=root, position=i, kind="group", name=f"G{i}", parallel=False) for i in range(groups)]
    )
    Node.objects.bulk_create(
        [
            Node(
                draft=draft,
                parent=group,
                position=j,
                kind="job",
                job_type="sendTask",
                arguments={"title": f"T{j}", "assigneeUser": "userId1", "dueDate": "2026-05-01"},
            )
            for group in made
            for j in range(9)
        ]
    )
    draft.refresh_from_db()
    return draft


def tokens_with_first_two_swapped(draft):
    tree = draft_tree(draft=draft)
    tokens = []
    for index, group in enumerate(tree.children(tree.root)):
        jobs = [str(job.key) for job in tree.children(group)]
        if index == 0:
            jobs[0], jobs[1] = jobs[1], jobs[0]
        tokens += [str(group.key), *jobs, "end"]
    return tokens


def count(func):
    with CaptureQueriesContext(connection) as ctx:
        response = func()
    assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


def measure(client, draft):
    tree = draft_tree(draft=draft)
    first_job = tree.children(tree.children(tree.root)[0])[0]
    editor = reverse("draft-editor", args=[draft.pk])
    hx = {"HX-Request": "true"}
    open_page = count(lambda: client.get(editor, {"node": first_job.key}))
    reorder = count(
        lambda: client.post(
            reverse("tree-reorder", args=[draft.pk]),
            {"version": draft.version, "node": tokens_with_first_two_swapped(draft)},
            headers=hx,
        )
    )
    draft.refresh_from_db()
    move = count(
        lambda: client.post(
            reverse("node-move", args=[draft.pk, first_job.key]),
            {"version": draft.version, "direction": "down"},
            headers=hx,
        )
    )
    return open_page, reorder, move


@pytest.mark.django_db
def test_queries_for_open_reorder_and_move_do_not_grow_with_the_tree():
    owner = UserFactory()
    owner.save()
    client = Client()
    client.force_login(owner)
    small, large = big_draft(owner, 1), big_draft(owner, 100)
    assert Node.objects.filter(draft=large).count() == 1001

    small_counts = measure(client, small)
    large_counts = measure(client, large)

    assert small_counts == large_counts
    # The workspace also shows the review state and the publish area (approval, gate, latest submission).
    assert max(small_counts) <= 30


def tree_loads(ctx) -> int:
    """How many captured queries read a whole draft's nodes (what ``draft_tree`` does)."""
    return sum(
        1
        for q in ctx.captured_queries
        if 'FROM "designer_node" WHERE "designer_node"."draft_id" = ' in q["sql"] and "LIMIT" not in q["sql"]
    )


@pytest.mark.django_db
def test_the_editor_loads_the_tree_once_per_request_even_with_an_approval_to_compare():
    from designer import review
    from designer.models import Membership

    owner, reviewer = UserFactory(), UserFactory()
    owner.save()
    reviewer.save()
    draft = big_draft(owner, 2)
    Membership.objects.create(draft=draft, user=reviewer, role="reviewer")
    review.review_approve(draft=draft, actor=reviewer, version=draft.version)
    draft.refresh_from_db()
    client = Client()
    client.force_login(owner)
    tree = draft_tree(draft=draft)
    first_job = tree.children(tree.children(tree.root)[0])[0]
    hx = {"HX-Request": "true"}
    tokens = tokens_with_first_two_swapped(draft)

    with CaptureQueriesContext(connection) as opening:
        page = client.get(reverse("draft-editor", args=[draft.pk]))
    with CaptureQueriesContext(connection) as reordering:
        reordered = client.post(
            reverse("tree-reorder", args=[draft.pk]),
            {"version": draft.version, "node": tokens},
            headers=hx,
        )
    draft.refresh_from_db()
    with CaptureQueriesContext(connection) as moving:
        moved = client.post(
            reverse("node-move", args=[draft.pk, first_job.key]),
            {"version": draft.version, "direction": "down"},
            headers=hx,
        )

    assert "<strong>Approved</strong>" in page.content.decode()
    assert "<strong>Changed since approval</strong>" in reordered.content.decode()
    assert "The draft changed since it was approved" in moved.content.decode()
    assert (tree_loads(opening), tree_loads(reordering), tree_loads(moving)) == (1, 1, 1)
