"""Copy, paste and bulk edit: services and views."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from designer.errors import TreeError
from designer.models import Draft, Membership, Node, Operation
from designer.selectors.trees import draft_tree
from designer.services import bulk as bulk_module
from designer.services.bulk import nodes_bulk_update, register_date_shifter
from designer.services.clipboard import nodes_copy, nodes_paste
from designer.services.operations import operation_undo
from processes_api.payload import PayloadError
from tests.directory.fill import add_file, add_user
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def saved_user(**kwargs: Any):
    user = UserFactory(**kwargs)
    user.save()
    return user


@pytest.fixture
def owner():
    return saved_user(username="olivia")


@pytest.fixture
def client_(owner):
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def draft(owner):
    draft = make_draft(owner, name="Quarter close")
    root = root_of(draft)
    group = add_group(draft, root, "Prepare")
    add_job(draft, group, "Collect balances", dueDate="2026-03-01", instructions="Pull the TB")
    add_job(draft, group, "Reconcile cash", dueDate="2026-03-05", instructions="Pull the TB")
    add_job(
        draft,
        root,
        "Request memo",
        job_type="contentRequest",
        assignee={"id": "userId7", "type": "user"},
        document="doc1",
        section="s1",
    )
    add_group(draft, root, "Empty")
    draft.refresh_from_db()
    return draft


def labels(draft: Draft) -> list[str]:
    tree = draft_tree(draft=draft)
    return ["  " * depth + node.label for node, depth in tree.walk()]


def by_label(draft: Draft, label: str) -> Node:
    node = next(n for n in draft_tree(draft=draft).by_id.values() if n.label == label)
    node.draft = draft
    return node


def content(draft: Draft, key: Any) -> list[tuple[Any, ...]]:
    """A node's subtree without keys: what must be equal in a copy."""
    tree = draft_tree(draft=draft)
    start = tree.by_key[key]
    return [(d, n.kind, n.name, n.job_type, n.arguments, n.extra) for n, d in tree.walk(start)]


# --- copy and paste: services --------------------------------------------------------------------


def test_copy_and_paste_a_group_into_another_draft_with_new_keys(draft, owner):
    other = make_draft(owner, name="Other")
    fragment = nodes_copy(draft=draft, keys=[by_label(draft, "Prepare").key])
    assert fragment["children"][0]["type"] == "group"

    top = nodes_paste(draft=other, version=other.version, data=json.loads(json.dumps(fragment)), actor=owner)

    assert labels(other) == ["Other", "  Prepare", "    Collect balances", "    Reconcile cash"]
    original = by_label(draft, "Prepare")
    assert content(other, top[0].key) == content(draft, original.key)
    assert not {n.key for n in draft_tree(draft=other).by_id.values()} & {
        n.key for n in draft_tree(draft=draft).by_id.values()
    }


def test_paste_goes_after_the_item_or_into_an_empty_group(draft, owner):
    fragment = nodes_copy(draft=draft, keys=[by_label(draft, "Reconcile cash").key])
    nodes_paste(
        draft=draft,
        version=draft.version,
        data=fragment,
        after_key=by_label(draft, "Collect balances").key,
        actor=owner,
    )
    nodes_paste(draft=draft, version=draft.version, data=fragment, after_key=by_label(draft, "Empty").key, actor=owner)
    assert labels(draft) == [
        "Quarter close",
        "  Prepare",
        "    Collect balances",
        "    Reconcile cash",
        "    Reconcile cash",
        "  Request memo",
        "  Empty",
        "    Reconcile cash",
    ]


def test_copy_of_a_group_and_an_item_inside_it_copies_the_group_once(draft):
    fragment = nodes_copy(draft=draft, keys=[by_label(draft, "Collect balances").key, by_label(draft, "Prepare").key])
    assert len(fragment["children"]) == 1


def test_paste_is_one_undo_step(draft, owner):
    before = labels(draft)
    fragment = nodes_copy(draft=draft, keys=[by_label(draft, "Prepare").key, by_label(draft, "Request memo").key])
    nodes_paste(draft=draft, version=draft.version, data=fragment, actor=owner)
    assert len(labels(draft)) == len(before) + 4
    op = Operation.objects.get(draft=draft, version_after=draft.version)
    assert op.kind == "paste"
    assert op.summary == "paste of 2 items"
    operation_undo(draft=draft, version=draft.version, actor=owner)
    assert labels(draft) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([1, 2], "the clipboard must hold a JSON object"),
        ({"nodes": []}, 'holds no "children" list'),
        ({"children": []}, "there is nothing to paste"),
        ({"children": [{"type": "job", "job": {"arguments": {"type": "sendTsk"}}}]}, 'unknown job type "sendTsk"'),
        ({"children": [{"type": "gruop"}]}, 'must be "job" or "group"'),
        ({"children": [{"type": "group", "group": {"name": "a\x00b"}}]}, "NUL character"),
    ],
)
def test_malformed_paste_names_the_problem_and_writes_nothing(draft, owner, data, message):
    before, version = labels(draft), draft.version
    with pytest.raises(PayloadError, match=message):
        nodes_paste(draft=draft, version=draft.version, data=data, actor=owner)
    assert labels(draft) == before
    assert Draft.objects.get(pk=draft.pk).version == version


