"""Every role (and a stranger) against every API operation, checked against ``permissions.RULES``.

The table is checked against the generated OpenAPI document: an operation added to the API without
a row here fails ``test_the_table_covers_every_operation_of_the_schema``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from designer.models import Membership
from designer.permissions import RULES, Action
from designer.services.clipboard import nodes_copy
from designer.services.comments import comment_create
from designer.services.drafts import draft_update
from designer.services.revisions import revision_save_point
from directory.models import DirectoryFile, DirectorySection
from gallery.services import template_save
from publishing.models import Submission
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["owner", "editor", "reviewer", "viewer", "stranger"]


@dataclass(frozen=True)
class Op:
    operation_id: str
    method: str
    path: str
    action: Action | None  # None: not about one draft (the list, create, import)
    body: dict[str, Any] = field(default_factory=dict)


D = "/api/v1/drafts/{draft}/"
OPS = [
    Op("drafts_list", "get", "/api/v1/drafts/", None),
    Op("drafts_create", "post", "/api/v1/drafts/", None, {"name": "New"}),
    Op("drafts_import", "post", "/api/v1/drafts/import/", None, {"__seed__": True}),
    Op("drafts_retrieve", "get", D, Action.VIEW),
    Op("drafts_partial_update", "patch", D, Action.EDIT, {"name": "Renamed"}),
    Op("drafts_destroy", "delete", D, Action.DELETE),
    Op("drafts_duplicate", "post", D + "duplicate/", Action.VIEW),
    Op("drafts_export", "get", D + "export/", Action.VIEW),
    Op("drafts_lint", "get", D + "lint/", Action.VIEW),
    Op("drafts_publish", "post", D + "publish/", Action.PUBLISH),
    Op("nodes_tree", "get", D + "nodes/", Action.VIEW),
    Op("nodes_create", "post", D + "nodes/", Action.EDIT, {"kind": "group", "parent": "{root}"}),
    Op("nodes_retrieve", "get", D + "nodes/{job}/", Action.VIEW),
    Op("nodes_partial_update", "patch", D + "nodes/{job}/", Action.EDIT, {"arguments": {"title": "T"}}),
    Op("nodes_destroy", "delete", D + "nodes/{job}/", Action.EDIT),
    Op("nodes_move", "post", D + "nodes/{job}/move/", Action.EDIT, {"direction": "down"}),
    Op("nodes_duplicate", "post", D + "nodes/{job}/duplicate/", Action.EDIT),
    Op("members_list", "get", D + "members/", Action.VIEW),
    Op("members_invite", "post", D + "members/", Action.MANAGE_MEMBERS, {"identifier": "newcomer", "role": "viewer"}),
    Op("members_partial_update", "patch", D + "members/{member}/", Action.MANAGE_MEMBERS, {"role": "editor"}),
    Op("members_destroy", "delete", D + "members/{member}/", Action.MANAGE_MEMBERS),
    Op("review_requests_list", "get", D + "review-requests/", Action.VIEW),
    Op("review_requests_create", "post", D + "review-requests/", Action.REQUEST_REVIEW, {"reviewers": ["{rita}"]}),
    Op("decisions_list", "get", D + "decisions/", Action.VIEW),
    Op("decisions_create", "post", D + "decisions/", Action.APPROVE, {"verdict": "approved"}),
    Op("comments_list", "get", D + "comments/", Action.VIEW),
    Op("comments_create", "post", D + "comments/", Action.COMMENT, {"body": "Looks fine"}),
    Op("comments_partial_update", "patch", D + "comments/{comment}/", Action.COMMENT, {"resolved": True}),
    Op("revisions_list", "get", D + "revisions/", Action.VIEW),
    Op("revisions_diff", "get", D + "revisions/diff/?a={number}", Action.VIEW),
    Op("revisions_create", "post", D + "revisions/save-point/", Action.EDIT, {"note": "before the big move"}),
    Op("revisions_retrieve", "get", D + "revisions/{number}/", Action.VIEW),
    Op("revisions_restore", "post", D + "revisions/{number}/restore/", Action.EDIT),
    Op("nodes_copy", "post", D + "nodes/copy/", Action.VIEW, {"keys": ["{job}"]}),
    Op("nodes_paste", "post", D + "nodes/paste/", Action.EDIT, {"fragment": "{fragment}", "parent": "{root}"}),
    Op("nodes_bulk_update", "post", D + "nodes/bulk-update/", Action.EDIT, {"keys": ["{job}"], "shift_days": 1}),
    Op("nodes_move_many", "post", D + "nodes/move/", Action.EDIT, {"keys": ["{job}"], "direction": "outdent"}),
    Op("nodes_delete_many", "post", D + "nodes/delete/", Action.EDIT, {"keys": ["{job}"]}),
    Op("drafts_undo", "post", D + "undo/", Action.EDIT),
    Op("drafts_redo", "post", D + "redo/", Action.EDIT),
    Op("drafts_undo_state", "get", D + "undo-state/", Action.VIEW),
    Op("nodes_date_rule", "post", D + "nodes/{job}/date-rule/", Action.EDIT, {"field": "dueDate", "days": -2}),
    Op("drafts_date_fix", "post", D + "date-fix/", Action.EDIT, {"field": "dueDate", "value": "2026-06-30"}),
    Op("drafts_calendar", "post", D + "calendar/", Action.EDIT, {"holiday_calendar": "US"}),
    Op("drafts_roll_forward_plan", "get", D + "roll-forward/?due=2026-09-30", Action.VIEW),
    Op("drafts_roll_forward", "post", D + "roll-forward/", Action.VIEW, {"due": "2026-09-30"}),
    Op("directory_users", "get", "/api/v1/directory/users/?q=ann", None),
    Op("directory_files", "get", "/api/v1/directory/files/?kind=Document", None),
    Op("directory_sections", "get", "/api/v1/directory/sections/?file=doc1&q=intro", None),
    Op("templates_list", "get", "/api/v1/templates/", None),
    Op(
        "templates_new_draft", "post", "/api/v1/templates/{template}/drafts/", None, {"name": "Q3", "due": "2026-09-30"}
    ),
    Op("drafts_save_as_template", "post", D + "save-as-template/", Action.EDIT, {"name": "Close template"}),
    Op("submissions_list", "get", D + "submissions/", Action.VIEW),
    Op("submissions_retrieve", "get", "/api/v1/submissions/{submission}/", Action.VIEW),
    Op("submissions_errors", "get", "/api/v1/submissions/{submission}/errors/", Action.VIEW),
]


@pytest.fixture
def world(team):
    draft = team["draft"]
    spare = Membership.objects.create(draft=draft, user=UserFactory(username="spare"), role="viewer")
    UserFactory(username="newcomer")
    comment = comment_create(draft=draft, actor=team["owner"], body="Open thread")
    revision = revision_save_point(draft=draft, actor=team["owner"])
    submission = Submission.objects.create(
        draft=draft,
        revision=revision,
        user=team["owner"],
        payload_hash=revision.content_hash,
        api_url="x",
        status=Submission.Status.REJECTED,
    )
    draft = draft_update(draft=draft, version=draft.version, changes={"due_date": "2026-06-30"})
    file = DirectoryFile.objects.create(workiva_id="doc1", name="10-K", kind="Document", synced=timezone.now())
    file.sections_fetched = timezone.now()
    file.save()
    DirectorySection.objects.create(file=file, workiva_id="s1", name="Intro")
    draft.refresh_from_db()
    values = {
        "draft": draft.pk,
        "root": str(team["root"].key),
        "job": str(team["job"].key),
        "member": spare.pk,
        "comment": comment.pk,
        "number": revision.number,
        "submission": submission.pk,
        "rita": team["reviewer"].pk,
        "template": template_save(draft=draft, actor=team["owner"], name="Quarter close").pk,
        "fragment": nodes_copy(draft=draft, keys=[team["job"].key]),
    }
    users = {role: team[role] for role in ROLES if role != "stranger"} | {"stranger": UserFactory()}
    return {"users": users, "values": values, "draft": draft}


def _fill(value: Any, values: dict[str, Any]) -> Any:
    if value == "{fragment}":
        return values["fragment"]
    if isinstance(value, str):
        filled = value.format(**values)
        return int(filled) if value == "{rita}" else filled
    if isinstance(value, list):
        return [_fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


def call(client, op: Op, values: dict[str, Any]):
    from tests.factories import seed_request

    body = seed_request() if op.body.get("__seed__") else _fill(op.body, values)
    url = op.path.format(**values)
    kwargs = {"HTTP_IF_MATCH": "*"} if op.method != "get" else {}
    if op.method == "get":
        return client.get(url)
    return getattr(client, op.method)(url, body, format="json", **kwargs)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("op", OPS, ids=lambda o: o.operation_id)
def test_every_role_gets_what_the_rules_table_says(world, role, op):
    response = call(client_for(world["users"][role]), op, world["values"])

    assert response.status_code < 500
    if op.action is None:
        assert response.status_code in (200, 201), response.content
    elif role == "stranger":
        assert response.status_code == 404
    elif op.action in RULES[role]:
        assert response.status_code not in (401, 403, 404), (response.status_code, response.content)
    else:
        assert response.status_code == 403
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("op", OPS, ids=lambda o: o.operation_id)
def test_without_a_token_every_operation_is_401(world, op):
    from rest_framework.test import APIClient

    response = call(APIClient(), op, world["values"])

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_the_table_covers_every_operation_of_the_schema():
    document = SchemaGenerator().get_schema(request=None, public=True)
    operations = {op["operationId"] for ops in document["paths"].values() for op in ops.values()}

    assert operations == {op.operation_id for op in OPS}
