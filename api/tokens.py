"""Personal access tokens: create (the secret is returned once, only its digest kept), list, revoke."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet

from api.models import ApiToken

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

MAX_TOKENS_PER_USER = 50
MAX_EXPIRY_DAYS = 3650


class TokenError(Exception):
    """A token that could not be created; ``str()`` is the message for the user."""


@transaction.atomic
def token_create(*, user: AbstractBaseUser, name: str, expires_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``user``; return it and its secret, which is never stored or shown again."""
    name = name.strip()
    if not name:
        raise TokenError("Give the token a name, e.g. what will use it (“nightly lint”).")
    if len(name) > 100:
        raise TokenError("A token name has at most 100 characters.")
    if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise TokenError(f"A token expires after 1 to {MAX_EXPIRY_DAYS} days, or never.")
    if ApiToken.objects.filter(user_id=user.pk).count() >= MAX_TOKENS_PER_USER:
        raise TokenError(f"You have {MAX_TOKENS_PER_USER} tokens; revoke one you no longer use first.")
    expiry = dt.timedelta(days=expires_days) if expires_days is not None else None
    token, secret = ApiToken.objects.create(user=user, expiry=expiry, name=name)
    return token, secret


def token_list(*, user: AbstractBaseUser) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created")


def token_revoke(*, user: AbstractBaseUser, token_key: str) -> bool:
    """Revoke ``user``'s token(s) starting with ``token_key``; return whether one was revoked."""
    deleted, _ = ApiToken.objects.filter(user_id=user.pk, token_key=token_key).delete()
    return deleted > 0
