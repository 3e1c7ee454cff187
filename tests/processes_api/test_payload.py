from __future__ import annotations

import copy
import json

import pytest

from designer.models import Draft, Node
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_import
from processes_api.payload import PayloadError, build_payload, dumps, parse_json
from tests.factories import seed_request

pytestmark = pytest.mark.django_db


def roundtrip(data, owner):
    draft = draft_import(data=data, owner=owner)
    return build_payload(draft_tree(draft=draft))


def job(title, job_type="sendTask", **args):
    key = {"sendTask": "sendTaskArgs", "contentRequest": "contentRequestArgs", "certification": "certificationArgs"}
    return {"type": "job", "job": {"arguments": {"type": job_type, key[job_type]: {"title": title, **args}}}}


def group(name, children, parallel=False):
    return {
        "type": "group",
        "group": {
            "name": name,
            "parallel": parallel,
            "readOnly": False,
            "triggerType": "whenEligible",
            "children": children,
        },
    }


def test_seed_request_round_trips_to_identical_json(user):
    data = seed_request()

    payload = roundtrip(data, user)

    assert dumps(payload.data) == dumps(data)


def test_nested_parallel_groups_and_every_job_type_round_trip(user):
    data = seed_request()
    data["root"]["children"].extend(
        [
            group(
                "Collect",
                [
                    job(
                        "Revenue", "contentRequest", assignee={"id": "u1", "type": "user"}, document="f1", section="s1"
                    ),
                    group("Deep", [job("Certify", "certification", letter="L1", dueDate="2024-12-01")], parallel=True),
                    group("Empty", []),
                ],
                parallel=True,
            ),
            job("Last", instructions='Ünïcødé — <b>bold</b> & "quoted"'),
        ]
    )

    payload = roundtrip(copy.deepcopy(data), user)

    assert dumps(payload.data) == dumps(data)


def test_unknown_fields_at_every_level_are_kept(user):
    data = seed_request()
    data["futureSetting"] = {"a": [1, 2]}
    data["root"]["colour"] = "blue"
    child = data["root"]["children"][0]
    child["note"] = "wrapper-level"
    child["job"]["name"] = "job-level"
    child["job"]["arguments"]["priority"] = "high"
    child["job"]["arguments"]["sendTaskArgs"]["reminderDays"] = 3
    data["root"]["children"].append({**group("G", []), "extraWrapper": True})

    payload = roundtrip(copy.deepcopy(data), user)

    assert dumps(payload.data) == dumps(data)


def test_unset_optional_fields_are_omitted(user):
    data = {"name": "Minimal", "root": {"name": "Root", "children": [job("Only")]}}

    payload = roundtrip(copy.deepcopy(data), user)

    assert payload.data == data


def test_read_only_response_fields_are_dropped_on_import(user):
    data = seed_request()
    data.update(id="p1", revision=3, created={"dateTime": "2019-10-30T15:03:27Z"})
    data["root"]["id"] = "root-1"
    data["root"]["children"][0]["job"]["id"] = "job-1"

    payload = roundtrip(data, user)

    assert dumps(payload.data) == dumps(seed_request())


def test_path_map_names_every_node(user):
    data = seed_request()
    data["root"]["children"].append(group("G", [job("A"), group("H", [job("B")])]))
    draft = draft_import(data=data, owner=user)
    tree = draft_tree(draft=draft)

    paths = build_payload(tree).paths

    by_label = {paths.path_by_key[n.key]: n.label for n in tree.by_id.values()}
    assert by_label == {
        "root": "Performance Review Workflow",
        "root.children[0]": "Complete Self-Assessment",
        "root.children[1]": "G",
        "root.children[1].group.children[0]": "A",
        "root.children[1].group.children[1]": "H",
        "root.children[1].group.children[1].group.children[0]": "B",
    }
    key_b = paths.key_by_path["root.children[1].group.children[1].group.children[0]"]
    assert (
        paths.key_for("root.children[1].group.children[1].group.children[0].job.arguments.sendTaskArgs.assigneeUser")
        == key_b
    )
    assert paths.key_for("$.root.children[1].group.children[1].group.children[0].job") == key_b
    assert paths.key_for("/root/children/1/group/children/0") == paths.key_by_path["root.children[1].group.children[0]"]
    assert paths.key_for("root.children[1].group.name") == paths.key_by_path["root.children[1]"]
    assert paths.key_for("assignee") is None
    assert paths.key_for("") is None


