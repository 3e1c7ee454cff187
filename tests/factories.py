"""Test data builders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import factory
from django.contrib.auth import get_user_model

from designer.models import Draft, Node
from designer.services.drafts import draft_create
from designer.services.nodes import node_create

EXAMPLES = Path(__file__).resolve().parent.parent / "processes_api" / "examples"


def seed_request() -> dict[str, Any]:
    return json.loads((EXAMPLES / "create_process_request.json").read_text())


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-123456")


def make_draft(owner: Any = None, name: str = "Quarter close") -> Draft:
    return draft_create(owner=owner or UserFactory(), name=name)


def add_group(draft: Draft, parent: Node, name: str = "Group", position: int = 999) -> Node:
    return node_create(
        draft=draft, version=draft.version, parent_key=parent.key, position=position, kind="group", name=name
    )


def add_job(
    draft: Draft, parent: Node, title: str = "Task", position: int = 999, job_type: str = "sendTask", **args: Any
) -> Node:
    arguments = {"title": title, **args}
    if job_type == "sendTask":
        arguments.setdefault("assigneeUser", "userId1")
    return node_create(
        draft=draft,
        version=draft.version,
        parent_key=parent.key,
        position=position,
        kind="job",
        job_type=job_type,
        arguments=arguments,
    )


def publishable_draft(user: Any, name: str = "Quarter close", **job_args: Any) -> tuple[Draft, dict[str, Node]]:
    """A draft of ``user``: root > Review > Collect, then Sign off; ``first``/``second`` add job arguments."""
    draft = make_draft(user, name)
    root = root_of(draft)
    group = add_group(draft, root, "Review")
    first = add_job(draft, group, "Collect", **job_args.get("first", {}))
    second = add_job(draft, root, "Sign off", **job_args.get("second", {}))
    return draft, {"root": root, "group": group, "first": first, "second": second}


def root_of(draft: Draft) -> Node:
    return Node.objects.get(draft=draft, parent=None)
