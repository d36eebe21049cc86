"""`WS /api/ws`: one socket per browser session, following and steering many generations.

Client → server: `{"type": "subscribe" | "unsubscribe", "generation_id"}`, `{"type": "cancel",
"generation_id", "owner_token"}` or `{"type": "generate", "request": {...}}`. Server → client:
`{"type": "accepted", "generation_id", "owner_token"}`, `{"type": "event", "generation_id",
...event}`, `{"type": "error", "detail"}`. The handshake passed `server.access` (Host, Origin,
key); the socket acts as that caller throughout.
Each subscription is a task in the connection's own nursery: it ends with the socket, and the
generations it follows never notice.

Bounds, per socket: at most `MAX_SUBSCRIPTIONS` generations followed at once (past it, an `error`);
at most `OUTBOX` messages waiting to be written; a client that leaves them unread for
`SEND_WAIT` seconds is not reading and its socket is closed (1008) — the generations and the other
sockets never wait on it. Messages longer than `max_message_bytes` are refused by Hypercorn, which
closes with 1009 (see `server/main.py`). Only the reader looks generations up, one at a time, so
one socket cannot queue thousands of store queries ahead of everyone else's.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Final, Protocol

import trio
from pydantic import ValidationError
from quart import Blueprint, websocket
from quart_cors import cors_exempt

from videogen.actors.errors import (
    AdmissionRefused,
    AlreadyFinished,
    GenerationNotFound,
    NotOwner,
    SourceRejected,
)
from videogen.media.models import GenerationRequest
from videogen.server.access.checks import current_caller
from videogen.server.access.ratelimit import RateLimited
from videogen.server.api.apidoc import documented, query_param
from videogen.server.api.views import client_id
from videogen.server.http.jsonbody import InvalidJSON, parse_json
from videogen.server.routes.generate import submit
from videogen.server.state import app_state

if TYPE_CHECKING:
    from videogen.actors.runtime.broadcast import Subscription
    from videogen.actors.runtime.events import ProgressEvent
    from videogen.actors.runtime.ownership import Caller

__all__ = [
    "MAX_SUBSCRIPTIONS",
    "OUTBOX",
    "SEND_WAIT",
    "Outbox",
    "Session",
    "SlowSocket",
    "blueprint",
    "max_message_bytes",
]

blueprint = Blueprint("ws", __name__)

# Messages waiting to be written to one socket; a slow socket slows only its own forwarders.
OUTBOX: Final = 64
# Generations one socket follows at once. A page follows the few it shows; each subscription
# holds a task and a replay of its generation's log, so thousands would be an attack.
MAX_SUBSCRIPTIONS: Final = 64
# How long a message may wait for room in a full outbox. A client that leaves `OUTBOX` messages
# unread this long is not reading: its socket is closed rather than held open forever.
SEND_WAIT: Final = 10.0
# A `generate` message is a request body inside an envelope: messages may exceed the HTTP body
# limit by this much, and no more.
ENVELOPE_BYTES: Final = 4096
# The close code for a client that stopped reading (RFC 6455 §7.4.1: policy violation).
CLOSE_TOO_SLOW: Final = 1008

Message = dict[str, Any]


def max_message_bytes(body_limit: int) -> int:
    """The largest WebSocket message accepted when HTTP bodies may have `body_limit` bytes."""
    return body_limit + ENVELOPE_BYTES


class SlowSocket(Exception):
    """The client left its outbox full for `SEND_WAIT` seconds: close its socket."""


class Generations(Protocol):
    """What a session needs of the registry (`actors.registry.Registry`; a fake in unit tests)."""

    async def subscribe(self, key: str, *, caller: Caller) -> Subscription: ...

    async def cancel(self, gid: str, *, caller: Caller) -> ProgressEvent: ...


class Outbox:
    """The messages waiting to be written to one socket.

    Wraps the send end of a channel of `OUTBOX` messages (the session's; the writer task owns
    the receive end). `put` waits for room at most `SEND_WAIT` seconds, then raises `SlowSocket`:
    neither the reader loop nor a forwarder ever waits on a full outbox forever.
    """

    def __init__(self, send: trio.MemorySendChannel[Message]) -> None:
        self._send = send

    async def put(self, message: Message) -> None:
        """Queue `message` for the socket. Raises `SlowSocket`."""
        with trio.move_on_after(SEND_WAIT):
            await self._send.send(message)
            return
        raise SlowSocket(f"{OUTBOX} messages left unread for {SEND_WAIT:g} s")


class Session:
    """One socket's subscriptions: generation id → the cancel scope of its forwarder, and each
    key a client subscribed by (an id or an alias) → the generation it named then, so that one
    generation is one subscription whatever it is called, and unsubscribing by either works.

    `handle` is called by the socket's reader, one message at a time; the forwarders run in
    `nursery` and each owns the `Subscription` it is handed. `SlowSocket` comes out of `handle`
    or, through the nursery, out of a forwarder.
    """

    def __init__(
        self, nursery: trio.Nursery, outbox: Outbox, registry: Generations, caller: Caller
    ) -> None:
        self.nursery = nursery
        self.outbox = outbox
        self.registry = registry
        self.caller = caller  # who the handshake authenticated: every action is theirs
        self.subscriptions: dict[str, trio.CancelScope] = {}
        self.names: dict[str, str] = {}

    async def _run_subscription(
        self, gid: str, events: Subscription, *, task_status: trio.TaskStatus[None]
    ) -> None:
        """Relay one generation's events into the outbox until it ends or is unsubscribed."""
        scope = trio.CancelScope()
        try:
            with events, scope:
                self.subscriptions[gid] = scope
                task_status.started()
                async for event in events:
                    await self.outbox.put({"type": "event", **event.to_json()})
        finally:
            # Only our own entry: after unsubscribe and subscribe again, the key already names
            # the newer forwarder, which must stay reachable by the next unsubscribe.
            if self.subscriptions.get(gid) is scope:
                del self.subscriptions[gid]
                self._forget_names(gid)

    def _forget_names(self, gid: str) -> None:
        for key in [key for key, named in self.names.items() if named == gid]:
            del self.names[key]

    def _subscribed(self, key: str) -> str | None:
        """The generation `key` (an id, or an alias subscribed by) is followed as, if it is."""
        gid = key if key in self.subscriptions else self.names.get(key)
        return gid if gid in self.subscriptions else None

    async def subscribe(self, key: str) -> None:
        if self._subscribed(key) is not None:
            return
        if len(self.subscriptions) >= MAX_SUBSCRIPTIONS:
            await self.error(
                f"Too many subscriptions: a socket follows at most {MAX_SUBSCRIPTIONS} "
                f"generations at once; unsubscribe one first (not subscribed: {key})"
            )
            return
        try:
            events = await self.registry.subscribe(key, caller=self.caller)
        except GenerationNotFound as exc:
            await self.error(f"{exc}: {key}")
            return
        gid = events.generation_id or key
        if gid in self.subscriptions:  # the same generation, asked by another name
            events.close()
            self.names[key] = gid
            return
        if gid != key:
            # Before the forwarder starts: one that ends at once (a finished generation) then
            # forgets this name with its subscription.
            self.names[key] = gid
        try:
            await self.nursery.start(self._run_subscription, gid, events)
        except BaseException:
            events.close()  # the forwarder never ran to own it (closing twice is harmless)
            self.names.pop(key, None)
            raise

    def unsubscribe(self, key: str) -> None:
        gid = self._subscribed(key)
        scope = self.subscriptions.pop(gid, None) if gid is not None else None
        if scope is not None:
            self._forget_names(gid or key)
            scope.cancel(reason="unsubscribed")

    async def cancel(self, gid: str, owner_token: object = None) -> None:
        token = owner_token if isinstance(owner_token, str) else None
        try:
            await self.registry.cancel(gid, caller=self.caller.with_token(token))
        except (GenerationNotFound, NotOwner, AlreadyFinished) as exc:
            await self.error(f"{exc}: {gid}")

    async def generate(self, body: object) -> None:
        if len(self.subscriptions) >= MAX_SUBSCRIPTIONS:  # it could not be followed here
            await self.error(f"Too many subscriptions: at most {MAX_SUBSCRIPTIONS} per socket")
            return
        if not isinstance(body, dict):  # the HTTP route's words for the same mistake
            await self.error(
                "invalid request: request: must be a JSON object with at least a topic"
            )
            return
        try:
            req = GenerationRequest.model_validate(body)
        except ValidationError as exc:
            fields = ", ".join(
                f"{'.'.join(map(str, e['loc'] or ('request',)))}: {e['msg']}" for e in exc.errors()
            )
            await self.error(f"invalid request: {fields}")
            return
        try:
            admitted = await submit(req, client_id(), self.caller)
        except (RateLimited, AdmissionRefused) as exc:  # the words HTTP's 429/503 say
            await self.error(str(exc))
            return
        except SourceRejected as exc:  # HTTP's 422, in the words of a validation error
            await self.error(f"invalid request: {'.'.join(map(str, exc.field))}: {exc.message}")
            return
        gid = admitted.generation.id
        accepted = {"type": "accepted", "generation_id": gid, "owner_token": admitted.owner_token}
        await self.outbox.put(accepted)
        await self.subscribe(gid)

    async def error(self, detail: str) -> None:
        await self.outbox.put({"type": "error", "detail": detail})

    async def handle(self, raw: str | bytes) -> None:
        """Act on one client message; bad input is answered with an `error`.

        Raises only `SlowSocket`.
        """
        try:
            message = parse_json(raw, what="message")
        except InvalidJSON as exc:
            await self.error(str(exc))
            return
        try:
            kind = message["type"]
        except (TypeError, KeyError):  # not an object, or no type
            await self.error('messages are JSON objects with a "type"')
            return
        gid = message.get("generation_id")
        strings = [gid, message.get("owner_token")]
        if any(isinstance(text, str) and not _unicode(text) for text in strings):
            # JSON may escape a lone surrogate ("\\ud800"), which no id or token holds and no
            # database takes: refused here, as an unknown id, the session untouched.
            await self.error(
                "generation_id and owner_token must be valid Unicode (a lone surrogate is not)"
            )
            return
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