def with_child(child):
    data = seed_request()
    data["root"]["children"].extend([job("a"), job("b"), child])
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "a process must be a JSON object, not a list"),
        ({"root": {"children": []}}, "name: is required"),
        ({"name": "x"}, "root: is required"),
        ({"name": 5, "root": {}}, "name: must be a string, not a number"),
        ({"name": "x", "autoClose": "yes", "root": {}}, "autoClose: must be true or false, not a string"),
        (
            {"name": "x", "businessDaysOfWeek": "monday", "root": {}},
            "businessDaysOfWeek: must be a list of weekday names",
        ),
        ({"name": "x", "root": []}, "root: a group must be an object, not a list"),
        ({"name": "x", "root": {"children": {}}}, "root.children: must be a list, not an object"),
        ({"name": "x", "root": {"parallel": "no"}}, "root.parallel: must be true or false, not a string"),
        (
            with_child({"type": "job", "job": {"arguments": {"type": "sendTsk"}}}),
            'root.children[3].job.arguments.type: unknown job type "sendTsk"',
        ),
        (with_child({"type": "task"}), 'root.children[3].type: must be "job" or "group", not "task"'),
        (with_child({"job": {}}), 'root.children[3].type: must be "job" or "group", not missing'),
        (with_child({"type": "job"}), 'root.children[3].job: is required when type is "job"'),
        (with_child({"type": "job", "job": {}}), "root.children[3].job.arguments: is required"),
        (with_child({"type": "job", "job": {"arguments": {}}}), "root.children[3].job.arguments.type: is required"),
        (
            with_child({"type": "job", "job": {"arguments": {"type": "sendTask"}}}),
            "root.children[3].job.arguments.sendTaskArgs: is required",
        ),
        (
            with_child(
                {
                    "type": "job",
                    "job": {"arguments": {"type": "sendTask", "sendTaskArgs": {}, "contentRequestArgs": {}}},
                }
            ),
            'root.children[3].job.arguments.contentRequestArgs: does not match type "sendTask"',
        ),
        (
            with_child({"type": "job", "job": {"arguments": {"type": "sendTask", "sendTaskArgs": {"title": 3}}}}),
            "root.children[3].job.arguments.sendTaskArgs.title: must be a string, not a number",
        ),
        (
            with_child(job("x", "contentRequest", assignee="u1")),
            "root.children[3].job.arguments.contentRequestArgs.assignee: must be an object like",
        ),
        (
            with_child({"type": "job", "job": {"arguments": {"type": "certificationSignerGenerated"}}}),
            "generated by Workiva and cannot be sent",
        ),
        (
            with_child(group("G", [{"type": "group", "group": "oops"}])),
            "root.children[3].group.children[0].group: a group must be an object, not a string",
        ),
    ],
)
def test_malformed_payload_is_refused_with_path_and_creates_nothing(user, data, message):
    with pytest.raises(PayloadError) as caught:
        draft_import(data=data, owner=user)

    assert message in str(caught.value)
    assert Draft.objects.count() == 0
    assert Node.objects.count() == 0


def test_invalid_json_text_names_line_and_column():
    with pytest.raises(PayloadError, match=r"not valid JSON \(line 1, column 13: Illegal trailing comma"):
        parse_json('{"name": "x",\n}')


def test_non_utf8_bytes_are_refused():
    with pytest.raises(PayloadError, match="not UTF-8"):
        parse_json(b"\xff\xfe{")


def test_payload_json_is_stable_text(user):
    payload = roundtrip(seed_request(), user)

    assert json.loads(payload.to_json()) == seed_request()


def test_a_payloads_content_hash_is_computed_once_and_is_the_hash_of_its_content(user, monkeypatch):
    from processes_api import payload as payload_module

    built = roundtrip({"name": "P", "root": {"name": "P", "children": [job("A"), job("B")]}}, user)
    expected = payload_module.content_hash(built.data, built.paths.stored())
    calls = []
    real = payload_module.content_hash
    monkeypatch.setattr(payload_module, "content_hash", lambda *a: calls.append(a) or real(*a))

    assert built.content_hash() == expected
    assert built.content_hash() == expected
    assert len(calls) == 1


def test_a_frozen_revision_keeps_the_hash_of_its_own_content(user):
    from designer.services.revisions import revision_freeze
    from processes_api.payload import content_hash

    draft = draft_import(data={"name": "P", "root": {"name": "P", "children": [job("A")]}}, owner=user)
    revision = revision_freeze(draft=draft, author=user, reason="save_point")

    assert revision.content_hash == content_hash(revision.payload, revision.paths)
