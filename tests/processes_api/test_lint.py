from __future__ import annotations

import pytest

from designer.models import Node
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_import
from processes_api import lint, schema
from tests.factories import add_job, root_of, seed_request

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
    # Imports refuse more than MAX_JOBS jobs, so the limit drops after the import: a draft grown past it in the editor.
    data = seed_request()
    data["root"]["children"] *= 3
    draft = draft_import(data=data, owner=user)
    monkeypatch.setattr(schema, "MAX_JOBS", 2)

    problems = lint.lint_tree(draft_tree(draft=draft))

    assert codes(problems) == [("error", "too-many-jobs", None)]
    assert problems[0].message == "The process has 3 jobs; Workiva accepts at most 2 in one process."


def test_more_than_3000_jobs_at_the_real_limit(user):
    # An import stops at MAX_JOBS; the editor can still add one more, which lint reports.
    data = seed_request()
    data["root"]["children"] *= schema.MAX_JOBS
    draft = draft_import(data=data, owner=user)
    add_job(draft, root_of(draft), "One too many")

    problems = lint.lint_tree(draft_tree(draft=draft))

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


def test_lint_node_finds_on_each_node_exactly_what_the_whole_draft_lint_finds(user):
    # The editor's badges after an edit come from lint_node on the changed nodes alone; they must
    # equal what lint_tree reports on those nodes. A draft with a problem of every node-level kind:
    from tests.factories import add_group, add_job, make_draft, root_of

    draft = make_draft(user, name="Every problem")
    draft.due_date = "2026-03-31"
    draft.save()
    root = root_of(draft)
    add_group(draft, root, "")  # no name, empty
    phase = add_group(draft, root, "Phase")
    Node.objects.filter(pk=phase.pk).update(trigger_type="onFullMoon")
    add_job(draft, phase, "")  # no title
    add_job(draft, phase, "No assignee", assigneeUser="")
    add_job(draft, phase, "Late", assigneeUser="u1", dueDate="2026-04-30")
    add_job(draft, phase, "Bad date", assigneeUser="u1", dueDate="2026-02-30")
    add_job(
        draft,
        phase,
        "Approver early",
        assigneeUser="u1",
        dueDate="2026-03-20",
        approverUser="u2",
        approverDueDate="2026-03-10",
    )
    add_job(draft, phase, "Approver undated", assigneeUser="u1", approverUser="u2")
    add_job(draft, phase, "Date, no approver", assigneeUser="u1", approverDueDate="2026-03-10")
    Node.objects.create(draft=draft, parent=phase, position=99, kind="job", job_type="sendTsk", arguments={})
    Node.objects.create(
        draft=draft, parent=phase, position=100, kind="job", job_type="certification", arguments={"title": "Certify"}
    )
    draft.refresh_from_db()
    tree = draft_tree(draft=draft)
    whole = lint.lint_tree(tree)
    due = lint.process_due_date(draft)

    per_node = {
        node.key: lint.lint_node(node, child_count=len(tree.children(node)), process_due=due)
        for node in tree.by_id.values()
    }

    for node in tree.by_id.values():
        assert per_node[node.key] == [p for p in whole if p.node_key == node.key], node.label
    assert sum(len(found) for found in per_node.values()) == sum(1 for p in whole if p.node_key is not None)
    assert {p.code for found in per_node.values() for p in found} >= {
        "group-name-missing",
        "group-empty",
        "trigger-type-unknown",
        "title-missing",
        "assignee-missing",
        "due-after-process",
        "date-malformed",
        "approver-due-before-task",
        "approver-due-date-missing",
        "approver-missing",
        "job-type-unknown",
        "arguments-unconfirmed",
    }
