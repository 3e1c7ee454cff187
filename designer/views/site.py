"""Site-wide odds and ends: the favicon for clients that ask for /favicon.ico."""

from __future__ import annotations

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from designer.views.http import Request


@require_GET
def favicon_view(request: Request) -> HttpResponsePermanentRedirect:
    """Send ``/favicon.ico`` (asked for by pages without an icon link, e.g. the admin) to the icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))
