"""The "API tokens" page: create a personal access token (shown once), list mine, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST

from api.tokens import MAX_EXPIRY_DAYS, TokenError, token_create, token_list, token_revoke

EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "A year"), ("", "Never")]


@login_required
@require_http_methods(["GET", "POST"])
def tokens_view(request: HttpRequest) -> HttpResponse:
    values = {"name": request.POST.get("name", ""), "expires": request.POST.get("expires", "90")}
    error, secret, created = "", "", None
    if request.method == "POST":
        expires = values["expires"]
        try:
            if expires not in {value for value, _ in EXPIRY_CHOICES}:
                raise TokenError(f"Choose when the token expires: after 1 to {MAX_EXPIRY_DAYS} days, or never.")
            created, secret = token_create(
                user=request.user,  # type: ignore[arg-type]
                name=values["name"],
                expires_days=int(expires) if expires else None,
            )
        except TokenError as exc:
            error = str(exc)
        else:
            values = {"name": "", "expires": "90"}
    context = {
        "tokens": token_list(user=request.user),  # type: ignore[arg-type]
        "values": values,
        "error": error,
        "secret": secret,
        "created": created,
        "expiry_choices": EXPIRY_CHOICES,
        "now": timezone.now(),
    }
    response = render(request, "api/tokens.html", context, status=422 if error else 200)
    add_never_cache_headers(response)  # the page may hold a token's secret: never kept by a cache
    return response


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_key: str) -> HttpResponse:
    if token_revoke(user=request.user, token_key=token_key):  # type: ignore[arg-type]
        messages.success(request, "Token revoked: scripts using it are refused from now on.")
    else:
        messages.error(request, "That token does not exist (any more).")
    return redirect("api-tokens")
