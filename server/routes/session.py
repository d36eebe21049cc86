"""Sign-in for the page: `POST /api/session` trades a key for an HttpOnly session cookie.

The cookie is `SameSite=Strict` (never sent on another site's requests) and `HttpOnly` (no
script reads it); `GET /api/session` says who the browser is signed in as and `DELETE` signs
out. Sign-in attempts share the client's rate bucket, so a key cannot be guessed quickly.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from quart import Blueprint, Response, jsonify, request
from werkzeug.exceptions import BadRequest, Unauthorized

from videogen.server.access.checks import current_caller
from videogen.server.access.sessions import COOKIE, SESSION_SECONDS
from videogen.server.api.apidoc import documented, json_answer
from videogen.server.api.schemas import SessionRequest, SessionResponse
from videogen.server.api.views import client_id
from videogen.server.http.error_map import InvalidBody
from videogen.server.http.errors import error
from videogen.server.state import app_state

if TYPE_CHECKING:
    from videogen.actors.runtime.ownership import Caller

__all__ = ["blueprint"]

blueprint = Blueprint("session", __name__)

_WHO = json_answer(SessionResponse, "Who this browser is signed in as")


def _session_body(caller: Caller, keyed: bool) -> Response:
    body = SessionResponse(user=caller.user, admin=caller.admin, keys=keyed)
    return jsonify(body.model_dump(mode="json"))


@blueprint.get("/api/session")
@documented({200: _WHO})
async def whoami() -> Response:
    """Who the request is signed in as (401 without a key or a session on a keyed server)."""
    return _session_body(current_caller(), app_state().keys.required)


@blueprint.post("/api/session")
@documented(
    {
        200: {**_WHO, "headers": {"Set-Cookie": {"schema": {"type": "string"}}}},
        401: "Wrong key",
        404: "This server has no keys",
        429: "Too many sign-in attempts (Retry-After)",
    },
    body=SessionRequest,
    summary="Sign in: trade a key for an HttpOnly session cookie",
)
async def sign_in() -> Response:
    """Trade `{"key": ...}` for a session cookie; 401 for a wrong key, 429 when hammered
    (`Unauthorized`, `RateLimited`, `BadRequest`, `InvalidBody`: see `server.error_map`)."""
    state = app_state()
    if not state.keys.required:
        return error(404, "This server has no keys: there is nothing to sign in to")
    await state.limiter.admit(client_id(), refusal="Too many sign-in attempts: slow down")
    try:
        body: Any = json.loads(await request.get_data(as_text=False) or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError, ValueError):
        raise BadRequest('Malformed JSON body: send {"key": "<your key>"}') from None
    try:
        sign = SessionRequest.model_validate(body)
    except ValidationError as exc:
        raise InvalidBody(exc) from None
    caller = state.keys.caller(sign.key)
    if caller is None:
        raise Unauthorized()
    session_id = await state.sessions.sign_in(caller)
    response = _session_body(caller, True)
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=SESSION_SECONDS,
        path="/",
        httponly=True,
        samesite="Strict",
        secure=request.scheme == "https",
    )
    return response


@blueprint.delete("/api/session")
@documented({204: {"description": "Signed out"}})
async def sign_out() -> Response:
    """Forget this browser's session and clear its cookie (also when it had none)."""
    session_id = request.cookies.get(COOKIE)
    if session_id:
        await app_state().sessions.sign_out(session_id)
    response = Response(b"", status=204)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="Strict")
    return response
