"""The editor's websocket: who may connect, presence, and the notice of every committed edit."""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers

from designer.models import Membership
from designer.services.nodes import node_update
from tests.live.conftest import communicator, requires_redis

pytestmark = pytest.mark.django_db(transaction=True)


def run(coroutine_function):
    """Run an async test body in an event loop of its own, in a thread of its own (the browser tests'
    Playwright keeps a loop running in the main thread)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_function()).result()


async def connected(draft_id, user):
    ws = await communicator(draft_id, user)
    ok, _ = await ws.connect(timeout=5)
    assert ok
    hello = await ws.receive_json_from()
    assert hello["type"] == "hello"
    return ws, hello


async def receive_type(ws, kind, timeout=5):
    """Return the next message of type ``kind`` (skipping others)."""
    while True:
        message = await ws.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message


def test_anonymous_visitor_is_refused(team):
    async def body():
        ws = await communicator(team["draft"].pk)
        ok, _ = await ws.connect(timeout=5)
        assert not ok

    run(body)


def test_user_without_a_role_is_refused(team, user):
    async def body():
        ws = await communicator(team["draft"].pk, user)
        ok, _ = await ws.connect(timeout=5)
        assert not ok

    run(body)


def test_other_sites_cannot_open_the_socket(team):
    async def body():
        ws = await communicator(team["draft"].pk, team["owner"], origin="https://evil.example")
        ok, _ = await ws.connect(timeout=5)
        assert not ok

    run(body)


def test_unknown_draft_is_refused(team):
    async def body():
        ws = await communicator(999_999, team["owner"])
        ok, _ = await ws.connect(timeout=5)
        assert not ok

    run(body)


def test_a_viewer_connects_and_hears_the_version(team):
    async def body():
        ws, hello = await connected(team["draft"].pk, team["viewer"])
        assert hello["version"] == team["draft"].version
        assert hello["name"] == "vic"
        assert hello["initials"] == "V"
        await ws.disconnect(timeout=5)

    run(body)


def test_presence_join_select_typing_and_leave(team):
    draft, job = team["draft"], team["job"]

    async def body():
        owner, _ = await connected(draft.pk, team["owner"])
        editor, _ = await connected(draft.pk, team["editor"])
        joined = await receive_type(owner, "presence")
        assert (joined["name"], joined["node"], joined["field"]) == ("ed", None, None)
        told = await receive_type(editor, "presence")  # the newcomer hears who was already here
        assert told["name"] == "olivia"

        await editor.send_json_to({"type": "select", "node": str(job.key)})
        selected = await receive_type(owner, "presence")
        await editor.send_json_to({"type": "typing", "node": str(job.key), "field": "node-title"})
        typing = await receive_type(owner, "presence")
        await editor.disconnect(timeout=5)
        left = await receive_type(owner, "leave")

        assert selected["node"] == str(job.key)
        assert (typing["node"], typing["field"]) == (str(job.key), "node-title")
        assert left["id"] == joined["id"]
        await owner.disconnect(timeout=5)

    run(body)


def test_a_viewer_is_never_shown_typing(team):
    draft, job = team["draft"], team["job"]

    async def body():
        owner, _ = await connected(draft.pk, team["owner"])
        viewer, _ = await connected(draft.pk, team["viewer"])
        await receive_type(owner, "presence")
        await viewer.send_json_to({"type": "typing", "node": str(job.key), "field": "node-title"})
        update = await receive_type(owner, "presence")
        assert update["node"] == str(job.key)
        assert update["field"] is None
        await viewer.disconnect(timeout=5)
        await owner.disconnect(timeout=5)

    run(body)


def test_malformed_messages_are_answered_with_an_error(team):
    async def body():
        ws, _ = await connected(team["draft"].pk, team["owner"])
        await ws.send_json_to({"type": "select", "node": "<script>"})
        bad_key = await receive_type(ws, "error")
        await ws.send_json_to({"type": "typing", "field": 'a b"c'})
        bad_field = await receive_type(ws, "error")
        await ws.send_json_to({"type": "shout"})
        unknown = await receive_type(ws, "error")
        assert bad_key["message"] == "That is not a node key or a field name."
        assert bad_field["message"] == "That is not a node key or a field name."
        assert unknown["message"] == "Unknown message."
        await ws.disconnect(timeout=5)

    run(body)


def test_an_edit_is_announced_to_everyone_on_the_draft(team):
    draft, job = team["draft"], team["job"]

    async def body():
        ws, hello = await connected(draft.pk, team["viewer"])
        await database_sync_to_async(node_update)(
            node=job, version=draft.version, changes={"arguments": {"title": "Reconcile cash"}}
        )
        changed = await receive_type(ws, "changed")
        assert changed["version"] == hello["version"] + 1
        await ws.disconnect(timeout=5)

    run(body)


def test_a_removed_member_is_disconnected(team):
    draft = team["draft"]

    async def body():
        ws, _ = await connected(draft.pk, team["editor"])
        await database_sync_to_async(Membership.objects.filter(draft=draft, user=team["editor"]).delete)()
        revoked = await receive_type(ws, "revoked")
        closed = await ws.receive_output(timeout=5)
        assert revoked["message"] == "You no longer have access to this draft."
        assert closed == {"type": "websocket.close", "code": 4403}

    run(body)


def test_a_removed_member_cannot_send_either(team, monkeypatch):
    draft = team["draft"]
    # The notice of the removal is lost (Redis restarting): the next message the user sends is checked.
    monkeypatch.setattr("live.notify.access_changed", lambda **kwargs: None)

    async def body():
        ws, _ = await connected(draft.pk, team["editor"])
        await database_sync_to_async(Membership.objects.filter(draft=draft, user=team["editor"]).delete)()
        await ws.send_json_to({"type": "ping"})
        revoked = await receive_type(ws, "revoked")
        closed = await ws.receive_output(timeout=5)
        assert revoked["type"] == "revoked"
        assert closed["code"] == 4403

    run(body)


@requires_redis
def test_an_edit_reaches_the_editors_through_redis(team, settings):
    # Production's layer: the web processes share Redis (its own prefix here, so nothing else is read).
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:6379/0"], "prefix": f"test-live-{os.getpid()}"},
        }
    }
    channel_layers.backends.clear()
    draft, job = team["draft"], team["job"]

    async def body():
        owner, hello = await connected(draft.pk, team["owner"])
        editor, _ = await connected(draft.pk, team["editor"])
        joined = await receive_type(owner, "presence")
        await database_sync_to_async(node_update)(
            node=job, version=draft.version, changes={"arguments": {"title": "Over Redis"}}
        )
        changed = await receive_type(editor, "changed")
        await editor.disconnect(timeout=5)
        left = await receive_type(owner, "leave")
        await owner.disconnect(timeout=5)
        assert joined["name"] == "ed"
        assert changed["version"] == hello["version"] + 1
        assert left["id"] == joined["id"]

    run(body)


def test_a_review_request_tells_the_editors_to_refresh_the_status(team):
    from designer.services.reviews import review_request_create

    draft = team["draft"]

    async def body():
        ws, _ = await connected(draft.pk, team["viewer"])
        await database_sync_to_async(review_request_create)(
            draft=draft, actor=team["owner"], reviewers=[team["reviewer"]], note="Please look."
        )
        activity = await receive_type(ws, "activity")
        await ws.disconnect(timeout=5)
        assert activity["verb"] == "review_requested"

    run(body)
