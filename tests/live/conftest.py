"""Live tests: a fresh in-memory channel layer per test, and websocket communicators logged in as a user."""

from __future__ import annotations

import socket
import threading
import time
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


class AsgiServer:
    """The ASGI application (pages, static files and the websocket) served by uvicorn in a thread.

    pytest-django's ``live_server`` speaks WSGI only, so it cannot open the editor's websocket.
    """

    def __init__(self) -> None:
        import uvicorn
        from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        config = uvicorn.Config(
            ASGIStaticFilesHandler(application), lifespan="off", log_level="warning", ws="websockets-sansio"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@pytest.fixture
def asgi_server(transactional_db) -> Iterator[AsgiServer]:
    server = AsgiServer()
    server.start()
    yield server
    server.stop()
