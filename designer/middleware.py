"""Requests refused before any view runs, with a message instead of a crash.

``RefuseNulMiddleware`` turns away form fields and query parameters holding a NUL character,
which PostgreSQL cannot store (SQLite would): the answer is the same on both, and nothing is
written; under ``/api/`` it answers with problem details (RFC 9457), to htmx with the message in the page's alert box. (The API's body limit is its parser's:
``api.views.drafts.ProcessJSONParser``.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render

NUL_MESSAGE = (
    "What you sent contains a NUL character (\\0, U+0000), which cannot be stored. "
    "Nothing was saved: remove it and try again."
)


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
            if _is_api(request):  # an RFC 9457 problem, like every other refusal of the API
                body = {
                    "type": "about:blank",
                    "title": "Bad Request",
                    "status": 400,
                    "detail": NUL_MESSAGE,
                    "instance": request.path,
                }
                return JsonResponse(body, status=400, content_type="application/problem+json")
            if request.headers.get("HX-Request"):  # shown in the page's alert box, in place of its generic text
                response = render(request, "refused.html#toast", {"message": NUL_MESSAGE}, status=422)
                response["HX-Retarget"], response["HX-Reswap"] = "#net-error", "outerHTML"
                return response
            return render(request, "refused.html", {"message": NUL_MESSAGE}, status=400)
        return self.get_response(request)
