"""Revisions: list, one with its payload, the diff of two (or of one and the current content), restore."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as s
from api.concurrency import if_match
from api.openapi import ETAG, IF_MATCH, errors
from api.views.base import ApiView, DraftWrite, draft_response, write_schema
from designer.diff import FieldChange, NodeChange, TreeDiff, diff_revisions, field_label
from designer.models import Draft, Revision
from designer.permissions import Action
from designer.selectors.revisions import revision_list
from designer.services.revisions import revision_restore, revision_save_point


def _field(change: FieldChange) -> dict[str, Any]:
    return {
        "field": change.field,
        "label": field_label(change.field),
        "before": change.before,
        "after": change.after,
        "before_text": change.before_text,
        "after_text": change.after_text,
    }


def _node(change: NodeChange) -> dict[str, Any]:
    return {
        "key": change.key,
        "kind": change.kind,
        "label": change.label,
        "parent_changed": change.parent_changed,
        "fields": [_field(f) for f in change.fields],
    }


def diff_json(diff: TreeDiff) -> dict[str, Any]:
    sections = ("added", "removed", "moved", "changed")
    return {
        "count": diff.count,
        "process": [_field(f) for f in diff.process],
        **{name: [_node(c) for c in getattr(diff, name)] for name in sections},
    }


def _revision_or_current(draft: Draft, value: str) -> Revision | Draft:
    if value in ("", "current"):
        return draft
    if not value.isdigit() or len(value) > 9:
        raise ParseError(f'"{value}" is not a revision number.')
    return get_object_or_404(Revision, draft=draft, number=int(value))


class RevisionList(ApiView):
    @extend_schema(
        operation_id="revisions_list",
        summary="Every revision (review requests, approvals, publishes, save points, restores), newest first",
        responses={200: s.RevisionSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.RevisionSerializer(revision_list(self.draft(pk, Action.VIEW)), many=True).data)


class RevisionDetail(ApiView):
    @extend_schema(
        operation_id="revisions_retrieve",
        summary="One revision with the payload it froze",
        responses={200: s.RevisionDetailSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, pk: int, number: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        revision = get_object_or_404(Revision.objects.select_related("author"), draft=draft, number=number)
        return Response(s.RevisionDetailSerializer(revision).data)


class RevisionRestore(ApiView):
    @extend_schema(
        operation_id="revisions_restore",
        summary="Replace the content with this revision's; the content before is kept as a new revision",
        parameters=[IF_MATCH, ETAG],
        request=None,
        responses={200: s.RevisionSerializer, **errors(400, 401, 403, 404, 412, 422, 428)},
    )
    def post(self, request: Request, pk: int, number: int) -> Response:
        draft = self.draft(pk, Action.EDIT)
        version = if_match(request, draft)
        revision = get_object_or_404(Revision, draft=draft, number=number)
        undo = revision_restore(draft=draft, actor=self.user, version=version, revision=revision)
        return draft_response(s.RevisionSerializer(undo).data, draft)


class RevisionDiff(ApiView):
    @extend_schema(
        operation_id="revisions_diff",
        summary="What changed from revision a to revision b (either may be 'current')",
        parameters=[
            OpenApiParameter("a", str, required=True, description="A revision number, or current."),
            OpenApiParameter("b", str, description="A revision number, or current (the default)."),
        ],
        responses={200: s.DiffSerializer, **errors(400, 401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        old = _revision_or_current(draft, request.query_params.get("a", ""))
        new = _revision_or_current(draft, request.query_params.get("b", "current"))
        return Response(diff_json(diff_revisions(old, new)))


@write_schema(
    "revisions_create",
    "Freeze the current content as a save point",
    s.SavePointSerializer,
    s.RevisionSerializer,
    code=201,
)
class RevisionSavePoint(DraftWrite):
    body = s.SavePointSerializer
    status_code = 201

    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        return s.RevisionSerializer(revision_save_point(draft=draft, actor=self.user, note=data["note"])).data
