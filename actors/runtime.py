"""The whole runtime as one task: the data dir's lock, database, media workers and the
registry, in that order.

`run_runtime` is what an owner starts into its long-lived nursery (the app's at startup, the
CLI's in `trio.run`); it hands back the `Registry` and returns after `Registry.shutdown` has
drained every generation, closing the media workers and the database behind it. It locks the
data dir before anything else touches it (see `actors.data_dir`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from actors.data_dir import acquire_data_dir, release_data_dir
from actors.media_port import open_media
from actors.registry import Registry, RegistryConfig, run_registry
from actors.store import Store

if TYPE_CHECKING:
    from actors.writers import ContentWriter
    from media.writer import Writer

__all__ = ["DB_NAME", "run_runtime"]

DB_NAME = "videogen.db"


async def run_runtime(
    config: RegistryConfig,
    writer: ContentWriter | Writer,
    *,
    task_status: trio.TaskStatus[Registry] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Lock the data dir, open the store and media, run the registry until it has drained,
    close both.

    Raises `DataDirLocked`/`DataDirUnusable` before touching anything, `StoreCorrupt` or
    `StoreUnavailable` when the database cannot be opened.
    """
    lock = await trio.to_thread.run_sync(acquire_data_dir, config.data_dir)
    try:
        store = await Store.open(config.data_dir / DB_NAME)
        try:
            async with open_media(writer) as media:
                await run_registry(store, media, config, task_status=task_status)
        finally:
            with trio.CancelScope(shield=True):
                await store.aclose()
    finally:
        release_data_dir(lock)
