"""Reading checklist files and planning the process: mapping proposals, dates, groups, modes, problems, limits."""

from __future__ import annotations

import datetime as dt

import pytest

from checklists.dates import business_days_from, calendar_for, parse_due
from checklists.mapping import Mapping, normalize, propose
from checklists.plan import Options, PlanError, build_plan
from checklists.services import checklist_create, checklist_preview
from checklists.sheets import Formula, Row, read_workbook
from designer.models import Draft, Node
from processes_api import schema
from tests.checklists.files import close_checklist, csv_bytes, xlsx

# Plans look owners up in the user directory (an empty one here, unless a test fills it).
pytestmark = pytest.mark.django_db

EMPTY_DIRECTORY = "(the user directory is empty: sync it on the Directory page)"


def _header(*names: str) -> Row:
    return Row(number=1, cells=list(names))


def _roles(mapping: Mapping, header: Row) -> dict[str, str]:
    found = {role: str(header.cells[i]) for role, i in mapping.columns.items()}
    found.update({f"group{n}": str(header.cells[i]) for n, i in enumerate(mapping.groups, start=1)})
    return found


# --- mapping proposals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (
            ("Phase", "Task", "Owner", "Reviewer", "Due", "Instructions"),
            {
                "group1": "Phase",
                "title": "Task",
                "assignee": "Owner",
                "approver": "Reviewer",
                "due": "Due",
                "instructions": "Instructions",
            },
        ),
        (
            ("Section", "Title", "Assignee", "Approver", "Deadline", "Notes", "Type"),
            {
                "group1": "Section",
                "title": "Title",
                "assignee": "Assignee",
                "approver": "Approver",
                "due": "Deadline",
                "instructions": "Notes",
                "type": "Type",
            },
        ),
        (
            ("Category", "Group", "Description", "Preparer", "Due date"),
            {
                "group1": "Category",
                "group2": "Group",
                "title": "Description",
                "assignee": "Preparer",
                "due": "Due date",
            },
        ),
        # With a Document column, Section is the document's section, not a group.
        (
            ("Phase", "Task", "Document", "Section", "Owner"),
            {"group1": "Phase", "title": "Task", "document": "Document", "section": "Section", "assignee": "Owner"},
        ),
        # Task wins the title; Description then holds the instructions.
        (
            ("TASK ", "Description", "Owner (e-mail)", "Due date (WD)", "File"),
            {
                "title": "TASK ",
                "instructions": "Description",
                "assignee": "Owner (e-mail)",
                "due": "Due date (WD)",
                "document": "File",
            },
        ),
        (
            ("Group 1", "Group 2", "Parallel", "Task", "Reviewer due date"),
            {
                "group1": "Group 1",
                "group2": "Group 2",
                "parallel": "Parallel",
                "title": "Task",
                "approver_due": "Reviewer due date",
            },
        ),
    ],
)
def test_the_mapping_is_proposed_from_english_header_names(names, expected):
    header = _header(*names)

    assert _roles(propose(header), header) == expected


def test_headers_compare_without_case_punctuation_or_a_parenthesis():
    assert normalize("  Due-Date (WD) ") == "due date"


def test_the_header_row_is_found_below_a_merged_title_row():
    workbook = read_workbook(close_checklist(), "close.xlsx")

    preview = checklist_preview(workbook, sheet=None, mapping=None, options=Options())

    assert preview.header is not None
    assert preview.header.number == 2
    assert preview.labels[:3] == ["Phase", "Entity", "Task"]


def test_a_sheet_without_a_title_column_cannot_be_planned():
    with pytest.raises(PlanError, match="no title column"):
        build_plan([Row(2, ["x"])], Mapping(columns={"assignee": 0}))


# --- dates ----------------------------------------------------------------------------------------

FRIDAY = dt.date(2027, 1, 8)


