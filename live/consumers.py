"""The editor's websocket: a draft's changes as they happen, and who else is there.

One connection per open editor, at ``/ws/drafts/<id>/``. The user comes from the session
(``AuthMiddlewareStack`` in designer/asgi.py) and must be allowed to view the draft when connecting
and at every message they send; when the draft's members change, every connection checks again and
one whose user lost access is told so and closed.

Messages to the browser (``type``): ``hello`` (this connection's id and the draft version),
``changed`` (the draft is at ``version``: fetch the changes since yours), ``activity`` (a review,
comment or publish happened: refresh the status), ``presence`` (one connection's member, selected
node and typing field), ``leave``, ``revoked``, ``error``.
Messages from the browser: ``here`` / ``select`` / ``typing`` (``node``, ``field``), ``ping``.
"""

from __future__ import annotations

import secrets
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from designer.models import Draft
from designer.permissions import RULES, Action, role_of
from live.notify import draft_group
from live.presence import HEARTBEAT_SECONDS, field_name, member_of, node_key

# Close codes (4000–4999 are the application's): the browser does not reconnect after these.
CLOSE_NO_ACCESS = 4403
REVOKED = "You no longer have access to this draft."


class DraftConsumer(AsyncJsonWebsocketConsumer):
    draft_id: int
    group: str
    conn: str
    member: dict[str, Any]
    node: str | None = None
    field: str | None = None
    can_edit: bool = False

    async def connect(self) -> None:
        self.draft_id = int(self.scope["url_route"]["kwargs"]["pk"])
        access = await self.access()
        if access is None:
            await self.close(code=CLOSE_NO_ACCESS)  # before accept: the handshake is refused (403)
            return
        version, self.can_edit = access
        self.group = draft_group(self.draft_id)
        self.conn = secrets.token_hex(8)
        self.member = member_of(self.scope["user"])
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(
            {"type": "hello", "id": self.conn, "version": version, "heartbeat": HEARTBEAT_SECONDS, **self.member}
        )
        await self.announce(ask=True)

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "group"):
            return
        await self.channel_layer.group_discard(self.group, self.channel_name)
        await self.channel_layer.group_send(self.group, {"type": "presence.leave", "conn": self.conn})

    # --- from the browser ---------------------------------------------------------------------------

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if await self.access() is None:
            await self.revoke()
            return
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.announce()
            await self.send_json({"type": "pong"})
            return
        if kind not in {"here", "select", "typing"}:
            await self.send_json({"type": "error", "message": "Unknown message."})
            return
        try:
            node = node_key(content.get("node"))
            field = field_name(content.get("field")) if kind != "select" else None
        except ValueError:
            await self.send_json({"type": "error", "message": "That is not a node key or a field name."})
            return
        if field is not None and not self.can_edit:
            field = None  # only someone who may edit can be typing
        if kind == "select" or kind == "here":
            self.node, self.field = node, field
        else:
            self.node, self.field = node or self.node, field
        await self.announce()

    # --- from the group -----------------------------------------------------------------------------

    async def draft_changed(self, event: dict[str, Any]) -> None:
        await self.send_json(
            {"type": "changed", "version": event["version"], "actor": event.get("actor"), "kind": event.get("kind", "")}
        )

    async def draft_activity(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "activity", "verb": event.get("verb", "")})

    async def access_changed(self, event: dict[str, Any]) -> None:
        access = await self.access()
        if access is None:
            await self.revoke()
            return
        _, can_edit = access
        if can_edit != self.can_edit:
            self.can_edit = can_edit
            await self.send_json({"type": "role", "can_edit": can_edit})

    async def presence_state(self, event: dict[str, Any]) -> None:
        if event["conn"] == self.conn:
            return
        await self.send_json({"type": "presence", **{k: v for k, v in event.items() if k not in {"type", "ask"}}})
        reply_to = event.get("ask")
        if reply_to:  # a newcomer: tell it who is here, directly
            await self.channel_layer.send(reply_to, self.state())

    async def presence_leave(self, event: dict[str, Any]) -> None:
        if event["conn"] != self.conn:
            await self.send_json({"type": "leave", "id": event["conn"]})

    # --- helpers ------------------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        return {
            "type": "presence.state",
            "conn": self.conn,
            "id": self.conn,
            "node": self.node,
            "field": self.field,
            **self.member,
        }

    async def announce(self, *, ask: bool = False) -> None:
        message = self.state()
        if ask:
            message["ask"] = self.channel_name
        await self.channel_layer.group_send(self.group, message)

    async def revoke(self) -> None:
        await self.send_json({"type": "revoked", "message": REVOKED})
        await self.close(code=CLOSE_NO_ACCESS)

    @database_sync_to_async
    def access(self) -> tuple[int, bool] | None:
        """Return the draft's version and whether the user may edit it, or None if they may not view it."""
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None
        draft = Draft.objects.filter(pk=self.draft_id).only("id", "owner_id", "version").first()
        if draft is None:
            return None
        role = role_of(user, draft)
        if role is None or Action.VIEW not in RULES[role]:
            return None
        return draft.version, Action.EDIT in RULES[role]