def test_paste_of_a_whole_process_takes_its_root_items(draft, owner):
    other = make_draft(owner, name="Other")
    from processes_api.payload import build_payload

    payload = build_payload(draft_tree(draft=draft)).data
    nodes_paste(draft=other, version=other.version, data=payload, actor=owner)
    assert labels(other)[1:] == labels(draft)[1:]


# --- bulk edit: services -----------------------------------------------------------------------------


def test_bulk_edit_sets_shared_fields_by_each_job_types_name_in_one_operation(draft, owner):
    keys = [by_label(draft, t).key for t in ("Collect balances", "Reconcile cash", "Request memo", "Prepare")]
    result = nodes_bulk_update(
        draft=draft, version=draft.version, keys=keys, changes={"assignee": "userId42", "instructions": ""}, actor=owner
    )
    assert len(result.changed) == 3
    assert by_label(draft, "Collect balances").arguments["assigneeUser"] == "userId42"
    assert "instructions" not in by_label(draft, "Collect balances").arguments
    assert by_label(draft, "Request memo").arguments["assignee"] == {"id": "userId42", "type": "user"}
    op = Operation.objects.get(draft=draft, version_after=draft.version)
    assert op.kind == "bulk_edit"
    assert op.summary == "bulk edit of assignee, instructions on 3 jobs"
    assert Operation.objects.filter(draft=draft, kind="bulk_edit").count() == 1


def test_bulk_edit_is_undone_in_one_step(draft, owner):
    keys = [by_label(draft, t).key for t in ("Collect balances", "Reconcile cash")]
    before = content(draft, root_of(draft).key)
    nodes_bulk_update(
        draft=draft, version=draft.version, keys=keys, changes={"due_date": "2026-04-01"}, shift_days=0, actor=owner
    )
    assert content(draft, root_of(draft).key) != before
    operation_undo(draft=draft, version=draft.version, actor=owner)
    assert content(draft, root_of(draft).key) == before


def test_shift_due_dates_by_the_drafts_business_days(draft, owner):
    # The business calendar (issue 14) is registered: Monday–Friday, the default of a new draft.
    keys = [by_label(draft, t).key for t in ("Collect balances", "Reconcile cash")]
    result = nodes_bulk_update(draft=draft, version=draft.version, keys=keys, changes={}, shift_days=-3, actor=owner)
    assert result.unit == "business days"
    assert by_label(draft, "Collect balances").arguments["dueDate"] == "2026-02-25"  # from Sunday 1 March
    assert by_label(draft, "Reconcile cash").arguments["dueDate"] == "2026-03-02"  # from Thursday 5 March


def test_shift_due_dates_by_calendar_days_without_a_business_calendar(draft, owner, monkeypatch):
    monkeypatch.setattr(bulk_module, "_shifters", [])
    keys = [by_label(draft, t).key for t in ("Collect balances", "Reconcile cash")]
    result = nodes_bulk_update(draft=draft, version=draft.version, keys=keys, changes={}, shift_days=-3, actor=owner)
    assert result.unit == "calendar days"
    assert by_label(draft, "Collect balances").arguments["dueDate"] == "2026-02-26"
    assert by_label(draft, "Reconcile cash").arguments["dueDate"] == "2026-03-02"


def test_shift_uses_a_registered_business_calendar(draft, owner, monkeypatch):
    import datetime as dt

    monkeypatch.setattr(bulk_module, "_shifters", [])

    def weekdays(d: Draft):
        def shift(date: dt.date, days: int) -> dt.date:
            step = 1 if days > 0 else -1
            for _ in range(abs(days)):
                date += dt.timedelta(days=step)
                while date.weekday() >= 5:
                    date += dt.timedelta(days=step)
            return date

        return shift

    register_date_shifter(weekdays)
    key = by_label(draft, "Collect balances").key  # 2026-03-01 is a Sunday
    result = nodes_bulk_update(draft=draft, version=draft.version, keys=[key], changes={}, shift_days=1, actor=owner)
    assert result.unit == "business days"
    assert by_label(draft, "Collect balances").arguments["dueDate"] == "2026-03-02"


