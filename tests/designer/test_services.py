from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from designer.errors import DraftConflict, TreeError
from designer.models import Draft, Node
from designer.selectors import trees
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_create, draft_duplicate, draft_update
from designer.services.nodes import (
    node_create,
    node_delete,
    node_duplicate,
    node_move,
    node_move_by_direction,
    node_restore,
    node_update,
)
from designer.services.revisions import revision_freeze
from tests.factories import add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


def outline(draft: Draft) -> list[str]:
    """The tree as indented labels, in document order."""
    draft.refresh_from_db()
    tree = draft_tree(draft=draft)
    return ["  " * depth + node.label for node, depth in tree.walk()]


def positions_are_dense(draft: Draft) -> bool:
    tree = draft_tree(draft=draft)
    return all(
        [c.position for c in tree.children(n)] == list(range(len(tree.children(n)))) for n in tree.by_id.values()
    )


@pytest.fixture
def draft(user):
    draft = make_draft(user, name="Close")
    root = root_of(draft)
    prep = add_group(draft, root, "Prep")
    add_job(draft, prep, "Collect")
    add_job(draft, prep, "Check")
    add_job(draft, root, "Sign")
    return draft


def test_draft_create_makes_one_sequential_root_group(user):
    draft = draft_create(owner=user, name="Q4 close")

    root = root_of(draft)
    assert (root.kind, root.name, root.parallel, root.trigger_type) == ("group", "Q4 close", False, "whenEligible")
    assert draft.version == 1


