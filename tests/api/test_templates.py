"""The template gallery over the API: list, new draft from a template, save a draft as a template."""

from __future__ import annotations

import pytest

from designer.models import Draft
from designer.services.drafts import draft_update
from gallery.models import ProcessTemplate

pytestmark = pytest.mark.django_db


def save(client, team, body):
    return client.post(f"/api/v1/drafts/{team['draft'].pk}/save-as-template/", body, format="json")


def test_save_a_draft_as_a_template_then_as_its_next_version(as_, team):
    ed = as_("editor")

    first = save(ed, team, {"name": "Quarter close", "description": "Our close"})
    second = save(ed, team, {"name": "quarter CLOSE"})

    assert first.status_code == 201, first.data
    assert first.data["version"] == 1
    assert first.data["job_count"] == 2
    assert first.data["created_by"] == "ed"
    assert second.data["version"] == 2
    assert second.data["versions"] == 2
    assert second.data["family"] == first.data["family"]


def test_saving_as_a_template_needs_the_edit_role_and_a_name(as_, team):
    assert save(as_("viewer"), team, {"name": "Mine"}).status_code == 403
    blank = save(as_("editor"), team, {"name": "   "})
    assert blank.status_code in (400, 422)
    assert blank["Content-Type"] == "application/problem+json"
    assert not ProcessTemplate.objects.filter(name="Mine").exists()


def test_the_gallery_lists_each_template_once_at_its_latest_version(as_, team):
    ed = as_("editor")
    save(ed, team, {"name": "Quarter close"})
    save(ed, team, {"name": "Quarter close"})

    listed = [t for t in as_("viewer").get("/api/v1/templates/").data if t["name"] == "Quarter close"]

    assert len(listed) == 1
    assert listed[0]["version"] == 2
    assert listed[0]["versions"] == 2


def test_a_new_draft_from_a_template_is_mine_and_due_when_i_say(as_, team):
    draft_update(draft=team["draft"], version=team["draft"].version, changes={"due_date": "2026-06-30"})
    template = save(as_("owner"), team, {"name": "Quarter close"}).data
    vic = as_("viewer")

    response = vic.post(
        f"/api/v1/templates/{template['id']}/drafts/", {"name": "Q3 close", "due": "2026-09-30"}, format="json"
    )

    assert response.status_code == 201, response.data
    new = Draft.objects.get(pk=response.data["id"])
    assert new.owner == team["viewer"]
    assert new.name == "Q3 close"
    assert new.due_date == "2026-09-30"
    assert response["Location"] == f"/api/v1/drafts/{new.pk}/"


def test_a_new_draft_from_a_template_refusals(as_, team):
    template = save(as_("owner"), team, {"name": "Quarter close"}).data
    vic = as_("viewer")
    before = Draft.objects.count()

    bad = vic.post(f"/api/v1/templates/{template['id']}/drafts/", {"name": "", "due": "2026-02-30"}, format="json")
    missing = vic.post("/api/v1/templates/999999/drafts/", {"name": "X", "due": "2026-09-30"}, format="json")

    assert bad.status_code == 400
    assert {e["path"] for e in bad.data["errors"]} == {"$.name", "$.due"}
    assert missing.status_code == 404
    assert Draft.objects.count() == before


def test_a_template_id_beyond_any_row_is_404_not_a_server_error(as_, team):
    response = as_("viewer").post(
        f"/api/v1/templates/{10**25}/drafts/", {"name": "X", "due": "2026-09-30"}, format="json"
    )

    assert response.status_code == 404