def _unicode(text: str) -> bool:
    """Whether `text` is valid Unicode (has no lone surrogate, which UTF-8 cannot encode)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


async def _write(receive: trio.MemoryReceiveChannel[Message]) -> None:
    async with receive:
        async for message in receive:
            await websocket.send(json.dumps(message, ensure_ascii=False))


@blueprint.websocket("/api/ws")
@documented(
    {
        101: {"description": "Switching Protocols: the session's messages follow"},
        400: "Not a WebSocket handshake",
    },
    params=(query_param("token", {"type": "string"}, "The key, where a header cannot be set"),),
    summary="One browser session: subscribe, unsubscribe, cancel and generate over one socket",
)
@cors_exempt
async def session() -> None:
    """Serve one browser session until it closes; close it (1008) when the client stops reading.

    (A write the client never reads can stay blocked in Hypercorn until the client goes away;
    everything else of the session — its subscriptions, its reader — ends at once.)
    """
    registry = app_state().require_registry()
    send, receive = trio.open_memory_channel[Message](OUTBOX)
    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(_write, receive)
            with send:
                state = Session(nursery, Outbox(send), registry, current_caller())
                while True:
                    await state.handle(await websocket.receive())
    except* SlowSocket:
        await websocket.close(CLOSE_TOO_SLOW, "too slow: messages left unread")
