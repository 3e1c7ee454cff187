"""The Workiva directory, as the editor's pickers search it: people, files, and a file's sections.

Reads of ``directory.selectors`` (the synced copy); a file's sections are fetched from Workiva when
not cached, as the section picker does.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api.openapi import errors
from api.problems import Problem
from api.views.base import ApiView
from directory import selectors
from directory.models import DirectoryFile
from directory.services import sections_fetch
from processes_api.client import ApiError
from processes_api.platform import PlatformClient

MAX_QUERY = 200
SECTIONS = 50


class EntrySerializer(serializers.Serializer[Any]):
    id = serializers.CharField(help_text="The Workiva id: what a job's argument takes.")
    label = serializers.CharField(help_text="Name (a person's display name, a file's or section's name).")  # type: ignore[assignment]
    detail = serializers.CharField(help_text="E-mail or username; a file's kind; a section's file.")
    suspended = serializers.BooleanField(help_text="A suspended account (cannot be assigned).")


class ResultsSerializer(serializers.Serializer[Any]):
    results = EntrySerializer(many=True)
    filled = serializers.BooleanField(help_text="False: the directory has not been synced yet (no results is no news).")


Q = OpenApiParameter(
    "q", str, required=False, description="Words; each must start a word of the name, e-mail, username or id."
)


def _q(request: Request) -> str:
    return str(request.query_params.get("q", ""))[:MAX_QUERY]


class DirectoryUsers(ApiView):
    @extend_schema(
        operation_id="directory_users",
        summary="Search Workiva users (active first, then by name): up to 20",
        parameters=[Q],
        responses={200: ResultsSerializer, **errors(401)},
    )
    def get(self, request: Request) -> Response:
        found = selectors.users_search(_q(request))
        results = [
            {
                "id": u.workiva_id,
                "label": u.display_name,
                "detail": u.email or u.username,
                "suspended": u.suspended,
            }
            for u in found
        ]
        return Response({"results": results, "filled": selectors.users_filled()})


class DirectoryFiles(ApiView):
    @extend_schema(
        operation_id="directory_files",
        summary="Search Workiva files by name or id (all by name when q is empty): up to 20",
        parameters=[
            Q,
            OpenApiParameter(
                "kind", str, required=False, enum=list(DirectoryFile.Kind.values), description="Only these."
            ),
        ],
        responses={200: ResultsSerializer, **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind") or None
        if kind is not None and kind not in DirectoryFile.Kind.values:
            raise serializers.ValidationError({"kind": [f"Choose {' or '.join(DirectoryFile.Kind.values)}."]})
        found = selectors.files_search(_q(request), kind=kind)
        results = [{"id": f.workiva_id, "label": f.name, "detail": f.kind, "suspended": False} for f in found]
        return Response({"results": results, "filled": selectors.files_filled()})


class DirectorySections(ApiView):
    @extend_schema(
        operation_id="directory_sections",
        summary="Search a file's sections (or sheets) by name or id: up to 50",
        parameters=[
            OpenApiParameter("file", str, required=True, description="The file's Workiva id."),
            OpenApiParameter("q", str, required=False, description="Words the section's name or id contains."),
        ],
        responses={200: ResultsSerializer, **errors(400, 401, 404, 502)},
    )
    def get(self, request: Request) -> Response:
        file_id = str(request.query_params.get("file", ""))[:MAX_QUERY]
        if not file_id:
            raise serializers.ValidationError({"file": ["Name the file (its Workiva id) whose sections to search."]})
        file = DirectoryFile.objects.filter(workiva_id=file_id).first()
        if file is None:
            raise Problem(404, "", "Not found", "There is no such file in the directory.")
        try:
            # A short budget, as for the picker: a slow Workiva does not hold the caller long.
            sections = sections_fetch(
                file=file, client=PlatformClient.from_settings(retry_budget=2.0, read_timeout=10.0)
            )
        except ApiError as exc:
            raise Problem(
                502, "workiva-unavailable", "Workiva did not answer", f"Could not fetch the sections: {exc.message}"
            ) from None
        found = selectors.sections_search(sections, _q(request))[:SECTIONS]
        results = [{"id": s.workiva_id, "label": s.name, "detail": file.name, "suspended": False} for s in found]
        return Response({"results": results, "filled": True})