@pytest.mark.parametrize(
    ("cell", "date"),
    [
        (dt.datetime(2027, 1, 5, 0, 0), "2027-01-05"),
        (dt.date(2027, 1, 5), "2027-01-05"),
        ("2027-01-05", "2027-01-05"),
        (" 2027-01-05T00:00:00 ", "2027-01-05"),
        ("WD+1", "2027-01-11"),  # Friday + 1 business day = Monday
        ("BD-2", "2027-01-06"),
        ("wd + 3", "2027-01-13"),
        ("BD−1", "2027-01-07"),  # a typographic minus
        ("WD+0", "2027-01-08"),
    ],
)
def test_each_form_of_due_date_becomes_a_date(cell, date):
    due = parse_due(cell, process_due=FRIDAY)

    assert (due.date, due.problem) == (date, None)


@pytest.mark.parametrize(
    ("cell", "problem"),
    [
        ("31/02/2027", "the due date “31/02/2027” is not a date"),
        ("2027-02-31", "the due date “2027-02-31” does not exist"),
        ("WD3", "“WD3”: write WD+3 or WD-3"),
        (46000, "is a number, not a date"),
        (Formula("=TODAY()+3"), "is a formula (=TODAY()+3); formulas are not evaluated"),
        ("1999-12-31", "is outside 2000–2099"),
    ],
)
def test_a_due_date_that_is_not_one_is_reported_and_left_empty(cell, problem):
    due = parse_due(cell, process_due=FRIDAY)

    assert due.date is None
    assert problem in (due.problem or "")


def test_an_offset_without_a_process_due_date_is_reported():
    due = parse_due("WD+2", process_due=None)

    assert due.date is None
    assert "counts from the process due date, which is not set" in (due.problem or "")


def test_business_days_skip_the_weekend_and_follow_the_process_weekdays():
    weekdays = calendar_for()
    assert business_days_from(FRIDAY, 1, weekdays) == dt.date(2027, 1, 11)
    assert business_days_from(dt.date(2027, 1, 11), -1, weekdays) == FRIDAY
    assert business_days_from(FRIDAY, 1, calendar_for(["saturday"])) == dt.date(2027, 1, 9)
    saturday = dt.date(2027, 1, 9)
    assert business_days_from(saturday, 1, weekdays) == dt.date(2027, 1, 11)
    assert business_days_from(saturday, -1, weekdays) == FRIDAY
    assert business_days_from(saturday, 0, weekdays) == FRIDAY  # "on the due date" on a weekend: the day before


# --- groups, modes, rows --------------------------------------------------------------------------


def _plan(rows: list[list], header: tuple[str, ...], **options) -> tuple:
    head = _header(*header)
    body = [Row(number=i + 2, cells=list(r)) for i, r in enumerate(rows)]
    return build_plan(body, propose(head), Options(**options))


def _tree(group) -> list:
    out = []
    for child in group.children:
        if hasattr(child, "job_type"):
            out.append(child.arguments["title"])
        else:
            out.append((child.name, bool(child.parallel), _tree(child)))
    return out


def test_groups_nest_by_two_grouping_columns_in_order_of_first_appearance():
    plan = _plan(
        [
            ["Close", "US", "a"],
            ["Pre", "UK", "b"],
            ["Close", "UK", "c"],
            ["Close", "US", "d"],
            ["", "", "top"],
            ["Close", "", "e"],
        ],
        ("Phase", "Entity", "Task"),
    )

    assert _tree(plan.root) == [
        ("Close", False, [("US", False, ["a", "d"]), ("UK", False, ["c"]), "e"]),
        ("Pre", False, [("UK", False, ["b"])]),
        "top",
    ]


def test_a_parallel_column_sets_the_mode_of_the_rows_group_and_a_conflict_is_reported():
    plan = _plan(
        [["Close", "a", "yes"], ["Close", "b", "No"], ["Pre", "c", "x"], ["Pre", "d", "maybe"]],
        ("Phase", "Task", "Parallel"),
    )

    assert [(g.name, g.parallel) for g in plan.groups] == [("Close", True), ("Pre", True)]
    assert plan.problems == [
        (3, "Parallel says “No” but row 2 set group “Close” the other way; row 2 counts"),
        (5, "Parallel “maybe” is neither yes nor no; the group’s mode was left as it was"),
    ]


