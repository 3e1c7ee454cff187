"""The shape reconcile compares: a created process is found by name, groups and job types in order."""

from __future__ import annotations

import copy

from publishing.services.matching import structure


def job(job_type="sendTask"):
    return {"type": "job", "job": {"id": "j", "arguments": {"type": job_type}}}


PROCESS = {
    "name": "Close",
    "root": {"name": "Root", "children": [{"type": "group", "group": {"name": "A", "children": [job()]}}, job()]},
}


def test_the_servers_answer_with_ids_and_generated_jobs_has_the_payloads_shape():
    answer = copy.deepcopy(PROCESS)
    answer["id"] = "p1"
    answer["root"]["children"][0]["group"]["children"].append(job("certificationSignerGenerated"))

    assert structure(answer) == structure(PROCESS)


def test_a_job_moved_into_a_group_changes_the_shape():
    moved = copy.deepcopy(PROCESS)
    moved["root"]["children"][0]["group"]["children"].append(moved["root"]["children"].pop())

    assert structure(moved) != structure(PROCESS)
    assert structure("not a process") is None
