"""The designer's pages and htmx endpoints: success, bad input, conflicts, permissions, escaping."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from designer.models import Draft, Membership, Node
from designer.selectors.trees import draft_tree
from processes_api.payload import build_payload
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of, seed_request

HX = {"HX-Request": "true"}
CONFLICT = "This draft changed since you opened it — here is the current version"


def saved_user(**kwargs):
    user = UserFactory(**kwargs)
    user.save()  # the factory's password hash is only saved explicitly
    return user


@pytest.fixture
def owner(db):
    return saved_user()


@pytest.fixture
def owner_client(owner):
    client = Client()
    client.force_login(owner)
    return client


@pytest.fixture
def draft(owner):
    draft = make_draft(owner, name="Quarter close")
    root = root_of(draft)
    group = add_group(draft, root, "Prepare")
    add_job(draft, group, "Collect balances", dueDate="2026-03-01")
    add_job(draft, root, "Sign off")
    draft.refresh_from_db()
    return draft


def nodes(draft):
    tree = draft_tree(draft=draft)
    return {node.label: node for node in tree.by_id.values()}


def member_client(draft, role):
    user = saved_user()
    Membership.objects.create(draft=draft, user=user, role=role)
    client = Client()
    client.force_login(user)
    return client


def version_of(draft):
    return Draft.objects.get(pk=draft.pk).version


# --- login and permissions --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["draft-list", "draft-editor", "draft-payload"])
def test_anonymous_users_are_sent_to_login(client, draft, name):
    url = reverse(name) if name == "draft-list" else reverse(name, args=[draft.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_anonymous_write_is_sent_to_login_and_changes_nothing(client, draft):
    response = client.post(reverse("draft-settings", args=[draft.pk]), {"version": draft.version})

    assert response.status_code == 302
    assert version_of(draft) == draft.version


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("draft-editor", "get"),
        ("draft-payload", "get"),
        ("draft-payload-download", "get"),
        ("draft-settings", "post"),
        ("draft-status", "get"),
        ("node-add", "post"),
        ("draft-undo", "post"),
        ("draft-redo", "post"),
        ("draft-delete", "post"),
        ("draft-duplicate", "post"),
    ],
)
def test_non_members_get_404(draft, name, method):
    stranger = Client()
    stranger.force_login(saved_user())

    response = getattr(stranger, method)(reverse(name, args=[draft.pk]), {"version": draft.version})

    assert response.status_code == 404
    assert version_of(draft) == draft.version


@pytest.mark.parametrize("name", ["node-edit", "node-move", "node-duplicate", "node-delete"])
def test_viewer_cannot_write_nodes(draft, name):
    viewer = member_client(draft, Membership.Role.VIEWER)
    job = nodes(draft)["Sign off"]

    response = viewer.post(
        reverse(name, args=[draft.pk, job.key]), {"version": draft.version, "direction": "up"}, headers=HX
    )

    assert response.status_code == 403
    assert version_of(draft) == draft.version


@pytest.mark.parametrize("name", ["draft-settings", "node-add", "draft-undo", "draft-redo"])
def test_viewer_cannot_write_the_draft(draft, name):
    viewer = member_client(draft, Membership.Role.VIEWER)

    response = viewer.post(reverse(name, args=[draft.pk]), {"version": draft.version}, headers=HX)

    assert response.status_code == 403
    assert version_of(draft) == draft.version


def test_viewer_sees_a_read_only_editor(draft):
    viewer = member_client(draft, Membership.Role.VIEWER)

    response = viewer.get(reverse("draft-editor", args=[draft.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "You can view this draft but not change it." in content
    assert 'data-editable="false"' in content  # editor.js wires no drag and drop and no keyboard moves
    assert 'class="handle"' not in content


def test_editor_may_write_but_not_delete_the_draft(draft):
    editor = member_client(draft, Membership.Role.EDITOR)

    edit = editor.post(
        reverse("node-add", args=[draft.pk]),
        {"version": draft.version, "parent": root_of(draft).key, "position": 0, "what": "group"},
    )
    delete = editor.post(reverse("draft-delete", args=[draft.pk]))

    assert edit.status_code == 302
    assert delete.status_code == 403
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_writes_need_a_csrf_token(owner, draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.post(reverse("draft-settings", args=[draft.pk]), {"version": draft.version})

    assert response.status_code == 403
    assert version_of(draft) == draft.version


def test_reads_refuse_post(owner_client, draft):
    response = owner_client.post(reverse("draft-payload-download", args=[draft.pk]))

    assert response.status_code == 405


# --- drafts list --------------------------------------------------------------------------------


def test_list_shows_mine_and_shared_with_my_role_newest_first(owner, owner_client, draft):
    other = saved_user()
    shared = make_draft(other, name="Shared audit")
    Membership.objects.create(draft=shared, user=owner, role=Membership.Role.REVIEWER)
    make_draft(other, name="Someone else's secret")

    response = owner_client.get(reverse("draft-list"))

    content = response.content.decode()
    assert "Shared audit" in content
    assert "Quarter close" in content
    assert "Someone else" not in content
    assert content.index("Shared audit") < content.index("Quarter close")
    assert "role-reviewer" in content
    assert "role-owner" in content


def test_list_search_by_name_answers_the_table_fragment(owner_client, draft, owner):
    make_draft(owner, name="Payroll")

    response = owner_client.get(reverse("draft-list"), {"q": "payr"}, headers=HX)

    content = response.content.decode()
    assert 'id="draft-table"' in content
    assert "<html" not in content
    assert "Payroll" in content
    assert "Quarter close" not in content


def test_list_search_without_match_says_so(owner_client, draft):
    response = owner_client.get(reverse("draft-list"), {"q": "<b>nothing</b>"})

    content = response.content.decode()
    assert "No draft matches “&lt;b&gt;nothing&lt;/b&gt;”." in content


def test_empty_list_says_what_to_do(owner_client):
    response = owner_client.get(reverse("draft-list"))

    assert "You have no drafts yet." in response.content.decode()


def test_create_blank_draft_opens_the_editor(owner, owner_client):
    response = owner_client.post(reverse("draft-create"), {"name": "Year end"})

    draft = Draft.objects.get(owner=owner, name="Year end")
    assert response["Location"] == reverse("draft-editor", args=[draft.pk])
    assert Node.objects.filter(draft=draft).count() == 1


def test_create_without_a_name_is_refused(owner, owner_client):
    response = owner_client.post(reverse("draft-create"), {"name": "  "})

    assert response.status_code == 422
    assert not Draft.objects.filter(owner=owner).exists()


def test_import_a_payload_file(owner, owner_client):
    upload = SimpleUploadedFile("p.json", json.dumps(seed_request()).encode(), content_type="application/json")

    response = owner_client.post(reverse("draft-import"), {"file": upload})

    draft = Draft.objects.get(owner=owner)
    assert response["Location"] == reverse("draft-editor", args=[draft.pk])
    assert build_payload(draft_tree(draft=draft)).data == seed_request()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "This file cannot be imported: not valid JSON (line 1, column 2"),
        (b'{"name": "x"}', "This file cannot be imported: root: is required"),
        (b"\xff\xfe", "This file cannot be imported: "),
    ],
)
def test_import_of_a_bad_file_shows_the_problem_and_creates_nothing(owner, owner_client, content, message):
    upload = SimpleUploadedFile("p.json", content, content_type="application/json")

    response = owner_client.post(reverse("draft-import"), {"file": upload})

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Draft.objects.filter(owner=owner).exists()


def test_import_of_an_unknown_job_type_names_the_path(owner, owner_client):
    data = seed_request()
    data["root"]["children"][0]["job"]["arguments"]["type"] = "sendTsk"
    upload = SimpleUploadedFile("p.json", json.dumps(data).encode())

    response = owner_client.post(reverse("draft-import"), {"file": upload})

    assert "root.children[0].job.arguments.type: unknown job type &quot;sendTsk&quot;" in response.content.decode()
    assert not Draft.objects.filter(owner=owner).exists()


def test_duplicate_a_shared_draft_makes_my_own_copy(draft):
    viewer_user = saved_user()
    Membership.objects.create(draft=draft, user=viewer_user, role=Membership.Role.VIEWER)
    client = Client()
    client.force_login(viewer_user)

    response = client.post(reverse("draft-duplicate", args=[draft.pk]))

    copy = Draft.objects.get(owner=viewer_user)
    assert response.status_code == 302
    assert response["Location"] == reverse("draft-editor", args=[copy.pk])
    assert copy.name == "Copy of Quarter close"
    assert Node.objects.filter(draft=copy).count() == Node.objects.filter(draft=draft).count()


def test_delete_asks_for_confirmation_first(owner_client, draft):
    response = owner_client.get(reverse("draft-delete", args=[draft.pk]))

    assert response.status_code == 200
    assert "Delete “Quarter close”?" in response.content.decode()
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_owner_deletes_a_draft(owner_client, draft):
    response = owner_client.post(reverse("draft-delete", args=[draft.pk]))

    assert response["Location"] == reverse("draft-list")
    assert not Draft.objects.filter(pk=draft.pk).exists()


# --- editor page --------------------------------------------------------------------------------


def test_editor_shows_the_outline_with_problems(owner_client, draft):
    response = owner_client.get(reverse("draft-editor", args=[draft.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="tree"' in content
    assert content.count('role="treeitem"') == 3
    assert 'aria-level="2"' in content
    assert "one after another" in content
    assert "Collect balances" in content
    assert "due 2026-03-01" in content
    assert "{%" not in content
    assert "{#" not in content
    assert 'class="publish-area"' in content


def test_editor_fragment_for_htmx(owner_client, draft):
    response = owner_client.get(reverse("draft-editor", args=[draft.pk]), headers=HX)

    content = response.content.decode()
    assert content.lstrip().startswith('<div id="workspace"')
    assert "<html" not in content


def test_editor_nests_each_groups_items_in_its_list(owner_client, draft):
    response = owner_client.get(reverse("draft-editor", args=[draft.pk]), headers=HX)

    n = nodes(draft)
    content = response.content.decode()
    group_list = content.index(f'<ul class="children" role="group" data-key="{n["Prepare"].key}">')
    positions = [
        content.index(f'id="node-{n["Prepare"].key}"'),
        group_list,
        content.index(f'id="node-{n["Collect balances"].key}"'),
        content.index("</ul></li>", group_list),
        content.index(f'id="node-{n["Sign off"].key}"'),
    ]
    assert positions == sorted(positions)


def test_selected_node_opens_its_inspector_form(owner_client, draft):
    job = nodes(draft)["Collect balances"]

    response = owner_client.get(reverse("draft-editor", args=[draft.pk]), {"node": job.key})

    content = response.content.decode()
    assert 'name="node-title"' in content
    assert 'type="date" name="node-dueDate"' in content
    assert 'value="2026-03-01"' in content
    assert "Type a name, e-mail or Workiva user id." in content
    assert 'data-picker="user"' in content


def test_node_detail_answers_the_inspector_fragment(owner_client, draft):
    group = nodes(draft)["Prepare"]

    response = owner_client.get(reverse("node-detail", args=[draft.pk, group.key]), headers=HX)

    content = response.content.decode()
    assert content.lstrip().startswith('<aside id="inspector"')
    assert 'role="switch"' in content
    assert "All at the same time" in content


def test_node_detail_without_htmx_redirects_to_the_editor(owner_client, draft):
    group = nodes(draft)["Prepare"]

    response = owner_client.get(reverse("node-detail", args=[draft.pk, group.key]))

    assert response.status_code == 302
    assert f"?node={group.key}" in response["Location"]


def test_unknown_node_is_404(owner_client, draft):
    response = owner_client.get(
        reverse("node-detail", args=[draft.pk, "00000000-0000-0000-0000-000000000000"]), headers=HX
    )

    assert response.status_code == 404


def test_user_text_is_escaped_everywhere(owner, owner_client):
    evil = "<script>alert(1)</script>"
    draft = make_draft(owner, name=evil)
    group = add_group(draft, root_of(draft), evil)
    job = add_job(draft, group, evil, instructions=evil, assigneeUser="")  # a problem: its label is listed
    draft.refresh_from_db()

    pages = [
        owner_client.get(reverse("draft-list")),
        owner_client.get(reverse("draft-editor", args=[draft.pk]), {"node": job.key}),
        owner_client.get(reverse("node-detail", args=[draft.pk, job.key]), headers=HX),
        owner_client.get(reverse("node-delete", args=[draft.pk, group.key])),
        owner_client.get(reverse("draft-payload", args=[draft.pk])),
        owner_client.get(reverse("draft-status", args=[draft.pk]), {"badges": "1"}, headers=HX),
        # Edits answered with an outline patch: a move of the group (its subtree and headers) ...
        owner_client.post(
            reverse("node-move", args=[draft.pk, group.key]),
            {"version": version_of(draft), "parent": root_of(draft).key, "position": 0, "selected": job.key},
            headers=HX,
        ),
        # ... and a duplicate of the job (the copy's row, the group's header, the inspector).
        owner_client.post(
            reverse("node-duplicate", args=[draft.pk, job.key]), {"version": version_of(draft)}, headers=HX
        ),
    ]

    for response in pages:
        assert response.status_code == 200, response.content[:300]
        content = response.content.decode()
        assert evil not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# --- settings -----------------------------------------------------------------------------------


def settings_data(draft, **changes):
    data = {
        "version": draft.version,
        "settings-name": draft.name,
        "settings-due_date": draft.due_date or "",
        "settings-business_start_date": draft.business_start_date or "",
        # The form's checkboxes as the draft has them (a new draft starts Monday–Friday, issue 14).
        "settings-business_days": list(draft.business_days or []),
    }
    data.update({f"settings-{k}": v for k, v in changes.items()})
    return data


def test_settings_save_only_what_changed(owner_client, draft):
    response = owner_client.post(
        reverse("draft-settings", args=[draft.pk]),
        settings_data(draft, due_date="2026-06-30", business_days=["monday", "friday"]),
        headers=HX,
    )

    fresh = Draft.objects.get(pk=draft.pk)
    assert response.status_code == 200
    assert "Process settings saved." in response.content.decode()
    assert fresh.due_date == "2026-06-30"
    assert fresh.business_days == ["monday", "friday"]
    assert fresh.auto_close is None
    assert fresh.version == draft.version + 1


def test_a_new_process_due_date_asks_the_status_for_every_nodes_badges(owner_client, draft):
    response = owner_client.post(
        reverse("draft-settings", args=[draft.pk]), settings_data(draft, due_date="2026-02-01"), headers=HX
    )

    assert 'data-badges="all"' in response.content.decode()
    job = nodes(draft)["Collect balances"]  # due 2026-03-01: now after the process due date
    plain = owner_client.get(reverse("draft-status", args=[draft.pk]), headers=HX).content.decode()
    status = owner_client.get(reverse("draft-status", args=[draft.pk]), {"badges": "1"}, headers=HX).content.decode()
    assert 'id="badge-sync"' not in plain
    sync = status.split('<div id="badge-sync" hidden hx-swap-oob="true"')[1]
    entry = sync.split(f'<div data-for="{job.key}">')[1].split("</div>")[0]
    assert 'class="badge badge-error" title="1 error">1<' in entry
    assert "is after the process due date 2026-02-01" in status


def test_other_settings_answer_only_the_title_flash_and_version(owner_client, draft):
    response = owner_client.post(
        reverse("draft-settings", args=[draft.pk]), settings_data(draft, name="Q1 <close>"), headers=HX
    )

    content = response.content.decode()
    assert response["HX-Reswap"] == "none"
    assert '<div id="workspace"' not in content
    assert '<h1 id="draft-title" class="draft-title" hx-swap-oob="true">Q1 &lt;close&gt;</h1>' in content
    assert "Process settings saved." in content
    assert patch_of(response) == {"version": draft.version + 1, "placed": [], "groups": {}}
    assert "data-badges" not in content


def test_settings_without_htmx_redirect_back(owner_client, draft):
    response = owner_client.post(reverse("draft-settings", args=[draft.pk]), settings_data(draft, name="Renamed"))

    assert response.status_code == 302
    assert Draft.objects.get(pk=draft.pk).name == "Renamed"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"due_date": "2026-02-30"}, "Enter a real date as YYYY-MM-DD"),
        ({"due_date": "31/12/2026"}, "Enter a real date as YYYY-MM-DD"),
        ({"business_start_date": "1999-12-31"}, "Choose a date between 2000-01-01 and 2099-12-31."),
        ({"name": ""}, "This field is required."),
        ({"business_days": ["funday"]}, "Select a valid choice."),
    ],
)
def test_bad_settings_show_field_errors_and_save_nothing(owner_client, draft, changes, error):
    response = owner_client.post(
        reverse("draft-settings", args=[draft.pk]), settings_data(draft, **changes), headers=HX
    )

    fresh = Draft.objects.get(pk=draft.pk)
    assert response.status_code == 422
    assert error in response.content.decode()
    assert fresh.version == draft.version
    assert fresh.due_date is None


def test_stale_settings_are_refused_and_keep_what_was_typed(owner_client, draft):
    stale = draft.version
    owner_client.post(reverse("draft-settings", args=[draft.pk]), settings_data(draft, name="Theirs"), headers=HX)

    response = owner_client.post(
        reverse("draft-settings", args=[draft.pk]), settings_data(draft, name="Mine") | {"version": stale}, headers=HX
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert CONFLICT in content
    assert 'value="Mine"' in content
    assert Draft.objects.get(pk=draft.pk).name == "Theirs"


def test_a_write_without_version_is_refused(owner_client, draft):
    response = owner_client.post(reverse("draft-settings", args=[draft.pk]), {"settings-name": "X"}, headers=HX)

    assert response.status_code == 422
    assert "did not say which version" in response.content.decode()
    assert Draft.objects.get(pk=draft.pk).name == "Quarter close"


# --- adding, editing, duplicating, deleting nodes -----------------------------------------------


@pytest.mark.parametrize("what", ["group", "sendTask", "contentRequest", "certification"])
def test_add_a_node_of_each_kind_and_select_it(owner_client, draft, what):
    group = nodes(draft)["Prepare"]

    response = owner_client.post(
        reverse("node-add", args=[draft.pk]),
        {"version": draft.version, "parent": group.key, "position": 0, "what": what},
        headers=HX,
    )

    added = Node.objects.get(draft=draft, parent=group, position=0)
    assert response.status_code == 200
    assert (added.job_type or "group") == what
    patch = patch_of(response)
    assert patch["placed"] == [(str(added.key), str(group.key), 0)]
    assert patch["groups"] == {str(group.key): 2}
    assert f'data-selected="{added.key}"' in response.content.decode()


def test_plain_add_redirects_to_the_new_node(owner_client, draft):
    group = nodes(draft)["Prepare"]

    response = owner_client.post(
        reverse("node-add", args=[draft.pk]),
        {"version": draft.version, "parent": group.key, "position": 0, "what": "group"},
    )

    added = Node.objects.get(draft=draft, parent=group, position=0)
    assert response.status_code == 302
    assert response["Location"].endswith(f"?node={added.key}#node-{added.key}")


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"what": "certificationSignerGenerated"}, 422, "Choose what to add and where."),
        ({"what": "group", "parent": "not-a-key"}, 422, "Choose what to add and where."),
        ({"what": "group", "parent": "00000000-0000-0000-0000-000000000000"}, 422, "There is no node"),
        ({"what": "group", "parent": "", "position": ""}, 422, "Choose what to add and where."),
        ({"what": "group", "after": "00000000-0000-0000-0000-000000000000"}, 422, "Choose what to add and where."),
        (
            {"what": "group", "parent": "", "position": "", "after": "00000000-0000-0000-0000-000000000000"},
            422,
            "There is no node 00000000-0000-0000-0000-000000000000 in this draft.",
        ),
    ],
)
def test_adding_with_bad_input_is_refused(owner_client, draft, data, status, message):
    payload = {"version": draft.version, "parent": root_of(draft).key, "position": 0} | data

    response = owner_client.post(reverse("node-add", args=[draft.pk]), payload, headers=HX)

    assert response.status_code == status
    assert message in response.content.decode()
    assert Node.objects.filter(draft=draft).count() == 4


def test_add_after_a_job_puts_the_new_job_right_after_it_wherever_it_now_is(owner_client, draft):
    n = nodes(draft)
    version = draft.version
    move(owner_client, draft, "Sign off", "up")  # the page that asks may predate this: "after" names the job

    response = owner_client.post(
        reverse("node-add", args=[draft.pk]),
        {"version": version + 1, "after": n["Sign off"].key, "what": "sendTask"},
        headers=HX,
    )

    assert response.status_code == 200
    assert order(draft) == [("Sign off", 1), ("New task", 1), ("Prepare", 1), ("Collect balances", 2)]


def test_adding_into_a_job_is_refused(owner_client, draft):
    job = nodes(draft)["Sign off"]

    response = owner_client.post(
        reverse("node-add", args=[draft.pk]),
        {"version": draft.version, "parent": job.key, "position": 0, "what": "group"},
        headers=HX,
    )

    assert response.status_code == 422
    assert "A job cannot hold other nodes; choose a group." in response.content.decode()


def job_data(draft, **fields):
    return {"version": draft.version} | {f"node-{k}": v for k, v in fields.items()}


def test_edit_a_job_from_its_generated_form(owner_client, draft):
    job = nodes(draft)["Collect balances"]

    response = owner_client.post(
        reverse("node-edit", args=[draft.pk, job.key]),
        job_data(
            draft, title="Collect TB", assigneeUser="userId77", dueDate="2026-04-30", instructions="Use <b>v2</b>"
        ),
        headers=HX,
    )

    job.refresh_from_db()
    assert response.status_code == 200
    assert job.arguments == {
        "title": "Collect TB",
        "assigneeUser": "userId77",
        "dueDate": "2026-04-30",
        "instructions": "Use <b>v2</b>",
    }
    assert "Use &lt;b&gt;v2&lt;/b&gt;" in response.content.decode()


def test_principal_fields_are_edited_as_a_user_id(owner, owner_client):
    draft = make_draft(owner)
    job = add_job(
        draft, root_of(draft), "Request", job_type="contentRequest", assignee={"id": "userId1", "type": "user"}
    )
    draft.refresh_from_db()

    page = owner_client.get(reverse("node-detail", args=[draft.pk, job.key]), headers=HX)
    owner_client.post(
        reverse("node-edit", args=[draft.pk, job.key]),
        job_data(draft, title="Request", assignee="userId2", approver="userId3"),
        headers=HX,
    )

    job.refresh_from_db()
    assert 'name="node-assignee" value="userId1"' in page.content.decode()
    assert job.arguments["assignee"] == {"id": "userId2", "type": "user"}
    assert job.arguments["approver"] == {"id": "userId3", "type": "user"}


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"title": "T", "dueDate": "2026-02-30"}, "Enter a real date as YYYY-MM-DD"),
        ({"title": "T", "assigneeUser": "jo@example.com"}, "not an e-mail address"),
        ({"title": ""}, "This field is required."),
    ],
)
def test_invalid_job_input_shows_field_errors_and_saves_nothing(owner_client, draft, fields, error):
    job = nodes(draft)["Collect balances"]
    before = dict(job.arguments)

    response = owner_client.post(reverse("node-edit", args=[draft.pk, job.key]), job_data(draft, **fields), headers=HX)

    job.refresh_from_db()
    assert response.status_code == 422
    assert error in response.content.decode()
    assert "Nothing was saved: fix the fields marked below." in response.content.decode()
    assert job.arguments == before
    assert version_of(draft) == draft.version


def test_edit_a_group(owner_client, draft):
    group = nodes(draft)["Prepare"]

    response = owner_client.post(
        reverse("node-edit", args=[draft.pk, group.key]),
        job_data(draft, name="Prepare all", parallel="on", trigger_type="whenEligible"),
        headers=HX,
    )

    group.refresh_from_db()
    assert response.status_code == 200
    assert (group.name, group.parallel) == ("Prepare all", True)
    assert "all at the same time" in response.content.decode()


def test_stale_job_edit_is_refused_and_keeps_the_typed_values(owner_client, draft):
    job = nodes(draft)["Collect balances"]
    stale = draft.version
    owner_client.post(reverse("node-edit", args=[draft.pk, job.key]), job_data(draft, title="Theirs"), headers=HX)

    response = owner_client.post(
        reverse("node-edit", args=[draft.pk, job.key]),
        job_data(draft, title="Mine") | {"version": stale},
        headers=HX,
    )

    job.refresh_from_db()
    content = response.content.decode()
    assert response.status_code == 409
    assert CONFLICT in content
    assert 'value="Mine"' in content
    assert job.arguments["title"] == "Theirs"


def test_duplicate_a_node(owner_client, draft):
    group = nodes(draft)["Prepare"]

    response = owner_client.post(
        reverse("node-duplicate", args=[draft.pk, group.key]), {"version": draft.version}, headers=HX
    )

    assert response.status_code == 200
    assert Node.objects.filter(draft=draft, name="Prepare").count() == 2
    assert Node.objects.filter(draft=draft).count() == 6


def test_delete_confirmation_page_names_what_goes(owner_client, draft):
    group = nodes(draft)["Prepare"]

    response = owner_client.get(reverse("node-delete", args=[draft.pk, group.key]))

    content = response.content.decode()
    assert "Delete “Prepare”?" in content
    assert "This group holds 1 item" in content


def test_delete_then_undo_restores_the_subtree(owner_client, draft):
    group = nodes(draft)["Prepare"]

    deleted = owner_client.post(
        reverse("node-delete", args=[draft.pk, group.key]), {"version": draft.version}, headers=HX
    )
    gone = Node.objects.filter(draft=draft).count()
    undone = owner_client.post(reverse("draft-undo", args=[draft.pk]), {"version": version_of(draft)}, headers=HX)

    assert "Deleted “Prepare”." in deleted.content.decode()
    assert "Undo" in deleted.content.decode()
    assert gone == 2
    assert "Undid the deletion of “Prepare”." in undone.content.decode()
    assert Node.objects.filter(draft=draft).count() == 4
    assert Node.objects.get(key=group.key).position == 0


def test_undo_with_nothing_to_undo_says_so(owner_client, draft):
    response = owner_client.post(reverse("draft-undo", args=[draft.pk]), {"version": draft.version}, headers=HX)

    assert response.status_code == 422
    assert "There is nothing of yours to undo on this draft." in response.content.decode()


def test_deleting_the_root_is_refused(owner_client, draft):
    root = root_of(draft)

    response = owner_client.post(
        reverse("node-delete", args=[draft.pk, root.key]), {"version": draft.version}, headers=HX
    )

    assert response.status_code == 422
    assert "The root group cannot be deleted." in response.content.decode()


def test_stale_delete_is_refused(owner_client, draft):
    job = nodes(draft)["Sign off"]

    response = owner_client.post(
        reverse("node-delete", args=[draft.pk, job.key]), {"version": draft.version - 1}, headers=HX
    )

    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    assert Node.objects.filter(key=job.key).exists()


# --- moves ---------------------------------------------------------------------------------------


def order(draft):
    tree = draft_tree(draft=draft)
    return [(node.label, depth) for node, depth in tree.walk()][1:]


def move(client, draft, label, direction, version=None):
    node = nodes(draft)[label]
    return client.post(
        reverse("node-move", args=[draft.pk, node.key]),
        {"version": version or version_of(draft), "direction": direction},
        headers=HX,
    )


def test_keyboard_moves_up_down_indent_outdent(owner_client, draft):
    assert order(draft) == [("Prepare", 1), ("Collect balances", 2), ("Sign off", 1)]

    move(owner_client, draft, "Sign off", "up")
    assert order(draft) == [("Sign off", 1), ("Prepare", 1), ("Collect balances", 2)]

    move(owner_client, draft, "Sign off", "down")
    assert order(draft) == [("Prepare", 1), ("Collect balances", 2), ("Sign off", 1)]

    move(owner_client, draft, "Sign off", "indent")
    assert order(draft) == [("Prepare", 1), ("Collect balances", 2), ("Sign off", 2)]

    response = move(owner_client, draft, "Collect balances", "outdent")
    assert order(draft) == [("Prepare", 1), ("Sign off", 2), ("Collect balances", 1)]
    assert 'data-focus="' + str(nodes(draft)["Collect balances"].key) in response.content.decode()


@pytest.mark.parametrize(
    ("label", "direction", "message"),
    [
        ("Prepare", "up", "“Prepare” is already first in its group."),
        ("Sign off", "down", "“Sign off” is already last in its group."),
        ("Prepare", "indent", "To indent “Prepare”, the node just above it must be a group."),
        ("Prepare", "outdent", "“Prepare” is already at the top level."),
        ("Prepare", "sideways", "Choose up, down, indent or outdent, or where to drop the item."),
    ],
)
def test_impossible_moves_say_why_and_change_nothing(owner_client, draft, label, direction, message):
    before = order(draft)

    response = move(owner_client, draft, label, direction)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert order(draft) == before


def test_stale_move_of_an_item_moved_since_is_refused(owner_client, draft):
    stale = draft.version
    move(owner_client, draft, "Sign off", "up", version=stale)

    response = move(owner_client, draft, "Sign off", "down", version=stale)

    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    assert order(draft)[0] == ("Sign off", 1)


def test_stale_move_of_an_item_nobody_touched_since_is_merged(owner_client, draft):
    stale = draft.version
    job = nodes(draft)["Collect balances"]
    owner_client.post(reverse("node-edit", args=[draft.pk, job.key]), job_data(draft, title="Renamed"), headers=HX)

    response = move(owner_client, draft, "Sign off", "up", version=stale)

    assert response.status_code == 200
    assert order(draft) == [("Sign off", 1), ("Prepare", 1), ("Renamed", 2)]


def test_plain_move_redirects_to_the_editor(owner_client, draft):
    job = nodes(draft)["Sign off"]

    response = owner_client.post(
        reverse("node-move", args=[draft.pk, job.key]), {"version": draft.version, "direction": "up"}
    )

    assert response.status_code == 302
    assert f"node={job.key}" in response["Location"]


def drop(client, draft, label, parent, position, version=None, selected=""):
    n = nodes(draft)
    return client.post(
        reverse("node-move", args=[draft.pk, n[label].key]),
        {
            "version": version or version_of(draft),
            "parent": n[parent].key if parent in n else parent,
            "position": position,
            "selected": selected,
        },
        headers=HX,
    )


def patch_of(response):
    """The outline patch of a move's answer: placed items (key, parent, index) and group headers."""
    import re

    content = response.content.decode()
    holder = re.search(r'<div id="outline-patch" hidden hx-swap-oob="true" data-version="(\d+)"', content)
    placed = re.findall(r'<div data-parent="([^"]+)" data-index="(\d+)"><li class="[^"]*" id="node-([^"]+)"', content)
    groups = re.findall(r'<div data-group="([^"]+)" data-size="(\d+)"', content)
    return {
        "version": int(holder.group(1)) if holder else None,
        "placed": [(key, parent, int(index)) for parent, index, key in placed],
        "groups": {key: int(size) for key, size in groups},
    }


