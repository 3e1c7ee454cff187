"""The REST API for drafts: list, import a Process JSON, read a draft's payload and problems."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from designer import ratelimit
from designer.datelint import calendar_problems
from designer.models import Draft
from designer.permissions import Action, draft_for, role_of, with_my_role
from designer.selectors.drafts import draft_list
from designer.selectors.trees import draft_tree
from designer.services.drafts import draft_import
from processes_api import schema
from processes_api.lint import lint_tree
from processes_api.payload import PayloadError, build_payload, parse_json


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
            **({"fix": getattr(p, "fix")} if getattr(p, "fix", None) else {}),  # noqa: B009 -- only calendar warnings have one
        }
        for p in [*lint_tree(tree, payload), *calendar_problems(draft, tree)]
    ]
    return payload.data, problems


class ProcessJSONParser(BaseParser):
    """Read a body with the import's own JSON rules: the size limit, no NaN, no bottomless nesting."""

    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read(schema.MAX_BODY_BYTES + 1) if stream is not None else b""
        try:
            return parse_json(raw)
        except PayloadError as exc:
            raise ParseError(str(exc)) from None


def _refused(exc: PayloadError) -> Response:
    return Response({"detail": str(exc), "path": exc.path, "problem": exc.problem}, status=status.HTTP_400_BAD_REQUEST)


def _import(request: Request) -> Response:
    try:
        ratelimit.limit(user_id=request.user.pk or 0, action="import")
    except ratelimit.Limited as limited:
        headers = {"Retry-After": str(limited.retry_after)}
        return Response({"detail": str(limited)}, status=status.HTTP_429_TOO_MANY_REQUESTS, headers=headers)
    try:
        draft = draft_import(data=request.data, owner=request.user)  # type: ignore[arg-type]
    except PayloadError as exc:
        return _refused(exc)
    except ValidationError as exc:  # a model limit the payload check did not know: name the field
        field, problems = next(iter(exc.message_dict.items())) if hasattr(exc, "error_dict") else ("", exc.messages)
        return _refused(PayloadError(field, " ".join(problems)))
    return Response(DraftSerializer(draft, context={"request": request}).data, status=status.HTTP_201_CREATED)


@api_view(["GET", "POST"])
@parser_classes([ProcessJSONParser])
def drafts(request: Request) -> Response:
    """GET: the drafts I own or share, newest first (``?search=``). POST: import a Process JSON."""
    if request.method == "POST":
        return _import(request)
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
