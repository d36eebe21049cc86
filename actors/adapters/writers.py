"""The writer the media port uses: an async protocol, and the adapter for `media`'s sync writers.

    stage_writer ─ MediaPort.write_content ─ ContentWriter ─ OfflineWriter (in a thread)
                                                          └ LLMWriter (HTTP, `actors.llm_writer`)

A `ContentWriter` may report how far it has got through `progress(fraction, note)`: `fraction`
runs from 0 to 1 within the one call, `note` says what is happening in a few words ("37 tokens
from the model", "using the offline writer"). The stage turns both into progress events.

`health_check()` says how `/health` checks what a writer depends on outside the process (the
LLM writer: its model server); the offline writer depends on nothing and answers None.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeGuard, cast

import trio

from videogen.media.knowledge.model import NO_GROUNDING

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import Content, GenerationRequest, Script
    from videogen.media.writer import Writer

__all__ = ["ContentWriter", "Progress", "ThreadedWriter", "WriterCheck", "as_content_writer"]


class Progress(Protocol):
    """How far a writer has got: `fraction` in [0, 1] of this call, and a short note."""

    def __call__(self, fraction: float, note: str) -> Awaitable[None]: ...


@dataclass(frozen=True, slots=True)
class WriterCheck:
    """How to check something a writer needs outside this process."""

    name: str
    """Its key in `/health`'s checks ("llm")."""
    essential: bool
    """Whether its failure leaves the writer unable to write (False: it falls back)."""
    run: Callable[[], Awaitable[str]]
    """Answers "ok" or "failed: why"; never raises for a failure. The caller sets the time
    limit (a cancel scope) and caches the answer."""


class ContentWriter(Protocol):
    """Writes what the slides say and what the narrator says, asynchronously.

    Either method may be cancelled at any checkpoint; it raises with a message fit for a client
    (no traceback, no absolute path) when it cannot write.
    """

    name: str

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Content:
        """The deck; a grounded `grounding` is what it may say (and must credit)."""
        ...

    async def write_script(
        self,
        request: GenerationRequest,
        content: Content,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Script: ...

    def health_check(self) -> WriterCheck | None:
        """How `/health` checks what this writer depends on; None when it depends on nothing."""
        ...


class ThreadedWriter:
    """A sync `media.writer.Writer` as a `ContentWriter`: each call runs in a worker thread.

    The sync writers are pure and fast, so cancellation waits for the thread to finish.
    """

    def __init__(self, writer: Writer) -> None:
        self._writer = writer
        self.name = writer.name

    async def write_content(
        self,
        request: GenerationRequest,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Content:
        return await trio.to_thread.run_sync(self._writer.write_content, request, grounding)

    async def write_script(
        self,
        request: GenerationRequest,
        content: Content,
        *,
        grounding: Grounding = NO_GROUNDING,
        progress: Progress | None = None,
    ) -> Script:
        return await trio.to_thread.run_sync(self._writer.write_script, request, content, grounding)

    def health_check(self) -> WriterCheck | None:
        """None: the sync writers depend on nothing outside the process."""
        return None


def _is_async(writer: Writer | ContentWriter) -> TypeGuard[ContentWriter]:
    return inspect.iscoroutinefunction(writer.write_content)


def as_content_writer(writer: Writer | ContentWriter) -> ContentWriter:
    """`writer` itself when it is async, else wrapped in a `ThreadedWriter`."""
    if _is_async(writer):
        return writer
    return ThreadedWriter(cast("Writer", writer))