def test_drop_moves_a_job_into_a_group_and_answers_only_what_changed(owner_client, draft):
    n = nodes(draft)

    response = drop(owner_client, draft, "Sign off", "Prepare", 0)

    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert order(draft) == [("Prepare", 1), ("Sign off", 2), ("Collect balances", 2)]
    patch = patch_of(response)
    assert patch["version"] == version_of(draft)
    assert patch["placed"] == [(str(n["Sign off"].key), str(n["Prepare"].key), 0)]
    # The group it left (the root, which has no header row) and the group it joined.
    assert patch["groups"] == {str(n["Quarter close"].key): 1, str(n["Prepare"].key): 2}
    content = response.content.decode()
    assert 'aria-level="2"' in content
    assert '<div id="workspace"' not in content
    assert "Collect balances" not in content  # the other rows are not sent again


def test_drop_out_of_a_group_updates_the_group_it_left(owner_client, draft):
    n = nodes(draft)

    response = drop(owner_client, draft, "Collect balances", "Quarter close", 2)

    assert order(draft) == [("Prepare", 1), ("Sign off", 1), ("Collect balances", 1)]
    patch = patch_of(response)
    assert patch["placed"] == [(str(n["Collect balances"].key), str(n["Quarter close"].key), 2)]
    assert patch["groups"] == {str(n["Prepare"].key): 0, str(n["Quarter close"].key): 3}
    # The emptied group's header shows its new size and the "empty group" warning badge.
    header = response.content.decode().split(f'data-group="{n["Prepare"].key}"')[1]
    assert "0 items" in header
    assert "badge-warning" in header.split("</div>")[0] + header


