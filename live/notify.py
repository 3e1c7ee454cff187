"""Telling the people who have a draft open that something happened: one channel-layer group per draft.

Sends are best effort: a live update that cannot be sent (Redis down) is logged and the write that
caused it stands; the editors catch up on their next message or reconnect (they ask for the changes
since their version).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def draft_group(draft_id: int) -> str:
    """Return the channel-layer group of everyone who has draft ``draft_id`` open."""
    return f"draft-{draft_id}"


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def send_to_draft(draft_id: int, message: dict[str, Any]) -> None:
    """Send ``message`` (its ``type`` names the consumer's handler) to the draft's group, from sync code."""
    layer = get_channel_layer()
    if layer is None:
        return
    send = async_to_sync(layer.group_send)
    try:
        if _loop_running():  # sync code under a running event loop (a script or test driving an async library)
            with ThreadPoolExecutor(max_workers=1) as pool:
                pool.submit(send, draft_group(draft_id), message).result()
        else:
            send(draft_group(draft_id), message)
    except Exception:  # the write stands; editors catch up from the change log when they next hear
        logger.warning("Live update for draft %s not sent", draft_id, exc_info=True)


def draft_changed(*, draft_id: int, version: int, actor_id: int | None, kind: str = "") -> None:
    """Say that draft ``draft_id`` is now at ``version`` (its editors fetch the changes since theirs)."""
    send_to_draft(draft_id, {"type": "draft.changed", "version": version, "actor": actor_id, "kind": kind})


def draft_activity(*, draft_id: int, verb: str) -> None:
    """Say that a review, a comment or a publish happened (the editors refresh the status)."""
    send_to_draft(draft_id, {"type": "draft.activity", "verb": verb})


def access_changed(*, draft_id: int) -> None:
    """Say that the draft's members changed: every connection checks its user's role again."""
    send_to_draft(draft_id, {"type": "access.changed"})
