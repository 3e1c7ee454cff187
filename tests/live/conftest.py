"""Live tests: a fresh in-memory channel layer per test, and websocket communicators logged in as a user."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import Client

from designer.asgi import application


@pytest.fixture(autouse=True)
def _fresh_channel_layer(settings) -> Iterator[None]:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def communicator(draft_id: int, user=None, *, origin: str = "http://testserver") -> WebsocketCommunicator:
    """Return a websocket to draft ``draft_id``'s live channel, with ``user``'s session (none: anonymous)."""
    headers = [(b"origin", origin.encode()), (b"host", b"testserver")]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie)(user)
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, f"/ws/drafts/{draft_id}/", headers=headers)


def redis_answers() -> bool:
    """Return whether a Redis server answers on 127.0.0.1:6379."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


requires_redis = pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379, which did not answer")
