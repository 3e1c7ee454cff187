"""The API's test world: clients that call /api/v1/ with a personal access token, as scripts do."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.tokens import token_create


def client_for(user) -> APIClient:
    """An API client sending ``Authorization: Bearer <a new token of user>``."""
    _, secret = token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture(autouse=True)
def _fresh_budgets():
    cache.clear()  # throttle and rate-limit counts must not leak between tests


@pytest.fixture
def as_(team):
    """``as_("owner")``: a token client of that member of the team."""
    return lambda who: client_for(team[who])


@pytest.fixture
def api(user):
    return client_for(user)
