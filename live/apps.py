"""The live app: connects the designer's change notices to the websocket groups of each draft."""

from __future__ import annotations

from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live co-editing"

    def ready(self) -> None:
        from live import receivers

        receivers.connect()
