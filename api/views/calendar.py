"""The business calendar's writes and roll forward: a job date's rule, a suggested date fix, the
draft's holiday calendar, and the next period's draft (with a preview of every change it makes).

Each is the service the schedule and the inspector call, with ``actor=self.user``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as s
from api.openapi import ETAG, errors
from api.views.base import ApiView, DraftWrite, draft_response, write_schema
from api.views.nodes import _node, node_json
from designer import ratelimit
from designer.models import Draft
from designer.permissions import Action
from designer.services.dates import MAX_RULE_DAYS, date_fix_apply, draft_calendar_update, node_date_rule_set
from designer.services.periods import draft_roll_forward, roll_plan

# --- shapes ---------------------------------------------------------------------------------------------


class DateRuleSerializer(serializers.Serializer[Any]):
    field = serializers.CharField(max_length=100, help_text="The job's date argument, e.g. dueDate.")
    days = serializers.IntegerField(
        allow_null=True,
        min_value=-MAX_RULE_DAYS,
        max_value=MAX_RULE_DAYS,
        help_text="Business days from the process due date (negative: before); null drops the rule and keeps "
        "the date it gave.",
    )


class RuledNodeSerializer(s.NodeSerializer):
    date_rules = serializers.DictField(help_text='The job\'s date rules by argument: {"dueDate": {"days": -3}}.')


class DateFixSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(allow_null=True, required=False, help_text="The job; null or absent: the process.")
    field = serializers.CharField(max_length=100, help_text="The date field (a job argument, or e.g. dueDate).")
    value = s.DateOfProcess(help_text="The date, YYYY-MM-DD (what lint's fix suggests).")


class DateFixedSerializer(serializers.Serializer[Any]):
    node = s.NodeSerializer(allow_null=True, help_text="The job as it is now; null for a process date.")


class CalendarSerializer(serializers.Serializer[Any]):
    holiday_calendar = serializers.CharField(
        max_length=20, allow_blank=True, help_text='US, US-CA, NYSE …, or "" for weekends only.'
    )


class CalendarChangedSerializer(serializers.Serializer[Any]):
    holiday_calendar = serializers.CharField()
    dates_changed = serializers.IntegerField(help_text="How many rule-based dates moved.")


class RollForwardSerializer(serializers.Serializer[Any]):
    due = s.DateOfProcess(help_text="The next period's process due date, YYYY-MM-DD.")
    replacements = serializers.DictField(
        child=serializers.CharField(max_length=100),
        required=False,
        allow_null=True,
        help_text='Period names to replace in names ({"Q1 2026": "Q2 2026"}); absent or null: the plan\'s own; '
        "{}: names kept.",
    )

    def validate_replacements(self, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is not None and any(not k.strip() or len(k) > 100 or "\x00" in k for k in value):
            raise serializers.ValidationError("Each period name to replace must be 1 to 100 characters.")
        return value


class DateChangeSerializer(serializers.Serializer[Any]):
    node = serializers.UUIDField(source="node_key", allow_null=True, help_text="null: the process.")
    where = serializers.CharField()
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    old = serializers.CharField()
    new = serializers.CharField()
    by_rule = serializers.BooleanField()


class RollPlanSerializer(serializers.Serializer[Any]):
    old_due = serializers.DateField()
    new_due = serializers.DateField()
    months = serializers.IntegerField()
    dates = DateChangeSerializer(many=True)
    replacements = serializers.DictField(child=serializers.CharField())


# --- views ----------------------------------------------------------------------------------------------


@write_schema(
    "nodes_date_rule",
    "Make a job's date follow the process due date (N business days before or after), or drop its rule",
    DateRuleSerializer,
    RuledNodeSerializer,
)
class DateRule(DraftWrite):
    body = DateRuleSerializer

    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        node = _node(draft, kwargs["key"])
        node = node_date_rule_set(node=node, version=version, field=data["field"], days=data["days"], actor=self.user)
        return {**node_json(draft, node), "date_rules": node.date_rules or {}}


@write_schema(
    "drafts_date_fix",
    "Apply a suggested date fix (lint's fix): set a date of a job or of the process",
    DateFixSerializer,
    DateFixedSerializer,
)
class DateFix(DraftWrite):
    body = DateFixSerializer

    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        node = date_fix_apply(
            draft=draft,
            version=version,
            node_key=data.get("node"),
            field=data["field"],
            value=data["value"].isoformat(),
            actor=self.user,
        )
        return {"node": node_json(draft, node) if node is not None else None}


@write_schema(
    "drafts_calendar",
    "Set the draft's holiday calendar; the rule-based dates follow",
    CalendarSerializer,
    CalendarChangedSerializer,
)
class Calendar(DraftWrite):
    body = CalendarSerializer

    def perform(self, draft: Draft, version: int, data: dict[str, Any], **kwargs: Any) -> Any:
        changed = draft_calendar_update(
            draft=draft, version=version, holiday_calendar=data["holiday_calendar"], actor=self.user
        )
        return {"holiday_calendar": draft.holiday_calendar, "dates_changed": changed}


class RollForward(ApiView):
    @extend_schema(
        operation_id="drafts_roll_forward_plan",
        summary="What rolling forward to ?due= would change: every date and period name (nothing written)",
        parameters=[OpenApiParameter("due", dt.date, required=True, description="The next process due date."), ETAG],
        responses={200: RollPlanSerializer, **errors(400, 401, 404, 422)},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        body = RollForwardSerializer(data={"due": request.query_params.get("due", "")})
        body.is_valid(raise_exception=True)
        plan = roll_plan(draft, body.validated_data["due"])
        return draft_response(RollPlanSerializer(plan).data, draft)

    @extend_schema(
        operation_id="drafts_roll_forward",
        summary="Create the next period's draft (yours) from this one, which is left untouched",
        request=RollForwardSerializer,
        responses={201: s.DraftDetailSerializer, **errors(400, 401, 404, 422, 429)},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        body = RollForwardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        roll_plan(draft, body.validated_data["due"])  # refuse a draft that cannot roll before spending the budget
        ratelimit.limit(user_id=self.user.pk, action="duplicate")
        new = draft_roll_forward(
            draft=draft,
            owner=self.user,
            new_due=body.validated_data["due"],
            replacements=body.validated_data.get("replacements"),
        )
        response = draft_response(s.DraftDetailSerializer(new, context={"request": request}).data, new, 201)
        response["Location"] = f"/api/v1/drafts/{new.pk}/"
        return response