def test_a_second_root_is_refused_by_the_database(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Node.objects.create(draft=draft, kind="group", name="Second root")


def test_a_root_job_is_refused_by_the_database(user):
    draft = Draft.objects.create(owner=user, name="x")

    with pytest.raises(IntegrityError), transaction.atomic():
        Node.objects.create(draft=draft, kind="job", job_type="sendTask")


def test_node_create_inserts_at_position_and_bumps_version(draft):
    root = root_of(draft)
    before = draft.version

    add_job(draft, root, "First", position=0)

    assert outline(draft) == ["Close", "  First", "  Prep", "    Collect", "    Check", "  Sign"]
    assert draft.version == before + 1
    assert positions_are_dense(draft)


def test_node_create_under_a_job_is_refused(draft):
    job = Node.objects.get(arguments__title="Sign")

    with pytest.raises(TreeError, match="A job cannot hold other nodes"):
        add_job(draft, job, "Child")


def test_node_create_with_unknown_job_type_is_refused(draft):
    with pytest.raises(TreeError, match='Unknown job type "sendTsk"'):
        add_job(draft, root_of(draft), "x", job_type="sendTsk")


def test_node_create_with_generated_job_type_is_refused(draft):
    with pytest.raises(TreeError, match="created by Workiva"):
        add_job(draft, root_of(draft), "x", job_type="certificationSignerGenerated")


def test_a_version_the_draft_never_had_is_refused_with_a_conflict_and_writes_nothing(draft):
    # An older version is merged when it clashes with nothing (tests/live/test_merge.py); a newer one
    # is nonsense and refused.
    future = draft.version + 1
    count = Node.objects.count()

    with pytest.raises(DraftConflict, match="This draft changed since you opened it") as caught:
        node_create(draft=draft, version=future, parent_key=root_of(draft).key, position=0, kind="group", name="Late")

    assert caught.value.actual == draft.version
    assert Node.objects.count() == count


def test_node_update_group_fields(draft):
    prep = Node.objects.get(name="Prep")

    node_update(node=prep, version=draft.version, changes={"name": "Preparation", "parallel": True})

    prep.refresh_from_db()
    assert (prep.name, prep.parallel) == ("Preparation", True)


def test_node_update_job_keeps_unknown_argument_fields(draft):
    job = Node.objects.get(arguments__title="Sign")
    job.arguments = job.arguments | {"futureField": 7}
    job.save()

    node_update(node=job, version=draft.version, changes={"arguments": {"title": "Sign off", "assigneeUser": ""}})

    job.refresh_from_db()
    assert job.arguments == {"title": "Sign off", "futureField": 7}


def test_node_update_rejects_fields_of_the_other_kind(draft):
    job = Node.objects.get(arguments__title="Sign")

    with pytest.raises(TreeError, match="A job has no field parallel"):
        node_update(node=job, version=draft.version, changes={"parallel": True})


def test_node_move_into_a_nested_group(draft):
    sign = Node.objects.get(arguments__title="Sign")
    prep = Node.objects.get(name="Prep")

    node_move(node=sign, version=draft.version, parent_key=prep.key, position=1)

    assert outline(draft) == ["Close", "  Prep", "    Collect", "    Sign", "    Check"]
    assert positions_are_dense(draft)


def test_node_move_out_of_a_group_to_the_front(draft):
    check = Node.objects.get(arguments__title="Check")

    node_move(node=check, version=draft.version, parent_key=root_of(draft).key, position=0)

    assert outline(draft) == ["Close", "  Check", "  Prep", "    Collect", "  Sign"]
    assert positions_are_dense(draft)


def test_node_move_within_siblings_down(draft):
    prep = Node.objects.get(name="Prep")

    node_move(node=prep, version=draft.version, parent_key=root_of(draft).key, position=5)

    assert outline(draft) == ["Close", "  Sign", "  Prep", "    Collect", "    Check"]


def test_move_into_own_descendant_is_refused(draft):
    prep = Node.objects.get(name="Prep")
    inner = add_group(draft, prep, "Inner")

    with pytest.raises(TreeError, match="cannot be moved into itself"):
        node_move(node=prep, version=draft.version, parent_key=inner.key, position=0)
    with pytest.raises(TreeError, match="cannot be moved into itself"):
        node_move(node=prep, version=draft.version, parent_key=prep.key, position=0)


def test_move_of_the_root_is_refused(draft):
    root = root_of(draft)

    with pytest.raises(TreeError, match="The root group cannot be moved"):
        node_move(node=root, version=draft.version, parent_key=root.key, position=0)


def test_move_into_a_job_is_refused(draft):
    sign = Node.objects.get(arguments__title="Sign")
    collect = Node.objects.get(arguments__title="Collect")

    with pytest.raises(TreeError, match="A job cannot hold other nodes"):
        node_move(node=collect, version=draft.version, parent_key=sign.key, position=0)


@pytest.mark.parametrize(
    ("title", "direction", "expected"),
    [
        ("Check", "up", ["Close", "  Prep", "    Check", "    Collect", "  Sign"]),
        ("Collect", "down", ["Close", "  Prep", "    Check", "    Collect", "  Sign"]),
        ("Sign", "indent", ["Close", "  Prep", "    Collect", "    Check", "    Sign"]),
        ("Collect", "outdent", ["Close", "  Prep", "    Check", "  Collect", "  Sign"]),
    ],
)
def test_node_move_by_direction_moves_one_step(draft, title, direction, expected):
    node = Node.objects.get(arguments__title=title)

    node_move_by_direction(node=node, version=draft.version, direction=direction)

    assert outline(draft) == expected
    assert positions_are_dense(draft)


@pytest.mark.parametrize(
    ("title", "direction", "message"),
    [
        ("Collect", "up", "“Collect” is already first in its group."),
        ("Sign", "down", "“Sign” is already last in its group."),
        ("Check", "indent", "To indent “Check”, the node just above it must be a group."),
        ("Sign", "outdent", "“Sign” is already at the top level."),
    ],
)
def test_node_move_by_direction_past_an_edge_is_refused_in_words(draft, title, direction, message):
    node = Node.objects.get(arguments__title=title)

    with pytest.raises(TreeError) as refused:
        node_move_by_direction(node=node, version=draft.version, direction=direction)

    assert str(refused.value) == message
    assert outline(draft) == ["Close", "  Prep", "    Collect", "    Check", "  Sign"]


def test_node_move_by_direction_of_the_root_is_refused(draft):
    with pytest.raises(TreeError, match="The root group cannot be moved"):
        node_move_by_direction(node=root_of(draft), version=draft.version, direction="down")


def test_node_move_by_direction_on_a_stale_version_moves_among_the_neighbours_of_now(draft):
    # A stale version is merged (tests/live/test_merge.py): the step is taken in the outline as it is.
    collect = Node.objects.get(arguments__title="Collect")
    stale = draft.version
    node_update(node=Node.objects.get(name="Prep"), version=stale, changes={"name": "Preparation"})

    node_move_by_direction(node=collect, version=stale, direction="down")

    assert outline(draft) == ["Close", "  Preparation", "    Check", "    Collect", "  Sign"]


def test_node_delete_removes_the_subtree_and_restore_puts_it_back(draft):
    prep = Node.objects.get(name="Prep")
    keys = set(Node.objects.filter(draft=draft).values_list("key", flat=True))

    snapshot = node_delete(node=prep, version=draft.version)

    assert outline(draft) == ["Close", "  Sign"]
    assert positions_are_dense(draft)

    node_restore(draft=draft, version=draft.version, snapshot=snapshot)

    assert outline(draft) == ["Close", "  Prep", "    Collect", "    Check", "  Sign"]
    assert set(Node.objects.filter(draft=draft).values_list("key", flat=True)) == keys


def test_restore_twice_is_refused(draft):
    prep = Node.objects.get(name="Prep")
    snapshot = node_delete(node=prep, version=draft.version)
    draft.refresh_from_db()
    node_restore(draft=draft, version=draft.version, snapshot=snapshot)

    with pytest.raises(TreeError, match="already undone"):
        node_restore(draft=draft, version=draft.version, snapshot=snapshot)


def test_delete_of_the_root_is_refused(draft):
    with pytest.raises(TreeError, match="The root group cannot be deleted"):
        node_delete(node=root_of(draft), version=draft.version)


def test_node_duplicate_copies_the_subtree_with_new_keys_after_the_original(draft):
    prep = Node.objects.get(name="Prep")

    copy = node_duplicate(node=prep, version=draft.version)

    assert outline(draft) == [
        "Close",
        "  Prep",
        "    Collect",
        "    Check",
        "  Prep",
        "    Collect",
        "    Check",
        "  Sign",
    ]
    assert copy.key != prep.key
    assert len(set(Node.objects.filter(draft=draft).values_list("key", flat=True))) == 8
    assert positions_are_dense(draft)


def test_draft_duplicate_copies_settings_and_tree(draft, user):
    draft.due_date = "2026-12-31"
    draft.save()

    copy = draft_duplicate(draft=draft, owner=user)

    assert copy.due_date == "2026-12-31"
    # The root was named like the process, so it takes the copy's name; the rest is the same.
    assert outline(copy) == ["Copy of Close", *outline(draft)[1:]]
    assert not set(Node.objects.filter(draft=copy).values_list("key", flat=True)) & set(
        Node.objects.filter(draft=draft).values_list("key", flat=True)
    )


def test_draft_update_changes_settings(draft):
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-31", "auto_close": True})

    draft.refresh_from_db()
    assert (draft.due_date, draft.auto_close) == ("2027-01-31", True)


def test_renaming_the_process_renames_a_root_named_like_it(draft):
    draft_update(draft=draft, version=draft.version, changes={"name": "Year-end close"})

    assert root_of(draft).name == "Year-end close"
    assert outline(draft)[0] == "Year-end close"


def test_renaming_the_process_keeps_a_root_named_on_purpose(draft):
    node_update(node=root_of(draft), version=draft.version, changes={"name": "Root"})
    draft.refresh_from_db()

    draft_update(draft=draft, version=draft.version, changes={"name": "Year-end close"})

    assert (Draft.objects.get(pk=draft.pk).name, root_of(draft).name) == ("Year-end close", "Root")


def test_changing_other_settings_leaves_the_root_name_alone(draft):
    draft_update(draft=draft, version=draft.version, changes={"due_date": "2027-01-31"})

    assert root_of(draft).name == "Close"


def test_draft_update_refuses_unknown_fields(draft):
    with pytest.raises(TreeError, match="Cannot change owner"):
        draft_update(draft=draft, version=draft.version, changes={"owner": None})


def test_draft_tree_loads_in_one_query(draft, django_assert_num_queries):
    with django_assert_num_queries(1):
        tree = draft_tree(draft=draft)
        labels = [n.label for n, _ in tree.walk()]

    assert labels == ["Close", "Prep", "Collect", "Check", "Sign"]


def test_revision_freeze_numbers_revisions_and_hashes_content(draft, user):
    first = revision_freeze(draft=draft, author=user, reason="save_point")
    same = revision_freeze(draft=draft, author=user, reason="save_point")
    prep = Node.objects.get(name="Prep")
    node_update(node=prep, version=draft.version, changes={"name": "Preparation"})
    draft.refresh_from_db()

    changed = revision_freeze(draft=draft, author=user, reason="save_point")

    assert (first.number, same.number, changed.number) == (1, 2, 3)
    assert first.content_hash == same.content_hash != changed.content_hash
    assert changed.payload["root"]["children"][0]["group"]["name"] == "Preparation"
    assert changed.paths[str(prep.key)] == "root.children[0]"
    assert changed.draft_version == draft.version


def test_moving_a_node_changes_the_content_hash(draft, user):
    before = revision_freeze(draft=draft, author=user, reason="save_point")
    sign = Node.objects.get(arguments__title="Sign")
    node_move(node=sign, version=draft.version, parent_key=root_of(draft).key, position=0)
    draft.refresh_from_db()

    after = revision_freeze(draft=draft, author=user, reason="save_point")

    assert before.content_hash != after.content_hash


def shape(tree) -> list[tuple[str, str | None, int]]:
    """Every node's label, parent label and position, in document order."""
    return [(n.label, tree.parent(n).label if tree.parent(n) else None, n.position) for n, _ in tree.walk()]


def test_node_move_returns_the_moved_node_and_the_parent_it_left(draft):
    sign = Node.objects.get(arguments__title="Sign")
    prep = Node.objects.get(name="Prep")

    moved = node_move(node=sign, version=draft.version, parent_key=prep.key, position=1)

    assert moved.node.parent_id == prep.pk
    assert moved.node.position == 1
    assert moved.old_parent == root_of(draft)
    assert outline(draft) == ["Close", "  Prep", "    Collect", "    Sign", "    Check"]
    assert positions_are_dense(draft)


def test_node_move_within_its_own_group(draft):
    collect = Node.objects.get(arguments__title="Collect")
    prep = Node.objects.get(name="Prep")

    node_move(node=collect, version=draft.version, parent_key=prep.key, position=1)

    assert outline(draft) == ["Close", "  Prep", "    Check", "    Collect", "  Sign"]
    assert positions_are_dense(draft)


def test_node_move_clamps_the_position_to_the_end(draft):
    collect = Node.objects.get(arguments__title="Collect")

    node_move(node=collect, version=draft.version, parent_key=root_of(draft).key, position=99)

    assert outline(draft) == ["Close", "  Prep", "    Check", "  Sign", "  Collect"]
    assert positions_are_dense(draft)


def test_node_move_does_not_load_the_tree(user, monkeypatch):
    # A move reads the node's neighbourhood only: the same queries for 3 jobs and for 300.
    def no_tree(**kwargs):
        raise AssertionError("node_move loaded the whole tree")

    counts = []
    for jobs in (3, 300):
        draft = make_draft(user, name=f"{jobs} jobs")
        root = root_of(draft)
        inner = add_group(draft, add_group(draft, root, "Outer"), "Inner")
        Node.objects.bulk_create(
            [Node(draft=draft, parent=root, position=2 + i, kind="job", job_type="sendTask") for i in range(jobs)]
        )
        job = add_job(draft, inner, "Mover")
        draft.refresh_from_db()

        with monkeypatch.context() as patched, CaptureQueriesContext(connection) as ctx:
            patched.setattr(trees, "draft_tree", no_tree)
            node_move(node=job, version=draft.version, parent_key=root.key, position=1)

        counts.append(len(ctx.captured_queries))
        assert [n.label for n in Node.objects.filter(parent=root).order_by("position")][:3] == [
            "Outer",
            "Mover",
            "Untitled job",
        ]
    assert counts[0] == counts[1]


def test_node_move_keeps_the_tree_consistent_when_positions_have_gaps(draft):
    # Positions written by older code or by hand need not be 0..n-1: a move still puts the node
    # in the chosen parent and leaves every parent's children in a single, unambiguous order.
    prep = Node.objects.get(name="Prep")
    Node.objects.filter(parent=prep).update(position=F("position") * 10 + 5)
    Node.objects.filter(arguments__title="Sign").update(position=7)
    check = Node.objects.get(arguments__title="Check")

    for parent, position in ((root_of(draft), 0), (prep, 0), (prep, 1), (root_of(draft), 9)):
        draft.refresh_from_db()
        moved = node_move(node=check, version=draft.version, parent_key=parent.key, position=position)

        assert moved.node.parent_id == parent.pk
        tree = draft_tree(draft=draft)
        for node in tree.by_id.values():
            positions = [c.position for c in tree.children(node)]
            assert len(positions) == len(set(positions))


def test_a_service_brings_the_callers_draft_up_to_date_with_the_row(draft):
    Draft.objects.filter(pk=draft.pk).update(name="Renamed elsewhere")  # same version: not a write
    sign = Node.objects.get(arguments__title="Sign")
    sign.draft = draft

    node_move(node=sign, version=draft.version, parent_key=root_of(draft).key, position=0)

    assert draft.name == "Renamed elsewhere"
    assert draft.version == Draft.objects.get(pk=draft.pk).version


def test_node_create_after_a_node_puts_the_new_one_right_after_it_even_with_gaps(draft):
    prep = Node.objects.get(name="Prep")
    Node.objects.filter(parent=prep).update(position=F("position") * 10 + 5)  # Collect 5, Check 15
    collect = Node.objects.get(arguments__title="Collect")

    node_create(
        draft=draft,
        version=draft.version,
        after_key=collect.key,
        kind="job",
        job_type="sendTask",
        arguments={"title": "Between"},
    )

    assert outline(draft) == ["Close", "  Prep", "    Collect", "    Between", "    Check", "  Sign"]


def test_node_create_refuses_to_add_after_the_root_or_nowhere(draft):
    version = draft.version
    with pytest.raises(TreeError, match="Nothing can be added after the root group"):
        node_create(draft=draft, version=version, after_key=root_of(draft).key, kind="group")
    draft.refresh_from_db()
    with pytest.raises(TreeError, match="Say where to add"):
        node_create(draft=draft, version=draft.version, kind="group")

    assert Node.objects.filter(draft=draft).count() == 5
