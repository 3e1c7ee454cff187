"""How the API knows who is calling: a personal access token (Bearer) or the browser's session,
and how often each token may call."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken

LAST_USED_EVERY = dt.timedelta(minutes=1)  # at most one write per token per minute for "last used"


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's hashed-token check (``Authorization: Bearer <token>``), noting when a token was last used."""

    def validate_user(self, auth_token: Any) -> tuple[Any, Any]:
        user, token = super().validate_user(auth_token)
        now = timezone.now()
        if token.last_used is None or now - token.last_used > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return user, token


class TokenRateThrottle(SimpleRateThrottle):
    """A request budget per token (a session counts as one budget per user; anonymous per address)."""

    scope = "api"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.token_key}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"anon:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