def test_a_per_group_choice_overrides_the_parallel_column():
    first = _plan([["Close", "a", "yes"], ["Pre", "b", ""]], ("Phase", "Task", "Parallel"))
    close, pre = first.groups

    plan = _plan(
        [["Close", "a", "yes"], ["Pre", "b", ""]],
        ("Phase", "Task", "Parallel"),
        modes={close.mode_id: False, pre.mode_id: True},
    )

    assert [(g.name, g.parallel) for g in plan.groups] == [("Close", False), ("Pre", True)]


def test_row_problems_name_each_row_and_do_not_stop_the_import():
    plan = _plan(
        [
            ["Close", "Reconcile", "Jane Doe", "31/02/2027", "Send a task"],
            ["Close", "", "Jane Doe", "", ""],
            ["Close", "Collect", "", "2027-01-05", "Request content"],
            ["Close", "Sign", "", "", "Certificate"],
            ["Audit", "", "", "", ""],
        ],
        ("Phase", "Task", "Owner", "Due", "Type"),
    )

    assert plan.jobs == 3
    assert plan.problems == [
        (
            2,
            f"owner “Jane Doe” is not matched to a Workiva user {EMPTY_DIRECTORY}; kept as typed — set the user id in the editor",
        ),
        (
            2,
            "the due date “31/02/2027” is not a date: use a date cell, YYYY-MM-DD, or WD+3 / BD-2 (business days after or before the process due date); it was left empty",
        ),
        (3, "the title is empty, so the row was skipped"),
        (4, "a “Request content” job has no due date; “2027-01-05” was left out"),
        (
            5,
            "type “Certificate” is not a job type (Send a task, Request content, Certify); it was made a “Send a task” job",
        ),
    ]
    assert [r.status for r in plan.rows] == ["job", "skipped", "job", "job", "group"]
    assert [g.name for g in plan.groups] == ["Close", "Audit"]


def test_content_request_owners_become_principals():
    plan = _plan(
        [["Collect", "Request content", "u1", "doc1", "sec1"]], ("Task", "Type", "Owner", "Document", "Section")
    )

    assert plan.root.children[0].arguments == {
        "title": "Collect",
        "assignee": {"id": "u1", "type": "user"},
        "document": "doc1",
        "section": "sec1",
    }


def test_more_jobs_than_workiva_accepts_are_refused_with_the_row_named():
    rows = [[f"task {n}"] for n in range(schema.MAX_JOBS + 1)]

    with pytest.raises(PlanError, match=r"more than 3,000 tasks \(row 3002 is task 3,001\)"):
        _plan(rows, ("Task",))


def test_exactly_the_limit_is_accepted():
    plan = _plan([[f"task {n}"] for n in range(schema.MAX_JOBS)], ("Task",))

    assert plan.jobs == schema.MAX_JOBS


# --- the whole import, on real-looking files -----------------------------------------------------


@pytest.mark.django_db
def test_a_150_row_close_checklist_becomes_a_nested_draft(user):
    workbook = read_workbook(close_checklist(), "close.xlsx")
    preview = checklist_preview(workbook, sheet=None, mapping=None, options=Options(process_due=dt.date(2027, 1, 8)))

    draft = checklist_create(plan=preview.plan, name="Q4 close", owner=user, settings={"dueDate": "2027-01-08"})

    nodes = Node.objects.filter(draft=draft)
    assert nodes.filter(kind="job").count() == 150
    phases = nodes.filter(parent__isnull=False, parent__parent=None, kind="group").order_by("position")
    assert [p.name for p in phases] == ["Pre-close", "Close", "Reporting"]
    assert [e.name for e in phases[0].children.order_by("position")] == ["US", "UK", "DE", "FR", "JP"]
    first = nodes.get(kind="job", arguments__title="Pre-close US task 1")
    assert first.parent.name == "US"
    assert first.parent.parent.name == "Pre-close"
    assert first.arguments["dueDate"] == "2027-01-05"
    wd = nodes.get(kind="job", arguments__title="Pre-close US task 2")  # "WD+1" from Friday 8 January
    assert wd.arguments["dueDate"] == "2027-01-11"
    cell = nodes.get(kind="job", arguments__title="Pre-close US task 3")  # a date cell
    assert cell.arguments["dueDate"] == "2027-01-06"
    assert draft.due_date == "2027-01-08"


