"""The Undo and Redo views: login, CSRF, role, refusals, the answer, queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designer.models import Activity, Draft, Membership, Node
from designer.services.nodes import node_update
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def saved_user(**kwargs):
    user = UserFactory(**kwargs)
    user.save()
    return user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make(owner, groups: int = 1, jobs: int = 2) -> Draft:
    draft = make_draft(owner, name="Close")
    root = root_of(draft)
    for g in range(groups):
        group = add_group(draft, root, f"G{g}")
        for j in range(jobs):
            add_job(draft, group, f"Job {g}.{j}")
    draft.refresh_from_db()
    return draft


def edit_title(client: Client, draft: Draft, title: str, new: str):
    node = Node.objects.get(draft=draft, arguments__title=title)
    draft.refresh_from_db()
    data = {"version": draft.version, "node-title": new, "node-assigneeUser": "userId1", "selected": node.key}
    response = client.post(reverse("node-edit", args=[draft.pk, node.key]), data, headers=HX)
    assert response.status_code == 200
    return node


def post(client: Client, name: str, draft: Draft, **data):
    draft.refresh_from_db()
    return client.post(reverse(name, args=[draft.pk]), {"version": draft.version, **data}, headers=HX)


def test_undo_answers_a_patch_logs_an_activity_line_and_redo_puts_it_back():
    owner = saved_user()
    client = client_for(owner)
    draft = make(owner)
    node = edit_title(client, draft, "Job 0.0", "Cash")

    undone = post(client, "draft-undo", draft, selected=str(node.key))

    body = undone.content.decode()
    assert undone.status_code == 200
    assert 'id="outline-patch"' in body
    assert "Undid the edit of “Job 0.0”." in body
    assert 'title="Redo edit of “Job 0.0” (Ctrl+Shift+Z)"' in body
    assert Node.objects.get(pk=node.pk).arguments["title"] == "Job 0.0"
    assert "Undid the edit of “Job 0.0”." in Activity.objects.filter(draft=draft).first().summary
    redone = post(client, "draft-redo", draft)
    assert "Redid the edit of “Job 0.0”." in redone.content.decode()
    assert Node.objects.get(pk=node.pk).arguments["title"] == "Cash"


def test_undo_refused_says_who_and_changes_nothing():
    owner, bob = saved_user(), saved_user(username="bob")
    Membership.objects.create(draft=(draft := make(owner)), user=bob, role=Membership.Role.EDITOR)
    client = client_for(owner)
    node = edit_title(client, draft, "Job 0.0", "Cash")
    draft.refresh_from_db()
    node_update(node=node, version=draft.version, changes={"arguments": {"title": "Bob"}}, actor=bob)
    version = Draft.objects.get(pk=draft.pk).version

    response = post(client, "draft-undo", draft)

    assert response.status_code == 422
    assert "bob changed the same items since (edit of “Cash”)" in response.content.decode()
    assert Node.objects.get(pk=node.pk).arguments["title"] == "Bob"
    assert Draft.objects.get(pk=draft.pk).version == version


def test_undo_of_a_stale_version_is_a_conflict():
    owner = saved_user()
    client = client_for(owner)
    draft = make(owner)
    edit_title(client, draft, "Job 0.0", "Cash")
    response = client.post(reverse("draft-undo", args=[draft.pk]), {"version": 1}, headers=HX)
    assert response.status_code == 409
    assert Node.objects.filter(draft=draft, arguments__title="Cash").exists()


def test_undo_undoes_only_my_own_edits():
    owner, ed = saved_user(), saved_user(username="ed")
    draft = make(owner)
    Membership.objects.create(draft=draft, user=ed, role=Membership.Role.EDITOR)
    edit_title(client_for(owner), draft, "Job 0.0", "Mine")
    response = post(client_for(ed), "draft-undo", draft)
    assert response.status_code == 422
    assert "There is nothing of yours to undo on this draft." in response.content.decode()
    assert Node.objects.filter(draft=draft, arguments__title="Mine").exists()


def test_undo_needs_login_csrf_and_the_edit_role():
    owner = saved_user()
    draft = make(owner)
    edit_title(client_for(owner), draft, "Job 0.0", "Cash")
    assert Client().post(reverse("draft-undo", args=[draft.pk]), {"version": draft.version}).status_code == 302
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(owner)
    assert strict.post(reverse("draft-undo", args=[draft.pk]), {"version": draft.version}).status_code == 403
    viewer = saved_user()
    Membership.objects.create(draft=draft, user=viewer, role=Membership.Role.VIEWER)
    assert post(client_for(viewer), "draft-undo", draft).status_code == 403
    assert client_for(owner).get(reverse("draft-undo", args=[draft.pk])).status_code == 405
    assert Node.objects.filter(draft=draft, arguments__title="Cash").exists()


def test_undo_queries_do_not_grow_with_the_tree():
    owner = saved_user()
    client = client_for(owner)
    counts = []
    for groups in (1, 30):
        draft = make(owner, groups=groups, jobs=10)
        edit_title(client, draft, "Job 0.1", "Cash")
        draft.refresh_from_db()
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(reverse("draft-undo", args=[draft.pk]), {"version": draft.version}, headers=HX)
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 40, counts


@pytest.mark.parametrize(
    ("before", "after", "moved"),
    [
        ("abc", "abc", ""),
        ("abc", "bac", "a"),  # one of the two swapped: the fewest that explain it
        ("abcd", "bcda", "a"),
        ("abcd", "dabc", "d"),
        ("abc", "ac", ""),  # a deletion moves nobody
        ("ac", "abc", ""),  # nor an addition
        ("abcdef", "fedcba", "abcde"),
    ],
)
def test_reordered_finds_the_items_that_moved(before, after, moved):
    from designer.services.opstates import reordered

    found = reordered(list(before), list(after))
    assert len(found) == len(moved)
    assert found <= set(before)


def test_undo_of_a_move_among_the_same_siblings_places_the_item_again():
    owner = saved_user()
    client = client_for(owner)
    draft = make(owner, jobs=3)
    node = Node.objects.get(draft=draft, arguments__title="Job 0.2")
    draft.refresh_from_db()
    data = {"version": draft.version, "parent": str(node.parent.key), "position": 0, "selected": str(node.key)}
    assert client.post(reverse("node-move", args=[draft.pk, node.key]), data, headers=HX).status_code == 200

    response = post(client, "draft-undo", draft)

    body = response.content.decode()
    assert response.status_code == 200
    assert f'data-parent="{node.parent.key}" data-index="2"' in body
    assert f'id="node-{node.key}"' in body
