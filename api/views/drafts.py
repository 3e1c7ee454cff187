"""Drafts: list (search, filters, pages), create blank, import, get, change settings, delete,
duplicate, export the payload, lint."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as s
from api.concurrency import if_match
from api.forms import form_from_json
from api.openapi import ETAG, IF_MATCH, errors
from api.views.base import ApiView, Pages, draft_response, problems_of
from designer import ratelimit
from designer.forms import DraftSettingsForm
from designer.models import Membership
from designer.permissions import Action, with_my_role
from designer.selectors.drafts import draft_list
from designer.services.drafts import draft_create, draft_delete, draft_duplicate, draft_import, draft_update
from processes_api import schema
from processes_api.payload import PayloadError, parse_json

ROLE_CHOICES = [r.value for r in Membership.Role]


class ProcessJSONParser(BaseParser):
    """Read a body with the import's own JSON rules: the size limit, no NaN, no bottomless nesting."""

    media_type = "application/json"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read(schema.MAX_BODY_BYTES + 1) if stream is not None else b""
        try:
            return parse_json(raw)
        except PayloadError as exc:
            raise ParseError(str(exc)) from None


class DraftList(ApiView):
    @extend_schema(
        operation_id="drafts_list",
        summary="The drafts I own or that are shared with me, newest first",
        parameters=[
            OpenApiParameter("search", str, description="Part of the name, any case."),
            OpenApiParameter("role", str, enum=ROLE_CHOICES, description="Only drafts where my role is this."),
            OpenApiParameter("owner", str, description="Only drafts owned by this username."),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description="At most 200; default 50."),
        ],
        responses={200: s.DraftPageSerializer, **errors(400, 401, 404)},
    )
    def get(self, request: Request) -> Response:
        drafts = with_my_role(draft_list(user=self.user, search=request.query_params.get("search", "")), user=self.user)
        role = request.query_params.get("role")
        if role:
            if role not in ROLE_CHOICES:
                raise ParseError(f"role must be one of {', '.join(ROLE_CHOICES)}.")
            drafts = drafts.filter(my_role=role)  # type: ignore[misc]
        owner = request.query_params.get("owner")
        if owner:
            drafts = drafts.filter(owner__username=owner)
        pages = Pages()
        page = pages.paginate_queryset(drafts, request, view=self)
        return pages.get_paginated_response(s.DraftSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        operation_id="drafts_create",
        summary="Create a blank draft (a root group named like it)",
        request=s.DraftCreateSerializer,
        parameters=[ETAG],
        responses={201: s.DraftDetailSerializer, **errors(400, 401, 422)},
    )
    def post(self, request: Request) -> Response:
        body = s.DraftCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        draft = draft_create(owner=self.user, name=body.validated_data["name"])
        return draft_response(s.DraftDetailSerializer(draft, context={"request": request}).data, draft, 201)


class DraftImport(ApiView):
    parser_classes = [ProcessJSONParser]

    @extend_schema(
        operation_id="drafts_import",
        summary="Create a draft from a Process document (the POST /processes body)",
        description="At most 3,000 jobs and 10 MB. A malformed document is refused with the path of the "
        "first problem, and nothing is created. 10 imports a minute per user.",
        request={"application/json": {"type": "object", "additionalProperties": True}},
        parameters=[ETAG],
        responses={201: s.DraftDetailSerializer, **errors(400, 401, 422, 429)},
    )
    def post(self, request: Request) -> Response:
        ratelimit.limit(user_id=self.user.pk, action="import")
        draft = draft_import(data=request.data, owner=self.user)
        return draft_response(s.DraftDetailSerializer(draft, context={"request": request}).data, draft, 201)


class DraftDetail(ApiView):
    @extend_schema(
        operation_id="drafts_retrieve",
        summary="A draft and its process settings",
        parameters=[ETAG],
        responses={200: s.DraftDetailSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        return draft_response(s.DraftDetailSerializer(draft, context={"request": request}).data, draft)

    @extend_schema(
        operation_id="drafts_partial_update",
        summary="Change process settings (only the fields sent)",
        parameters=[IF_MATCH, ETAG],
        request=s.DraftSettingsSerializer,
        responses={200: s.DraftDetailSerializer, **errors(400, 401, 403, 404, 412, 422, 428)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.EDIT)
        version = if_match(request, draft)
        body = request.data if isinstance(request.data, dict) else None
        if body is None:
            raise ParseError("Send a JSON object of the settings to change.")
        form = form_from_json(
            DraftSettingsForm.for_draft(draft), body, lambda data: DraftSettingsForm.for_draft(draft, data), where=""
        )
        draft = draft_update(draft=draft, version=version, changes=form.changes(), actor=self.user)  # type: ignore[attr-defined]
        return draft_response(s.DraftDetailSerializer(draft, context={"request": request}).data, draft)

    @extend_schema(
        operation_id="drafts_destroy",
        summary="Delete a draft (owner only)",
        parameters=[IF_MATCH, ETAG],
        responses={204: None, **errors(400, 401, 403, 404, 412, 428)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.DELETE)
        draft_delete(draft=draft, version=if_match(request, draft))
        return Response(status=status.HTTP_204_NO_CONTENT)


class DraftDuplicate(ApiView):
    @extend_schema(
        operation_id="drafts_duplicate",
        summary="Copy a draft with its whole tree; the copy is mine",
        request=s.DuplicateSerializer,
        parameters=[ETAG],
        responses={201: s.DraftDetailSerializer, **errors(400, 401, 404, 429)},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        body = s.DuplicateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ratelimit.limit(user_id=self.user.pk, action="duplicate")
        copy = draft_duplicate(draft=draft, owner=self.user, name=body.validated_data.get("name"))
        return draft_response(s.DraftDetailSerializer(copy, context={"request": request}).data, copy, 201)


class DraftExport(ApiView):
    @extend_schema(
        operation_id="drafts_export",
        summary="The POST /processes body this draft publishes as",
        parameters=[ETAG],
        responses={
            (200, "application/json"): {"type": "object", "additionalProperties": True},
            **errors(401, 404),
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        payload, _ = problems_of(draft)
        return draft_response(payload, draft)


class DraftLint(ApiView):
    @extend_schema(
        operation_id="drafts_lint",
        summary="Every problem lint finds, each on its node and payload path",
        parameters=[ETAG],
        responses={200: s.LintSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        _, problems = problems_of(draft)
        return draft_response({"problems": problems}, draft)
