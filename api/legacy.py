"""The first REST API (``/api/drafts/``: list, import, detail), kept for the scripts that use it.

New clients use ``/api/v1/`` (:mod:`api.urls`); these three answer as they always did, from the
same services and selectors, with the v1 parser and payload/lint reading.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers import DraftSerializer
from api.views.base import problems_of
from api.views.drafts import ProcessJSONParser
from designer import ratelimit
from designer.permissions import Action, draft_for, with_my_role
from designer.selectors.drafts import draft_list
from designer.services.drafts import draft_import
from processes_api.payload import PayloadError


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


@extend_schema(exclude=True)  # superseded by /api/v1/drafts/ and /api/v1/drafts/import/
@api_view(["GET", "POST"])
@parser_classes([ProcessJSONParser])
def drafts(request: Request) -> Response:
    """GET: the drafts I own or share, newest first (``?search=``). POST: import a Process JSON."""
    if request.method == "POST":
        return _import(request)
    search = request.query_params.get("search", "")
    found = with_my_role(draft_list(user=request.user, search=search), user=request.user)  # type: ignore[arg-type]
    return Response(DraftSerializer(found[:200], many=True, context={"request": request}).data)


@extend_schema(exclude=True)  # superseded by /api/v1/drafts/<id>/ and its export/ and lint/
@api_view(["GET"])
def draft_detail(request: Request, pk: int) -> Response:
    """The draft with its payload and lint problems."""
    draft = draft_for(request.user, pk, Action.VIEW)
    payload, problems = problems_of(draft)
    data = DraftSerializer(draft, context={"request": request}).data
    return Response({**data, "payload": payload, "problems": problems})
