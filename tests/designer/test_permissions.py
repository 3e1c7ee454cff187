"""Every role (and a stranger) against every review endpoint, checked against ``permissions.RULES``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from designer.models import Draft, Invitation, Membership
from designer.permissions import RULES, Action, can, role_of, with_my_role
from designer.services.comments import comment_create, comment_resolve
from designer.services.revisions import revision_save_point
from tests.factories import UserFactory

ROLES = ["owner", "editor", "reviewer", "viewer", "stranger"]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    action: Action
    kwargs: tuple[str, ...] = ()
    data: tuple[tuple[str, str], ...] = ()


ENDPOINTS = [
    Endpoint("review-members", "get", Action.VIEW),
    Endpoint("review-member-add", "post", Action.MANAGE_MEMBERS, data=(("identifier", "newcomer"), ("role", "viewer"))),
    Endpoint("review-member-update", "post", Action.MANAGE_MEMBERS, ("member",), (("role", "editor"),)),
    Endpoint("review-member-remove", "post", Action.MANAGE_MEMBERS, ("member",)),
    Endpoint("review-invitation-cancel", "post", Action.MANAGE_MEMBERS, ("invitation",)),
    Endpoint("review-transfer", "post", Action.MANAGE_MEMBERS, data=(("member", "{member}"),)),
    Endpoint("review-gate", "post", Action.SET_APPROVAL_GATE, data=(("reason", "demo"),)),
    Endpoint("review-page", "get", Action.VIEW),
    Endpoint("review-request", "post", Action.REQUEST_REVIEW, data=(("reviewers", "{reviewer_id}"),)),
    Endpoint("review-approve", "post", Action.APPROVE, data=(("version", "{version}"),)),
    Endpoint("review-changes", "post", Action.APPROVE, data=(("version", "{version}"), ("note", "Fix"))),
    Endpoint("review-comments", "get", Action.VIEW),
    Endpoint("review-comment-add", "post", Action.COMMENT, data=(("body", "Looks fine"),)),
    Endpoint("review-comment-resolve", "post", Action.COMMENT, ("comment",)),
    Endpoint("review-comment-reopen", "post", Action.COMMENT, ("resolved_comment",)),
    Endpoint("review-revisions", "get", Action.VIEW),
    Endpoint("review-save-point", "post", Action.EDIT),
    Endpoint("review-diff", "get", Action.VIEW),
    Endpoint("review-revision", "get", Action.VIEW, ("number",)),
    Endpoint("review-restore", "post", Action.EDIT, ("number",), (("version", "{version}"),)),
    Endpoint("review-activity", "get", Action.VIEW),
]


@pytest.fixture
def world(team):
    """The shared team, a stranger, a spare member and a newcomer, and one of each thing to act on."""
    users = {role: team[role] for role in ROLES if role != "stranger"} | {"stranger": UserFactory(username="stranger")}
    UserFactory(username="newcomer")
    draft = team["draft"]
    spare = Membership.objects.create(draft=draft, user=UserFactory(username="spare"), role="viewer")
    invitation = Invitation.objects.create(
        draft=draft, identifier="someone@example.com", role="viewer", invited_by=draft.owner
    )
    comment = comment_create(draft=draft, actor=users["owner"], body="Open thread")
    resolved = comment_create(draft=draft, actor=users["owner"], body="Done thread")
    comment_resolve(comment=resolved, actor=users["owner"])
    revision = revision_save_point(draft=draft, actor=users["owner"])
    draft.refresh_from_db()
    values = {
        "member": spare.pk,
        "invitation": invitation.pk,
        "comment": comment.pk,
        "resolved_comment": resolved.pk,
        "number": revision.number,
        "version": draft.version,
        "reviewer_id": users["reviewer"].pk,
    }
    return {"users": users, "draft": draft, "values": values}


def _request(client, world, endpoint: Endpoint):
    values = world["values"]
    kwargs: dict[str, Any] = {"pk": world["draft"].pk}
    for name in endpoint.kwargs:
        kwargs[
            {
                "member": "member_pk",
                "invitation": "invitation_pk",
                "comment": "comment_pk",
                "resolved_comment": "comment_pk",
            }.get(name, name)
        ] = values[name]
    url = reverse(endpoint.name, kwargs=kwargs)
    data = {key: value.format(**values) for key, value in endpoint.data}
    return getattr(client, endpoint.method)(url, data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_every_role_gets_what_the_rules_table_says(client, world, role, endpoint):
    user = world["users"][role]
    client.force_login(user)
    if role == "stranger":
        expected = {404}
    elif endpoint.action in RULES[role]:
        expected = {200, 302}
    else:
        expected = {403}

    response = _request(client, world, endpoint)

    assert response.status_code in expected, f"{role} {endpoint.name}: {response.status_code}"
    if response.status_code == 302:
        assert not response.url.startswith(reverse("login"))
    assert can(user, world["draft"], endpoint.action) == (endpoint.action in RULES.get(role, frozenset()))


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_anonymous_users_are_sent_to_log_in(client, world, endpoint):
    response = _request(client, world, endpoint)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_endpoint_table_covers_every_review_action():
    covered = {e.action for e in ENDPOINTS}

    # Deleting and publishing have their endpoints in the editor and publishing pages.
    assert covered == set(Action) - {Action.DELETE, Action.PUBLISH}


def test_a_missing_draft_is_404_even_for_a_logged_in_user(client, world):
    client.force_login(world["users"]["owner"])

    response = client.get(reverse("review-page", kwargs={"pk": world["draft"].pk + 1000}))

    assert response.status_code == 404


def test_a_forbidden_post_writes_nothing(client, world):
    client.force_login(world["users"]["viewer"])
    before = Membership.objects.count()

    response = client.post(
        reverse("review-member-add", kwargs={"pk": world["draft"].pk}), {"identifier": "newcomer", "role": "editor"}
    )

    assert response.status_code == 403
    assert Membership.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_the_role_rule_gives_the_same_answer_per_draft_and_per_query(world, role, django_assert_num_queries):
    user = world["users"][role]
    expected = None if role == "stranger" else role

    annotated = with_my_role(Draft.objects.filter(pk=world["draft"].pk), user=user).get()

    assert role_of(user, Draft.objects.get(pk=world["draft"].pk)) == expected
    with django_assert_num_queries(0):
        assert role_of(user, annotated) == expected
        assert annotated.my_role == expected


def test_a_role_annotated_for_someone_else_is_not_taken_for_mine(world):
    draft = with_my_role(Draft.objects.filter(pk=world["draft"].pk), user=world["users"]["viewer"]).get()

    assert role_of(world["users"]["editor"], draft) == "editor"
