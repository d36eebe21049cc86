"""The whole runtime as one task: the data dir's lock, database, media workers and the
registry, in that order.

`run_runtime` is what an owner starts into its long-lived nursery (the app's at startup, the
CLI's in `trio.run`); it hands back the `Registry` and returns after `Registry.shutdown` has
drained every generation, closing the media workers and the database behind it. It holds the
data dir before anything else touches it, and recovers it only when alone on it (see
`actors.data_dir`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import trio

from videogen.actors.adapters.artifact_cache import ArtifactCache
from videogen.actors.adapters.data_dir import acquire_data_dir, release_data_dir, share
from videogen.actors.adapters.knowledge import Knowledge, open_knowledge
from videogen.actors.adapters.media_port import open_media
from videogen.actors.adapters.object_store import S3Store, open_artifact_store
from videogen.actors.adapters.store import DB_NAME, Store, database
from videogen.actors.limits import STORE_CLOSE_GRACE
from videogen.actors.runtime.recovery import recover
from videogen.actors.runtime.registry import Registry, RegistryConfig, run_registry

if TYPE_CHECKING:
    from videogen.actors.adapters.object_store import ArtifactStore
    from videogen.actors.adapters.writers import ContentWriter
    from videogen.media.writer import Writer

__all__ = ["DB_NAME", "run_runtime"]


log = logging.getLogger("videogen.runtime")


async def open_files(config: RegistryConfig) -> ArtifactStore:
    """The artifact store `config.storage_url` names, checked to answer (a bucket that does
    not exist or refuses the credentials stops the start: `ArtifactStoreFailed`)."""
    url, root = config.storage_url, config.generations_dir
    files = await trio.to_thread.run_sync(open_artifact_store, url, root)
    if isinstance(files, S3Store):
        await files.check()
    return files


async def run_runtime(
    config: RegistryConfig,
    writer: ContentWriter | Writer,
    *,
    knowledge: Knowledge | None = None,
    task_status: trio.TaskStatus[Registry] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Open the knowledge sources, lock the data dir, open the store, the artifact cache and
    media, run the registry until it has drained, close them.

    Raises `KnowledgeError` (a ZIM file missing or corrupt) and `DataDirLocked`/
    `DataDirUnusable` before touching anything, `StoreCorrupt` or `StoreUnavailable` when the
    database cannot be opened, `ArtifactStoreFailed` when the artifact store does not answer.
    """
    owned = knowledge is None
    if knowledge is None:
        knowledge = await trio.to_thread.run_sync(open_knowledge, config)
    try:
        await _run_holding(config, writer, knowledge, task_status)
    finally:
        if owned:
            knowledge.close()


async def _run_holding(
    config: RegistryConfig,
    writer: ContentWriter | Writer,
    knowledge: Knowledge,
    task_status: trio.TaskStatus[Registry],
) -> None:
    hold = await trio.to_thread.run_sync(acquire_data_dir, config.data_dir)
    try:
        store = await Store.open(database(config.data_dir, config.database_url))
        try:
            # Only a process alone on the data dir may recover it: another one's running
            # generations look exactly like a crashed process's.
            if hold.alone:
                await recover(store, config)
                if knowledge.uploads is not None:
                    await trio.to_thread.run_sync(knowledge.uploads.sweep_temporary)
            else:
                log.info(
                    "%s is in use by another process: recovery left for later", config.data_dir
                )
            share(hold)
            # Its index is in the data dir's SQLite file even when the store is PostgreSQL (its
            # files are on this machine's disk, see `artifact_cache`); it sweeps its own temp
            # files only when alone on the data dir (another process's puts in flight look like
            # a crash's).
            # A bound of 0 turns it off: every render from scratch, in one encode, as before.
            cache = None
            if config.cache_bytes > 0:
                cache = await ArtifactCache.open(
                    config.data_dir,
                    config.data_dir / DB_NAME,
                    max_bytes=config.cache_bytes,
                    recover=hold.alone,
                )
            try:
                files = await open_files(config)
                if knowledge.uploads is not None:
                    knowledge.uploads.share(files)  # replicas read each other's uploads
                async with open_media(writer, knowledge=knowledge) as media:
                    await run_registry(
                        store,
                        media,
                        config,
                        recover_first=False,
                        cache=cache,
                        files=files,
                        task_status=task_status,
                    )
            finally:
                if cache is not None:
                    with trio.move_on_after(STORE_CLOSE_GRACE, shield=True):
                        await cache.aclose()
        finally:
            # Closed even while being cancelled, within a bound: SQLite cannot be interrupted
            # mid-close, so the bound covers waiting for the connections' threads.
            with trio.move_on_after(STORE_CLOSE_GRACE, shield=True) as closing:
                await store.aclose()
            if closing.cancelled_caught:
                log.error(
                    "database not closed within %g s; its next open recovers it", STORE_CLOSE_GRACE
                )
    finally:
        release_data_dir(hold)
