"""Errors as RFC 9457 problem details (``application/problem+json``), with the UI's own messages.

Every refusal of the API goes through :func:`exception_handler`: the services' errors (a stale
version, a broken tree rule, a malformed payload, a blocked publish) keep the words the pages show;
a body that does not fit its serializer lists each problem with the JSON path of the value.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from designer import ratelimit
from designer.errors import DraftConflict, DraftError, OperationConflict
from processes_api.payload import PayloadError
from publishing.services.submissions import PublishBlocked

PROBLEM_TYPE = "/api/v1/docs/problems#"  # + slug; each one is described in docs/api.md


class ProblemJSONRenderer(JSONRenderer):
    """Renders problem bodies; negotiated when a client asks for ``application/problem+json``."""

    media_type = "application/problem+json"


class Problem(exceptions.APIException):
    """A refusal with its own problem type (``slug``) and extension members."""

    def __init__(self, status_code: int, slug: str, title: str, detail: str, **extensions: Any) -> None:
        self.status_code = status_code
        self.slug = slug
        self.title = title
        self.extensions = extensions
        super().__init__(detail)


def precondition_required() -> Problem:
    return Problem(
        status.HTTP_428_PRECONDITION_REQUIRED,
        "if-match-required",
        "If-Match required",
        'This change needs the draft version it is based on: send the ETag you read as If-Match (e.g. If-Match: "5").',
    )


def version_mismatch(conflict: DraftConflict) -> Problem:
    return Problem(
        status.HTTP_412_PRECONDITION_FAILED,
        "version-mismatch",
        "The draft changed",
        str(conflict),
        current_version=conflict.actual,
        your_version=conflict.expected,
    )


def json_path(parts: list[str | int]) -> str:
    """Return the JSON path (``$.settings.name``, ``$.reviewers[0]``) of a value in the request body."""
    text = "$"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _flatten(detail: Any, parts: list[str | int]) -> list[dict[str, str]]:
    if isinstance(detail, dict):
        return [e for key, value in detail.items() for e in _flatten(value, [*parts, *_key(key)])]
    if isinstance(detail, list):
        if all(isinstance(d, str) for d in detail):
            return [{"path": json_path(parts), "detail": str(d)} for d in detail]
        return [e for i, value in enumerate(detail) for e in _flatten(value, [*parts, i])]
    return [{"path": json_path(parts), "detail": str(detail)}]


def _key(key: str) -> list[str | int]:
    return [] if key in ("non_field_errors", "__all__") else [key]


def _problem(exc: Exception, request_path: str) -> tuple[int, dict[str, Any], dict[str, str]]:  # status, body, headers
    headers: dict[str, str] = {}
    slug, extensions = "", {}
    if isinstance(exc, Problem):
        code, slug, title, detail, extensions = exc.status_code, exc.slug, exc.title, str(exc.detail), exc.extensions
    elif isinstance(exc, DraftConflict):
        return _problem(version_mismatch(exc), request_path)
    elif isinstance(exc, PublishBlocked):
        code, slug, title, detail = 422, "publish-blocked", "Cannot publish yet", str(exc)
        extensions = {
            "problems": [
                {"code": p.code, "message": p.message, "node": str(p.node_key) if p.node_key else None}
                for p in exc.problems
            ]
        }
    elif isinstance(exc, PayloadError):
        code, slug, title, detail = 422, "invalid-process", "The process document is not valid", str(exc)
        extensions = {"errors": [{"path": _payload_path(exc.path), "detail": exc.problem}]}
    elif isinstance(exc, OperationConflict):
        # An undo or redo of something changed since (by someone else, or by you): the same words as the editor.
        code, slug, title, detail = 409, "undo-conflict", "Changed since", str(exc)
        if exc.operation_id is not None:
            extensions = {"operation": exc.operation_id}
    elif isinstance(exc, DraftError):
        code, slug, title, detail = 422, "refused", "The change was refused", str(exc)
    elif isinstance(exc, DjangoValidationError):
        code, slug, title = 422, "invalid", "The change was refused"
        detail = " ".join(exc.messages)
    elif isinstance(exc, ratelimit.Limited):
        code, slug, title, detail = 429, "rate-limited", "Too many requests", str(exc)
        headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, exceptions.ValidationError):
        code, slug, title = 400, "invalid-body", "The request is not valid"
        errors = _flatten(exc.detail, [])
        detail = "; ".join(f"{e['path']}: {e['detail']}" for e in errors)
        extensions = {"errors": errors}
    elif isinstance(exc, Http404 | exceptions.NotFound):
        code, title = 404, "Not found"
        detail = str(exc) or "Not found."
    elif isinstance(exc, DjangoPermissionDenied):
        code, title, detail = 403, "Forbidden", str(exc) or "You may not do this."
    elif isinstance(exc, exceptions.APIException):
        code, title, detail = exc.status_code, _title(exc.status_code), _text(exc.detail)
        if isinstance(exc, exceptions.Throttled) and exc.wait is not None:  # type: ignore[attr-defined]
            headers["Retry-After"] = str(int(exc.wait) + 1)  # type: ignore[attr-defined]
    else:
        raise exc
    body = {
        "type": PROBLEM_TYPE + slug if slug else "about:blank",
        "title": title,
        "status": code,
        "detail": detail,
        "instance": request_path,
        **extensions,
    }
    return code, body, headers


def _payload_path(path: str) -> str:
    """The importer's paths (``root.children[0].group``) as JSON paths into the body."""
    return f"$.{path}" if path else "$"


def _title(code: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(code).phrase


def _text(detail: Any) -> str:
    if isinstance(detail, list):
        return " ".join(_text(d) for d in detail)
    if isinstance(detail, dict):
        return " ".join(_text(d) for d in detail.values())
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's exception handler for the API: every refusal as a problem details body."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else ""
    try:
        code, body, headers = _problem(exc, path)
    except Exception:  # not ours to describe: let DRF (and then Django) handle it
        return None
    if isinstance(exc, exceptions.APIException):
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
    response = Response(body, status=code, headers=headers, content_type="application/problem+json")
    return response


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Answer a URL under /api/v1/ that names no endpoint (a malformed id, say) with a problem 404."""
    body = {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "There is no such endpoint or item in the API; see /api/v1/docs/.",
        "instance": request.get_full_path(),
    }
    return JsonResponse(body, status=404, content_type="application/problem+json")
