from __future__ import annotations

import pytest

from designer.services.nodes import node_update
from designer.services.reviews import approval_gate_set, review_approve, review_request_create
from publishing.models import Submission
from publishing.services.submissions import PublishBlocked, submission_create

pytestmark = pytest.mark.django_db


def test_publish_is_refused_without_an_approval_and_writes_nothing(team):
    with pytest.raises(PublishBlocked, match="needs an approval before it can be published") as caught:
        submission_create(draft=team["draft"], user=team["owner"])

    assert [p.code for p in caught.value.problems] == ["approval-required"]
    assert Submission.objects.count() == 0
    assert team["draft"].revisions.count() == 0


def test_publish_is_allowed_with_a_valid_approval(team):
    draft, owner, reviewer = team["draft"], team["owner"], team["reviewer"]
    review_request_create(draft=draft, actor=owner, reviewers=[reviewer])
    draft.refresh_from_db()
    review_approve(draft=draft, actor=reviewer, version=draft.version)

    result = submission_create(draft=draft, user=owner)

    assert result.created
    assert result.submission.revision.reason == "publish"


def test_an_edit_after_approval_blocks_publishing_again(team):
    draft, owner, reviewer = team["draft"], team["owner"], team["reviewer"]
    review_request_create(draft=draft, actor=owner, reviewers=[reviewer])
    draft.refresh_from_db()
    review_approve(draft=draft, actor=reviewer, version=draft.version)
    node_update(
        node=team["job"],
        version=draft.version,
        changes={"arguments": {"title": "Reconcile bank", "assigneeUser": "userId1"}},
    )
    draft.refresh_from_db()

    with pytest.raises(PublishBlocked, match="changed since it was approved"):
        submission_create(draft=draft, user=owner)


def test_the_owner_can_turn_the_gate_off(team):
    approval_gate_set(draft=team["draft"], actor=team["owner"], required=False, reason="quarter-end rush")

    result = submission_create(draft=team["draft"], user=team["owner"])

    assert result.created
