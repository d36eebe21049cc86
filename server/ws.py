"""`WS /api/ws`: one socket per browser session, following and steering many generations.

Client → server: `{"type": "subscribe" | "unsubscribe", "generation_id"}`, `{"type": "cancel",
"generation_id", "owner_token"}` or `{"type": "generate", "request": {...}}`. Server → client:
`{"type": "accepted", "generation_id", "owner_token"}`, `{"type": "event", "generation_id",
...event}`, `{"type": "error", "detail"}`. The handshake passed `server.access` (Host, Origin,
key); the socket acts as that caller throughout.
Each subscription is a task in the connection's own nursery: it ends with the socket, and the
generations it follows never notice.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final

import trio
from pydantic import ValidationError
from quart import Blueprint, Response, websocket
from quart_cors import cors_exempt

from actors.errors import AlreadyFinished, GenerationNotFound, NotOwner
from media.models import GenerationRequest
from server.access import current_caller
from server.routes_generate import submit
from server.state import app_state
from server.views import client_id

if TYPE_CHECKING:
    from actors.ownership import Caller
    from actors.registry import Registry

__all__ = ["blueprint"]

blueprint = Blueprint("ws", __name__)

# Messages waiting to be written to one socket; a slow socket slows only its own forwarders.
OUTBOX: Final = 64

Outbox = trio.MemorySendChannel[dict[str, Any]]


async def _forward(registry: Registry, gid: str, outbox: Outbox, caller: Caller) -> None:
    """Relay one generation's events into the socket's outbox (which this task owns)."""
    with outbox:
        try:
            events = await registry.subscribe(gid, caller=caller)
        except GenerationNotFound:
            await outbox.send({"type": "error", "detail": f"Generation ID not found: {gid}"})
            return
        with events:
            async for event in events:
                await outbox.send({"type": "event", **event.to_json()})


class Session:
    """One socket's subscriptions (generation id → the cancel scope of its forwarder)."""

    def __init__(self, nursery: trio.Nursery, outbox: Outbox, registry: Registry) -> None:
        self.nursery = nursery
        self.outbox = outbox
        self.registry = registry
        self.subscriptions: dict[str, trio.CancelScope] = {}

    async def _run_subscription(self, gid: str, *, task_status: trio.TaskStatus[None]) -> None:
        with trio.CancelScope() as scope:
            self.subscriptions[gid] = scope
            task_status.started()
            await _forward(self.registry, gid, self.outbox.clone(), current_caller())
        self.subscriptions.pop(gid, None)

    async def subscribe(self, gid: str) -> None:
        if gid not in self.subscriptions:
            await self.nursery.start(self._run_subscription, gid)

    def unsubscribe(self, gid: str) -> None:
        scope = self.subscriptions.pop(gid, None)
        if scope is not None:
            scope.cancel(reason="unsubscribed")

    async def cancel(self, gid: str, owner_token: object = None) -> None:
        token = owner_token if isinstance(owner_token, str) else None
        try:
            await self.registry.cancel(gid, caller=current_caller().with_token(token))
        except GenerationNotFound:
            await self.error(f"Generation ID not found: {gid}")
        except NotOwner as exc:
            await self.error(f"{exc}: {gid}")
        except AlreadyFinished as exc:
            await self.error(f"Generation already {exc.status}: {gid}")

    async def generate(self, body: object) -> None:
        try:
            req = GenerationRequest.model_validate(body)
        except ValidationError as exc:
            fields = ", ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
            await self.error(f"invalid request: {fields}")
            return
        admitted = await submit(req, client_id(), current_caller())
        if isinstance(admitted, Response):
            detail = (await admitted.get_json())["detail"]
            await self.error(detail)
            return
        gid = admitted.generation.id
        accepted = {"type": "accepted", "generation_id": gid, "owner_token": admitted.owner_token}
        await self.outbox.send(accepted)
        await self.subscribe(gid)

    async def error(self, detail: str) -> None:
        await self.outbox.send({"type": "error", "detail": detail})

    async def handle(self, raw: str | bytes) -> None:
        try:
            message = json.loads(raw)
            kind = message["type"]
        except (ValueError, TypeError, KeyError):
            await self.error('messages are JSON objects with a "type"')
            return
        gid = message.get("generation_id")
        if kind == "generate":
            await self.generate(message.get("request"))
        elif kind in ("subscribe", "unsubscribe", "cancel") and isinstance(gid, str):
            if kind == "subscribe":
                await self.subscribe(gid)
            elif kind == "unsubscribe":
                self.unsubscribe(gid)
            else:
                await self.cancel(gid, message.get("owner_token"))
        else:
            await self.error(
                "type must be subscribe, unsubscribe, cancel (with generation_id) or generate"
            )


async def _write(receive: trio.MemoryReceiveChannel[dict[str, Any]]) -> None:
    async with receive:
        async for message in receive:
            await websocket.send(json.dumps(message, ensure_ascii=False))


@blueprint.websocket("/api/ws")
@cors_exempt
async def session() -> None:
    """Serve one browser session until it closes."""
    registry = app_state().require_registry()
    send, receive = trio.open_memory_channel[dict[str, Any]](OUTBOX)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(_write, receive)
        with send:
            state = Session(nursery, send, registry)
            while True:
                await state.handle(await websocket.receive())
