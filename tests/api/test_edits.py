"""Undo and redo, copy and paste, bulk edit, moving and deleting many: the editor's services over the API."""

from __future__ import annotations

import pytest

from designer.models import Node, Operation
from designer.services.nodes import node_update
from tests.factories import add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


def url(team, rest=""):
    return f"/api/v1/drafts/{team['draft'].pk}/{rest}"


def etag(team):
    team["draft"].refresh_from_db()
    return f'"{team["draft"].version}"'


def post(client, team, rest, body=None, *, if_match=None):
    return client.post(url(team, rest), body or {}, format="json", HTTP_IF_MATCH=if_match or etag(team))


def rename(client, team, node, title):
    response = client.patch(
        url(team, f"nodes/{node.key}/"), {"arguments": {"title": title}}, format="json", HTTP_IF_MATCH=etag(team)
    )
    assert response.status_code == 200, response.data
    return response


# --- undo and redo ---------------------------------------------------------------------------------------


def test_undo_and_redo_an_api_edit_and_say_what_they_would_do(as_, team):
    ed = as_("editor")
    rename(ed, team, team["job"], "Tie out cash")

    state = ed.get(url(team, "undo-state/"))
    assert state.status_code == 200
    assert state.data == {"undo": "edit of “Reconcile”", "redo": ""}
    assert state["ETag"] == etag(team)

    undone = post(ed, team, "undo/")
    assert undone.status_code == 200, undone.data
    assert Node.objects.get(pk=team["job"].pk).arguments["title"] == "Reconcile"
    assert undone.data["operation"]["kind"] == Operation.Kind.UNDO
    assert undone.data["operation"]["summary"].startswith("undo of ")
    assert undone.data["redo"]
    assert undone["ETag"] == etag(team)
    assert undone.data["operation"]["version"] == team["draft"].version

    redone = post(ed, team, "redo/")
    assert redone.status_code == 200, redone.data
    assert Node.objects.get(pk=team["job"].pk).arguments["title"] == "Tie out cash"
    assert redone.data["redo"] == ""


def test_undo_is_per_user_nothing_of_mine_is_a_refusal(as_, team):
    rename(as_("editor"), team, team["job"], "Ed's title")

    response = post(as_("owner"), team, "undo/")

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "nothing of yours to undo" in response.data["detail"]
    assert Node.objects.get(pk=team["job"].pk).arguments["title"] == "Ed's title"


def test_undo_of_what_someone_else_changed_since_is_409_naming_them(as_, team):
    rename(as_("editor"), team, team["job"], "Ed's title")
    rename(as_("owner"), team, team["job"], "Olivia's title")
    version = etag_int(team)

    response = post(as_("editor"), team, "undo/")

    assert response.status_code == 409
    assert response.data["type"].endswith("#undo-conflict")
    assert "olivia" in response.data["detail"]
    assert Node.objects.get(pk=team["job"].pk).arguments["title"] == "Olivia's title"
    team["draft"].refresh_from_db()
    assert team["draft"].version == version  # nothing written
    # The refused one left Ed's undo list: Undo now has nothing of his to undo.
    assert as_("editor").get(url(team, "undo-state/")).data["undo"] == ""


def test_undo_with_a_stale_if_match_is_412_and_writes_nothing(as_, team):
    ed = as_("editor")
    rename(ed, team, team["job"], "New")
    stale = f'"{etag_int(team) - 1}"'

    response = post(ed, team, "undo/", if_match=stale)

    assert response.status_code == 412
    assert response.data["current_version"] == etag_int(team)
    assert Node.objects.get(pk=team["job"].pk).arguments["title"] == "New"


def test_undo_needs_if_match(as_, team):
    response = as_("editor").post(url(team, "undo/"), {}, format="json")

    assert response.status_code == 428


def test_a_viewer_cannot_undo(as_, team):
    assert post(as_("viewer"), team, "undo/").status_code == 403


# --- copy and paste --------------------------------------------------------------------------------------


