"""Sharing, review requests, decisions, comments and revisions through the API."""

from __future__ import annotations

import pytest

from designer.models import Approval, Comment, Invitation, Membership, Node, ReviewRequest, Revision

pytestmark = pytest.mark.django_db


def d(team, rest=""):
    return f"/api/v1/drafts/{team['draft'].pk}/{rest}"


def test_members_list_owner_members_and_invitations(as_, team):
    Invitation.objects.create(draft=team["draft"], identifier="x@example.com", role="viewer", invited_by=team["owner"])

    response = as_("viewer").get(d(team, "members/"))

    assert response.data["owner"] == "olivia"
    assert {(m["username"], m["role"]) for m in response.data["members"]} == {
        ("ed", "editor"),
        ("rita", "reviewer"),
        ("vic", "viewer"),
    }
    assert response.data["invitations"][0]["identifier"] == "x@example.com"


def test_invite_answers_the_same_words_whether_or_not_the_account_exists(as_, team):
    client = as_("owner")

    known = client.post(d(team, "members/"), {"identifier": "ed2", "role": "viewer"}, format="json")
    unknown = client.post(d(team, "members/"), {"identifier": "nobody@example.com", "role": "viewer"}, format="json")

    assert known.status_code == unknown.status_code == 202
    assert unknown.data["detail"].startswith("Invitation to “nobody@example.com” as viewer recorded.")


def test_inviting_a_member_again_is_refused_with_the_pages_words(as_, team):
    response = as_("owner").post(d(team, "members/"), {"identifier": "ed", "role": "viewer"}, format="json")

    assert response.status_code == 422
    assert response.data["detail"] == "ed is a member already; change their role instead."


def test_an_unknown_role_names_its_path(as_, team):
    response = as_("owner").post(d(team, "members/"), {"identifier": "x", "role": "owner"}, format="json")

    assert response.status_code == 400
    assert response.data["errors"][0]["path"] == "$.role"


def test_change_a_role_and_remove_a_member(as_, team):
    client = as_("owner")
    vic = Membership.objects.get(user=team["viewer"])

    changed = client.patch(d(team, f"members/{vic.pk}/"), {"role": "editor"}, format="json")
    removed = client.delete(d(team, f"members/{vic.pk}/"))

    assert changed.data["role"] == "editor"
    assert removed.status_code == 204
    assert not Membership.objects.filter(pk=vic.pk).exists()


def test_review_request_then_approval_on_the_current_version(as_, team):
    requested = as_("editor").post(d(team, "review-requests/"), {"reviewers": [team["reviewer"].pk]}, format="json")
    rita = as_("reviewer")
    etag = rita.get(d(team))["ETag"]

    approved = rita.post(
        d(team, "decisions/"), {"verdict": "approved", "note": "ok"}, format="json", HTTP_IF_MATCH=etag
    )
    listed = rita.get(d(team, "decisions/"))

    assert requested.status_code == 201, requested.data
    assert requested.data["reviewers"] == ["rita"]
    assert ReviewRequest.objects.get().revision.reason == Revision.Reason.REVIEW_REQUEST
    assert approved.status_code == 201, approved.data
    assert approved.data["verdict"] == "approved"
    assert [x["reviewer"] for x in listed.data] == ["rita"]


def test_an_approval_of_an_older_version_is_412_and_not_recorded(as_, team):
    rita = as_("reviewer")
    etag = rita.get(d(team))["ETag"]
    as_("editor").patch(d(team), {"name": "Changed meanwhile"}, format="json", HTTP_IF_MATCH=etag)

    response = rita.post(d(team, "decisions/"), {"verdict": "approved"}, format="json", HTTP_IF_MATCH=etag)

    assert response.status_code == 412
    assert not Approval.objects.exists()


def test_requesting_changes_needs_a_note(as_, team):
    response = as_("reviewer").post(
        d(team, "decisions/"), {"verdict": "changes_requested"}, format="json", HTTP_IF_MATCH="*"
    )

    assert response.status_code == 422
    assert response.data["detail"] == "Say what should change: the note is empty."


def test_reviewing_ones_own_request_is_refused(as_, team):
    response = as_("owner").post(d(team, "review-requests/"), {"reviewers": [team["owner"].pk]}, format="json")

    assert response.status_code == 422


def test_comment_on_a_node_reply_resolve_and_list(as_, team):
    rita = as_("reviewer")
    job = str(team["job"].key)

    first = rita.post(d(team, "comments/"), {"body": "Who signs?", "node": job}, format="json")
    reply = as_("editor").post(d(team, "comments/"), {"body": "Olivia", "parent": first.data["id"]}, format="json")
    resolved = rita.patch(d(team, f"comments/{reply.data['id']}/"), {"resolved": True}, format="json")
    on_node = rita.get(d(team, "comments/"), {"node": job})

    assert first.status_code == reply.status_code == 201
    assert resolved.data["id"] == first.data["id"]
    assert resolved.data["resolved"] is True
    assert [c["body"] for c in on_node.data] == ["Who signs?", "Olivia"]
    assert Comment.objects.get(pk=first.data["id"]).node_key == team["job"].key


def test_an_empty_comment_is_refused(as_, team):
    response = as_("viewer").post(d(team, "comments/"), {"body": " "}, format="json")

    assert response.status_code == 403  # viewers do not comment


def test_comment_filter_with_a_bad_node_key_is_400(as_, team):
    response = as_("viewer").get(d(team, "comments/"), {"node": "not-a-key"})

    assert response.status_code == 400
    assert response.data["errors"][0]["path"] == "$.node"


def test_revisions_list_get_diff_and_restore(as_, team):
    owner = as_("owner")
    owner.post(d(team, "review-requests/"), {"reviewers": [team["reviewer"].pk]}, format="json")
    etag = owner.get(d(team))["ETag"]
    owner.delete(d(team, f"nodes/{team['job'].key}/"), HTTP_IF_MATCH=etag)

    listed = owner.get(d(team, "revisions/"))
    number = listed.data[0]["number"]
    one = owner.get(d(team, f"revisions/{number}/"))
    diff = owner.get(d(team, "revisions/diff/"), {"a": number, "b": "current"})
    restored = owner.post(d(team, f"revisions/{number}/restore/"), HTTP_IF_MATCH=owner.get(d(team))["ETag"])

    assert one.data["payload"]["name"] == "Quarter close"
    assert [n["label"] for n in diff.data["removed"]] == ["Reconcile"]
    assert restored.status_code == 200, restored.data
    assert restored.data["reason"] == Revision.Reason.RESTORE
    assert Node.objects.filter(key=team["job"].key).exists()


def test_restore_without_if_match_is_428(as_, team):
    from designer.services.revisions import revision_save_point

    revision = revision_save_point(draft=team["draft"], actor=team["owner"])

    response = as_("owner").post(d(team, f"revisions/{revision.number}/restore/"))

    assert response.status_code == 428


def test_a_diff_against_a_revision_that_does_not_exist_is_404(as_, team):
    response = as_("viewer").get(d(team, "revisions/diff/"), {"a": "77"})

    assert response.status_code == 404
