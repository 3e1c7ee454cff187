from __future__ import annotations

import pytest

from designer.models import Node

pytestmark = pytest.mark.django_db


def nodes_url(team, rest=""):
    return f"/api/v1/drafts/{team['draft'].pk}/nodes/{rest}"


def test_tree_is_nested_in_document_order(as_, team):
    response = as_("viewer").get(nodes_url(team))

    assert response.status_code == 200
    root = response.data
    assert [c["label"] for c in root["children"]] == ["Close", "Sign off"]
    assert [c["label"] for c in root["children"][0]["children"]] == ["Reconcile"]
    assert response["ETag"] == f'"{team["draft"].version}"'


def test_add_a_job_into_a_group_with_arguments_checked_by_the_inspector_form(as_, team):
    client = as_("editor")
    body = {
        "kind": "job",
        "job_type": "sendTask",
        "parent": str(team["group"].key),
        "position": 0,
        "arguments": {"title": "Tie out", "assigneeUser": "userId1234"},
    }

    response = client.post(nodes_url(team), body, format="json", HTTP_IF_MATCH=f'"{team["draft"].version}"')

    assert response.status_code == 201, response.data
    node = Node.objects.get(key=response.data["key"])
    assert node.parent == team["group"]
    assert node.position == 0
    assert node.arguments["title"] == "Tie out"
    assert response.data["parent"] == str(team["group"].key)


def test_add_with_a_bad_argument_names_its_path_and_writes_nothing(as_, team):
    before = Node.objects.count()
    body = {
        "kind": "job",
        "job_type": "sendTask",
        "parent": str(team["group"].key),
        "arguments": {"title": "", "assigneeUser": "someone@example.com"},
    }

    response = as_("editor").post(nodes_url(team), body, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 400
    paths = {e["path"] for e in response.data["errors"]}
    assert paths == {"$.arguments.title", "$.arguments.assigneeUser"}
    assert Node.objects.count() == before


def test_add_a_group_after_a_node(as_, team):
    body = {"kind": "group", "after": str(team["group"].key), "name": "Review"}

    response = as_("owner").post(nodes_url(team), body, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 201
    root_children = list(Node.objects.filter(parent=team["root"]).order_by("position").values_list("name", flat=True))
    assert root_children[:2] == ["Close", "Review"]


def test_update_a_group_field(as_, team):
    response = as_("editor").patch(
        nodes_url(team, f"{team['group'].key}/"), {"fields": {"parallel": True}}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 200, response.data
    team["group"].refresh_from_db()
    assert team["group"].parallel is True
    assert response.data["fields"]["parallel"] is True


def test_update_job_arguments_keeps_unknown_ones(as_, team):
    job = team["job"]
    job.arguments = {**job.arguments, "futureField": 1}
    job.save()

    response = as_("editor").patch(
        nodes_url(team, f"{job.key}/"), {"arguments": {"title": "Reconcile all"}}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 200, response.data
    job.refresh_from_db()
    assert job.arguments["title"] == "Reconcile all"
    assert job.arguments["futureField"] == 1


def test_move_by_direction_and_into_a_group(as_, team):
    client = as_("editor")
    sign_off = Node.objects.get(parent=team["root"], position=1)

    up = client.post(nodes_url(team, f"{sign_off.key}/move/"), {"direction": "up"}, format="json", HTTP_IF_MATCH="*")
    into = client.post(
        nodes_url(team, f"{sign_off.key}/move/"),
        {"parent": str(team["group"].key), "position": 5},
        format="json",
        HTTP_IF_MATCH=up["ETag"],
    )

    assert up.status_code == 200
    assert into.status_code == 200
    sign_off.refresh_from_db()
    assert sign_off.parent == team["group"]


def test_moving_a_group_into_itself_is_refused_with_the_editors_words(as_, team):
    response = as_("editor").post(
        nodes_url(team, f"{team['group'].key}/move/"),
        {"parent": str(team["group"].key), "position": 0},
        format="json",
        HTTP_IF_MATCH="*",
    )

    assert response.status_code == 422
    assert response.data["detail"] == "A group cannot be moved into itself or into one of its own groups."


def test_delete_a_node_with_a_stale_etag_is_412_and_keeps_it(as_, team):
    version = team["draft"].version
    client = as_("editor")
    client.patch(
        nodes_url(team, f"{team['group'].key}/"),
        {"fields": {"name": "Closing"}},
        format="json",
        HTTP_IF_MATCH=f'"{version}"',
    )

    stale = client.delete(nodes_url(team, f"{team['job'].key}/"), HTTP_IF_MATCH=f'"{version}"')
    fresh = client.delete(nodes_url(team, f"{team['job'].key}/"), HTTP_IF_MATCH=f'"{version + 1}"')

    assert stale.status_code == 412
    assert stale.data["current_version"] == version + 1
    assert fresh.status_code == 204
    assert not Node.objects.filter(pk=team["job"].pk).exists()


@pytest.mark.parametrize("who", ["reviewer", "viewer"])
def test_reviewers_and_viewers_cannot_change_the_tree(as_, team, who):
    response = as_(who).delete(nodes_url(team, f"{team['job'].key}/"), HTTP_IF_MATCH="*")

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert Node.objects.filter(pk=team["job"].pk).exists()


def test_the_root_cannot_be_deleted(as_, team):
    response = as_("owner").delete(nodes_url(team, f"{team['root'].key}/"), HTTP_IF_MATCH="*")

    assert response.status_code == 422
    assert response.data["detail"] == "The root group cannot be deleted."
