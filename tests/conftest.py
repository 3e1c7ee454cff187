"""The shared test world: a user, a team with every role on a draft with a small tree, the sandbox.

Test modules build on these instead of making their own; builders for anything else are in
``tests/factories.py``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from designer.models import Membership
from tests.factories import UserFactory, add_group, add_job, make_draft, root_of


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def team(db) -> dict[str, Any]:
    """Olivia owns "Quarter close" (root: Close > Reconcile, then Sign off); Ed edits, Rita reviews, Vic views."""
    owner = UserFactory(username="olivia")
    editor = UserFactory(username="ed")
    reviewer = UserFactory(username="rita", email="rita@example.com")
    viewer = UserFactory(username="vic")
    draft = make_draft(owner)
    root = root_of(draft)
    group = add_group(draft, root, "Close")
    job = add_job(draft, group, "Reconcile")
    add_job(draft, root, "Sign off")
    Membership.objects.create(draft=draft, user=editor, role="editor")
    Membership.objects.create(draft=draft, user=reviewer, role="reviewer")
    Membership.objects.create(draft=draft, user=viewer, role="viewer")
    return {
        "owner": owner,
        "editor": editor,
        "reviewer": reviewer,
        "viewer": viewer,
        "draft": draft,
        "job": job,
        "group": group,
        "root": root,
    }


@pytest.fixture
def sandbox(live_server, settings):
    """Publish to the built-in sandbox API over a real socket (the live server); return the server."""
    settings.WORKIVA_API_URL = f"{live_server.url}/sandbox"
    settings.WORKIVA_TOKEN_URL = f"{live_server.url}/sandbox/iam/v1/oauth2/token"
    settings.WORKIVA_RETRY_BUDGET = 5
    # Tests run with DEBUG off, where the sandbox refuses its public default secret.
    settings.WORKIVA_CLIENT_SECRET = "test-sandbox-secret"
    settings.WORKIVA_READ_TIMEOUT = 5
    settings.WORKIVA_SANDBOX_FAULT = ""
    settings.WORKIVA_RECONCILE_WINDOW_SECONDS = 1
    settings.WORKIVA_RECONCILE_BACKOFF_SECONDS = 0.1
    cache.clear()
    return live_server
