"""Fuzz: mutated Process documents through every import path, odd ids and versions through the views.

Seeded (``random.Random``), so every run tries the same inputs and a failure reproduces; the seed
and the case number are in each assertion's message. Never a 500, never a traceback, and a
refused import writes nothing — on SQLite and on PostgreSQL (``make test-postgres``).
"""

from __future__ import annotations

import copy
import io
import json
import math
import random
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.test import APIClient

from designer.models import Draft, Node, Revision
from designer.services.drafts import draft_import
from processes_api import schema
from processes_api.payload import PayloadError, parse_json
from tests.factories import UserFactory, seed_request

pytestmark = pytest.mark.django_db

SEED = 18
CASES = 40
ODD_TEXT = ["\x00", "a\x00b", "\ud800", "\udfff", "²", "١٢", "𝐚", "n" * 501, "t" * 101, "", " ", "<script>", "\u202e"]
ODD_VALUES: list[Any] = [math.nan, math.inf, -math.inf, 10**40, -1, 1.5, None, True, [], {}, [[[]]], "x"]


def _containers(doc: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) in ``doc``, iteratively."""
    found: list[tuple[Any, Any]] = []
    stack = [doc]
    while stack:
        value = stack.pop()
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            found.append((value, key))
            stack.append(item)
    return found


def _deepen(doc: dict[str, Any], rng: random.Random) -> None:
    child = doc["root"]["children"][0] if doc["root"].get("children") else {"type": "job"}
    for _ in range(rng.choice([5, schema.MAX_DEPTH - 1, schema.MAX_DEPTH + 1, 400])):
        child = {"type": "group", "group": {"name": "g", "children": [child]}}
    doc["root"]["children"] = [child]


def mutate(doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 3)):
        places = _containers(doc)
        container, key = rng.choice(places)
        move = rng.randrange(5)
        if move == 0:
            container[key] = rng.choice(ODD_TEXT)
        elif move == 1:
            container[key] = rng.choice(ODD_VALUES)
        elif move == 2 and isinstance(container, dict):
            container[rng.choice(ODD_TEXT)] = container.pop(key)
        elif move == 3 and isinstance(doc.get("root"), dict):
            _deepen(doc, rng)
        elif isinstance(container, list):
            container.extend(copy.deepcopy(container) * rng.choice([1, 50]))
    return doc


def documents() -> list[str]:
    rng = random.Random(SEED)
    base = seed_request()
    texts = [json.dumps(mutate(base, rng)) for _ in range(CASES)]
    return texts + ["", "[]", "null", "{", '{"root": []}', "[" * 50_000, '{"name": NaN}', "\ufeff{}", "\xff"]


@pytest.fixture
def world(settings):
    settings.DESIGNER_RATE_LIMITS = {"import": (10_000, 60), "duplicate": (10_000, 60)}
    cache.clear()
    owner = UserFactory(is_superuser=True)
    client, api = Client(raise_request_exception=False), APIClient(raise_request_exception=False)
    client.force_login(owner)
    api.force_authenticate(owner)
    return owner, client, api


def _imported(before: int) -> bool:
    return Draft.objects.count() == before + 1


def test_every_import_path_answers_every_document_without_a_crash(world, tmp_path):
    owner, client, api = world
    path = tmp_path / "process.json"
    for case, text in enumerate(documents()):
        where = f"seed {SEED}, case {case}: {text[:120]!r}"
        try:
            expected_ok = bool(draft_import(data=parse_json(text), owner=owner))
        except PayloadError:
            expected_ok = False
        Draft.objects.filter(owner=owner).delete()

        before = Draft.objects.count()
        file = io.BytesIO(text.encode("utf-8", "surrogatepass"))
        file.name = "p.json"
        answer = client.post("/drafts/import/", {"file": file})
        assert answer.status_code in (302, 422), where
        assert _imported(before) == (answer.status_code == 302) == expected_ok, where

        before = Draft.objects.count()
        answer = api.post("/api/drafts/", text.encode("utf-8", "surrogatepass"), content_type="application/json")
        assert answer.status_code in (201, 400), where
        assert answer["Content-Type"] == "application/json", where
        assert _imported(before) == (answer.status_code == 201) == expected_ok, where

        before = Draft.objects.count()
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            call_command("import_payload", str(path), stdout=io.StringIO())
            ok = True
        except CommandError:
            ok = False
        assert _imported(before) == ok == expected_ok, where
        Draft.objects.filter(owner=owner).delete()
    assert not Node.objects.exists()


def odd_numbers() -> list[str]:
    rng = random.Random(SEED)
    alphabet = "0123456789²³¹١٢٣०१𝟎𝟏.-+eE _x\x00"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 25))) for _ in range(CASES)]
    return made + ["9" * 19, "9" * 5000, "0", "00", "1e3", "½"]


def test_odd_ids_and_versions_never_crash_a_view(team):
    pk = team["draft"].pk
    Revision.objects.create(
        draft=team["draft"], number=1, draft_version=1, payload={}, paths={}, content_hash="x", author=team["owner"]
    )
    owner, reviewer = Client(raise_request_exception=False), Client(raise_request_exception=False)
    owner.force_login(team["owner"])
    reviewer.force_login(team["reviewer"])
    for case, value in enumerate(odd_numbers()):
        where = f"seed {SEED}, case {case}: {value!r}"
        answers = [
            reviewer.post(f"/drafts/{pk}/review/approve/", {"version": value}),
            reviewer.post(f"/drafts/{pk}/review/changes/", {"version": value}),
            owner.post(f"/drafts/{pk}/revisions/1/restore/", {"version": value}),
            owner.get(f"/drafts/{pk}/revisions/diff/", {"a": value, "b": value}),
            owner.get(f"/drafts/{pk}/review/", {"request": value}),
            owner.post(f"/drafts/{pk}/comments/add/", {"body": "Re", "parent": value}),
            owner.post(f"/drafts/{pk}/transfer/", {"member": value}),
            owner.post(f"/drafts/{pk}/settings/", {"version": value, "name": "Renamed"}),
            owner.post(f"/drafts/{pk}/nodes/add/", {"version": value, "what": "group", "parent": team["root"].key}),
        ]
        assert [a.status_code for a in answers if a.status_code >= 500] == [], where
        draft = Draft.objects.get(pk=pk)
        assert (draft.owner_id, draft.version) == (team["owner"].pk, team["draft"].version), where