def test_drop_of_a_group_sends_its_whole_subtree_one_level_deeper(owner_client, draft):
    n = nodes(draft)
    add_group(draft, n["Quarter close"], "Later")
    draft.refresh_from_db()

    response = drop(owner_client, draft, "Prepare", "Later", 0)

    content = response.content.decode()
    assert order(draft) == [("Sign off", 1), ("Later", 1), ("Prepare", 2), ("Collect balances", 3)]
    assert f'id="node-{n["Prepare"].key}" data-key="{n["Prepare"].key}" role="treeitem" aria-level="2"' in content
    assert (
        f'id="node-{n["Collect balances"].key}" data-key="{n["Collect balances"].key}" role="treeitem" aria-level="3"'
        in content
    )


def test_drop_answers_the_inspector_only_when_the_move_changed_it(owner_client, draft):
    n = nodes(draft)
    add_group(draft, n["Quarter close"], "Elsewhere")
    draft.refresh_from_db()

    unrelated = drop(owner_client, draft, "Sign off", "Elsewhere", 0, selected=str(n["Collect balances"].key))
    moved_itself = drop(owner_client, draft, "Sign off", "Quarter close", 0, selected=str(n["Sign off"].key))

    assert 'id="inspector"' not in unrelated.content.decode()
    assert '<aside id="inspector" class="panel col-right inspector" aria-label="Selected item" hx-swap-oob="true">' in (
        moved_itself.content.decode()
    )


