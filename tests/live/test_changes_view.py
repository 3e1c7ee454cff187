"""The catch-up an editor fetches on "changed": the outline patch of the changes since its version."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from designer.models import Draft, Node
from designer.services.nodes import node_delete, node_move, node_update

HTMX = {"HTTP_HX_REQUEST": "true"}


def catch_up(client, draft, since, **params):
    return client.get(reverse("live-changes", args=[draft.pk]), {"since": since, **params}, **HTMX)


def fresh(node):
    node = Node.objects.get(pk=node.pk)
    node.draft = Draft.objects.get(pk=node.draft_id)
    return node


@pytest.fixture
def seen(team, client):
    """The editor's client, logged in, and the version its page shows."""
    client.force_login(team["editor"])
    team["draft"].refresh_from_db()
    return client, team["draft"].version


def test_a_rename_comes_as_the_job_placed_again_with_the_new_version(team, seen):
    client, since = seen
    job = team["job"]
    node_update(node=fresh(job), version=since, changes={"arguments": {**job.arguments, "title": "Reconcile <cash>"}})

    response = catch_up(client, team["draft"], since)

    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Reswap"] == "none"
    assert f'data-version="{since + 1}"' in html
    assert f'data-parent="{team["group"].key}" data-index="0"' in html
    assert "Reconcile &lt;cash&gt;" in html
    assert 'id="flash"' not in html  # the other person's notice is not shown here


def test_a_move_places_the_job_and_redraws_both_groups(team, seen):
    client, since = seen
    node_move(node=fresh(team["job"]), version=since, parent_key=team["root"].key, position=0)

    html = catch_up(client, team["draft"], since).content.decode()

    assert f'data-parent="{team["root"].key}" data-index="0"' in html
    assert f'data-group="{team["group"].key}" data-size="0"' in html
    assert f'data-group="{team["root"].key}"' in html


def test_a_deletion_comes_as_removed_keys(team, seen):
    client, since = seen
    node_delete(node=fresh(team["group"]), version=since)

    html = catch_up(client, team["draft"], since).content.decode()

    assert re.search(rf'data-removed="[^"]*{team["group"].key}', html)
    assert f'data-parent="{team["group"].key}"' not in html


def test_the_inspector_follows_a_change_of_the_selected_node_unless_the_user_types_in_it(team, seen):
    client, since = seen
    job = team["job"]
    node_update(node=fresh(job), version=since, changes={"arguments": {**job.arguments, "title": "Renamed"}})

    quiet = catch_up(client, team["draft"], since, node=job.key, inspector=1).content.decode()
    typing = catch_up(client, team["draft"], since, node=job.key).content.decode()

    assert 'id="inspector"' in quiet
    assert 'value="Renamed"' in quiet
    assert 'id="inspector"' not in typing


def test_nothing_new_answers_204(team, seen):
    client, since = seen

    assert catch_up(client, team["draft"], since).status_code == 204


def test_a_version_the_log_cannot_answer_gets_the_whole_workspace(team, seen):
    client, since = seen

    response = catch_up(client, team["draft"], "")

    assert response.status_code == 200
    assert response["HX-Reswap"] == "outerHTML"
    assert 'id="workspace"' in response.content.decode()


def test_someone_without_a_role_gets_404(team, client, user):
    client.force_login(user)

    assert catch_up(client, team["draft"], 1).status_code == 404


def test_a_viewer_may_catch_up(team, client):
    client.force_login(team["viewer"])
    team["draft"].refresh_from_db()

    assert catch_up(client, team["draft"], team["draft"].version).status_code == 204
