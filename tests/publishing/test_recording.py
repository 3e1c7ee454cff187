"""Recording a created process: one server id per node, written in bulk, replaced on a second record."""

from __future__ import annotations

import copy
from typing import Any
from uuid import UUID

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from processes_api.walk import walk
from publishing.models import ServerId, Submission
from publishing.services.recording import record_process
from publishing.services.submissions import submission_create
from tests.factories import add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


def _submission(user: Any, groups: int = 1, jobs: int = 2) -> Submission:
    draft = make_draft(user)
    root = root_of(draft)
    for g in range(groups):
        group = add_group(draft, root, f"Group {g}")
        for j in range(jobs):
            add_job(draft, group, f"Job {g}.{j}")
    return Submission.objects.select_related("revision").get(pk=submission_create(draft=draft, user=user).submission.pk)


def _answered(submission: Submission, prefix: str = "srv") -> dict[str, Any]:
    """The process Workiva would answer: the request with an id on every node."""
    process = copy.deepcopy(submission.revision.payload)
    process |= {"id": "process-1", "revision": 3}
    for n, (node, *_rest) in enumerate(walk(process["root"])):
        node["id"] = f"{prefix}-{n}"
    return process


def _expected(submission: Submission, process: dict[str, Any]) -> dict[UUID, str]:
    key_by_path = {path: UUID(key) for key, path in submission.revision.paths.items()}
    return {
        key_by_path[path]: node["id"]
        for node, path, *_ in walk(process["root"])
        if path in key_by_path and node.get("id")
    }


def _stored(submission: Submission) -> dict[UUID, str]:
    return dict(ServerId.objects.filter(submission=submission).values_list("node_key", "server_id"))


def test_every_node_gets_its_server_id(user):
    submission = _submission(user, groups=3, jobs=4)
    process = _answered(submission)

    record_process(submission, process)

    stored = _stored(submission)
    assert len(stored) == 1 + 3 + 12  # the root, its groups, their jobs
    assert stored == _expected(submission, process)
    assert submission.process_id == "process-1"
    assert submission.server_revision == "3"


def test_many_ids_go_in_with_one_insert(user):
    submission = _submission(user, groups=10, jobs=30)
    process = _answered(submission)

    with CaptureQueriesContext(connection) as ctx:
        record_process(submission, process)

    inserts = [q["sql"] for q in ctx.captured_queries if "INSERT INTO" in q["sql"].upper()]
    assert len(inserts) == 1  # one statement (SQLite: one executemany)
    assert _stored(submission) == _expected(submission, process)
    assert len(_stored(submission)) == 311


def test_recording_again_replaces_the_ids(user):
    submission = _submission(user)
    record_process(submission, _answered(submission, "old"))
    again = _answered(submission, "new")

    record_process(submission, again)

    stored = _stored(submission)
    assert stored == _expected(submission, again)
    assert all(value.startswith("new-") for value in stored.values())


def test_nodes_without_an_id_or_outside_the_revision_are_skipped(user):
    submission = _submission(user, groups=1, jobs=2)
    process = _answered(submission)
    group = process["root"]["children"][0]["group"]
    del group["children"][0]["job"]["id"]  # Workiva gave this job no id
    group["children"].append({"type": "job", "job": {"id": "extra", "arguments": {}}})  # not in our revision

    record_process(submission, process)

    stored = _stored(submission)
    assert "extra" not in stored.values()
    assert len(stored) == 3  # the root, the group and the second job
    assert stored == {k: v for k, v in _expected(submission, process).items() if v != "extra"}


def test_an_answer_without_a_root_records_no_ids(user):
    submission = _submission(user)
    record_process(submission, _answered(submission))

    record_process(submission, {"id": "process-2"})

    assert _stored(submission) == {}
    assert submission.process_id == "process-2"
    assert submission.server_revision == ""