@pytest.mark.parametrize(
    ("label", "parent", "message"),
    [
        ("Prepare", "Collect balances", "A job cannot hold other nodes; choose a group."),
        ("Prepare", "Prepare", "A group cannot be moved into itself or into one of its own groups."),
        ("Sign off", "00000000-0000-0000-0000-000000000000", "There is no node 00000000-0000-0000-0000-000000000000"),
        ("Sign off", "not-a-key", "Choose up, down, indent or outdent, or where to drop the item."),
    ],
)
def test_refused_drop_answers_the_unchanged_tree(owner_client, draft, label, parent, message):
    before = order(draft)
    version = version_of(draft)

    response = drop(owner_client, draft, label, parent, 0)

    content = response.content.decode()
    assert response.status_code == 422
    assert message in content
    assert order(draft) == before
    assert version_of(draft) == version
    assert content.lstrip().startswith('<div id="workspace"')  # the whole authoritative workspace


def test_drop_into_a_group_inside_itself_is_refused(owner_client, draft):
    n = nodes(draft)
    add_group(draft, n["Prepare"], "Inner")
    draft.refresh_from_db()

    response = drop(owner_client, draft, "Prepare", "Inner", 0)

    assert response.status_code == 422
    assert "A group cannot be moved into itself" in response.content.decode()
    assert ("Inner", 2) in order(draft)


