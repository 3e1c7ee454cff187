"""The one walk over a Process JSON tree and the one path grammar."""

from __future__ import annotations

import pytest

from processes_api import walk as w
from processes_api.payload import PathMap, build_payload
from processes_api.walk import walk


def job(title):
    return {"type": "job", "job": {"arguments": {"type": "sendTask", "sendTaskArgs": {"title": title}}}}


ROOT = {
    "name": "Root",
    "children": [
        {"type": "group", "group": {"name": "A", "children": [job("a1"), job("a2")]}},
        job("b"),
    ],
}


def test_walk_yields_every_node_in_document_order_with_path_parent_position_and_depth():
    steps = list(walk(ROOT))

    assert [(path, parent, kind, position, depth) for _, path, parent, kind, _, position, depth in steps] == [
        ("root", None, "group", 0, 0),
        ("root.children[0]", "root", "group", 0, 1),
        ("root.children[0].group.children[0]", "root.children[0]", "job", 0, 2),
        ("root.children[0].group.children[1]", "root.children[0]", "job", 1, 2),
        ("root.children[1]", "root", "job", 1, 1),
    ]
    assert steps[1][0] is ROOT["children"][0]["group"]
    assert steps[1][4] is ROOT["children"][0]
    assert steps[0][4] is None


def test_walk_yields_malformed_parts_as_they_are_and_does_not_enter_them():
    root = {"children": ["text", {"type": "task"}, {"type": "group", "group": []}, {"type": "group"}]}

    steps = list(walk(root))

    assert [(path, kind, node) for node, path, _, kind, *_ in steps[1:]] == [
        ("root.children[0]", None, None),
        ("root.children[1]", "task", None),
        ("root.children[2]", "group", []),
        ("root.children[3]", "group", None),
    ]
    assert [path for _, path, *_ in walk({"children": {"not": "a list"}})] == ["root"]
    assert [path for _, path, *_ in walk(None)] == ["root"]


def test_a_caller_that_stops_at_a_group_never_reads_its_children():
    class Exploding(dict):
        def get(self, key, default=None):
            if key == "children":
                raise AssertionError("children read")
            return super().get(key, default)

    steps = walk(Exploding())

    assert next(steps)[1] == "root"


def test_paths_are_built_in_one_grammar():
    assert w.child_path("root", 2) == "root.children[2]"
    assert w.child_path("root.children[2]", 0) == "root.children[2].group.children[0]"
    assert w.body_path("root", "group") == "root"
    assert w.body_path("root.children[1]", "job") == "root.children[1].job"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/root/children/2/group/name", "root.children[2].group.name"),
        ("$.root.children[0].job", "root.children[0].job"),
        (" root.children[1] ", "root.children[1]"),
    ],
)
def test_error_targets_are_read_as_paths(target, expected):
    assert w.normalise_target(target) == expected


def test_a_target_maps_to_the_deepest_node_above_it():
    assert list(w.target_prefixes("root.children[0].job.arguments")) == [
        "root.children[0].job.arguments",
        "root.children[0].job",
        "root.children[0]",
        "root.children",
        "root",
    ]


def test_the_payload_path_map_uses_the_walks_paths(user):
    from designer.selectors.trees import draft_tree
    from designer.services.drafts import draft_import

    tree = draft_tree(draft=draft_import(data={"name": "P", "root": ROOT}, owner=user))

    payload = build_payload(tree)

    assert set(payload.paths.key_by_path) == {path for _, path, *_ in walk(payload.data["root"])}
    assert (
        PathMap(payload.paths.key_by_path).key_for("/root/children/0/group/children/1/job")
        == (payload.paths.key_by_path["root.children[0].group.children[1]"])
    )
