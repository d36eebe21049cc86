"""The Quart-Trio app factory.

    app nursery (quart-trio lifespan) ─ run_runtime ─ store, media workers, registry
    request tasks (hypercorn)          ─ routes: subscribe, submit, cancel, stream files

The registry is started into the app's nursery when serving starts, never into a request, and
drained when serving stops: running generations get a grace period, then are interrupted.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import trio
from quart import request
from quart_cors import cors
from quart_trio import QuartTrio

from videogen.actors.adapters.writers import as_content_writer
from videogen.actors.runtime.run import run_runtime
from videogen.media.fonts import installed_fonts
from videogen.server.access import checks as access
from videogen.server.access.ratelimit import ClusterRateLimiter
from videogen.server.http import error_map
from videogen.server.http.bodies import request_class_for
from videogen.server.http.closing import close_after_response
from videogen.server.http.fastwrite import expose_transport
from videogen.server.http.hostname import refuse_unbindable_host
from videogen.server.http.pushed import PushingConnection
from videogen.server.routes import chapters as routes_chapters
from videogen.server.routes import exports as routes_exports
from videogen.server.routes import generate as routes_generate
from videogen.server.routes import progress as routes_progress
from videogen.server.routes import read as routes_read
from videogen.server.routes import review as routes_review
from videogen.server.routes import session as routes_session
from videogen.server.routes import static as routes_static
from videogen.server.routes import system as routes_system
from videogen.server.routes import uploads as routes_uploads
from videogen.server.routes import video as routes_video
from videogen.server.routes import ws
from videogen.server.settings import make_writer
from videogen.server.state import STATE_KEY, AppState, app_state

if TYPE_CHECKING:
    from videogen.actors.adapters.writers import ContentWriter
    from videogen.media.writer import Writer
    from videogen.server.settings import Settings

__all__ = ["create_app", "served_methods"]

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
        state = app_state()
        # Some forty stat calls: once, in a thread, never per `/api/options` request.
        state.fonts = await trio.to_thread.run_sync(installed_fonts)
        state.registry = registry = await app.nursery.start(runtime)
        state.uploads.share(registry.files)  # an upload sent here, read on any replica
        replicas = registry.replicas
        if replicas is not None and replicas.sessions is not None:
            state.sessions.share(replicas.sessions)  # signed in here, signed in on any replica
        url = registry.store.path
        if (
            registry.store.engine == "postgresql"
            and isinstance(url, str)
            and state.settings.rate_limit > 0
        ):
            # Replicas share one PostgreSQL: so do their clients' rate buckets.
            state.limiter = await ClusterRateLimiter.open(state.settings.rate_limit, url)

    @app.after_serving
    async def drain_runtime() -> None:
        registry = app_state().registry
        if registry is not None:
            await registry.shutdown()
        await app_state().limiter.aclose()


def served_methods(app: QuartTrio) -> list[str]:
    """The methods some route of `app` answers (with OPTIONS): all a preflight may allow."""
    methods = {m for rule in app.url_map.iter_rules() for m in rule.methods or ()}
    return sorted(methods | {"OPTIONS"})


def _register_body_drain(app: QuartTrio) -> None:
    @app.before_request
    async def read_body() -> None:
        # Answer only after the whole body has arrived, whatever the answer (405, 415, 401…):
        # a keep-alive connection whose body was left unread stalls Hypercorn's next request.
        # Bodies are small here (MAX_CONTENT_LENGTH; an upload's is at most the upload limit,
        # see `server.http.bodies`), so reading them up front costs little; a GET may carry
        # one too.
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
    chosen = as_content_writer(writer) if writer is not None else make_writer(settings.llm)
    runtime = runtime or functools.partial(run_runtime, settings.registry, chosen)
    app = QuartTrio("videogen", static_folder=None)
    app.asgi_http_class = PushingConnection  # sends the SSE route's body without iterating it
    app.request_class = request_class_for(settings)  # the upload route's own body limit
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        # Quart waits this long for background tasks at shutdown: past the registry's drain.
        BACKGROUND_TASK_SHUTDOWN_TIMEOUT=settings.shutdown_grace + 5,
        PROVIDE_AUTOMATIC_OPTIONS=True,
    )
    # No RESPONSE_TIMEOUT of our own: long streams set `timeout = None` on their response,
    # every other response keeps Quart's default.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions[STATE_KEY] = AppState(settings, writer=chosen)
    for module in (
        routes_generate,
        routes_progress,
        routes_read,
        routes_video,
        routes_chapters,
        routes_exports,
        routes_system,
        routes_static,
        routes_session,
        routes_uploads,
        routes_review,
        ws,
    ):
        app.register_blueprint(module.blueprint)
    _register_lifecycle(app, runtime)
    error_map.register(app)
    _register_body_drain(app)
    access.register(app)
    app.asgi_app = expose_transport(  # type: ignore[method-assign]
        close_after_response(refuse_unbindable_host(app.asgi_app))
    )
    return cors(
        app,
        allow_origin=list(settings.cors_origins),
        allow_credentials=True,
        allow_methods=served_methods(app),
        allow_headers=["*"],
        expose_headers=EXPOSED_HEADERS,
    )
