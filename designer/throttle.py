"""Failed-login throttling for the login page and the admin login.

The counts live in the default cache (the database cache in every setup here), so every web
process shares them. A (username, client address) pair is locked after LOGIN_FAILURE_LIMIT failed
attempts, and a client address after LOGIN_IP_FAILURE_LIMIT failed attempts for any usernames,
each for LOGIN_LOCKOUT_SECONDS from the first failure counted. While locked, the password is not
even checked, and the form says why and for how long. A successful login clears the pair's count.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

LOCKED_MESSAGE = (
    "Too many failed log-in attempts. For your security, logging in is blocked for %(minutes)s more "
    "minute(s). Try again later or ask an administrator to reset your password."
)


def client_ip(request: HttpRequest) -> str:
    header = settings.LOGIN_CLIENT_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if parts:
            return parts[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _keys(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    ip = client_ip(request)
    return [
        (_key("user-ip", username.strip().casefold(), ip), settings.LOGIN_FAILURE_LIMIT),
        (_key("ip", ip), settings.LOGIN_IP_FAILURE_LIMIT),
    ]


def seconds_locked(request: HttpRequest, username: str) -> int:
    """How many seconds this username from this client is still locked out (0: not locked)."""
    now = time.time()
    remaining = 0
    for key, limit in _keys(request, username):
        entry = cache.get(key)
        if entry and entry["count"] >= limit:
            remaining = max(remaining, math.ceil(entry["until"] - now))
    return max(remaining, 0)


def record_failure(request: HttpRequest, username: str) -> None:
    now = time.time()
    window = settings.LOGIN_LOCKOUT_SECONDS
    for key, limit in _keys(request, username):
        entry = cache.get(key)
        if not entry or entry["until"] <= now:
            entry = {"count": 0, "until": now + window}
        entry["count"] += 1
        cache.set(key, entry, timeout=max(1, math.ceil(entry["until"] - now)))
        if entry["count"] == limit:
            logger.warning("login throttle: lockout after %s failed attempts (%s)", limit, key.split(":")[1])


def record_success(request: HttpRequest, username: str) -> None:
    cache.delete(_keys(request, username)[0][0])


class ThrottledLoginMixin:
    """Adds the throttle to an AuthenticationForm; needs the request (LoginView passes it)."""

    request: HttpRequest | None
    error_messages: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))  # type: ignore[attr-defined]
        request = self.request
        if request is not None:
            remaining = seconds_locked(request, username)
            if remaining:
                raise forms.ValidationError(
                    LOCKED_MESSAGE, code="locked", params={"minutes": max(1, math.ceil(remaining / 60))}
                )
        try:
            cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if request is not None:
                record_failure(request, username)
            raise
        if request is not None:
            record_success(request, username)
        return cleaned


class ThrottledAuthenticationForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class ThrottledLoginView(LoginView):
    """The login page with the throttle; a locked-out attempt answers 429 Too Many Requests."""

    authentication_form = ThrottledAuthenticationForm

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "locked"):
            response.status_code = 429
        return response
