"""Publishing: publish a draft (idempotent by Idempotency-Key), follow a submission, list them, its errors by node."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError
from rest_framework.request import Request
from rest_framework.response import Response

from api import serializers as s
from api.concurrency import if_match
from api.models import IdempotentPublish
from api.openapi import IDEMPOTENCY_KEY, IF_MATCH_OPTIONAL, errors
from api.problems import Problem
from api.views.base import ApiView
from designer.permissions import Action, require
from publishing import tasks
from publishing.models import Submission
from publishing.services.submissions import draft_publish

_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")  # printable ASCII, no spaces


def _submission_response(request: Request, submission: Submission, code: int, **headers: str) -> Response:
    data = s.SubmissionDetailSerializer(submission).data
    location = reverse("api-v1-submission", args=[submission.pk])
    return Response(data, status=code, headers={"Location": location, **headers})


class Publish(ApiView):
    @extend_schema(
        operation_id="drafts_publish",
        summary="Publish the draft to Workiva: lint, freeze a revision, send it as a task",
        description="Answers 202 with the submission to follow (Location). A draft with a submission in "
        "flight, or whose unchanged content was published already, answers with that submission: a "
        "retry never creates a second process. With an Idempotency-Key, a repeat of the request answers "
        "with the first one's submission (header Idempotent-Replayed: true).",
        parameters=[IDEMPOTENCY_KEY, IF_MATCH_OPTIONAL],
        request=None,
        responses={202: s.SubmissionDetailSerializer, **errors(400, 401, 403, 404, 412, 422)},
    )
    def post(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.PUBLISH)
        if_match(request, draft, required=False)
        key = request.headers.get("Idempotency-Key")
        if key is not None and not _KEY.match(key):
            raise ParseError("Idempotency-Key must be 1 to 200 printable characters without spaces (a UUID, say).")
        if key is not None:
            replay = self._replay(key, draft.pk)
            if replay is not None:
                return _submission_response(
                    request, replay, status.HTTP_202_ACCEPTED, **{"Idempotent-Replayed": "true"}
                )
        submission = draft_publish(draft=draft, user=self.user).submission
        if key is not None:
            try:
                with transaction.atomic():
                    IdempotentPublish.objects.create(user=self.user, key=key, draft=draft, submission=submission)
            except IntegrityError:  # the same key raced this request: answer with what it recorded
                replay = self._replay(key, draft.pk)
                if replay is not None:
                    submission = replay
        return _submission_response(request, submission, status.HTTP_202_ACCEPTED)

    def _replay(self, key: str, draft_id: int) -> Submission | None:
        seen = IdempotentPublish.objects.filter(user=self.user, key=key).select_related("submission").first()
        if seen is None:
            return None
        if seen.draft_id != draft_id:
            raise Problem(
                422,
                "idempotency-key-reused",
                "Idempotency-Key used for another draft",
                "This Idempotency-Key was used to publish another draft; use a new key for each publish.",
            )
        submission = Submission.objects.select_related("user", "revision").get(pk=seen.submission_id)
        return submission


class SubmissionList(ApiView):
    @extend_schema(
        operation_id="submissions_list",
        summary="Every publish attempt of the draft, newest first",
        responses={200: s.SubmissionSerializer(many=True), **errors(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        draft = self.draft(pk, Action.VIEW)
        found = Submission.objects.filter(draft=draft).select_related("user", "revision").order_by("-created")[:200]
        return Response(s.SubmissionSerializer(found, many=True).data)


def _submission(request: Request, submission_pk: int) -> Submission:
    submission = get_object_or_404(Submission.objects.select_related("draft", "user", "revision"), pk=submission_pk)
    require(request.user, submission.draft, Action.VIEW)
    return submission


class SubmissionDetail(ApiView):
    @extend_schema(
        operation_id="submissions_retrieve",
        summary="A submission's status, Workiva process id and errors (poll until finished is set)",
        responses={200: s.SubmissionDetailSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, submission_pk: int) -> Response:
        submission = _submission(request, submission_pk)
        tasks.reconcile_if_due(submission)  # as the status area of the page does
        return Response(s.SubmissionDetailSerializer(submission).data)


class SubmissionErrors(ApiView):
    @extend_schema(
        operation_id="submissions_errors",
        summary="The errors Workiva returned, on the node each belongs to (process-level ones apart)",
        responses={200: s.ErrorsByNodeSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, submission_pk: int) -> Response:
        submission = _submission(request, submission_pk)
        by_node: dict[str, list[Any]] = defaultdict(list)
        process: list[Any] = []
        for error in submission.errors.order_by("id"):
            data = s.SubmissionErrorSerializer(error).data
            (by_node[str(error.node_key)] if error.node_key else process).append(data)
        return Response({"process": process, "nodes": dict(by_node)})
