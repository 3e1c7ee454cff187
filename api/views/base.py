"""What every API view shares: authentication, the per-token budget, problem details, the role check."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.auth import TokenAuthentication, TokenRateThrottle
from api.concurrency import if_match, tagged
from api.openapi import ETAG, IF_MATCH, errors
from api.problems import ProblemJSONRenderer, exception_handler
from designer.datelint import DateProblem
from designer.models import Draft
from designer.panels import editor_problems
from designer.permissions import Action, draft_for
from designer.picks import directory_problems
from designer.selectors.trees import draft_tree
from processes_api.lint import lint_tree
from processes_api.payload import build_payload


class ApiView(APIView):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated]
    throttle_classes = [TokenRateThrottle]
    renderer_classes = [JSONRenderer, ProblemJSONRenderer]
    parser_classes = [JSONParser]

    def get_exception_handler(self) -> Callable[..., Response | None]:
        return exception_handler

    def draft(self, pk: int, action: Action) -> Draft:
        """Return draft ``pk`` if the caller may take ``action`` on it: 404 if they cannot see it, else 403."""
        return draft_for(self.request.user, pk, action)

    @property
    def user(self) -> User:
        user: User = self.request.user  # type: ignore[assignment]  # IsAuthenticated ran
        return user


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def problems_of(draft: Draft) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the draft's payload and its lint problems, each with its node and payload path."""
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
            **({"fix": p.fix} if isinstance(p, DateProblem) else {}),
        }
        # What the editor lists: the API's lint, then every registered source (business calendar,
        # the last publish's errors) and the directory's unknown or suspended people and files.
        for p in [*lint_tree(tree, payload), *editor_problems(draft, tree), *directory_problems(tree)]
    ]
    return payload.data, problems


def draft_response(data: Any, draft: Draft, code: int = status.HTTP_200_OK) -> Response:
    """A response about ``draft`` (or something in it), carrying the draft's version as ETag."""
    return tagged(Response(data, status=code), draft)


class DraftWrite(ApiView):
    """A POST that changes a draft through one service: the role check, If-Match, the body, the ETag.

    A new write (undo, paste, bulk edit, roll forward…) is a subclass naming its ``action``, its
    ``body`` serializer and :meth:`perform` (one service call), decorated with :func:`write_schema`,
    and a line in ``api/urls.py``.
    """

    action = Action.EDIT
    body: type[serializers.Serializer[Any]] | None = None
    status_code: int = status.HTTP_200_OK

    def post(self, request: Request, pk: int, **kwargs: Any) -> Response:
        draft = self.draft(pk, self.action)
        version = if_match(request, draft)
        data: dict[str, Any] = {}
        if self.body is not None:
            body = self.body(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        result = self.perform(draft, version, data, **kwargs)
        return draft_response(result, draft, self.status_code)

    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        raise NotImplementedError


def write_schema(
    operation_id: str, summary: str, request: Any, response: Any, *, code: int = 200, refusals: tuple[int, ...] = ()
) -> Any:
    """The OpenAPI description of a :class:`DraftWrite`: If-Match, ETag and the usual refusals."""
    return extend_schema_view(
        post=extend_schema(
            operation_id=operation_id,
            summary=summary,
            parameters=[IF_MATCH, ETAG],
            request=request,
            responses={code: response, **errors(400, 401, 403, 404, 412, 422, 428, *refusals)},
        )
    )
