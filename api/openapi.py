"""What the OpenAPI document says beyond the serializers: headers, problem responses, security."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

ETAG = OpenApiParameter(
    "ETag",
    str,
    OpenApiParameter.HEADER,
    response=True,
    description='The draft\'s version, quoted (e.g. "5"); send it back as If-Match with a write.',
)
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag of the draft this change is based on (e.g. "5"), or *. Stale: 412 with the '
    "current version, nothing written. Missing: 428.",
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description='The ETag of the draft (e.g. "5"): when sent, a stale one is refused with 412.',
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (a UUID, say): repeating a request with the same key answers with the "
    "submission the first one made, and never publishes twice.",
)


class PathProblemSerializer(serializers.Serializer[Any]):
    path = serializers.CharField(help_text="JSON path of the value in the request body, e.g. $.settings.due_date.")
    detail = serializers.CharField()


class LintProblemSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    message = serializers.CharField()
    node = serializers.UUIDField(allow_null=True)


class ProblemSerializer(serializers.Serializer[Any]):
    """An RFC 9457 problem details body."""

    type = serializers.CharField(help_text="about:blank, or the problem's type (see docs/api.md).")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong, in the words the pages use.")
    instance = serializers.CharField()
    errors = PathProblemSerializer(many=True, required=False)  # type: ignore[assignment]
    current_version = serializers.IntegerField(required=False, help_text="On 412: the draft's version now.")
    your_version = serializers.IntegerField(required=False, help_text="On 412: the version you sent.")
    problems = LintProblemSerializer(many=True, required=False, help_text="On a blocked publish.")
    operation = serializers.IntegerField(
        required=False, help_text="On 409 undo-conflict: the operation that could not be undone (or redone)."
    )


_WHY = {
    400: "The request is malformed (its JSON, a query parameter, a field of the wrong type).",
    401: "No valid token or session.",
    403: "Your role on the draft does not allow this.",
    404: "No such draft (or one you cannot see), node, or item.",
    409: "The request conflicts with the current state: an undo or redo of what was changed since.",
    412: "If-Match names an older version of the draft: nothing was written.",
    422: "The change was refused (the same words the pages show).",
    428: "This write needs If-Match.",
    429: "Too many requests; see Retry-After.",
    502: "Workiva did not answer (the directory fetches a file's sections from it).",
}


def errors(*codes: int) -> dict[Any, OpenApiResponse]:
    """The problem details responses of an operation, by status code."""
    return {
        (code, "application/problem+json"): OpenApiResponse(ProblemSerializer, description=_WHY[code]) for code in codes
    }


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token (API tokens page, or manage.py create_api_token).",
        }
