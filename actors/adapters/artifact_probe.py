"""A cheap look at the artifact store (`--storage-url`) for `/health`: does it answer now?

    S3Store     one HEAD of the bucket (`S3Store.check_now`), no object read or written
    LocalStore  a shared directory: it is a directory this process may write into; the
                default (the data dir's own `generations/`) is not looked at here, since the
                data dir's check already covers it

`ArtifactProbe` owns one worker-thread slot for its looks: a look is abandoned when its time
limit passes (a bucket that does not answer holds only that thread, up to boto3's own
timeouts), and while it still runs the next look waits for the slot and fails by the same time
limit, so a hung store never piles up threads nor delays `/health`. A look younger than
`max_age` is answered again. Nothing is raised: a failure is the sentence saying why.
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.adapters.object_store import LocalStore, S3Store
from videogen.actors.errors import ArtifactStoreFailed

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.adapters.object_store import ArtifactStore

__all__ = ["ARTIFACT_PROBE_TIMEOUT", "ArtifactProbe"]

# How long one look may take: a bucket answers a HEAD in milliseconds; past this it counts as
# not answering (boto3's connect timeout is longer: the abandoned thread ends by that).
ARTIFACT_PROBE_TIMEOUT: Final = 2.0


def _writable_directory(root: Path) -> None:
    """Raise `ArtifactStoreFailed` unless `root` is a directory this process can write in."""
    if not root.is_dir():
        raise ArtifactStoreFailed("reach", str(root), "not a directory")
    if not os.access(root, os.W_OK | os.X_OK):
        raise ArtifactStoreFailed("reach", str(root), "not writable")


class ArtifactProbe:
    """Looks at one artifact store for `/health`; owns its single worker-thread slot."""

    def __init__(self, files: ArtifactStore, *, timeout: float = ARTIFACT_PROBE_TIMEOUT) -> None:
        self.files = files
        self.timeout = timeout
        self._slot = trio.CapacityLimiter(1)
        self._at = -math.inf
        self._answer: str | None = None

    @property
    def configured(self) -> bool:
        """Whether there is a store of its own to look at (`--storage-url` given)."""
        return self.files.shared

    async def failure(self, *, max_age: float) -> str | None:
        """Why the store does not answer now, or None; a look younger than `max_age` is
        answered again."""
        if trio.current_time() - self._at < max_age:
            return self._answer
        answer = f"no answer within {self.timeout:g} s"
        with trio.move_on_after(self.timeout):
            answer = await self._look()
        self._at, self._answer = trio.current_time(), answer or None
        return self._answer

    async def _look(self) -> str:
        files = self.files
        if isinstance(files, S3Store):
            check = files.check_now
        elif isinstance(files, LocalStore) and files.shared:
            root = files.root

            def check() -> None:
                _writable_directory(root)
        else:
            return ""
        try:
            await trio.to_thread.run_sync(check, limiter=self._slot, abandon_on_cancel=True)
        except ArtifactStoreFailed as exc:
            return str(exc)
        return ""