@pytest.mark.parametrize(
    ("changes", "shift", "message"),
    [
        ({"colour": "red"}, 0, "cannot change colour"),
        ({"due_date": "31/03/2026"}, 0, "YYYY-MM-DD"),
        ({}, 0, "Nothing to change"),
        ({}, 99999, "at most"),
    ],
)
def test_bad_bulk_edits_are_refused_and_write_nothing(draft, owner, changes, shift, message):
    before, version = content(draft, root_of(draft).key), draft.version
    keys = [by_label(draft, "Collect balances").key]
    with pytest.raises(TreeError, match=message):
        nodes_bulk_update(draft=draft, version=draft.version, keys=keys, changes=changes, shift_days=shift, actor=owner)
    assert content(draft, root_of(draft).key) == before
    assert Draft.objects.get(pk=draft.pk).version == version


def test_bulk_edit_of_only_groups_is_refused(draft, owner):
    with pytest.raises(TreeError, match="None of the selected items is a job"):
        nodes_bulk_update(
            draft=draft,
            version=draft.version,
            keys=[by_label(draft, "Prepare").key],
            changes={"assignee": "u1"},
            actor=owner,
        )


# --- views --------------------------------------------------------------------------------------------


def test_copy_view_answers_the_clipboard_json(client_, draft):
    key = by_label(draft, "Prepare").key
    response = client_.get(reverse("nodes-copy", args=[draft.pk]), {"keys": str(key)})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["children"][0]["group"]["name"] == "Prepare"


def test_copy_of_an_unknown_key_says_so(client_, draft):
    response = client_.get(reverse("nodes-copy", args=[draft.pk]), {"keys": "00000000-0000-0000-0000-000000000000"})
    assert response.status_code == 400
    assert "There is no node" in response.json()["error"]