def test_stale_drop_is_refused_with_the_current_tree(owner_client, draft):
    move(owner_client, draft, "Sign off", "up")

    response = drop(owner_client, draft, "Sign off", "Prepare", 0, version=draft.version)

    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    assert order(draft) == [("Sign off", 1), ("Prepare", 1), ("Collect balances", 2)]


def test_draft_status_answers_the_problems_and_publish_panels_out_of_band(owner_client, draft):
    response = owner_client.get(reverse("draft-status", args=[draft.pk]), headers=HX)

    content = response.content.decode()
    assert response.status_code == 200
    assert '<section id="problems" class="panel problems"' in content
    assert '<section id="publish-panel" class="panel publish-panel"' in content
    assert content.count('hx-swap-oob="true"') == 2
    assert f'data-version="{draft.version}"' in content


# --- problems and payload --------------------------------------------------------------------------


def test_problem_counts_follow_every_edit(owner_client, draft):
    job = nodes(draft)["Collect balances"]
    first = owner_client.get(reverse("draft-editor", args=[draft.pk]), headers=HX).content.decode()

    response = owner_client.post(
        reverse("node-edit", args=[draft.pk, job.key]), job_data(draft, title="Collect balances"), headers=HX
    )

    assert "0 errors" in first
    content = response.content.decode()
    # The edit's answer: the job's row with its badge, and the problem in the inspector ...
    row = content.split(f'id="node-{job.key}"')[1].split("</li>")[0]
    assert 'class="badge badge-error"' in row
    assert "Choose who this job goes to (assignee)." in content.split('id="inspector"')[1]
    # ... then the status the editor asks for: the counts and the problems list.
    status = owner_client.get(reverse("draft-status", args=[draft.pk]), headers=HX).content.decode()
    assert "1 error<" in status
    assert f'data-problem-key="{job.key}"' in status


