"""The template gallery: list the templates, make a new draft from one, save a draft as a template.

The gallery's own services (``gallery.services``): the same checks and messages as its pages.
"""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as s
from api.openapi import ETAG, errors
from api.views.base import ApiView, draft_response
from designer import ratelimit
from designer.permissions import Action
from gallery.models import ProcessTemplate
from gallery.services import draft_from_template, template_save


class TemplateSerializer(serializers.ModelSerializer[ProcessTemplate]):
    created_by = serializers.CharField(source="created_by.get_username", read_only=True, allow_null=True)
    versions = serializers.SerializerMethodField(help_text="How many versions the template family has.")

    class Meta:
        model = ProcessTemplate
        fields = [
            "id",
            "family",
            "version",
            "versions",
            "name",
            "description",
            "job_count",
            "starter",
            "created_by",
            "created",
        ]

    def get_versions(self, template: ProcessTemplate) -> int:
        return int(self.context.get("versions", {}).get(template.family, 1))


class FromTemplateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=500, help_text="The new draft's name.")
    due = s.DateOfProcess(help_text="The process due date, YYYY-MM-DD: every date is computed from it.")


class SaveTemplateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(
        max_length=200, help_text="A new template, or the next version of the template already so named."
    )
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TemplateList(ApiView):
    @extend_schema(
        operation_id="templates_list",
        summary="The gallery: every template at its latest version, by name",
        responses={200: TemplateSerializer(many=True), **errors(401)},
    )
    def get(self, request: Request) -> Response:
        latest: dict[Any, ProcessTemplate] = {}
        versions: dict[Any, int] = {}
        for template in ProcessTemplate.objects.select_related("created_by").order_by("name", "-version"):
            latest.setdefault(template.family, template)
            versions[template.family] = versions.get(template.family, 0) + 1
        return Response(TemplateSerializer(list(latest.values()), many=True, context={"versions": versions}).data)


class DraftFromTemplate(ApiView):
    @extend_schema(
        operation_id="templates_new_draft",
        summary="Make a new draft (yours) from a template version, due on a date",
        request=FromTemplateSerializer,
        responses={201: s.DraftDetailSerializer, **errors(400, 401, 404, 422, 429)},
    )
    def post(self, request: Request, template_pk: int) -> Response:
        template = get_object_or_404(ProcessTemplate, pk=template_pk)
        body = FromTemplateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ratelimit.limit(user_id=self.user.pk, action="duplicate")
        draft = draft_from_template(
            template=template, owner=self.user, name=body.validated_data["name"], due=body.validated_data["due"]
        )
        response = draft_response(s.DraftDetailSerializer(draft, context={"request": request}).data, draft, 201)
        response["Location"] = f"/api/v1/drafts/{draft.pk}/"
        return response


class SaveAsTemplate(ApiView):
    @extend_schema(
        operation_id="drafts_save_as_template",
        summary="Save the draft as a template (a new one, or the next version of one so named)",
        request=SaveTemplateSerializer,
        parameters=[ETAG],
        responses={201: TemplateSerializer, **errors(400, 401, 403, 404, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.EDIT)
        body = SaveTemplateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        template = template_save(
            draft=draft,
            actor=self.user,
            name=body.validated_data["name"],
            description=body.validated_data["description"],
        )
        versions = {template.family: ProcessTemplate.objects.filter(family=template.family).count()}
        data = TemplateSerializer(template, context={"versions": versions}).data
        return draft_response(data, draft, status.HTTP_201_CREATED)
