"""Closing the HTTP/1.1 connection after a response that says `Connection: close` (the 413).

Hypercorn closes a connection after such a response (and after any whose request body was not
read to its end), but it does so inside the app's last `send`: the send reports the stream
closed, Quart-Trio at once cancels the request's tasks, and the cancellation lands in the middle of
Hypercorn's close, which then never happens. The connection stays open with the unread body in
it, and the next request a client sends on it is never answered.

`close_after_response` wraps the ASGI app. For a response carrying `Connection: close` it

1. holds the response until the request body has arrived to its end (at most `LINGER`
   seconds; Quart discards the bytes past its limit), so closing does not reset a connection the
   client is still writing and lose the response with it (RFC 9112 §9.6), then
2. sends the response's last message shielded (at most `CLOSE_GRACE` seconds), so Hypercorn's
   close runs to its end.

A request that asks for the close (`Connection: close`, or HTTP/1.0 without keep-alive) gets
it the same way: RFC 9112 §9.6 says the server MUST close after its response, and SHOULD say so
in it; Hypercorn 0.18 ignores the request's option (pgjones/hypercorn#330) and kept such
connections open until its keep-alive timeout. The response is given `Connection: close`, and
is not held when the request has no body to wait for.

Every other response, and every WebSocket and lifespan event, passes through untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Final, TypeVar, cast

import trio

__all__ = ["CLOSE_GRACE", "LINGER", "close_after_response"]

# How long a closing response waits for the rest of a request body it will not read. A client
# that sends an oversized body at any reasonable speed finishes well within this; a slower one
# is closed anyway (and may then see a reset instead of the 413).
LINGER: Final = 2.0
# How long the shielded last send of a closing response may take (it writes a few bytes).
CLOSE_GRACE: Final = 2.0

Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = TypeVar("App", bound=Callable[..., Awaitable[None]])


def _says_close(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(
        name.lower() == b"connection"
        and any(token.strip() == b"close" for token in value.lower().split(b","))
        for name, value in headers
    )


def _asks_close(scope: Message) -> bool:
    """Whether the request asks for the connection's close (RFC 9112 §9.3, §9.6)."""
    version = scope.get("http_version")
    headers = scope.get("headers", ())
    if version == "1.0":
        return not any(
            name.lower() == b"connection" and b"keep-alive" in value.lower()
            for name, value in headers
        )
    return version == "1.1" and _says_close(headers)


def _has_body(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    for name, value in headers:
        name = name.lower()
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0"):
            return True
    return False


def close_after_response(app: App) -> App:
    """`app` (an ASGI callable) whose `Connection: close` responses really close, and whose
    responses to a request asking for the close say so and close."""

    async def wrapped(scope: Message, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        body_read = trio.Event()
        closing = False
        asked = _asks_close(scope)
        if asked and not _has_body(scope.get("headers", ())):
            body_read.set()  # nothing the client still writes

        async def watched_receive() -> Message:
            message = await receive()
            if message["type"] == "http.disconnect" or not message.get("more_body", False):
                body_read.set()
            return message

        async def closing_send(message: Message) -> None:
            nonlocal closing
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                closing = _says_close(headers)
                if asked and not closing:
                    message = {**message, "headers": [*headers, (b"connection", b"close")]}
                    closing = True
                if closing:
                    with trio.move_on_after(LINGER):
                        await body_read.wait()
            elif (
                closing
                and message["type"] == "http.response.body"
                and not message.get("more_body", False)
            ):
                with trio.CancelScope(shield=True) as shielded:
                    shielded.deadline = trio.current_time() + CLOSE_GRACE
                    await send(message)
                return
            await send(message)

        await app(scope, watched_receive, closing_send)

    return cast("App", wrapped)
