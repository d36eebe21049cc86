"""A `Host` that no URL map can bind, answered 400 before Quart builds the request context.

Quart binds its URL map to the request's host while it makes the request context, before any
handler runs: a host IDNA cannot encode (a label over 63 characters, say) raises Werkzeug's
`BadHost` there, which escapes every error handler and reaches Hypercorn, which answers 500
with an empty body and logs a traceback. `refuse_unbindable_host` wraps the ASGI app and makes
the same check Werkzeug makes (`Map.bind`: the lower-cased host, IDNA-encoded), answering a
JSON 400 that names the header (a WebSocket handshake is refused). Everything else passes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Final, TypeVar, cast

__all__ = ["refuse_unbindable_host"]

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = TypeVar("App", bound=Callable[..., Awaitable[None]])

_DETAIL: Final = "Bad Host header: not a host name (a label has at most 63 characters)"


def _bindable(scope: Message) -> bool:
    for name, value in scope.get("headers", ()):
        if name == b"host":
            try:
                value.decode("latin-1").lower().encode("idna")
            except UnicodeError:
                return False
    return True


async def _refuse(scope: Message, send: Send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = json.dumps({"detail": _DETAIL}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": 400, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def refuse_unbindable_host(app: App) -> App:
    """`app`, with requests whose Host it could not bind answered 400 in its place."""

    async def wrapped(scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and not _bindable(scope):
            await _refuse(scope, send)
            return
        await app(scope, receive, send)

    return cast("App", wrapped)
