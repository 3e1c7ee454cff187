"""The REST API for drafts: list, import a Process JSON, read a draft's payload and problems."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from designer.models import Draft
from designer.permissions import Action, draft_for, role_of, with_my_role
from designer.selectors.drafts import draft_list
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_import
from processes_api.lint import lint_tree
from processes_api.payload import PayloadError, build_payload


class DraftSerializer(serializers.ModelSerializer[Draft]):
    owner = serializers.CharField(source="owner.get_username")
    role = serializers.SerializerMethodField()

    class Meta:
        model = Draft
        fields = ["id", "name", "owner", "role", "version", "created", "updated"]

    def get_role(self, draft: Draft) -> str | None:
        """Read the ``with_my_role`` annotation when the list made one, else ask for this draft."""
        return role_of(self.context["request"].user, draft)


def _problems(draft: Draft) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    tree = draft_tree(draft=draft)
    payload = build_payload(tree)
    paths = payload.paths.path_by_key
    problems = [
        {
            "severity": p.severity,
            "code": p.code,
            "message": p.message,
            "field": p.field,
            "node": str(p.node_key) if p.node_key else None,
            "path": paths.get(p.node_key) if p.node_key else None,
        }
        for p in lint_tree(tree, payload)
    ]
    return payload.data, problems


@api_view(["GET", "POST"])
def drafts(request: Request) -> Response:
    """GET: the drafts I own or share, newest first (``?search=``). POST: import a Process JSON."""
    if request.method == "POST":
        try:
            draft = draft_import(data=request.data, owner=request.user)  # type: ignore[arg-type]
        except PayloadError as exc:
            return Response(
                {"detail": str(exc), "path": exc.path, "problem": exc.problem}, status=status.HTTP_400_BAD_REQUEST
            )
        return Response(DraftSerializer(draft, context={"request": request}).data, status=status.HTTP_201_CREATED)
    search = request.query_params.get("search", "")
    found = with_my_role(draft_list(user=request.user, search=search), user=request.user)  # type: ignore[arg-type]
    return Response(DraftSerializer(found[:200], many=True, context={"request": request}).data)


@api_view(["GET"])
def draft_detail(request: Request, pk: int) -> Response:
    """The draft with its payload and lint problems."""
    draft = draft_for(request.user, pk, Action.VIEW)
    payload, problems = _problems(draft)
    data = DraftSerializer(draft, context={"request": request}).data
    return Response({**data, "payload": payload, "problems": problems})
