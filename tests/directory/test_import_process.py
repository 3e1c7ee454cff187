"""``import_process``: a Workiva process (from the sandbox, over HTTP) becomes a new draft."""

from __future__ import annotations

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from designer.models import Activity, Draft, WorkivaOrigin
from designer.selectors.trees import draft_tree
from processes_api.client import Client
from processes_api.fetched import importable, server_ids
from processes_api.lint import lint_tree
from processes_api.payload import build_payload
from tests.factories import UserFactory

SEED = json.loads(
    (Path(__file__).resolve().parents[2] / "processes_api/examples/create_process_request.json").read_text()
)


def seed_with_unknowns():
    data = copy.deepcopy(SEED)
    data["futureSetting"] = {"keep": True}
    data["root"]["colour"] = "teal"
    data["root"]["children"].append(
        {"type": "group", "group": {"name": "Sign-off", "parallel": True, "readOnly": False, "children": []}}
    )
    return data


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_process", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_published_process_comes_back_as_a_draft_with_its_structure_and_unknown_fields(sandbox):
    owner = UserFactory(username="olivia")
    created = Client.from_settings().create(seed_with_unknowns())

    out, err = run(created["id"], "--owner", "olivia")

    draft = Draft.objects.get(pk=int(out))
    payload = build_payload(draft_tree(draft=draft)).data
    expected = seed_with_unknowns()
    # The sandbox, like Workiva's create example, answers jobs with their type only.
    expected["root"]["children"][0]["job"]["arguments"] = {"type": "sendTask", "sendTaskArgs": {}}
    assert payload == expected
    assert draft.owner == owner
    assert err == "1 job came without its details: fill them in before publishing.\n"
    summary = Activity.objects.get(draft=draft).summary
    assert summary.startswith(f"Imported from Workiva process {created['id']}.")
    codes = {p.code for p in lint_tree(draft_tree(draft=draft)) if p.is_error}
    assert {"title-missing", "assignee-missing"} <= codes


@pytest.mark.django_db(transaction=True)
def test_an_unknown_process_exits_2_and_writes_nothing(sandbox):
    UserFactory(username="olivia")

    with pytest.raises(CommandError) as caught:
        run("process-nope", "--owner", "olivia")

    assert caught.value.returncode == 2
    assert str(caught.value) == "there is no Workiva process process-nope"
    assert Draft.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_connection_problem_exits_2_with_one_line(sandbox, settings):
    UserFactory(username="olivia")
    settings.WORKIVA_API_URL = "http://127.0.0.1:9/sandbox"

    with pytest.raises(CommandError) as caught:
        run("process-1", "--owner", "olivia")

    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value)
    assert "could not be opened" in str(caught.value)
    assert Draft.objects.count() == 0


def test_importable_keeps_arguments_that_came_back_and_fills_missing_ones():
    document = {
        "id": "p",
        "name": "P",
        "root": {
            "id": "g",
            "children": [
                {"type": "job", "job": {"id": "j1", "arguments": {"type": "sendTask", "sendTaskArgs": {"title": "T"}}}},
                {"type": "job", "job": {"id": "j2", "arguments": {"type": "contentRequest"}}},
                {"type": "job", "job": {"id": "j3", "arguments": {"type": "certificationSignerGenerated"}}},
            ],
        },
    }

    data, lacking = importable(document)

    assert lacking == ["root.children[1]"]
    assert data["root"]["children"][0]["job"]["arguments"]["sendTaskArgs"] == {"title": "T"}
    assert data["root"]["children"][1]["job"]["arguments"]["contentRequestArgs"] == {}
    assert "certificationSignerGeneratedArgs" not in data["root"]["children"][2]["job"]["arguments"]
    assert "contentRequestArgs" not in document["root"]["children"][1]["job"]["arguments"]  # a copy


@pytest.mark.django_db(transaction=True)
def test_import_from_workiva_page_searches_by_name_and_imports_one(sandbox, client):
    user = UserFactory()
    client.force_login(user)
    api = Client.from_settings()
    wanted = api.create(SEED | {"name": "Q1 <close> & review"})
    api.create(SEED | {"name": "Something else"})

    page = client.get(reverse("workiva-import"), {"name": "<close>"}).content.decode()
    response = client.post(reverse("workiva-import-process"), {"process": wanted["id"]}, follow=True)

    assert "Q1 &lt;close&gt; &amp; review" in page
    assert "Something else" not in page
    draft = Draft.objects.get(owner=user)
    assert draft.name == "Q1 <close> & review"
    assert response.redirect_chain[-1][0] == reverse("draft-editor", args=[draft.pk])
    assert "Workiva did not send the details of 1 job" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_import_from_workiva_of_an_unknown_id_says_so_and_writes_nothing(sandbox, client):
    client.force_login(UserFactory())

    response = client.post(reverse("workiva-import-process"), {"process": "process-nope"})

    assert response.status_code == 404
    assert "There is no process process-nope in Workiva." in response.content.decode()
    assert Draft.objects.count() == 0


def test_import_from_workiva_needs_a_login(client, db):
    response = client.get(reverse("workiva-import"))

    assert response.status_code == 302


@pytest.mark.django_db(transaction=True)
def test_the_imported_draft_remembers_its_process_and_every_nodes_server_id(sandbox, client):
    owner = UserFactory(username="olivia")
    api = Client.from_settings()
    created = api.create(seed_with_unknowns())
    document = api.get(created["id"])

    out, _ = run(created["id"], "--owner", "olivia")

    draft = Draft.objects.get(pk=int(out))
    origin = WorkivaOrigin.objects.get(draft=draft)
    assert origin.process_id == created["id"]
    recorded = {row.node_key: row.server_id for row in origin.server_ids.all()}
    walked = [node for node, _ in draft_tree(draft=draft).walk()]
    expected = server_ids(document)
    assert len(walked) == len(expected) == 3  # the root, the seed's job, the added group
    assert all(expected)  # the sandbox answers an id on every node, as Workiva's docs say
    assert [recorded.get(node.key) for node in walked] == expected
    assert recorded[walked[0].key] == document["root"]["id"]
    assert len(set(expected)) == len(expected)
    assert owner.owned_drafts.get() == draft
    client.force_login(owner)
    page = client.get(reverse("publishing-history", args=[draft.pk])).content.decode()
    assert f"Imported from Workiva process <code>{created['id']}</code>" in page
    assert "(3 node ids recorded)" in page


def test_server_ids_follow_the_walk_and_tolerate_nodes_without_one():
    document = {
        "root": {
            "id": "r",
            "children": [
                {"type": "job", "job": {"id": "j1", "arguments": {"type": "sendTask"}}},
                {"type": "group", "group": {"children": [{"type": "job", "job": {"id": 7}}]}},
                {"type": "job", "job": {"id": "j3"}},
            ],
        }
    }

    assert server_ids(document) == ["r", "j1", None, None, "j3"]
    assert server_ids({"root": []}) == []
    assert server_ids("nonsense") == []
