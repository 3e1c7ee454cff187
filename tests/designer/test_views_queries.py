"""The number of SQL queries per editor request does not grow with the tree."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designer.models import Node
from designer.selectors.trees import draft_tree
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
    second_group = tree.children(tree.root)[1] if len(tree.children(tree.root)) > 1 else tree.root
    open_page = count(lambda: client.get(editor, {"node": first_job.key}))
    drop = count(
        lambda: client.post(
            reverse("node-move", args=[draft.pk, first_job.key]),
            {"version": draft.version, "parent": second_group.key, "position": 1, "selected": first_job.key},
            headers=hx,
        )
    )
    draft.refresh_from_db()
    move = count(
        lambda: client.post(
            reverse("node-move", args=[draft.pk, first_job.key]),
            {"version": draft.version, "direction": "up", "selected": first_job.key},
            headers=hx,
        )
    )
    status = count(lambda: client.get(reverse("draft-status", args=[draft.pk]), headers=hx))
    return open_page, drop, move, status


@pytest.mark.django_db
def test_queries_for_open_drop_move_and_status_do_not_grow_with_the_tree():
    owner = UserFactory()
    owner.save()
    client = Client()
    client.force_login(owner)
    small, large = big_draft(owner, 2), big_draft(owner, 100)
    assert Node.objects.filter(draft=large).count() == 1001
    assert Node.objects.filter(draft=small).count() == 21

    small_counts = measure(client, small)
    large_counts = measure(client, large)

    assert small_counts == large_counts, (small_counts, large_counts)
    # The workspace also shows the review state and the publish area (approval, gate, latest submission),
    # and the rows show the assignees' names from the directory (one query per answer with rows).
    # An edit is also recorded in the operation log (what it touches read before and after, the row
    # written: 3 queries) and every answer says what Undo and Redo would do (1 query); a move asks
    # whether any job has a due date (1 query: then every row's badges follow the new order).
    assert max(small_counts) <= 36, small_counts


def tree_loads(ctx) -> int:
    """How many captured queries read a whole draft's nodes (what ``draft_tree`` does)."""
    return sum(
        1
        for q in ctx.captured_queries
        if 'FROM "designer_node" WHERE "designer_node"."draft_id" = ' in q["sql"] and "LIMIT" not in q["sql"]
    )


@pytest.mark.django_db
def test_moves_never_load_the_tree_and_the_status_loads_it_once_even_with_an_approval_to_compare():
    from designer.models import Membership
    from designer.services.reviews import review_approve

    owner, reviewer = UserFactory(), UserFactory()
    owner.save()
    reviewer.save()
    draft = big_draft(owner, 2)
    Membership.objects.create(draft=draft, user=reviewer, role="reviewer")
    review_approve(draft=draft, actor=reviewer, version=draft.version)
    draft.refresh_from_db()
    client = Client()
    client.force_login(owner)
    tree = draft_tree(draft=draft)
    first_group, second_group = tree.children(tree.root)
    first_job = tree.children(first_group)[0]
    hx = {"HX-Request": "true"}

    with CaptureQueriesContext(connection) as opening:
        page = client.get(reverse("draft-editor", args=[draft.pk]))
    with CaptureQueriesContext(connection) as dropping:
        client.post(
            reverse("node-move", args=[draft.pk, first_job.key]),
            {"version": draft.version, "parent": second_group.key, "position": 0},
            headers=hx,
        )
    draft.refresh_from_db()
    with CaptureQueriesContext(connection) as moving:
        client.post(
            reverse("node-move", args=[draft.pk, first_job.key]),
            {"version": draft.version, "direction": "down"},
            headers=hx,
        )
    with CaptureQueriesContext(connection) as checking:
        status = client.get(reverse("draft-status", args=[draft.pk]), headers=hx)

    assert "<strong>Approved</strong>" in page.content.decode()
    assert "<strong>Changed since approval</strong>" in status.content.decode()
    assert "The draft changed since it was approved" in status.content.decode()
    assert [tree_loads(ctx) for ctx in (opening, dropping, moving, checking)] == [1, 0, 0, 1]
