"""Compress text answers on the wire: a 3,000-job editor page is ~2 MB of HTML and ~0.14 MB gzipped.

``CompressionMiddleware`` is Django's ``GZipMiddleware`` (gzip level 6, and its "Heal the BREACH"
padding: up to 100 random bytes in the gzip header's file name, so the length of an answer does not
give away a guess) limited to the content types that compress well: HTML, JSON, CSS, JavaScript,
SVG and plain text. Images and archives are already compressed; ``text/event-stream`` stays
uncompressed so each event reaches the browser when it is sent. Static files in production are
compressed once by WhiteNoise at ``collectstatic`` (gzip and Brotli files served as they are), so
they never reach this middleware.

BREACH (reading a secret out of the compressed length of answers that also reflect the attacker's
input) is handled as follows, see docs/performance.md:

- the CSRF token in every form is masked afresh in every answer (Django's ``get_token``), so no
  two answers carry the same bytes for it and its length says nothing;
- the session id and CSRF secret travel only in cookies, never in a compressed body; API tokens and
  client secrets are never rendered (designer/logsafe.py keeps them out of logs too);
- every answer is padded by Heal-the-BREACH's random length, which an attacker must average away.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/plain",
        "text/css",
        "text/csv",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/problem+json",
        "application/xml",
        "image/svg+xml",
    }
)


def compressible(content_type: str) -> bool:
    """Whether an answer of this ``Content-Type`` (parameters ignored) is worth compressing."""
    return content_type.split(";", 1)[0].strip().lower() in COMPRESSIBLE


class CompressionMiddleware(GZipMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not compressible(response.get("Content-Type", "")):
            return response
        return super().process_response(request, response)