def test_payload_preview_shows_the_exact_json(owner_client, draft):
    response = owner_client.get(reverse("draft-payload", args=[draft.pk]))

    expected = build_payload(draft_tree(draft=draft)).to_json()
    assert response.status_code == 200
    assert response.context["payload_json"] == expected


def test_payload_download_is_a_json_attachment(owner_client, draft):
    response = owner_client.get(reverse("draft-payload-download", args=[draft.pk]))

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="process-{draft.pk}-v{draft.version}.json"'
    assert json.loads(response.content) == build_payload(draft_tree(draft=draft)).data


def test_inspector_lists_the_problems_of_the_selected_node(owner_client, draft):
    job = nodes(draft)["Collect balances"]
    owner_client.post(reverse("node-edit", args=[draft.pk, job.key]), job_data(draft, title="Collect balances"))

    response = owner_client.get(reverse("node-detail", args=[draft.pk, job.key]), headers=HX)

    content = response.content.decode()
    assert 'aria-label="Problems with this item"' in content
    assert "Choose who this job goes to (assignee)." in content


def test_viewer_gets_no_delete_confirmation_page(draft):
    viewer = member_client(draft, Membership.Role.VIEWER)
    job = nodes(draft)["Sign off"]

    response = viewer.get(reverse("node-delete", args=[draft.pk, job.key]))

    assert response.status_code == 403


def test_import_of_an_overlong_name_is_refused_with_a_message(owner, owner_client):
    data = seed_request() | {"name": "x" * 501}
    upload = SimpleUploadedFile("p.json", json.dumps(data).encode())

    response = owner_client.post(reverse("draft-import"), {"file": upload})

    assert response.status_code == 422
    assert "This file cannot be imported: " in response.content.decode()
    assert "at most 500 characters" in response.content.decode()
    assert not Draft.objects.filter(owner=owner).exists()
