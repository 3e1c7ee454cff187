"""A node deleted by someone else in the moment around an edit of it: never a 500 (the HTTP soak,
tests/live/test_soak.py, found both sequences: 2 of 4 runs of 200 operations by 4 clients)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from designer import views
from designer.errors import TreeError
from designer.models import Node
from designer.services.nodes import node_delete, node_update
from tests.factories import UserFactory, add_job, make_draft, root_of

HX = {"HX-Request": "true"}


@pytest.fixture
def draft(db):
    draft = make_draft(UserFactory(), name="Close")
    add_job(draft, root_of(draft), "Reconcile cash", dueDate="2027-01-15")
    add_job(draft, root_of(draft), "Sign off")
    draft.refresh_from_db()
    return draft


def test_an_edit_of_a_node_deleted_after_the_request_found_it_is_refused_and_writes_nothing(draft):
    found = Node.objects.get(draft=draft, arguments__title="Reconcile cash")  # the request's copy
    node_delete(node=Node.objects.get(pk=found.pk), version=draft.version)  # the other user's delete
    draft.refresh_from_db()
    version = draft.version

    with pytest.raises(TreeError, match="deleted meanwhile"):
        node_update(node=found, version=version, changes={"arguments": {"title": "Cash"}})

    draft.refresh_from_db()
    assert draft.version == version
    assert not Node.objects.filter(pk=found.pk).exists()


def test_an_edit_whose_node_is_deleted_before_its_answer_is_built_answers_the_workspace(draft, client, monkeypatch):
    job = Node.objects.get(draft=draft, arguments__title="Reconcile cash")
    real = views.workspace.outline_patch

    def deleted_meanwhile(draft, *, place, **kwargs):
        Node.objects.filter(pk__in=[n.pk for n in place]).delete()  # another request, just after the commit
        return real(draft, place=place, **kwargs)

    monkeypatch.setattr(views.workspace, "outline_patch", deleted_meanwhile)
    client.force_login(draft.owner)

    response = client.post(
        reverse("node-edit", args=[draft.pk, job.key]),
        {"version": draft.version, "node-title": "Cash", "node-dueDate": "2027-01-15"},
        headers=HX,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="workspace"' in body
    assert "Sign off" in body
    assert f'id="node-{job.key}"' not in body  # the outline as it is now: without the deleted job
