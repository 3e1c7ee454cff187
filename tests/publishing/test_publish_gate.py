from __future__ import annotations

import pytest

from designer.models import Membership, Node
from designer.services.nodes import node_update
from designer.services.reviews import approval_gate_set, review_approve, review_request_create
from publishing.models import Submission
from publishing.services.submissions import PublishBlocked, submission_create
from tests.factories import UserFactory, add_job, make_draft, root_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(user):
    draft = make_draft(user, name="Close")
    add_job(draft, root_of(draft), "Reconcile cash")
    reviewer = UserFactory(username="rita")
    Membership.objects.create(draft=draft, user=reviewer, role="reviewer")
    return draft, reviewer


def test_publish_is_refused_without_an_approval_and_writes_nothing(reviewed, user):
    draft, _ = reviewed

    with pytest.raises(PublishBlocked, match="needs an approval before it can be published") as caught:
        submission_create(draft=draft, user=user)

    assert [p.code for p in caught.value.problems] == ["approval-required"]
    assert Submission.objects.count() == 0
    assert draft.revisions.count() == 0


def test_publish_is_allowed_with_a_valid_approval(reviewed, user):
    draft, reviewer = reviewed
    review_request_create(draft=draft, actor=user, reviewers=[reviewer])
    draft.refresh_from_db()
    review_approve(draft=draft, actor=reviewer, version=draft.version)

    result = submission_create(draft=draft, user=user)

    assert result.created
    assert result.submission.revision.reason == "publish"


def test_an_edit_after_approval_blocks_publishing_again(reviewed, user):
    draft, reviewer = reviewed
    review_request_create(draft=draft, actor=user, reviewers=[reviewer])
    draft.refresh_from_db()
    review_approve(draft=draft, actor=reviewer, version=draft.version)
    job = Node.objects.get(draft=draft, kind="job")
    node_update(
        node=job, version=draft.version, changes={"arguments": {"title": "Reconcile bank", "assigneeUser": "userId1"}}
    )
    draft.refresh_from_db()

    with pytest.raises(PublishBlocked, match="changed since it was approved"):
        submission_create(draft=draft, user=user)


def test_the_owner_can_turn_the_gate_off(reviewed, user):
    draft, _ = reviewed
    approval_gate_set(draft=draft, actor=user, required=False, reason="quarter-end rush")

    result = submission_create(draft=draft, user=user)

    assert result.created
