"""What `/health` checks, and the answers it reuses: one `HealthChecks` per app, in its state.

    tts       the speech engine speaks a test phrase (a worker process: reused `CHECK_TTL`)
    ffmpeg    the encoder is there and executable
    storage   the data dir takes a file and has room; the database takes writes (SQLite's
              file is in the data dir; a PostgreSQL store's is its own check:)
    database  with `--database-url`: PostgreSQL takes writes (the store's probe: a
              connection of its own takes a row lock within its timeout)
    artifact_store  with `--storage-url`: the bucket answers a HEAD, or the shared directory
              is writable (`ArtifactProbe`; optional: while it fails the server is
              "degraded", since every replica shares it and finished videos cannot be
              published or served, but progress, status and new drafts still work)
    <writer>  what the writer needs outside the process, when it needs anything (the LLM
              writer's model server: reused `CHECK_TTL`; optional when it falls back)

Every check answers "ok" or "failed: why" within its own time limit, so a hung model server,
speech engine or bucket cannot hang `/health`.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.adapters.artifact_probe import ArtifactProbe
from videogen.media import compose

if TYPE_CHECKING:
    from videogen.actors.adapters.writers import ContentWriter, WriterCheck
    from videogen.actors.runtime.registry import Registry

__all__ = ["CHECK_TTL", "WRITER_CHECK_TIMEOUT", "HealthChecks"]

# A speech or writer check costs a process or a request: its answer is reused for this long.
CHECK_TTL: Final = 30.0
# How long the speech check may take (spawning the worker, speaking a phrase).
SPEECH_CHECK_TIMEOUT: Final = 10.0
# How long a writer's check may take (the LLM writer: `GET {url}/models`).
WRITER_CHECK_TIMEOUT: Final = 5.0
# The storage probe is fresh, but a burst of health checks probes once in this long.
STORAGE_MAX_AGE: Final = 1.0


@dataclass
class _Cached:
    """One check's last answer and when (Trio time) it was found."""

    at: float = -math.inf
    value: str = "unknown"

    def fresh(self) -> bool:
        return trio.current_time() - self.at < CHECK_TTL

    def keep(self, value: str) -> str:
        self.at, self.value = trio.current_time(), value
        return value


@dataclass
class HealthChecks:
    """The app's health checks and their cached answers (`AppState.health`)."""

    _speech: _Cached = field(default_factory=_Cached)
    _writer: _Cached = field(default_factory=_Cached)
    _artifacts: ArtifactProbe | None = None

    async def run(
        self, registry: Registry, writer: ContentWriter
    ) -> tuple[dict[str, str], set[str]]:
        """Every check's answer by name, and the names whose failure leaves the server healthy."""
        checks = {
            "tts": await self.speech(registry),
            "ffmpeg": await ffmpeg(),
        }
        if registry.store.engine == "postgresql":
            checks["storage"] = await data_dir(registry)
            checks["database"] = await database(registry)
        else:
            checks["storage"] = await storage(registry)
        optional: set[str] = set()
        artifacts = await self.artifact_store(registry)
        if artifacts is not None:
            checks["artifact_store"] = artifacts
            optional.add("artifact_store")
        check = writer.health_check()
        if check is not None:
            checks[check.name] = await self.writer(check)
            if not check.essential:
                optional.add(check.name)
        return checks, optional

    async def speech(self, registry: Registry) -> str:
        """Whether speaking a test phrase gives audio; reused for `CHECK_TTL`."""
        if self._speech.fresh():
            return self._speech.value
        try:
            with trio.fail_after(SPEECH_CHECK_TIMEOUT):
                seconds = await registry.check_speech()
            value = "ok" if seconds > 0 else "failed: no audio"
        except Exception as exc:
            value = f"failed: {exc}"
        return self._speech.keep(value)

    async def artifact_store(self, registry: Registry) -> str | None:
        """Whether the `--storage-url` store answers (None without one); a burst of checks
        looks once in `STORAGE_MAX_AGE`."""
        if self._artifacts is None or self._artifacts.files is not registry.files:
            self._artifacts = ArtifactProbe(registry.files)
        if not self._artifacts.configured:
            return None
        failure = await self._artifacts.failure(max_age=STORAGE_MAX_AGE)
        return "ok" if failure is None else f"failed: {failure}"

    async def writer(self, check: WriterCheck) -> str:
        """The writer's own check within `WRITER_CHECK_TIMEOUT`; reused for `CHECK_TTL`."""
        if self._writer.fresh():
            return self._writer.value
        value = f"failed: no answer within {WRITER_CHECK_TIMEOUT:g} s"
        with trio.move_on_after(WRITER_CHECK_TIMEOUT):
            value = await check.run()
        return self._writer.keep(value)


async def ffmpeg() -> str:
    """Whether the encoder is an executable file."""
    exe = await trio.to_thread.run_sync(compose.ffmpeg_exe)
    return "ok" if os.access(exe, os.X_OK) else "failed: ffmpeg is not executable"


async def storage(registry: Registry) -> str:
    """The data dir takes a new file and has room, and the database takes writes."""
    failure = await registry.storage_failure(max_age=STORAGE_MAX_AGE)
    return "ok" if failure is None else f"failed: {failure}"


async def data_dir(registry: Registry) -> str:
    """The data dir takes a new file and has room (with a PostgreSQL store)."""
    failure = await registry.storage.check(max_age=STORAGE_MAX_AGE)
    return "ok" if failure is None else f"failed: {failure}"


async def database(registry: Registry) -> str:
    """PostgreSQL takes writes now (within the store's probe timeout)."""
    failure = await registry.store.probe()
    return "ok" if failure is None else f"failed: {failure}"
