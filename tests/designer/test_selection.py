"""Writes to a multi-selection (designer.services.selection and its views), and the search index."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from designer.errors import DraftConflict, TreeError
from designer.models import Activity, Draft, Membership, Operation
from designer.selectors.trees import draft_tree
from designer.services.operations import operation_undo
from designer.services.selection import nodes_delete, nodes_move, parse_keys
from processes_api import schema
from tests.directory.fill import add_user
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def outline(draft: Draft) -> list[str]:
    """The tree as indented labels, in document order (the root first)."""
    draft.refresh_from_db()
    return ["  " * depth + node.label for node, depth in draft_tree(draft=draft).walk()]


def dense(draft: Draft) -> bool:
    tree = draft_tree(draft=draft)
    return all(
        [c.position for c in tree.children(n)] == list(range(len(tree.children(n)))) for n in tree.by_id.values()
    )


def keys(draft: Draft, *labels: str) -> list[str]:
    by_label = {n.label: str(n.key) for n in draft_tree(draft=draft).by_id.values()}
    return [by_label[label] for label in labels]


@pytest.fixture
def draft(user):
    """Root: A (a1, a2, a3), B (b1, b2), c, d."""
    draft = make_draft(user, name="Close")
    root = root_of(draft)
    a = add_group(draft, root, "A")
    for title in ("a1", "a2", "a3"):
        add_job(draft, a, title)
    b = add_group(draft, root, "B")
    for title in ("b1", "b2"):
        add_job(draft, b, title)
    add_job(draft, root, "c")
    add_job(draft, root, "d")
    draft.refresh_from_db()
    return draft


BEFORE = ["Close", "  A", "    a1", "    a2", "    a3", "  B", "    b1", "    b2", "  c", "  d"]


# --- nodes_move ---------------------------------------------------------------------------------------


def test_move_items_from_two_groups_to_a_position_keeps_their_document_order(draft):
    version = draft.version
    # given out of order: the document's order decides
    moved = nodes_move(draft=draft, version=version, keys=keys(draft, "b1", "a3", "c"), **target(draft, "B", 1))

    assert [n.label for n in moved.nodes] == ["a3", "b1", "c"]
    assert outline(draft) == ["Close", "  A", "    a1", "    a2", "  B", "    b2", "    a3", "    b1", "    c", "  d"]
    assert draft.version == version + 1  # one version bump for the whole move
    assert dense(draft)
    assert [(p.key, p.parent, p.position) for p in moved.before] == [
        (moved.nodes[0].key, *map(_uuid, keys(draft, "A")), 2),
        (moved.nodes[1].key, *map(_uuid, keys(draft, "B")), 0),
        (moved.nodes[2].key, root_of(draft).key, 2),
    ]
    assert {g.label for g in moved.old_parents} == {"A", "Close"}


def _uuid(value):
    import uuid

    return uuid.UUID(value)


def target(draft, label, position):
    return {"parent_key": keys(draft, label)[0], "position": position}


def test_move_position_counts_only_the_items_that_stay(draft):
    # Root children staying: A, B, d (c moves): position 2 is between B and d.
    nodes_move(draft=draft, version=draft.version, keys=keys(draft, "a1", "c"), **target(draft, "Close", 2))

    assert outline(draft) == ["Close", "  A", "    a2", "    a3", "  B", "    b1", "    b2", "  a1", "  c", "  d"]
    assert dense(draft)


def test_a_selected_item_inside_a_selected_group_moves_with_its_group(draft):
    moved = nodes_move(draft=draft, version=draft.version, keys=keys(draft, "a2", "A"), **target(draft, "B", 99))

    assert [n.label for n in moved.nodes] == ["A"]
    assert outline(draft) == [
        "Close",
        "  B",
        "    b1",
        "    b2",
        "    A",
        "      a1",
        "      a2",
        "      a3",
        "  c",
        "  d",
    ]


@pytest.mark.parametrize(
    ("labels", "direction", "after"),
    [
        (("a2", "a3"), "up", ["Close", "  A", "    a2", "    a3", "    a1", "  B", "    b1", "    b2", "  c", "  d"]),
        (("a1", "a2"), "down", ["Close", "  A", "    a3", "    a1", "    a2", "  B", "    b1", "    b2", "  c", "  d"]),
        # not next to each other: they close up as a block, in order
        (("A", "c"), "down", ["Close", "  B", "    b1", "    b2", "  d", "  A", "    a1", "    a2", "    a3", "  c"]),
        (
            ("c", "d"),
            "indent",
            ["Close", "  A", "    a1", "    a2", "    a3", "  B", "    b1", "    b2", "    c", "    d"],
        ),
        (("b1", "b2"), "outdent", ["Close", "  A", "    a1", "    a2", "    a3", "  B", "  b1", "  b2", "  c", "  d"]),
        # across groups: led by the first, they go where it goes
        (("a3", "b1"), "outdent", ["Close", "  A", "    a1", "    a2", "  a3", "  b1", "  B", "    b2", "  c", "  d"]),
    ],
)
def test_keyboard_moves_of_a_selection(draft, labels, direction, after):
    nodes_move(draft=draft, version=draft.version, keys=keys(draft, *labels), direction=direction)

    assert outline(draft) == after
    assert dense(draft)


@pytest.mark.parametrize(
    ("labels", "direction", "message"),
    [
        (("a1", "a2"), "up", "already first"),
        (("c", "d"), "down", "already last"),
        (("a1", "a3"), "down", "already last"),
        (("A", "c"), "outdent", "already at the top level"),
        (("A", "B"), "indent", "must be a group"),
    ],
)
def test_impossible_keyboard_moves_are_refused_and_write_nothing(draft, labels, direction, message):
    version = draft.version

    with pytest.raises(TreeError, match=message):
        nodes_move(draft=draft, version=version, keys=keys(draft, *labels), direction=direction)

    assert outline(draft) == BEFORE
    assert Draft.objects.get(pk=draft.pk).version == version


def test_a_group_cannot_move_into_itself_with_the_selection(draft):
    with pytest.raises(TreeError, match="into itself"):
        nodes_move(draft=draft, version=draft.version, keys=keys(draft, "A", "c"), **target(draft, "A", 0))
    assert outline(draft) == BEFORE


def test_a_stale_move_of_an_item_moved_since_is_refused_and_nothing_moves(draft):
    # A stale version alone merges (issue 16); moving an item someone else moved since conflicts.
    stale = draft.version
    nodes_move(draft=draft, version=stale, keys=keys(draft, "a1"), **target(draft, "Close", 0))
    draft.refresh_from_db()
    after = outline(draft)
    assert after != BEFORE

    with pytest.raises(DraftConflict):
        nodes_move(draft=draft, version=stale, keys=keys(draft, "a1", "b1"), **target(draft, "B", 0))
    assert outline(draft) == after


def test_the_root_and_unknown_keys_are_refused(draft):
    with pytest.raises(TreeError, match="root"):
        nodes_move(draft=draft, version=draft.version, keys=[str(root_of(draft).key)], **target(draft, "A", 0))
    draft.refresh_from_db()  # the refused service left the instance's version bumped; the database's is not
    other = make_draft(name="Other")
    stranger = add_job(other, root_of(other), "Elsewhere")
    with pytest.raises(TreeError, match="no node"):
        nodes_move(draft=draft, version=draft.version, keys=[str(stranger.key)], **target(draft, "A", 0))
    assert outline(draft) == BEFORE


def test_a_move_deeper_than_the_limit_is_refused(draft, settings):
    root = root_of(draft)
    deep = root
    for level in range(schema.MAX_DEPTH - 1):
        deep = add_group(draft, deep, f"L{level}")
    draft.refresh_from_db()
    with pytest.raises(TreeError, match="levels deep"):
        nodes_move(draft=draft, version=draft.version, keys=keys(draft, "A", "c"), **target(draft, deep.label, 0))


@pytest.mark.parametrize("value", ["", "not-a-key", " "])
def test_parse_keys_refuses_what_is_not_a_selection(value):
    with pytest.raises(TreeError):
        parse_keys(value)


# --- nodes_delete, and undo of both -------------------------------------------------------------------


def test_delete_several_items_then_undo_puts_them_back_where_they_were(draft):
    version = draft.version

    snapshots = nodes_delete(draft=draft, version=version, keys=keys(draft, "d", "a2", "B", "b1"), actor=draft.owner)

    assert outline(draft) == ["Close", "  A", "    a1", "    a3", "  c"]
    assert draft.version == version + 1
    assert dense(draft)
    assert [s["nodes"][0]["arguments"].get("title") or s["nodes"][0]["name"] for s in snapshots] == ["a2", "B", "d"]
    op = Operation.objects.filter(draft=draft).latest("pk")
    assert (op.kind, op.summary) == (Operation.Kind.DELETE, "deletion of 3 items")

    operation_undo(draft=draft, version=draft.version, actor=draft.owner)

    assert outline(draft) == BEFORE
    assert draft.version == version + 2


def test_a_multi_move_is_one_operation_and_one_undo_step(draft):
    version = draft.version
    before = Operation.objects.filter(draft=draft).count()

    nodes_move(draft=draft, version=version, keys=keys(draft, "a1", "b2", "c"), direction="down", actor=draft.owner)

    assert Operation.objects.filter(draft=draft).count() == before + 1
    op = Operation.objects.filter(draft=draft).latest("pk")
    assert (op.kind, op.summary, op.version_before, op.version_after) == (
        Operation.Kind.MOVE,
        "move of 3 items",
        version,
        version + 1,
    )
    assert outline(draft) != BEFORE

    operation_undo(draft=draft, version=draft.version, actor=draft.owner)

    assert outline(draft) == BEFORE
    assert dense(draft)


def test_delete_with_a_stale_version_deletes_nothing(draft):
    with pytest.raises(DraftConflict):
        nodes_delete(draft=draft, version=draft.version + 1, keys=keys(draft, "a1", "c"))
    assert outline(draft) == BEFORE


# --- the views ----------------------------------------------------------------------------------------


@pytest.fixture
def owner_client(draft):
    client = Client()
    client.force_login(draft.owner)
    return client


def test_the_move_view_answers_one_patch_and_logs_one_line(draft, owner_client):
    before = Activity.objects.filter(draft=draft).count()
    moving = keys(draft, "a2", "b2")

    response = owner_client.post(
        reverse("nodes-move", args=[draft.pk]),
        {"version": draft.version, "keys": " ".join(moving), "direction": "up", "focus": moving[0]},
        headers=HX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="outline-patch"' in html
    assert html.count("data-parent=") == 2
    assert Activity.objects.filter(draft=draft).count() == before + 1
    assert Activity.objects.filter(draft=draft).latest("pk").summary == "Moved 2 items."
    assert outline(draft)[1:7] == ["  A", "    a2", "    b2", "    a1", "    a3", "  B"]


def test_the_delete_view_deletes_in_one_step_and_undo_brings_everything_back(draft, owner_client):
    before = Activity.objects.filter(draft=draft).count()

    response = owner_client.post(
        reverse("nodes-delete", args=[draft.pk]),
        {"version": draft.version, "keys": " ".join(keys(draft, "a1", "B", "d"))},
        headers=HX,
    )

    assert response.status_code == 200
    assert "Deleted 3 items." in response.content.decode()
    assert outline(draft) == ["Close", "  A", "    a2", "    a3", "  c"]
    assert Activity.objects.filter(draft=draft).count() == before + 1

    response = owner_client.post(reverse("draft-undo", args=[draft.pk]), {"version": draft.version}, headers=HX)

    assert response.status_code == 200
    assert outline(draft) == BEFORE


def test_a_stale_multi_move_of_an_item_moved_since_answers_409_with_the_workspace(draft, owner_client):
    stale = draft.version
    nodes_move(draft=draft, version=stale, keys=keys(draft, "a1"), **target(draft, "Close", 0))
    draft.refresh_from_db()
    after = outline(draft)

    response = owner_client.post(
        reverse("nodes-move", args=[draft.pk]),
        {"version": stale, "keys": " ".join(keys(draft, "a1", "b1")), "direction": "down"},
        headers=HX,
    )

    assert response.status_code == 409
    assert 'id="workspace"' in response.content.decode()
    assert outline(draft) == after


def test_bad_keys_answer_422_naming_the_problem(draft, owner_client):
    response = owner_client.post(
        reverse("nodes-delete", args=[draft.pk]), {"version": draft.version, "keys": "nonsense"}, headers=HX
    )

    assert response.status_code == 422
    assert "not a node key" in response.content.decode()
    assert outline(draft) == BEFORE


@pytest.mark.parametrize("name", ["nodes-move", "nodes-delete"])
def test_a_viewer_cannot_move_or_delete_a_selection(draft, name):
    viewer = UserFactory()
    viewer.save()
    Membership.objects.create(draft=draft, user=viewer, role=Membership.Role.VIEWER)
    client = Client()
    client.force_login(viewer)

    response = client.post(
        reverse(name, args=[draft.pk]),
        {"version": draft.version, "keys": " ".join(keys(draft, "a1", "c")), "direction": "up"},
        headers=HX,
    )

    assert response.status_code == 403
    assert outline(draft) == BEFORE


def test_a_stranger_gets_404_from_the_search_index(draft):
    stranger = UserFactory()
    stranger.save()
    client = Client()
    client.force_login(stranger)

    assert client.get(reverse("outline-index", args=[draft.pk])).status_code == 404


def test_the_search_index_lists_what_search_matches(draft, owner_client):
    root = root_of(draft)
    job = add_job(
        draft,
        root,
        "Reconcile <cash>",
        instructions="Tie out account 1150",
        assigneeUser="userId77",
        approverUser="userId88",
        dueDate="2026-03-31",
    )

    data = json.loads(owner_client.get(reverse("outline-index", args=[draft.pk])).content)

    assert data["version"] == Draft.objects.get(pk=draft.pk).version
    assert [n["kind"] for n in data["nodes"]][:2] == ["group", "job"]
    entry = next(n for n in data["nodes"] if n["key"] == str(job.key))
    assert entry == {
        "key": str(job.key),
        "kind": "job",
        "type": "sendTask",
        "typeLabel": "send a task",
        "text": "reconcile <cash> tie out account 1150",
        "assignees": ["userid77", "userid88"],
        "names": [],
        "due": "2026-03-31",
    }


def test_the_search_index_names_the_people_the_directory_knows_in_one_query(
    draft, owner_client, django_assert_max_num_queries
):
    add_user("dXNlcjox", "Ada Lovelace", "ada@example.com")
    add_user("dXNlcjoy", "Grace <Hopper>", "grace@example.com")
    root = root_of(draft)
    group = add_group(draft, root, "Cash")
    jobs = [
        add_job(draft, group, f"Reconcile {i}", assigneeUser="dXNlcjox", approverUser="dXNlcjoy") for i in range(30)
    ]
    stranger = add_job(draft, root, "Unknown person", assigneeUser="userId404")
    request = {
        "type": "contentRequest",
        "assignee": {"id": "dXNlcjoy", "type": "user"},
    }
    content = add_job(draft, root, "Content", job_type=request["type"], assignee=request["assignee"])
    url = reverse("outline-index", args=[draft.pk])
    owner_client.get(url)  # warm the session and permission caches

    with django_assert_max_num_queries(8) as captured:
        data = json.loads(owner_client.get(url).content)

    directory_queries = [q for q in captured.captured_queries if "directory_directoryuser" in q["sql"]]
    assert len(directory_queries) == 1  # the names of every job at once, not per node
    by_key = {n["key"]: n for n in data["nodes"]}
    assert by_key[str(jobs[0].key)]["names"] == ["ada lovelace", "grace <hopper>"]
    assert by_key[str(jobs[0].key)]["assignees"] == ["dxnlcjox", "dxnlcjoy"]
    assert by_key[str(stranger.key)]["names"] == []  # an id the directory does not know keeps only its id
    assert by_key[str(stranger.key)]["assignees"] == ["userid404"]
    assert by_key[str(content.key)]["names"] == ["grace <hopper>"]  # a principal's id is looked up too
