"""Publishing through the API to the built-in sandbox over a real socket, as the page does."""

from __future__ import annotations

import pytest

from api.models import IdempotentPublish
from processes_api.sandbox.models import SandboxProcess
from publishing.models import Submission
from tests.api.conftest import client_for
from tests.factories import make_draft, publishable_draft

pytestmark = pytest.mark.django_db(transaction=True)


def test_publish_creates_the_process_and_the_status_says_so(sandbox, user):
    draft, _ = publishable_draft(user)
    api = client_for(user)

    response = api.post(f"/api/v1/drafts/{draft.pk}/publish/")
    status = api.get(response["Location"])
    listed = api.get(f"/api/v1/drafts/{draft.pk}/submissions/")

    assert response.status_code == 202
    assert status.status_code == 200
    assert status.data["status"] == Submission.Status.CREATED
    assert status.data["process_id"] == SandboxProcess.objects.get().process_id
    assert [s["id"] for s in listed.data] == [response.data["id"]]


def test_the_same_idempotency_key_never_publishes_twice(sandbox, user):
    draft, _ = publishable_draft(user)
    api = client_for(user)

    first = api.post(f"/api/v1/drafts/{draft.pk}/publish/", HTTP_IDEMPOTENCY_KEY="close-2026-q1")
    again = api.post(f"/api/v1/drafts/{draft.pk}/publish/", HTTP_IDEMPOTENCY_KEY="close-2026-q1")

    assert first.status_code == again.status_code == 202
    assert again.data["id"] == first.data["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert SandboxProcess.objects.count() == 1
    assert Submission.objects.count() == 1
    assert IdempotentPublish.objects.get().submission_id == first.data["id"]


def test_a_key_used_for_another_draft_is_refused(sandbox, user):
    draft, _ = publishable_draft(user)
    other, _ = publishable_draft(user, name="Other")
    api = client_for(user)
    api.post(f"/api/v1/drafts/{draft.pk}/publish/", HTTP_IDEMPOTENCY_KEY="k1")

    response = api.post(f"/api/v1/drafts/{other.pk}/publish/", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 422
    assert response.data["type"].endswith("idempotency-key-reused")
    assert SandboxProcess.objects.count() == 1


def test_rejected_errors_come_back_on_their_node(sandbox, user):
    draft, nodes = publishable_draft(user, second={"assigneeUser": "invalid-user"})
    api = client_for(user)

    submission = api.post(f"/api/v1/drafts/{draft.pk}/publish/").data
    errors = api.get(f"/api/v1/submissions/{submission['id']}/errors/")

    assert submission["status"] == Submission.Status.REJECTED
    assert list(errors.data["nodes"]) == [str(nodes["second"].key)]
    assert errors.data["nodes"][str(nodes["second"].key)][0]["code"] == "invalidUser"


def test_a_draft_with_lint_errors_is_refused_with_its_problems(user):
    draft = make_draft(user)  # a root group with nothing in it
    api = client_for(user)

    response = api.post(f"/api/v1/drafts/{draft.pk}/publish/")

    assert response.status_code == 422
    assert response.data["detail"].startswith("Fix ")
    assert response.data["problems"]
    assert not Submission.objects.exists()


def test_a_stale_if_match_on_publish_is_412(user):
    draft, _ = publishable_draft(user)

    response = client_for(user).post(f"/api/v1/drafts/{draft.pk}/publish/", HTTP_IF_MATCH='"999"')

    assert response.status_code == 412
    assert not Submission.objects.exists()


def test_a_malformed_idempotency_key_is_400(user):
    draft, _ = publishable_draft(user)

    response = client_for(user).post(f"/api/v1/drafts/{draft.pk}/publish/", HTTP_IDEMPOTENCY_KEY="has space")

    assert response.status_code == 400
    assert not Submission.objects.exists()