def test_paste_view_across_drafts_and_patch_answer(client_, draft, owner):
    other = make_draft(owner, name="Other")
    text = client_.get(reverse("nodes-copy", args=[draft.pk]), {"keys": str(by_label(draft, "Prepare").key)}).content
    response = client_.post(
        reverse("nodes-paste", args=[other.pk]), {"version": other.version, "data": text.decode()}, headers=HX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Pasted “Prepare”." in body
    assert 'id="outline-patch"' in body
    assert labels(other) == ["Other", "  Prepare", "    Collect balances", "    Reconcile cash"]


def test_malformed_paste_view_says_why_and_writes_nothing(client_, draft):
    before, version = labels(draft), draft.version
    response = client_.post(
        reverse("nodes-paste", args=[draft.pk]), {"version": draft.version, "data": "{not json"}, headers=HX
    )
    assert response.status_code == 422
    assert "Nothing was pasted: not valid JSON (line 1, column 2" in response.content.decode()
    assert labels(draft) == before
    assert Draft.objects.get(pk=draft.pk).version == version


@pytest.mark.parametrize("role", [Membership.Role.VIEWER, Membership.Role.REVIEWER])
def test_paste_and_bulk_need_the_edit_role(draft, role):
    user = saved_user()
    Membership.objects.create(draft=draft, user=user, role=role)
    client = Client()
    client.force_login(user)
    data = json.dumps(nodes_copy(draft=draft, keys=[by_label(draft, "Prepare").key]))
    key = str(by_label(draft, "Collect balances").key)
    assert (
        client.post(reverse("nodes-paste", args=[draft.pk]), {"version": draft.version, "data": data}).status_code
        == 403
    )
    bulk = {"version": draft.version, "keys": key, "bulk-assignee": "u2"}
    assert client.post(reverse("nodes-bulk", args=[draft.pk]), bulk).status_code == 403
    assert client.get(reverse("nodes-copy", args=[draft.pk]), {"keys": key}).status_code == 200  # viewing is enough
    assert Draft.objects.get(pk=draft.pk).version == draft.version


def test_strangers_cannot_copy(draft):
    client = Client()
    client.force_login(saved_user())
    response = client.get(reverse("nodes-copy", args=[draft.pk]), {"keys": str(by_label(draft, "Prepare").key)})
    assert response.status_code == 404


def test_paste_needs_a_csrf_token(owner, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post(reverse("nodes-paste", args=[draft.pk]), {"version": draft.version, "data": "{}"})
    assert response.status_code == 403


def test_bulk_form_shows_shared_and_mixed_values(client_, draft):
    keys = " ".join(str(by_label(draft, t).key) for t in ("Collect balances", "Reconcile cash"))
    response = client_.get(reverse("nodes-bulk-form", args=[draft.pk]), {"keys": keys}, headers=HX)
    body = response.content.decode()
    assert "2 jobs selected" in body
    assert 'value="Pull the TB"' in body  # instructions are shared
    assert 'placeholder="Mixed"' in body  # the due dates differ


def test_bulk_view_changes_only_the_changed_fields(client_, draft):
    keys = " ".join(str(by_label(draft, t).key) for t in ("Collect balances", "Reconcile cash"))
    form = client_.get(reverse("nodes-bulk-form", args=[draft.pk]), {"keys": keys}, headers=HX)
    assert form.status_code == 200
    data = {
        "version": draft.version,
        "keys": keys,
        "bulk-based": "1",
        "bulk-assignee": "userId5",
        "initial-bulk-assignee": "userId1",
        "bulk-due_date": "",
        "initial-bulk-due_date": "",
        "bulk-instructions": "Pull the TB",
        "initial-bulk-instructions": "Pull the TB",
        "bulk-shift_days": "0",
        "initial-bulk-shift_days": "0",
    }
    with CaptureQueriesContext(connection) as queries:
        response = client_.post(reverse("nodes-bulk", args=[draft.pk]), data, headers=HX)
    assert response.status_code == 200, response.content.decode()[:500]
    assert "Bulk edit of assignee on 2 jobs: changed 2 jobs." in response.content.decode()
    assert by_label(draft, "Collect balances").arguments["dueDate"] == "2026-03-01"  # mixed, untouched
    assert by_label(draft, "Reconcile cash").arguments["assigneeUser"] == "userId5"
    assert len(queries) < 60


def test_bulk_view_refuses_a_bad_date(client_, draft):
    keys = str(by_label(draft, "Collect balances").key)
    data = {
        "version": draft.version,
        "keys": keys,
        "bulk-based": "1",
        "bulk-due_date": "2026-02-30",
        "initial-bulk-due_date": "2026-03-01",
    }
    response = client_.post(reverse("nodes-bulk", args=[draft.pk]), data, headers=HX)
    assert response.status_code == 422
    assert "Nothing was changed: Due date: Enter a real date" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).version == draft.version


def test_a_calendar_that_cannot_shift_refuses_the_bulk_edit(draft, owner, monkeypatch):
    monkeypatch.setattr(bulk_module, "_shifters", [])

    def no_business_days(d: Draft):
        def shift(date, days):
            raise ValueError("This draft has no business day: tick at least one weekday.")

        return shift

    register_date_shifter(no_business_days)
    before = content(draft, root_of(draft).key)
    with pytest.raises(TreeError, match="no business day"):
        nodes_bulk_update(
            draft=draft, version=draft.version, keys=[by_label(draft, "Collect balances").key], changes={}, shift_days=2
        )
    assert content(draft, root_of(draft).key) == before


def test_bulk_form_pickers_name_people_and_files_from_the_directory_and_keep_mixed(client_, draft):
    add_user("dXNlcjox", "Ada <Lovelace>", "ada@example.com")
    add_file("RmlsZTox", "10-Q Q1 2026")
    a, b = by_label(draft, "Collect balances"), by_label(draft, "Reconcile cash")
    for node, approver in ((a, "dXNlcjox"), (b, "userId9")):
        people = {"assigneeUser": "dXNlcjox", "approverUser": approver, "document": "RmlsZTox"}
        Node.objects.filter(pk=node.pk).update(arguments={**node.arguments, **people})
    keys = f"{a.key} {b.key}"

    body = client_.get(reverse("nodes-bulk-form", args=[draft.pk]), {"keys": keys}, headers=HX).content.decode()

    # The assignee (shared, known) is a user picker named by the directory, its name escaped.
    assert 'name="bulk-assignee"' in body
    assert 'data-picker="user"' in body
    assert 'data-picker-label="Ada &lt;Lovelace&gt;"' in body
    assert ">Ada &lt;Lovelace&gt; · ada@example.com</p>" in body
    # The document is a file picker (it was a plain text field), named too.
    assert 'data-picker="file"' in body
    assert 'data-picker-label="10-Q Q1 2026"' in body
    # The approvers differ: an empty picker saying "Mixed".
    approver = body[body.index('name="bulk-approver"') - 400 : body.index('name="bulk-approver"') + 400]
    assert 'placeholder="Mixed"' in approver
    assert 'data-picker-state="empty"' in approver


def test_bulk_view_accepts_a_raw_id_and_refuses_a_name_typed_as_a_person(client_, draft):
    keys = " ".join(str(by_label(draft, t).key) for t in ("Collect balances", "Reconcile cash"))
    base = {"version": draft.version, "keys": keys, "bulk-based": "1", "initial-bulk-assignee": "userId1"}

    refused = client_.post(reverse("nodes-bulk", args=[draft.pk]), base | {"bulk-assignee": "Ada Lovelace"}, headers=HX)
    assert refused.status_code == 422
    assert "Nothing was changed: Assignee: Choose a person from the list" in refused.content.decode()
    assert Draft.objects.get(pk=draft.pk).version == draft.version

    raw = client_.post(reverse("nodes-bulk", args=[draft.pk]), base | {"bulk-assignee": "userId77"}, headers=HX)
    assert raw.status_code == 200
    assert by_label(draft, "Reconcile cash").arguments["assigneeUser"] == "userId77"
