"""Requests refused before any view runs, with a message instead of a crash.

``RefuseNulMiddleware`` turns away form fields and query parameters holding a NUL character,
which PostgreSQL cannot store (SQLite would): the answer is the same on both, and nothing is
written. ``ApiErrorsMiddleware`` answers the REST API's own refusals (a body over the size
limit) in JSON, as the rest of ``/api/`` does, instead of Django's HTML error page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

from processes_api import schema

NUL_MESSAGE = (
    "What you sent contains a NUL character (\\0, U+0000), which cannot be stored. "
    "Nothing was saved: remove it and try again."
)
TOO_BIG_MESSAGE = f"The request body is larger than the {schema.MAX_BODY_BYTES // 1_000_000} MB Workiva accepts."


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _has_nul(data: QueryDict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The API reads its own JSON body (checked by the payload parser); forms are read here.
        forms = request.method == "POST" and not _is_api(request)
        if _has_nul(request.GET) or (forms and _has_nul(request.POST)):
            if _is_api(request):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return render(request, "refused.html", {"message": NUL_MESSAGE}, status=400)
        return self.get_response(request)


class ApiErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if _is_api(request) and isinstance(exception, RequestDataTooBig):
            return JsonResponse({"detail": TOO_BIG_MESSAGE}, status=413)
        return None
