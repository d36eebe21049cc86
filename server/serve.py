"""`videogen serve`: the app on Hypercorn's Trio worker, shut down gracefully on SIGINT/SIGTERM.

Before anything else it holds the data dir (a second server on the same dir exits 2 and
touches nothing; see `actors.data_dir`) and opens the database once (a corrupt file is one line
and exit 1, not a traceback from inside the app's startup). `serving on …` is logged once the
port is actually bound.
"""

from __future__ import annotations

import functools
import logging
import signal
import socket
import sys
from typing import TYPE_CHECKING, Final

import trio
from hypercorn.config import Config, Sockets
from hypercorn.trio import serve

from videogen.actors.adapters.data_dir import hold_data_dir
from videogen.actors.adapters.object_store import check_artifact_store
from videogen.actors.adapters.store import check_database, database
from videogen.actors.errors import DataDirLocked
from videogen.actors.failures import interrupted, startup_failure
from videogen.actors.runtime.introspect import write_dump
from videogen.media.knowledge.catalog import configured_sources
from videogen.media.knowledge.errors import KnowledgeError
from videogen.server.app import create_app
from videogen.server.routes import ws
from videogen.server.settings import Settings, settings_from_args
from videogen.server.state import STATE_KEY, AppState

if TYPE_CHECKING:
    import argparse

__all__ = ["run_server", "serve_from_args"]

log = logging.getLogger("videogen.server")

# A peer that acknowledges nothing, or keeps its receive window shut, this long is gone or not
# reading: the kernel aborts the connection (TCP_USER_TIMEOUT, which accepted sockets inherit).
# That is the only way to end a write Hypercorn is blocked in (it shields socket writes), so it
# bounds what a client that never reads its WebSocket or SSE stream can hold, and how long it can
# delay a shutdown. Browsers read whatever arrives; they reconnect (SSE with Last-Event-ID).
STALLED_PEER_SECONDS: Final = 10.0


class _Config(Config):
    """Hypercorn's configuration, with `STALLED_PEER_SECONDS` set on the listening sockets."""

    def create_sockets(self) -> Sockets:
        sockets = super().create_sockets()
        option = getattr(socket, "TCP_USER_TIMEOUT", None)  # Linux only
        for sock in (*sockets.secure_sockets, *sockets.insecure_sockets):
            if option is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
                sock.setsockopt(socket.IPPROTO_TCP, option, int(STALLED_PEER_SECONDS * 1000))
        return sockets


async def _until_signal(app_state: AppState, *, task_status: trio.TaskStatus[None]) -> None:
    """Return on SIGINT/SIGTERM (Hypercorn's shutdown trigger); dump the trees on SIGUSR1."""
    with trio.open_signal_receiver(signal.SIGINT, signal.SIGTERM, signal.SIGUSR1) as signals:
        task_status.started()
        async for signum in signals:
            if signum == signal.SIGUSR1:
                if app_state.registry is not None:
                    write_dump(app_state.registry)
                continue
            log.info("signal %s: shutting down", signal.Signals(signum).name)
            return


async def run_server(
    settings: Settings, *, task_status: trio.TaskStatus[list[str]] = trio.TASK_STATUS_IGNORED
) -> None:
    """Serve until SIGINT or SIGTERM, then drain; `task_status` gets the bound addresses."""
    app = create_app(settings)
    state = app.extensions[STATE_KEY]
    config = _Config()
    config.bind = [f"{settings.host}:{settings.port}"]
    config.accesslog = None
    config.graceful_timeout = 2.0
    # Many browsers open their progress streams at once; the default queue of 100 made a burst
    # of 1,000 connections retry for tens of seconds.
    config.backlog = 1024
    # Hypercorn's default is 16 MiB; a message is a request body in a small envelope, so refuse
    # (close 1009) anything much larger than an HTTP body may be.
    config.websocket_max_message_size = ws.max_message_bytes(settings.max_body_bytes)
    stopped = trio.Event()

    async def trigger() -> None:
        await stopped.wait()

    async with trio.open_nursery() as nursery:

        async def watch() -> None:
            await _until_signal(state, task_status=trio.TASK_STATUS_IGNORED)
            stopped.set()

        nursery.start_soon(watch)
        binds = await nursery.start(functools.partial(serve, app, config, shutdown_trigger=trigger))
        data_dir = settings.registry.data_dir
        log.info("serving on %s (data in %s)", ", ".join(binds), data_dir)
        task_status.started(binds)
        await stopped.wait()


def serve_from_args(args: argparse.Namespace) -> int:
    """Entry point of `videogen serve`: 0 after a clean shutdown; 2 when the data dir is in use
    or a `--zim` file cannot be opened; 1 when the data dir, the database or the address cannot
    be used, or the artifact store does not answer (one line on stderr)."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    settings = settings_from_args(args)
    data_dir = settings.registry.data_dir
    try:
        # Opened again by the runtime; checked here first so a bad file is one line and exit 2
        # before anything is locked or listened on.
        configured_sources(settings.zim_paths)
    except KnowledgeError as exc:
        print(f"videogen serve: {exc}", file=sys.stderr)
        return 2
    try:
        with hold_data_dir(data_dir, serve=True):
            check_database(database(data_dir, settings.database_url))
            check_artifact_store(settings.storage_url, settings.registry.generations_dir)
            if settings.llm is not None:
                llm = settings.llm
                log.info("writer: llm at %s (model %s)", llm.url, llm.model or "first")
            trio.run(run_server, settings)
    except DataDirLocked as exc:
        print(f"videogen serve: {exc}", file=sys.stderr)
        return 2
    except BaseException as exc:
        if interrupted(exc):  # Ctrl-C before the signal handler was in place
            return 130
        message = startup_failure(exc, address=f"{settings.host}:{settings.port}")
        if message is None:
            raise
        print(f"videogen serve: {message}", file=sys.stderr)
        return 1
    return 0