def test_copy_returns_the_fragment_and_paste_puts_it_in_another_draft_as_one_undo_step(as_, team):
    ed = as_("editor")
    copied = ed.post(url(team, "nodes/copy/"), {"keys": [str(team["group"].key)]}, format="json")
    assert copied.status_code == 200, copied.data
    assert [c["group"]["name"] if "group" in c else None for c in copied.data["children"]] == ["Close"]
    assert copied["ETag"] == etag(team)

    other = make_draft(team["editor"], name="Next close")
    before = Node.objects.filter(draft=other).count()
    other_team = {"draft": other}
    pasted = post(ed, other_team, "nodes/paste/", {"fragment": copied.data})

    assert pasted.status_code == 201, pasted.data
    assert [n["label"] for n in pasted.data["nodes"]] == ["Close"]
    assert Node.objects.filter(draft=other).count() == before + 2  # the group and its job
    assert pasted.data["nodes"][0]["parent"] == str(root_of(other).key)
    assert pasted["ETag"] == etag(other_team)

    undone = post(ed, other_team, "undo/")
    assert undone.status_code == 200
    assert Node.objects.filter(draft=other).count() == before


def test_paste_after_a_node(as_, team):
    ed = as_("editor")
    fragment = ed.post(url(team, "nodes/copy/"), {"keys": [str(team["job"].key)]}, format="json").data

    response = post(ed, team, "nodes/paste/", {"fragment": fragment, "after": str(team["job"].key)})

    assert response.status_code == 201, response.data
    new = response.data["nodes"][0]
    assert new["parent"] == str(team["group"].key)
    assert new["position"] == team["job"].position + 1
    assert new["label"] == "Reconcile"
    assert new["key"] != str(team["job"].key)


def test_a_malformed_fragment_names_its_path_in_the_body_and_writes_nothing(as_, team):
    before = Node.objects.count()
    fragment = {"children": [{"job": {"type": "sendTask", "arguments": {"title": 5}}}]}

    response = post(as_("editor"), team, "nodes/paste/", {"fragment": fragment})

    assert response.status_code == 422
    assert response.data["type"].endswith("#invalid-process")
    assert response.data["errors"][0]["path"].startswith("$.fragment.children[0]")
    assert Node.objects.count() == before


def test_paste_with_a_stale_if_match_is_412(as_, team):
    ed = as_("editor")
    fragment = ed.post(url(team, "nodes/copy/"), {"keys": [str(team["job"].key)]}, format="json").data
    before = Node.objects.count()

    response = post(ed, team, "nodes/paste/", {"fragment": fragment}, if_match='"1"')

    assert response.status_code == 412
    assert Node.objects.count() == before


def test_copy_of_an_unknown_key_is_refused_and_a_bad_key_names_its_path(as_, team):
    client = as_("viewer")
    unknown = client.post(url(team, "nodes/copy/"), {"keys": ["6f1c2f0e-0000-4000-8000-000000000000"]}, format="json")
    bad = client.post(url(team, "nodes/copy/"), {"keys": ["nope"]}, format="json")

    assert unknown.status_code == 422
    assert bad.status_code == 400
    assert bad.data["errors"][0]["path"] == "$.keys[0]"


# --- bulk edit -------------------------------------------------------------------------------------------


def test_bulk_edit_sets_a_shared_field_and_shifts_dates_as_one_operation(as_, team):
    second = add_job(team["draft"], team["root"], "Tie out", dueDate="2026-03-02")
    node_update(node=team["job"], version=etag_int(team), changes={"arguments": {"dueDate": "2026-03-06"}})
    body = {
        "keys": [str(team["job"].key), str(second.key), str(team["group"].key)],
        "changes": {"instructions": "See the binder"},
        "shift_days": 1,
    }

    response = post(as_("editor"), team, "nodes/bulk-update/", body)

    assert response.status_code == 200, response.data
    assert set(response.data["changed"]) == {str(team["job"].key), str(second.key)}
    job, second = Node.objects.get(pk=team["job"].pk), Node.objects.get(pk=second.pk)
    assert job.arguments["instructions"] == second.arguments["instructions"] == "See the binder"
    assert second.arguments["dueDate"] == "2026-03-03"
    assert job.arguments["dueDate"] in ("2026-03-07", "2026-03-09")  # a calendar or a business day
    assert Operation.objects.filter(draft=team["draft"], kind=Operation.Kind.BULK_EDIT).count() == 1


