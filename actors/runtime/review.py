"""Drafts awaiting review: their per-generation locks, and reading and editing them.

A draft (`"render": false`) lives in the store while it waits, not in memory: its content,
script, version and events are read back on demand (`draft_of`, `request_of`), so thousands of
waiting drafts cost only their rows. The registry serialises every change of one draft (an
edit, its render, its cancel) with `KeyedLocks`, and the store's compare-and-set on the version
(`Store.edit_draft`) refuses an edit made against a version that is no longer current.

`edited` runs an edit from `media.editing` and turns what it raises into the runtime's errors:
`SlideNotFound` (404), `EditRejected` (422, naming the field) or `WrongState` (409: removing a
draft's only slide).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import trio

from videogen.actors.errors import EditRejected, SlideNotFound, WrongState
from videogen.actors.stages.messages import Scripted
from videogen.media import editing
from videogen.media.models import THEME_FILE_CONTEXT, Content, GenerationRequest, Script

if TYPE_CHECKING:
    from videogen.actors.adapters.store import GenerationRecord

__all__ = ["Draft", "Edit", "KeyedLocks", "draft_of", "edited", "request_of"]

Edit = Callable[[Content, Script, GenerationRequest], tuple[Content, Script]]
"""A change of a draft: its content and script (and request, for the limits) → new ones."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A draft's content and script after an edit, and the version they now are."""

    generation_id: str
    content: Content
    script: Script
    version: int


class KeyedLocks:
    """One `trio.Lock` per key, held only while someone holds or waits for it (no map that
    grows with every generation ever edited)."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[trio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """Hold `key`'s lock for the block; callers with the same key take turns, in order."""
        lock, users = self._locks.get(key, (trio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


def request_of(record: GenerationRecord) -> GenerationRequest:
    """The stored request, validated again (it was when it was admitted: a theme file's logo,
    which only the CLI can give, is trusted as it was then)."""
    return GenerationRequest.model_validate(record.request, context={THEME_FILE_CONTEXT: True})


def draft_of(record: GenerationRecord) -> Scripted:
    """A stored draft's (or finished generation's) content and script."""
    if record.content is None or record.script is None:
        raise ValueError(f"{record.id} has no stored content and script")
    return Scripted(Content.model_validate(record.content), Script.model_validate(record.script))


def edited(
    gid: str, scripted: Scripted, request: GenerationRequest, edit: Edit
) -> tuple[Content, Script]:
    """`edit` applied; raises `SlideNotFound`, `EditRejected` or (removing the only slide)
    `WrongState`."""
    try:
        return edit(scripted.content, scripted.script, request)
    except editing.LastSlide as exc:
        hint = f"a draft keeps at least one slide; to drop it, POST /api/cancel/{gid}"
        raise WrongState(gid, "awaiting_review", f"Cannot remove {exc}: {hint}") from None
    except editing.SlideOutOfRange as exc:
        raise SlideNotFound(gid, exc.number, exc.total) from None
    except editing.EditRejected as exc:
        raise EditRejected(exc.field, exc.message, exc.kind) from None
