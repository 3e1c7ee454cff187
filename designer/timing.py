"""``Server-Timing`` on every answer: how long the application took, for the browser's developer
tools and for ``bench/browser.py`` (under uvicorn workers gunicorn writes no access log with times).

Only a duration is sent (``app;dur=12.3``, milliseconds): no names of queries, tables or users.
``SERVER_TIMING=0`` in the environment (the setting ``SERVER_TIMING``) turns it off.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ServerTimingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.enabled = getattr(settings, "SERVER_TIMING", True)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        if self.enabled and not response.streaming:
            response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response
