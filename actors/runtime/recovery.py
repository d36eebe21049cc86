"""Crash recovery: what a previous process left unfinished becomes `interrupted`, and the
scratch of generations that did not complete is swept. Runs only in a process that is alone on
the data dir (see `adapters.data_dir`), before any generation starts.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from typing import TYPE_CHECKING

import trio

from videogen.actors.runtime.artifacts import Artifacts
from videogen.actors.runtime.events import ProgressEvent

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.adapters.store import Store
    from videogen.actors.runtime.registry import RegistryConfig

__all__ = ["recover"]

log = logging.getLogger("videogen.registry")


def _sweep_scratch(generations_dir: Path, statuses: dict[str, str]) -> list[str]:
    """Remove what no finished video needs: the folders of generations that did not complete
    (or have no record at all), and the `work` scratch of those that did. Returns what went."""
    removed: list[str] = []
    with os.scandir(generations_dir) as entries:
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                continue
            files = Artifacts(generations_dir, entry.name)
            completed = statuses.get(entry.name) == "completed"
            target = files.work if completed else files.directory
            if target.exists():
                shutil.rmtree(target, ignore_errors=True)
                removed.append(entry.name)
    return removed


async def recover(store: Store, config: RegistryConfig) -> None:
    """What a previous process left running or queued becomes `interrupted`; its files go, and
    so does any scratch a failed or crashed generation left behind."""
    config.generations_dir.mkdir(parents=True, exist_ok=True)
    # On PostgreSQL other replicas may be running theirs: only expired leases count, and the
    # registry's takeover (`runtime.replicas`) marks those, not this.
    unfinished = [] if store.engine == "postgresql" else await store.unfinished()
    for gid, seq, progress in unfinished:
        event = ProgressEvent(
            generation_id=gid,
            seq=seq + 1,
            status="interrupted",
            progress=progress,
            message="⏹️ Interrupted: the server stopped",
            at=time.time(),
        )
        await store.append(event)
        await trio.to_thread.run_sync(shutil.rmtree, config.artifacts(gid).directory, True)
        log.info("marked %s interrupted after a restart", gid)
    statuses = await store.statuses()
    swept = await trio.to_thread.run_sync(_sweep_scratch, config.generations_dir, statuses)
    if swept:
        log.info("swept the scratch of %d generations: %s", len(swept), ", ".join(swept[:20]))
