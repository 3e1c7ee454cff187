"""URLs of the API tokens page (under /account/tokens/)."""

from django.urls import path

from api import pages

urlpatterns = [
    path("", pages.tokens_view, name="api-tokens"),
    path("<str:token_key>/revoke/", pages.token_revoke_view, name="api-token-revoke"),
]
