"""The Quart-Trio app factory.

    app nursery (quart-trio lifespan) ─ run_runtime ─ store, media workers, registry
    request tasks (hypercorn)          ─ routes: subscribe, submit, cancel, stream files

The registry is started into the app's nursery when serving starts, never into a request, and
drained when serving stops: running generations get a grace period, then are interrupted.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from quart import Response, request
from quart_cors import cors
from quart_trio import QuartTrio
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from videogen.actors.errors import StoreUnavailable
from videogen.actors.runtime.run import run_runtime
from videogen.server import access
from videogen.server.closing import close_after_response
from videogen.server.http_errors import error
from videogen.server.routes import generate as routes_generate
from videogen.server.routes import progress as routes_progress
from videogen.server.routes import read as routes_read
from videogen.server.routes import session as routes_session
from videogen.server.routes import static as routes_static
from videogen.server.routes import system as routes_system
from videogen.server.routes import video as routes_video
from videogen.server.routes import ws
from videogen.server.routes.system import WRITER_KEY
from videogen.server.settings import make_writer
from videogen.server.state import STATE_KEY, AppState, app_state

if TYPE_CHECKING:
    from videogen.actors.adapters.writers import ContentWriter
    from videogen.media.writer import Writer
    from videogen.server.settings import Settings

__all__ = ["create_app"]

log = logging.getLogger("videogen.server")

EXPOSED_HEADERS = [
    "Content-Range",
    "Content-Length",
    "Accept-Ranges",
    "ETag",
    "Location",
    "Preference-Applied",
    "Retry-After",
]


Runtime = Callable[..., Awaitable[None]]
"""Started as `await nursery.start(runtime)`; hands back the `Registry` (see `run_runtime`)."""


def _register_lifecycle(app: QuartTrio, runtime: Runtime) -> None:
    @app.before_serving
    async def start_runtime() -> None:
        app_state().registry = await app.nursery.start(runtime)

    @app.after_serving
    async def drain_runtime() -> None:
        registry = app_state().registry
        if registry is not None:
            await registry.shutdown()


def _register_errors(app: QuartTrio) -> None:
    @app.errorhandler(HTTPException)
    async def http_error(exc: HTTPException) -> Response:
        code = exc.code or 500
        if code == 404:
            if request.path.startswith("/api/video/"):
                name = request.path.removeprefix("/api/video/")
                return error(404, f"Video not found: {name}")
            return error(404, "Not found")
        if code == 405 and isinstance(exc, MethodNotAllowed):
            allowed = ", ".join(sorted(exc.valid_methods or ()))
            detail = f"Method {request.method} not allowed; allowed: {allowed}"
            return error(405, detail, {"Allow": allowed})  # RFC 9110 §15.5.6: Allow is required
        if code == 413:
            limit = app_state().settings.max_body_bytes
            # The rest of the body is never read, so the connection cannot carry another request:
            # say so, and `closing.close_after_response` makes Hypercorn really close it.
            detail = f"Request body too large (limit {limit} bytes)"
            closing = {"Connection": "close"} if request.http_version < "2" else {}  # h2 forbids it
            return error(413, detail, closing)
        return error(code, exc.description or exc.name)

    @app.errorhandler(StoreUnavailable)
    async def store_unavailable(exc: StoreUnavailable) -> Response:
        # A database locked by another process (or full): the request may well work shortly.
        return error(503, f"Storage unavailable: {exc}", {"Retry-After": str(exc.retry_after)})

    @app.errorhandler(Exception)
    async def unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error(500, "Internal server error")


def _register_body_drain(app: QuartTrio) -> None:
    @app.before_request
    async def read_body() -> None:
        # Answer only after the whole body has arrived, whatever the answer (405, 415, 401…):
        # a keep-alive connection whose body was left unread stalls Hypercorn's next request.
        # Bodies are small here (MAX_CONTENT_LENGTH), so reading them up front costs nothing;
        # a GET may carry one too.
        await request.get_data()


def create_app(
    settings: Settings,
    *,
    writer: ContentWriter | Writer | None = None,
    runtime: Runtime | None = None,
) -> QuartTrio:
    """A new app; its runtime starts when it starts serving (or `test_app()` is entered).

    `writer` defaults to the LLM writer when `settings.llm` is set, else the offline writer.

    `runtime` replaces the real one (store, media workers, registry) — tests pass one on fake
    media; it must call `task_status.started(registry)`.
    """
    chosen = writer or make_writer(settings.llm)
    runtime = runtime or functools.partial(run_runtime, settings.registry, chosen)
    app = QuartTrio("videogen", static_folder=None)
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        # Long streams set their own `timeout = None`; everything else keeps Quart's default.
        BACKGROUND_TASK_SHUTDOWN_TIMEOUT=settings.shutdown_grace + 5,
        JSON_SORT_KEYS=False,
        PROVIDE_AUTOMATIC_OPTIONS=True,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions[STATE_KEY] = AppState(settings, writer_name=chosen.name)
    app.extensions[WRITER_KEY] = chosen
    for module in (
        routes_generate,
        routes_progress,
        routes_read,
        routes_video,
        routes_system,
        routes_static,
        routes_session,
        ws,
    ):
        app.register_blueprint(module.blueprint)
    _register_lifecycle(app, runtime)
    _register_errors(app)
    _register_body_drain(app)
    access.register(app)
    app.asgi_app = close_after_response(app.asgi_app)  # type: ignore[method-assign]
    return cors(
        app,
        allow_origin=list(settings.cors_origins),
        allow_credentials=True,
        allow_methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=EXPOSED_HEADERS,
    )
