"""What a registry is configured with (`RegistryConfig`): where the data lives, how many
generations run and wait, the knowledge sources, the cache's bound, the database, the replica's
name and the artifact store. Built by `videogen serve`'s settings and by the CLI; re-exported by
`runtime.registry`.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING

from videogen.actors.limits import (
    DEFAULT_CACHE_BYTES,
    DEFAULT_MAX_QUEUED,
    DEFAULT_MAX_RUNNING,
    MIN_FREE_BYTES,
    SHUTDOWN_GRACE,
)
from videogen.actors.runtime.artifacts import Artifacts

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["RegistryConfig"]


@dataclass(frozen=True, slots=True)
class RegistryConfig:
    """Where artifacts live and how many generations run and wait at once."""

    data_dir: Path
    max_running: int = DEFAULT_MAX_RUNNING
    max_queued: int = DEFAULT_MAX_QUEUED
    shutdown_grace: float = SHUTDOWN_GRACE
    # Free space below which admission refuses new generations (and /health fails).
    min_free_bytes: int = MIN_FREE_BYTES
    # Kiwix ZIM files searched beside the shipped encyclopedia, and online sources on or off.
    zim_paths: tuple[Path, ...] = ()
    online: bool = False
    # The artifact cache's bound (`adapters.artifact_cache`; `--cache-size`).
    cache_bytes: int = DEFAULT_CACHE_BYTES
    # The store's `postgresql://` URL (`--database-url`); None: SQLite in the data dir.
    database_url: str | None = None
    # This replica's name among those sharing the database (`--replica-id`; None: host:pid).
    replica_id: str | None = None
    # Where finished files are kept (`--storage-url`: a directory or `s3://bucket/prefix`);
    # None: the data dir's `generations/` (see `adapters.object_store`).
    storage_url: str | None = None
    # Answer video and export requests with a redirect to a presigned URL of the store's
    # object (`--storage-presign`; only a store that can sign, i.e. S3).
    storage_presign: bool = False
    # With replicas on PostgreSQL: whether this process shares the cluster's work queue
    # (`runtime.pulling`): a server does; the CLI runs its own generation here and nothing else.
    shares_queue: bool = True

    def __post_init__(self) -> None:
        # Derived once, absolute: child processes (ffmpeg) resolve relative paths against
        # folders of their own, and the working directory may change under a long server.
        object.__setattr__(self, "data_dir", self.data_dir.absolute())
        if self.replica_id is None:
            object.__setattr__(self, "replica_id", f"{socket.gethostname()}:{os.getpid()}")

    @property
    def replica(self) -> str:
        """This replica's name (`/api/debug/actors`, the claims of `runtime.replicas`)."""
        assert self.replica_id is not None
        return self.replica_id

    @property
    def generations_dir(self) -> Path:
        """`<data-dir>/generations/`: one folder per generation id."""
        return self.data_dir / "generations"

    def artifacts(self, gid: str) -> Artifacts:
        """The paths of generation `gid`'s files."""
        return Artifacts(self.generations_dir, gid)
