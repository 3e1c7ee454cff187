"""Schemathesis against a live server with a token: every operation of /api/v1/, generated from its
own OpenAPI document, valid and invalid data; no server error and no answer outside the schema.

The run is bounded (``FUZZ_EXAMPLES`` examples per operation and mode, 4 by default; CI may raise it with
the environment variable) so that it fits the test suite; docs/api.md records a run's size.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi import checks

from api.auth import TokenRateThrottle
from api.tokens import token_create
from designer.models import Draft, Membership, Node
from designer.services.comments import comment_create
from designer.services.revisions import revision_save_point
from gallery.services import template_save
from publishing.models import Submission
from tests.factories import UserFactory, publishable_draft

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
SIZE: dict[str, Any] = {"cases": 0, "operations": set(), "statuses": {}}
CHECKS = [
    not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]


# The checked-in document; tests/api/test_schema.py fails when it and the code disagree.
schema = schemathesis.openapi.from_path(Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml")


class World:
    """A draft the token's user owns, with a member, a comment, a revision; rebuilt if a case deleted it."""

    def __init__(self) -> None:
        self.user = UserFactory()
        _, self.secret = token_create(user=self.user, name="fuzz")
        self.build()

    def build(self) -> None:
        self.draft, nodes = publishable_draft(self.user)
        self.job = nodes["first"]
        self.member = Membership.objects.create(draft=self.draft, user=UserFactory(), role="reviewer")
        self.comment = comment_create(draft=self.draft, actor=self.user, body="A thread")
        self.revision = revision_save_point(draft=self.draft, actor=self.user)
        self.submission = Submission.objects.create(
            draft=self.draft,
            revision=self.revision,
            user=self.user,
            payload_hash=self.revision.content_hash,
            api_url="http://127.0.0.1:9/sandbox",
            status=Submission.Status.REJECTED,
        )
        self.template = template_save(draft=self.draft, actor=self.user, name="Fuzz close")

    def place(self, case) -> None:
        """Point the case at real objects (the ids the fuzzer invents would all be 404s).."""
        if not Draft.objects.filter(pk=self.draft.pk).exists():
            self.build()
        if not Node.objects.filter(pk=self.job.pk).exists():
            self.job = Node.objects.filter(draft=self.draft, parent__isnull=False).first() or self.job
        real = {
            "id": self.draft.pk,
            "key": str(self.job.key),
            "member_pk": self.member.pk,
            "comment_pk": self.comment.pk,
            "number": self.revision.number,
            "submission_pk": self.submission.pk,
            "template_pk": self.template.pk,
        }
        params = case.path_parameters or {}
        for name in params:
            if name in real:
                params[name] = real[name]


@pytest.fixture(scope="module", autouse=True)
def _report_size():
    yield
    statuses = ", ".join(f"{code}: {n}" for code, n in sorted(SIZE["statuses"].items()))
    print(
        f"\nfuzz run: {len(SIZE['operations'])} operations, {SIZE['cases']} cases ({statuses}), "
        f"{EXAMPLES} examples per operation and mode, load average {os.getloadavg()}"
    )


@pytest.fixture
def world(live_server, transactional_db, settings, monkeypatch):
    # The per-token budget would answer 429 to most of a long run: every case should reach its view.
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"api": "100000/min"})
    settings.WORKIVA_API_URL = "http://127.0.0.1:9/sandbox"  # nothing listens: a publish fails fast
    settings.WORKIVA_TOKEN_URL = "http://127.0.0.1:9/sandbox/token"
    settings.WORKIVA_RETRY_BUDGET = 0
    world = World()
    world.url = live_server.url
    return world


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_operation_answers_a_server_error_or_outside_its_schema(case, world):
    world.place(case)
    draft = Draft.objects.filter(pk=world.draft.pk).first()
    headers = {"Authorization": f"Bearer {world.secret}"}
    # Half the cases that send If-Match send the current version: those writes get past the precondition.
    if draft is not None and case.headers and "If-Match" in case.headers and zlib.crc32(repr(case.body).encode()) % 2:
        case.headers["If-Match"] = f'"{draft.version}"'
    response = case.call_and_validate(base_url=world.url, headers=headers, checks=CHECKS)
    SIZE["cases"] += 1
    SIZE["operations"].add(case.operation.label)
    SIZE["statuses"][response.status_code] = SIZE["statuses"].get(response.status_code, 0) + 1
