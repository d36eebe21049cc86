"""Who may reach the server and as whom: the Host, Origin and key checks of every request.

Registered by `create_app` after the body drain, in this order, for HTTP and WebSocket alike:

1. Host: a loopback server (or one given `--allowed-hosts`) answers only to loopback names and
   the configured ones; anything else is 421. A page on `rebind.attacker.example` whose name
   now points at 127.0.0.1 reaches the socket, but not the app (DNS rebinding).
2. Origin: a request carrying an `Origin` that is neither a CORS origin nor the server's own is
   403 on every method that is not safe, and so is such a WebSocket handshake. This is what
   stops another site's form or `text/plain` fetch (a CORS "simple request", sent without a
   preflight) from cancelling a generation.
3. Key: with `--api-key`/`--api-keys`, every `/api/` route but the sign-in needs
   `Authorization: Bearer <key>` (any case of "Bearer"), the session cookie of a sign-in, or on
   the WebSocket `?token=<key>`; else 401. The caller it makes is in `current_caller()`.

`NotOwner`, raised by the registry when a change lacks the owner token, becomes 403 in
`server.error_map`, with every other error.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Final

from quart import g, has_websocket_context, request, websocket
from werkzeug.exceptions import Unauthorized

from videogen.server.access.keys import ANONYMOUS
from videogen.server.access.sessions import COOKIE
from videogen.server.api.views import client_id
from videogen.server.http.errors import error
from videogen.server.state import app_state

if TYPE_CHECKING:
    from quart import Response
    from quart.wrappers import BaseRequestWebsocket
    from quart_trio import QuartTrio

    from videogen.actors.runtime.ownership import Caller
    from videogen.server.settings import Settings

__all__ = [
    "current_caller",
    "key_required",
    "listing_owner",
    "register",
    "sees_addresses",
]

# Methods that change nothing, so another origin may send them (CORS decides what it may read).
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Names a loopback server always answers to (with any port).
LOOPBACK_NAMES: Final = frozenset({"localhost", "127.0.0.1", "[::1]"})
# Routes under /api/ that need no key: signing in and out.
_OPEN: Final = frozenset({("POST", "/api/session"), ("DELETE", "/api/session")})
_CALLER: Final = "videogen_caller"
OWNER_TOKEN_HEADER: Final = "X-Owner-Token"


def _connection() -> BaseRequestWebsocket:
    """The current request, or the current WebSocket handshake."""
    return websocket if has_websocket_context() else request


def is_loopback_bind(host: str) -> bool:
    """Whether the server listens on a loopback address only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    """`Host` without its port, lower case: `[::1]:8000` → `[::1]`, `a.example:80` → `a.example`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.partition("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host: str, settings: Settings) -> bool:
    """Whether a request for `host` is meant for this server (always, off loopback unless
    `--allowed-hosts` names some)."""
    if not settings.allowed_hosts and not is_loopback_bind(settings.host):
        return True
    name = _host_name(host)
    return name in LOOPBACK_NAMES or name in settings.allowed_hosts


def _own_origin(scheme: str, host: str) -> str:
    web = {"ws": "http", "wss": "https"}.get(scheme, scheme)
    return f"{web}://{host}".lower()


def origin_allowed(origin: str, scheme: str, host: str, settings: Settings) -> bool:
    """Whether `origin` is one of the CORS origins or the server's own (as it was reached)."""
    origin = origin.strip().lower().rstrip("/")
    allowed = {o.lower().rstrip("/") for o in settings.cors_origins}
    return origin in allowed or origin == _own_origin(scheme, host)


def _presented_key() -> str | None:
    conn = _connection()
    scheme, _, key = conn.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() == "bearer" and key.strip():
        return key.strip()
    if has_websocket_context():
        token = websocket.args.get("token")
        if token:
            return token
    return None


def _authenticate() -> Caller | None:
    """The caller the request's key or session cookie makes; None when neither is valid."""
    state = app_state()
    if not state.keys.required:
        return ANONYMOUS
    key = _presented_key()
    if key is not None:
        return state.keys.caller(key)
    session_id = _connection().cookies.get(COOKIE)
    if session_id:
        return state.sessions.caller(session_id)
    return None


def current_caller() -> Caller:
    """Who makes the current request, with the `X-Owner-Token` it presents (HTTP only).

    Raises `Unauthorized` (401) when the server has keys and the request carries none valid.
    """
    caller: Caller | None = g.get(_CALLER)
    if caller is None:
        caller = _authenticate()
        if caller is None:
            raise Unauthorized("Not authenticated")
        setattr(g, _CALLER, caller)
    if not has_websocket_context():
        token = request.headers.get(OWNER_TOKEN_HEADER)
        if token:
            return caller.with_token(token.strip())
    return caller


def sees_addresses() -> bool:
    """Only the admin sees clients' network addresses."""
    return current_caller().admin


def listing_owner() -> tuple[str | None, str | None]:
    """Whose generations the caller's listings show: `(user, client)`, None meaning any.

    The admin and the default single-user setup (no keys, loopback) see all; a user with a key
    sees their own; without keys off loopback, a client sees those made from its address.
    """
    caller = current_caller()
    if caller.admin:
        return None, None
    if caller.user is not None:
        return caller.user, None
    settings = app_state().settings
    if not settings.keyed and is_loopback_bind(settings.host):
        return None, None
    return None, client_id()


def key_required(method: str, path: str) -> bool:
    """Whether a keyed server asks `method path` for a key (every `/api/` route but the
    sign-in and sign-out, and no preflight)."""
    return path.startswith("/api/") and method != "OPTIONS" and (method, path) not in _OPEN


def _refusal(scheme: str, method: str, path: str) -> Response | None:
    """The 421/403/401 for the current request or handshake, or None to let it through."""
    settings = app_state().settings
    conn = _connection()
    host = conn.headers.get("Host", "")
    if not host_allowed(host, settings):
        return error(421, f"Misdirected request: this server does not answer to {host!r}")
    origin = conn.headers.get("Origin")
    unsafe = has_websocket_context() or method not in SAFE_METHODS
    if origin is not None and unsafe and not origin_allowed(origin, scheme, host, settings):
        return error(403, f"Cross-origin request refused: {origin} is not an allowed origin")
    if not key_required(method, path):
        return None
    caller = _authenticate()
    if caller is None:
        return error(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})
    setattr(g, _CALLER, caller)
    return None


async def _refresh_session(method: str, path: str) -> None:
    """With replicas, the request's session cookie looked up in the database first, when
    this request will be asked for a caller (`SessionStore.refresh`)."""
    state = app_state()
    if not state.keys.required or not key_required(method, path) or _presented_key():
        return
    session_id = _connection().cookies.get(COOKIE)
    if session_id:
        await state.sessions.refresh(session_id)


def register(app: QuartTrio) -> None:
    """Install the checks on `app` (after the body drain, so a refused body is still read)."""

    @app.before_request
    async def guard_request() -> Response | None:
        await _refresh_session(request.method, request.path)
        return _refusal(request.scheme, request.method, request.path)

    @app.before_websocket
    async def guard_websocket() -> Response | None:
        await _refresh_session("GET", websocket.path)
        return _refusal(websocket.scheme, "GET", websocket.path)

    @app.after_request
    async def never_public(response: Response) -> Response:
        # A shared cache must not hand one user's answer to another.
        if app_state().keys.required:
            cache = response.headers.get("Cache-Control", "")
            if "public" in cache:
                response.headers["Cache-Control"] = cache.replace("public", "private")
            elif request.path.startswith("/api/") and not cache:
                response.headers["Cache-Control"] = "private"
        return response