@pytest.mark.django_db
def test_csv_files_in_utf8_with_bom_and_semicolons_read_the_same(user):
    rows = [["Phase", "Task", "Owner", "Due date"], ["Clôture", "Rapprocher la banque", "zoë", "2027-01-05"]]

    for data in (
        csv_bytes(rows, bom=True),
        csv_bytes(rows, delimiter=";"),
        csv_bytes(rows, delimiter=";", encoding="cp1252"),
    ):
        workbook = read_workbook(data, "close.csv")
        plan = checklist_preview(workbook, sheet=None, mapping=None, options=Options()).plan

        assert plan is not None
        assert _tree(plan.root) == [("Clôture", False, ["Rapprocher la banque"])]
        assert plan.root.children[0].children[0].arguments["assigneeUser"] == "zoë"


def test_a_formula_is_never_evaluated():
    data = xlsx([["Task", "Owner"], ["=1+1", "=A1"], ["Real", '=HYPERLINK("http://x")']])

    plan = checklist_preview(read_workbook(data, "f.xlsx"), sheet=None, mapping=None, options=Options()).plan

    assert plan is not None
    assert plan.jobs == 1
    assert plan.problems == [
        (2, "the title is a formula (=1+1); formulas are not evaluated, so the row was skipped"),
        (
            3,
            'the owner cell holds a formula (=HYPERLINK("http://x")); formulas are not evaluated, so it was left empty',
        ),
    ]


def test_another_sheet_can_be_picked():
    data = xlsx([["Notes only"]], title="Readme", extra={"Tasks": [["Task"], ["One"]]})
    workbook = read_workbook(data, "two.xlsx")

    plan = checklist_preview(workbook, sheet="Tasks", mapping=None, options=Options()).plan

    assert [s.name for s in workbook.sheets] == ["Readme", "Tasks"]
    assert plan is not None
    assert plan.jobs == 1


@pytest.mark.django_db
def test_nothing_is_written_when_creating_is_refused(user, monkeypatch):
    plan = _plan([["a"]], ("Task",))
    before = Draft.objects.count()

    with pytest.raises(PlanError, match="cannot become a process"):
        checklist_create(plan=plan, name="x", owner=user, settings={"dueDate": 5})

    assert Draft.objects.count() == before
    assert Node.objects.count() == 0


def test_a_two_row_header_with_merged_cells_is_read_from_its_lower_row():
    data = xlsx(
        [
            ["Phase", "Task details", None, "Dates", None],
            [None, "Task", "Owner", "Due date", "Reviewer due date"],
            ["Close", "Reconcile", "ann", "2027-01-05", "2027-01-06"],
        ],
        merges=("A1:A2", "B1:C1", "D1:E1"),
    )

    preview = checklist_preview(read_workbook(data, "two.xlsx"), sheet=None, mapping=None, options=Options())

    assert preview.header is not None
    assert preview.header.number == 2
    assert _roles(preview.mapping, preview.header) == {
        "group1": "Phase",
        "title": "Task",
        "assignee": "Owner",
        "due": "Due date",
        "approver_due": "Reviewer due date",
    }
    assert _tree(preview.plan.root) == [("Close", False, ["Reconcile"])]


def test_a_column_of_user_ids_is_taken_as_it_is():
    data = xlsx([["Task", "Owner (user id)", "Reviewer"], ["Reconcile", "userId42", "Rita"]])

    plan = checklist_preview(read_workbook(data, "ids.xlsx"), sheet=None, mapping=None, options=Options()).plan

    assert plan.root.children[0].arguments == {"title": "Reconcile", "assigneeUser": "userId42", "approverUser": "Rita"}
    assert plan.problems == [
        (
            2,
            f"reviewer “Rita” is not matched to a Workiva user {EMPTY_DIRECTORY}; kept as typed — set the user id in the editor",
        )
    ]
