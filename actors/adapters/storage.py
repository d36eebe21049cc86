"""Whether the data dir can take more work: it accepts a new file and has room to spare.

`probe_data_dir` is the check itself, plain and synchronous (the media port runs it off the
Trio thread). `StorageHealth`, one per registry, remembers the last answer for
`STORAGE_CHECK_TTL`, so admission asks the disk at most once per TTL however many submit at
once, and a check that hangs (a dead mount) counts as failing after `STORAGE_CHECK_TIMEOUT`.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.limits import STORAGE_CHECK_TIMEOUT, STORAGE_CHECK_TTL

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.adapters.media_port import MediaPort

__all__ = ["StorageHealth", "probe_data_dir"]

log = logging.getLogger("videogen.storage")

_MIB: Final = 1024 * 1024


def probe_data_dir(data_dir: Path, min_free: int) -> str | None:
    """Create, write and delete a small file in `data_dir`, then check its free space.

    Returns None when it is fine, else why not (fit for a client: no path). Never raises.
    """
    probe = data_dir / f".probe-{os.getpid()}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        try:
            os.write(fd, b"probe")
        finally:
            os.close(fd)
        os.remove(probe)
        usage = shutil.disk_usage(data_dir)
    except OSError as exc:
        log.warning("storage check of %s failed: %s", data_dir, exc)
        return f"the data dir is not writable: {exc.strerror or type(exc).__name__}"
    if usage.free < min_free:
        log.warning("storage check of %s: %d bytes free", data_dir, usage.free)
        return (
            f"the data dir has {usage.free // _MIB} MiB free, less than the"
            f" {math.ceil(min_free / _MIB)} MiB a generation may need"
        )
    return None


class StorageHealth:
    """The data dir's last storage check, refreshed when older than asked for."""

    def __init__(self, media: MediaPort, data_dir: Path, *, min_free: int) -> None:
        self._media = media
        self._data_dir = data_dir
        self._min_free = min_free
        self._lock = trio.Lock()
        self._at = -math.inf
        self.failure: str | None = None
        """Why the last check failed; None when it passed."""

    async def check(self, *, max_age: float = STORAGE_CHECK_TTL) -> str | None:
        """None when storage is fine, else why not; probes when the last answer is too old.

        Concurrent callers share one probe. Takes at most `STORAGE_CHECK_TIMEOUT` (plus the
        wait for a probe already running).
        """
        async with self._lock:
            if trio.current_time() - self._at < max_age:
                return self.failure
            failure: str | None = f"the data dir did not answer within {STORAGE_CHECK_TIMEOUT:g} s"
            with trio.move_on_after(STORAGE_CHECK_TIMEOUT):
                failure = await self._media.check_storage(self._data_dir, self._min_free)
            if failure != self.failure:
                log.log(
                    logging.WARNING if failure else logging.INFO, "storage: %s", failure or "ok"
                )
            self.failure, self._at = failure, trio.current_time()
            return failure
