"""The websocket routes (designer/asgi.py mounts them)."""

from __future__ import annotations

from django.urls import path

from live.consumers import DraftConsumer

websocket_urlpatterns = [
    path("ws/drafts/<int:pk>/", DraftConsumer.as_asgi(), name="live-draft"),
]