def etag_int(team) -> int:
    team["draft"].refresh_from_db()
    return team["draft"].version


def test_bulk_edit_refuses_an_unknown_field_and_a_huge_shift_with_their_paths(as_, team):
    body = {"keys": [str(team["job"].key)], "changes": {"colour": "red"}, "shift_days": 99999}

    response = post(as_("editor"), team, "nodes/bulk-update/", body)

    assert response.status_code == 400
    assert {e["path"] for e in response.data["errors"]} == {"$.changes", "$.shift_days"}


def test_bulk_edit_with_nothing_to_change_is_refused(as_, team):
    response = post(as_("editor"), team, "nodes/bulk-update/", {"keys": [str(team["job"].key)]})

    assert response.status_code == 422
    assert "Nothing to change" in response.data["detail"]


def test_bulk_edit_stale_is_412(as_, team):
    body = {"keys": [str(team["job"].key)], "changes": {"instructions": "x"}}

    response = post(as_("editor"), team, "nodes/bulk-update/", body, if_match='"1"')

    assert response.status_code == 412
    assert "instructions" not in Node.objects.get(pk=team["job"].pk).arguments


# --- many at once ----------------------------------------------------------------------------------------


def test_move_many_into_a_group_keeps_their_order(as_, team):
    extra = add_job(team["draft"], team["root"], "Archive")
    sign_off = _sign_off_by_title(team, "Sign off")
    body = {"keys": [str(sign_off.key), str(extra.key)], "parent": str(team["group"].key), "position": 0}

    response = post(as_("editor"), team, "nodes/move/", body)

    assert response.status_code == 200, response.data
    assert [n["label"] for n in response.data["nodes"]] == ["Sign off", "Archive"]
    labels = [n.label for n in Node.objects.filter(parent=team["group"]).order_by("position")]
    assert labels == ["Sign off", "Archive", "Reconcile"]


def _sign_off_by_title(team, title) -> Node:
    return next(n for n in Node.objects.filter(draft=team["draft"], kind="job") if n.label == title)


def test_move_many_by_a_direction_and_its_refusals(as_, team):
    ed = as_("editor")
    out = post(ed, team, "nodes/move/", {"keys": [str(team["job"].key)], "direction": "outdent"})
    assert out.status_code == 200, out.data
    assert out.data["nodes"][0]["parent"] == str(team["root"].key)

    nowhere = post(ed, team, "nodes/move/", {"keys": [str(team["job"].key)]})
    assert nowhere.status_code == 400
    assert nowhere.data["errors"][0]["path"] == "$.parent"

    root = post(ed, team, "nodes/move/", {"keys": [str(team["root"].key)], "direction": "down"})
    assert root.status_code == 422

    stale = post(ed, team, "nodes/move/", {"keys": [str(team["job"].key)], "direction": "up"}, if_match='"1"')
    assert stale.status_code == 412


def test_delete_many_is_one_operation_undone_in_one_step(as_, team):
    ed = as_("editor")
    sign_off = _sign_off_by_title(team, "Sign off")
    before = Node.objects.filter(draft=team["draft"]).count()

    response = post(ed, team, "nodes/delete/", {"keys": [str(team["group"].key), str(sign_off.key)]})

    assert response.status_code == 200, response.data
    assert response.data["deleted"] == [str(team["group"].key), str(sign_off.key)]
    assert response.data["summary"] == "deletion of 2 items"
    assert Node.objects.filter(draft=team["draft"]).count() == before - 3
    assert post(ed, team, "undo/").status_code == 200
    assert Node.objects.filter(draft=team["draft"]).count() == before


def test_delete_many_stale_and_empty(as_, team):
    ed = as_("editor")
    assert post(ed, team, "nodes/delete/", {"keys": [str(team["job"].key)]}, if_match='"1"').status_code == 412
    empty = post(ed, team, "nodes/delete/", {"keys": []})
    assert empty.status_code == 400
    assert empty.data["errors"][0]["path"] == "$.keys"
    assert Node.objects.filter(pk=team["job"].pk).exists()
