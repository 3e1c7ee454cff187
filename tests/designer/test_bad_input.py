"""Bad input answered with a message, never a 500 or a traceback, and nothing written (issue 18, items 5–7)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from designer.errors import TreeError
from designer.models import Comment, Draft, Node, Revision
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_import
from designer.services.nodes import node_move
from processes_api import lint, schema
from processes_api.payload import PayloadError, parse_json, parse_payload
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of, seed_request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()  # the rate limiter counts in the cache


def nested(depth: int) -> dict:
    """A process whose one job sits ``depth`` levels below the root, in the group "Deepest"."""
    body = {"name": "Deepest", "children": [seed_request()["root"]["children"][0]]}
    for level in range(depth - 2, 0, -1):
        body = {"name": f"Level {level}", "children": [{"type": "group", "group": body}]}
    return {"name": "Deep", "root": {"name": "Root", "children": [{"type": "group", "group": body}]}}


def web(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(user)
    return client


def upload(client: Client, text: str | bytes):
    file = io.BytesIO(text.encode() if isinstance(text, str) else text)
    file.name = "process.json"
    return client.post("/drafts/import/", {"file": file})


def cli_import(tmp_path, text: str | bytes) -> str:
    path = tmp_path / "process.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    with pytest.raises(CommandError) as refused:
        call_command("import_payload", str(path), stdout=io.StringIO())
    return str(refused.value)


# --- 5. depth ---------------------------------------------------------------------------------------


def test_the_depth_limit_is_ours_and_between_real_processes_and_python():
    assert 20 < schema.MAX_DEPTH < 300


def test_parse_accepts_the_deepest_tree_and_names_the_first_node_below_it():
    parse_payload(nested(schema.MAX_DEPTH))

    with pytest.raises(PayloadError, match=f"nested {schema.MAX_DEPTH + 1} levels deep") as refused:
        parse_payload(nested(schema.MAX_DEPTH + 1))
    assert refused.value.path.count("children") == schema.MAX_DEPTH + 1
    assert len(str(refused.value)) < 300  # the message shows the path's two ends


def test_a_thousand_nested_groups_are_refused_on_every_import_path(user, tmp_path):
    UserFactory(is_superuser=True)
    text = json.dumps(nested(1000))

    assert "levels deep" in upload(web(user), text).content.decode()
    answer = api(user).post("/api/drafts/", text, content_type="application/json")
    assert answer.status_code == 400
    assert "levels deep" in answer.json()["detail"]
    assert "levels deep" in cli_import(tmp_path, text)
    assert not Draft.objects.exists()
    assert not Node.objects.exists()


def test_json_nested_deeper_than_python_reads_is_a_message():
    with pytest.raises(PayloadError, match="nested too deeply"):
        parse_json("[" * 100_000 + "]" * 100_000)


def test_adding_below_the_deepest_group_is_refused(user):
    draft = draft_import(data=nested(schema.MAX_DEPTH), owner=user)
    deepest = Node.objects.get(draft=draft, name="Deepest")
    draft.refresh_from_db()
    add_group(draft, deepest, "At the limit")
    draft.refresh_from_db()
    at_limit = Node.objects.get(draft=draft, name="At the limit")

    with pytest.raises(TreeError, match=f"at most {schema.MAX_DEPTH} levels deep"):
        add_job(draft, at_limit, "Too deep")
    assert not Node.objects.filter(parent=at_limit).exists()


def test_moving_a_subtree_below_the_limit_is_refused(user):
    draft = draft_import(data=nested(schema.MAX_DEPTH), owner=user)
    root = root_of(draft)
    draft.refresh_from_db()
    branch = add_group(draft, root, "Branch")
    draft.refresh_from_db()
    add_group(draft, branch, "Twig")
    draft.refresh_from_db()
    deepest = Node.objects.get(draft=draft, name="Deepest")

    with pytest.raises(TreeError, match="levels deep"):
        node_move(node=branch, version=draft.version, parent_key=deepest.key, position=0)
    branch.refresh_from_db()
    assert branch.parent_id == root.pk


def test_node_clean_reads_all_ancestors_in_one_query(user):
    draft = draft_import(data=nested(60), owner=user)
    deepest = Node.objects.get(draft=draft, name="Deepest")
    new = Node(draft=draft, parent=deepest, kind="group", name="New")

    with CaptureQueriesContext(connection) as queries:
        new.clean()

    assert len(queries) == 1


# --- 6. size ----------------------------------------------------------------------------------------


def too_many_jobs() -> dict:
    data = seed_request()
    data["root"]["children"] = data["root"]["children"][:1] * (schema.MAX_JOBS + 1)
    return data


def test_more_jobs_than_workiva_takes_are_refused_on_every_import_path(user, tmp_path):
    UserFactory(is_superuser=True)
    text = json.dumps(too_many_jobs())
    message = f"more than {schema.MAX_JOBS:,} jobs"

    assert message in upload(web(user), text).content.decode()
    answer = api(user).post("/api/drafts/", text, content_type="application/json")
    assert answer.status_code == 400
    assert message in answer.json()["detail"]
    assert message in cli_import(tmp_path, text)
    assert not Draft.objects.exists()


def test_a_file_over_10_mb_is_refused_by_the_command_and_the_api_in_json(user, tmp_path):
    UserFactory(is_superuser=True)
    data = seed_request()
    data["note"] = "x" * schema.MAX_BODY_BYTES
    text = json.dumps(data)

    assert "Workiva accepts at most 10 MB" in cli_import(tmp_path, text)
    answer = api(user).post("/api/drafts/", text, content_type="application/json")
    assert answer.status_code in (400, 413)
    assert answer["Content-Type"] == "application/json"
    assert "10 MB" in answer.json()["detail"]
    assert not Draft.objects.exists()


def test_a_body_between_2_5_and_10_mb_is_imported_through_the_api(user):
    data = seed_request()
    data["note"] = "x" * 3_000_000

    answer = api(user).post("/api/drafts/", json.dumps(data), content_type="application/json")

    assert answer.status_code == 201


def test_imports_are_rate_limited_per_user(user, settings):
    settings.DESIGNER_RATE_LIMITS = {"import": (2, 60)}
    other = UserFactory()
    client = api(user)
    answers = [client.post("/api/drafts/", seed_request(), format="json").status_code for _ in range(3)]

    assert answers == [201, 201, 429]
    refused = client.post("/api/drafts/", seed_request(), format="json")
    assert "Too many imports" in refused.json()["detail"]
    assert int(refused["Retry-After"]) >= 1
    assert upload(web(user), json.dumps(seed_request())).status_code == 429
    assert api(other).post("/api/drafts/", seed_request(), format="json").status_code == 201
    assert Draft.objects.filter(owner=user).count() == 2


def test_duplicating_drafts_is_rate_limited_per_user(team, settings):
    settings.DESIGNER_RATE_LIMITS = {"duplicate": (1, 60)}
    client = web(team["viewer"])
    pk = team["draft"].pk

    assert client.post(f"/drafts/{pk}/duplicate/").status_code == 302
    refused = client.post(f"/drafts/{pk}/duplicate/")

    assert refused.status_code == 429
    assert "Too many draft copies" in refused.content.decode()
    assert Draft.objects.filter(owner=team["viewer"]).count() == 1


# --- 7. values --------------------------------------------------------------------------------------

BAD_NUMBERS = ["²", "abc", "1.5", "-1", "١", "9" * 30, ""]


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_bad_ids_and_versions_on_review_endpoints_are_messages(team, value):
    owner = web(team["owner"])
    pk = team["draft"].pk
    Revision.objects.create(
        draft=team["draft"], number=1, draft_version=1, payload={}, paths={}, content_hash="x", author=team["owner"]
    )
    Comment.objects.create(draft=team["draft"], author=team["owner"], body="Hi")
    answers = {
        "approve": web(team["reviewer"]).post(f"/drafts/{pk}/review/approve/", {"version": value}),
        "changes": web(team["reviewer"]).post(f"/drafts/{pk}/review/changes/", {"version": value, "note": "n"}),
        "restore": owner.post(f"/drafts/{pk}/revisions/1/restore/", {"version": value}),
        "diff": owner.get(f"/drafts/{pk}/revisions/diff/", {"a": value, "b": "current"}),
        "review": owner.get(f"/drafts/{pk}/review/", {"request": value}),
        "reply": owner.post(f"/drafts/{pk}/comments/add/", {"body": "Re", "parent": value}),
        "transfer": owner.post(f"/drafts/{pk}/transfer/", {"member": value}),
        "settings": owner.post(f"/drafts/{pk}/settings/", {"version": value, "name": "X"}),
    }

    assert {name: a.status_code for name, a in answers.items() if a.status_code >= 500} == {}
    assert team["draft"].owner == team["owner"]
    assert Draft.objects.get(pk=pk).version == team["draft"].version


@pytest.mark.parametrize("command", ["lint_draft", "export_payload", "publish_draft"])
@pytest.mark.parametrize("value", ["²", "abc", "1.5", "9" * 30])
def test_bad_draft_ids_in_commands_are_one_line(command, value):
    with pytest.raises(CommandError) as refused:
        call_command(command, value, stdout=io.StringIO())

    assert value in str(refused.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('{"name": NaN, "root": {}}', "NaN is not a number JSON allows"),
        ('{"name": "P", "due": Infinity, "root": {}}', "Infinity is not a number JSON allows"),
        ('{"name": "P", "x": 1e999, "root": {}}', "inf is not a number JSON allows"),
        ('{"name": "\\ud800", "root": {}}', "lone surrogate"),
        ('{"name": "P\\u0000", "root": {}}', "NUL character"),
        ('{"name": "P", "root": {"name": "\\u0000"}}', "NUL character"),
        ('{"name": "P", "root": {"x\\u0000": 1}}', "NUL character"),
        ('{"name": "P", "n": ' + "9" * 5000 + ', "root": {}}', "not valid JSON"),
    ],
)
def test_values_no_database_can_store_are_refused_on_every_import_path(user, tmp_path, text, problem):
    UserFactory(is_superuser=True)

    assert problem in upload(web(user), text).content.decode()
    answer = api(user).post("/api/drafts/", text, content_type="application/json")
    assert answer.status_code == 400
    assert problem in answer.json()["detail"]
    assert problem in cli_import(tmp_path, text)
    assert not Draft.objects.exists()


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(name="n" * 501), "name"),
        (lambda d: d.update(dueDate="2026-01-01" * 5), "dueDate"),
        (lambda d: d["root"].update(name="g" * 501), "root.name"),
        (lambda d: d["root"].update(triggerType="t" * 101), "root.triggerType"),
    ],
)
def test_overlong_text_is_refused_with_its_field_on_the_api_and_the_command(user, tmp_path, change, path):
    UserFactory(is_superuser=True)
    data = seed_request()
    change(data)

    answer = api(user).post("/api/drafts/", data, format="json")
    assert answer.status_code == 400
    assert answer.json()["path"] == path
    assert f"{path}:" in cli_import(tmp_path, json.dumps(data))
    assert not Draft.objects.exists()


def test_nul_in_comments_notes_members_and_search_is_refused_with_a_message(team):
    owner = web(team["owner"])
    pk = team["draft"].pk
    answers = [
        owner.post(f"/drafts/{pk}/comments/add/", {"body": "Hi\x00"}),
        owner.post(f"/drafts/{pk}/revisions/save/", {"note": "n\x00"}),
        owner.post(f"/drafts/{pk}/members/add/", {"identifier": "ed\x00", "role": "viewer"}),
        owner.get("/", {"q": "Quarter\x00"}),
    ]

    assert [a.status_code for a in answers] == [400] * 4
    assert all("NUL character" in a.content.decode() for a in answers)
    assert not Comment.objects.exists()
    assert not Revision.objects.exists()
    search = api(team["owner"]).get("/api/drafts/", {"search": "\x00"})
    assert search.status_code == 400
    assert "NUL character" in search.json()["detail"]


def test_a_form_body_over_django_s_limit_on_the_api_is_answered_in_json(user):
    client = web(user)

    answer = client.post("/api/drafts/", {"field": "x" * 3_000_000})

    assert answer["Content-Type"] == "application/json"
    assert answer.status_code == 415  # only JSON is read, so the form is never parsed


def test_a_draft_nested_1000_deep_before_the_limit_still_opens_and_says_what_is_wrong(user):
    # Built row by row, as a draft from before the limit was: every page opens, publishing is blocked by lint.
    draft = make_draft(user)
    parent = root_of(draft)
    rows = []
    for level in range(1000):
        parent = Node(draft=draft, parent=parent, kind="group", name=f"Level {level}", position=0)
        parent.save()
        rows.append(parent)
    job = Node.objects.create(draft=draft, parent=parent, kind="job", job_type="sendTask", arguments={"title": "T"})
    client = web(user)
    pages = ["/", "payload/", "payload.json", "review/", "revisions/", "revisions/diff/?a=current", "status/"]

    answers = {page: client.get(f"/drafts/{draft.pk}/{page}".replace("//", "/")).status_code for page in pages}
    saved = client.post(f"/drafts/{draft.pk}/revisions/save/", {"note": "x"})
    problems = lint.lint_tree(draft_tree(draft=draft))
    detail = api(user).get(f"/api/drafts/{draft.pk}/")
    del rows, parent  # a 1,000-long chain of cached parents

    assert answers == dict.fromkeys(pages, 200)
    assert saved.status_code == 302
    assert not Revision.objects.exists()
    assert ("error", "too-deep") in [(p.severity, p.code) for p in problems]
    assert detail.status_code == 200
    assert str(job.key) in [p["node"] for p in detail.json()["problems"]]  # the job's missing assignee
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("lint_draft", str(draft.pk), stdout=out)
    assert "too-deep" in out.getvalue()


def test_nul_in_an_htmx_comment_is_shown_in_the_alert_box(team):
    answer = web(team["owner"]).post(
        f"/drafts/{team['draft'].pk}/comments/add/", {"body": "Hi\x00"}, headers={"HX-Request": "true"}
    )

    assert answer.status_code == 422
    assert (answer["HX-Retarget"], answer["HX-Reswap"]) == ("#net-error", "outerHTML")
    assert answer.content.decode().startswith('<div id="net-error" class="toast" role="alert">What you sent contains')
    assert not Comment.objects.exists()
