"""Optimistic concurrency over HTTP: the draft version is the ETag; writes send it back as If-Match."""

from __future__ import annotations

import re

from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response

from api.problems import precondition_required
from designer.errors import DraftConflict
from designer.models import Draft

_TAG = re.compile(r'^\s*(?:W/)?"?(\d{1,9})"?\s*$')


def etag(version: int) -> str:
    return f'"{version}"'


def tagged(response: Response, draft: Draft) -> Response:
    """Set the draft's version as the response's ETag."""
    response["ETag"] = etag(draft.version)
    return response


def if_match(request: Request, draft: Draft, *, required: bool = True) -> int:
    """Return the draft version the client's ``If-Match`` names; the services refuse a stale one.

    ``*`` means "whatever the current version is". A missing header is refused with 428 when the
    write needs one; a stale version here already answers 412 (the services check it again under
    the draft's row lock, so a write racing this check is refused the same way).
    """
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        if required:
            raise precondition_required()
        return draft.version
    if header.strip() == "*":
        return draft.version
    match = _TAG.match(header.split(",")[0])
    if match is None:
        raise exceptions.ParseError(f'If-Match must be the ETag of the draft, e.g. "{draft.version}".')
    version = int(match.group(1))
    if version != draft.version:
        raise DraftConflict(expected=version, actual=draft.version)
    return version
