from __future__ import annotations

import pytest

from designer.models import Node
from designer.selectors import draft_tree
from processes_api import lint, schema
from processes_api.payload import draft_import
from tests.factories import seed_request

pytestmark = pytest.mark.django_db


def problems_for(data, owner):
    draft = draft_import(data=data, owner=owner)
    tree = draft_tree(draft=draft)
    return lint.lint_tree(tree), tree


def codes(problems):
    return sorted((p.severity, p.code, p.field) for p in problems)


def seed_with(**send_task_args):
    data = seed_request()
    args = data["root"]["children"][0]["job"]["arguments"]["sendTaskArgs"]
    for key, value in send_task_args.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return data


def test_the_seed_example_has_no_problems(user):
    problems, _ = problems_for(seed_request(), user)

    assert problems == []


def test_missing_process_name_and_group_name(user):
    data = seed_request()
    data["name"] = " "
    data["root"]["name"] = ""

    problems, tree = problems_for(data, user)

    assert codes(problems) == [("error", "group-name-missing", "name"), ("error", "process-name-missing", "name")]
    assert next(p for p in problems if p.code == "group-name-missing").node_key == tree.root.key


def test_missing_title_and_assignee_are_errors_on_the_job(user):
    problems, tree = problems_for(seed_with(title=None, assigneeUser=""), user)

    job = next(n for n in tree.by_id.values() if n.kind == "job")
    assert codes(problems) == [("error", "assignee-missing", "assigneeUser"), ("error", "title-missing", "title")]
    assert {p.node_key for p in problems} == {job.key}
    assert (
        next(p.message for p in problems if p.code == "assignee-missing") == "Choose who this job goes to (assignee)."
    )


def test_malformed_dates_are_reported(user):
    data = seed_with(dueDate="15/12/2024", approverDueDate="2024-02-30")
    data["dueDate"] = "tomorrow"

    problems, _ = problems_for(data, user)

    assert codes(problems) == [
        ("error", "date-malformed", "approverDueDate"),
        ("error", "date-malformed", "dueDate"),
        ("error", "date-malformed", "dueDate"),
    ]
    assert 'The process due date "tomorrow" is not a date (use YYYY-MM-DD).' in [p.message for p in problems]


def test_job_due_after_the_process_due_date(user):
    problems, _ = problems_for(seed_with(dueDate="2025-01-05", approverDueDate="2025-01-06"), user)

    assert codes(problems) == [
        ("error", "due-after-process", "approverDueDate"),
        ("error", "due-after-process", "dueDate"),
    ]
    assert "Due date 2025-01-05 is after the process due date 2024-12-31." in [p.message for p in problems]


def test_approver_due_before_the_task(user):
    problems, _ = problems_for(seed_with(dueDate="2024-12-15", approverDueDate="2024-12-10"), user)

    assert codes(problems) == [("error", "approver-due-before-task", "approverDueDate")]


def test_approver_without_due_date_and_due_date_without_approver(user):
    warned, _ = problems_for(seed_with(approverDueDate=None), user)
    refused, _ = problems_for(seed_with(approverUser=None), user)

    assert codes(warned) == [("warning", "approver-due-date-missing", "approverDueDate")]
    assert codes(refused) == [("error", "approver-missing", "approverUser")]


def test_empty_group_and_empty_process(user):
    data = seed_request()
    data["root"]["children"] = [{"type": "group", "group": {"name": "Nothing here", "children": []}}]

    problems, _ = problems_for(data, user)

    assert codes(problems) == [("error", "process-empty", None), ("warning", "group-empty", None)]


def test_no_business_days_and_unknown_weekday(user):
    empty = seed_request()
    empty["businessDaysOfWeek"] = []
    odd = seed_request()
    odd["businessDaysOfWeek"] = ["monday", "Funday"]

    assert codes(problems_for(empty, user)[0]) == [("error", "no-business-days", "businessDaysOfWeek")]
    assert codes(problems_for(odd, user)[0]) == [("error", "business-day-unknown", "businessDaysOfWeek")]


def test_unknown_trigger_type_is_a_warning(user):
    data = seed_request()
    data["root"]["triggerType"] = "whenPigsFly"

    problems, _ = problems_for(data, user)

    assert codes(problems) == [("warning", "trigger-type-unknown", "triggerType")]


def test_certification_arguments_are_flagged_as_unconfirmed(user):
    data = seed_request()
    data["root"]["children"].append(
        {
            "type": "job",
            "job": {"arguments": {"type": "certification", "certificationArgs": {"title": "SOX", "letter": "f"}}},
        }
    )

    problems, _ = problems_for(data, user)

    assert codes(problems) == [("warning", "arguments-unconfirmed", None)]


def test_more_than_3000_jobs(user, monkeypatch):
    monkeypatch.setattr(schema, "MAX_JOBS", 2)
    data = seed_request()
    data["root"]["children"] *= 3

    problems, _ = problems_for(data, user)

    assert codes(problems) == [("error", "too-many-jobs", None)]
    assert problems[0].message == "The process has 3 jobs; Workiva accepts at most 2 in one process."


def test_more_than_3000_jobs_at_the_real_limit(user):
    data = seed_request()
    data["root"]["children"] *= schema.MAX_JOBS + 1

    problems, _ = problems_for(data, user)

    assert codes(problems) == [("error", "too-many-jobs", None)]


def test_payload_over_10_mb(user):
    data = seed_with(instructions="x" * (schema.MAX_BODY_BYTES + 1))

    problems, _ = problems_for(data, user)

    assert codes(problems) == [("error", "payload-too-large", None)]
    assert problems[0].message.startswith("The process is 10.0 MB as JSON; Workiva accepts at most 10 MB.")


def test_unknown_job_type_stored_in_a_node_is_an_error(user):
    _, tree = problems_for(seed_request(), user)
    Node.objects.filter(kind="job").update(job_type="legacyThing")

    problems = lint.lint_tree(draft_tree(draft=tree.draft))

    assert codes(problems) == [("error", "job-type-unknown", None)]
