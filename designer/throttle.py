"""Failed-login throttling for the login page and the admin login.

The counts are rows in the database (``LoginFailureCount``), so every web process shares them. A
(username, client address) pair is locked after LOGIN_FAILURE_LIMIT failed attempts, and a client
address after LOGIN_IP_FAILURE_LIMIT failed attempts for any usernames, each for
LOGIN_LOCKOUT_SECONDS from the first failure counted. While locked, the password is not even
checked, and the form says why and for how long. A successful login clears the pair's count.

Usernames are counted as the login matches them: NFKC-normalised like Django's
``AbstractBaseUser.normalize_username`` (so ``ａｌｉｃｅ``, ``𝐚𝐥𝐢𝐜𝐞`` and ``ªlice`` are ``alice``), and
case-folded besides, so that no spelling of a name gets a count of its own.

Check and count are one step: an attempt first takes a slot with a conditional UPDATE
(``count < limit``), which the database applies atomically, and only then is the password checked.
However many attempts arrive at once, at most the limit of them reach the password check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import time
import unicodedata
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse

from designer.models import LoginFailureCount

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


def normalize_username(username: str) -> str:
    """Return the one spelling counted for ``username``: stripped, NFKC-normalised and case-folded."""
    folded = unicodedata.normalize("NFKC", username.strip()).casefold()
    # Case-folding can produce text that NFKC changes again (e.g. "ǅ"); settle on the fixed point.
    return unicodedata.normalize("NFKC", folded)


def _key(kind: str, *parts: str) -> str:
    digest = hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:32]
    return f"login-fail:{kind}:{digest}"


def _keys(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    ip = client_ip(request)
    return [
        (_key("user-ip", normalize_username(username), ip), settings.LOGIN_FAILURE_LIMIT),
        (_key("ip", ip), settings.LOGIN_IP_FAILURE_LIMIT),
    ]


def _now() -> dt.datetime:
    return dt.datetime.fromtimestamp(time.time(), tz=dt.UTC)


def _take_slot(key: str, limit: int, now: dt.datetime) -> bool:
    """Count one attempt against ``key`` unless it has reached ``limit``; return whether it was counted."""
    until = now + dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    LoginFailureCount.objects.bulk_create([LoginFailureCount(key=key, until=until)], ignore_conflicts=True)
    # A window that has passed starts again; the condition on ``until`` makes a concurrent restart a no-op.
    LoginFailureCount.objects.filter(key=key, until__lte=now).update(count=0, until=until)
    taken = LoginFailureCount.objects.filter(key=key, count__lt=limit).update(count=F("count") + 1)
    return taken == 1


def _give_back(key: str) -> None:
    LoginFailureCount.objects.filter(key=key, count__gt=0).update(count=F("count") - 1)


def seconds_locked(request: HttpRequest, username: str) -> int:
    """How many seconds this username from this client is still locked out (0: not locked)."""
    now = _now()
    locked = Q()
    for key, limit in _keys(request, username):
        locked |= Q(key=key, count__gte=limit)
    ends = LoginFailureCount.objects.filter(locked, until__gt=now).values_list("until", flat=True)
    return max((math.ceil((until - now).total_seconds()) for until in ends), default=0)


def attempt_begin(request: HttpRequest, username: str) -> bool:
    """Count an attempt before its password is checked; False (nothing counted) when it is locked out."""
    now = _now()
    taken: list[str] = []
    for key, limit in _keys(request, username):
        if not _take_slot(key, limit, now):
            for earlier in taken:
                _give_back(earlier)
            return False
        taken.append(key)
    # Rows a whole window past their end are of no use to anyone; the margin keeps them away from
    # an attempt that is restarting the same window right now.
    LoginFailureCount.objects.filter(until__lt=now - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)).delete()
    for key, limit in _keys(request, username):
        if LoginFailureCount.objects.filter(key=key, count=limit).exists():
            logger.warning("login throttle: lockout after %s failed attempts (%s)", limit, key.split(":")[1])
    return True


def attempt_succeeded(request: HttpRequest, username: str) -> None:
    """Clear the pair's count and take back the address's slot: a successful login is no failure."""
    (pair_key, _), (ip_key, _) = _keys(request, username)
    LoginFailureCount.objects.filter(key=pair_key).delete()
    _give_back(ip_key)


class ThrottledLoginMixin:
    """Adds the throttle to an AuthenticationForm; needs the request (LoginView passes it)."""

    request: HttpRequest | None
    error_messages: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))  # type: ignore[attr-defined]
        request = self.request
        if request is not None and not attempt_begin(request, username):
            remaining = max(seconds_locked(request, username), 1)
            raise forms.ValidationError(
                LOCKED_MESSAGE, code="locked", params={"minutes": max(1, math.ceil(remaining / 60))}
            )
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        if request is not None:
            attempt_succeeded(request, username)
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
