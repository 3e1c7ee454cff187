"""Live tests: a fresh channel layer per test, and websocket communicators logged in as a user.

The layer is Channels' in-memory one, or, when ``REDIS_URL`` is set (``.ci/run`` sets it when a Redis
answers on 127.0.0.1:6379), production's Redis layer on that server with a prefix of its own per test.
With ``REDIS_URL`` set and no Redis answering there, the live tests skip, saying so.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.test import Client

from designer.asgi import application

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture(autouse=True)
def _fresh_channel_layer(settings) -> Iterator[None]:
    if REDIS_URL:
        if not redis_answers(REDIS_URL):
            pytest.skip(f"REDIS_URL is set but no Redis answered at {urlsplit(REDIS_URL).netloc}")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [REDIS_URL], "prefix": f"test-live-{uuid.uuid4().hex[:12]}"},
            }
        }
    else:
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


def redis_answers(url: str = "redis://127.0.0.1:6379/0") -> bool:
    """Return whether a Redis server answers at ``url``'s host and port (default: 127.0.0.1:6379)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


requires_redis = pytest.mark.skipif(not redis_answers(), reason="needs Redis on 127.0.0.1:6379, which did not answer")
