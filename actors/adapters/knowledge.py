"""What a generation's deck may say: the user's documents, else what the sources know.

    writer stage ─ MediaPort.ground ─ Knowledge.ground ─┬ the request's own sources
                                                        │   (uploads, text) → from_documents
                                                        └ retrieve(topic) over the encyclopedia,
                                                          ZIM files, online Wikipedia (a thread)

`Knowledge` owns the opened sources for the runtime's whole life (`run_runtime` builds it with
`Knowledge.open`, before the registry starts) and reads uploads from the data dir's store.
Raises `KnowledgeError` from `open` (a ZIM file that is missing or corrupt: the command exits 2
naming it) and `UploadNotFound` from `ground` (an upload removed after admission).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.adapters.sources import load_documents
from videogen.actors.adapters.uploads import UploadStore
from videogen.media.knowledge.catalog import configured_sources, describe
from videogen.media.knowledge.documents.read import USER_LICENSE
from videogen.media.knowledge.documents.text import read_text_document
from videogen.media.knowledge.errors import DocumentError
from videogen.media.knowledge.model import NO_GROUNDING, Grounding
from videogen.media.knowledge.own import from_documents, with_pictures
from videogen.media.knowledge.retrieve import retrieve
from videogen.media.knowledge.sources.wikipedia_online import online_sources

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from videogen.actors.runtime.registry import RegistryConfig
    from videogen.media.knowledge.model import KnowledgeSource
    from videogen.media.models import GenerationRequest

__all__ = ["NOTES_ORIGIN", "UPLOADS_DIR", "Knowledge", "open_knowledge"]

UPLOADS_DIR: Final = "uploads"
# How a deck credits the request's `source_text`.
NOTES_ORIGIN: Final = "your notes"
# Slides a deck keeps for its own framing (title, sources); the rest want an article each.
_FRAME_SLIDES: Final = 2


class Knowledge:
    """The configured knowledge sources and the uploads store; see the module docstring."""

    def __init__(
        self, sources: Sequence[KnowledgeSource], uploads: UploadStore | None = None
    ) -> None:
        self._sources = tuple(sources)
        self._uploads = uploads

    @classmethod
    def open(
        cls,
        data_dir: Path | None,
        zim_paths: Sequence[Path] = (),
        *,
        online: Sequence[KnowledgeSource] = (),
    ) -> Knowledge:
        """The shipped encyclopedia, each ZIM file (opened now: a bad one raises
        `KnowledgeError` naming it), the `online` sources, and `data_dir`'s uploads."""
        sources = [*configured_sources(zim_paths), *online]
        uploads = UploadStore(data_dir / UPLOADS_DIR) if data_dir is not None else None
        return cls(sources, uploads)

    @classmethod
    def shipped(cls) -> Knowledge:
        """The shipped encyclopedia alone, no uploads (a bare media port's default)."""
        return cls(configured_sources(()))

    @property
    def sources(self) -> tuple[KnowledgeSource, ...]:
        return self._sources

    @property
    def uploads(self) -> UploadStore | None:
        return self._uploads

    def close(self) -> None:
        """Close the sources that hold connections (online Wikipedia's clients)."""
        for source in self._sources:
            close = getattr(source, "close", None)
            if callable(close):
                close()

    def describe(self) -> list[dict[str, object]]:
        """The sources as `/api/options` lists them."""
        return describe(self._sources)

    async def ground(self, request: GenerationRequest) -> Grounding:
        """What `request`'s deck may say. The user's slides need nothing but the pictures of
        their sources (a reviewed file's pictures: drawn where a slide's image visual names
        one, never text to say); the user's sources are all the material there is, and so are
        their notes (`source_text`); else the topic is looked up (unless `knowledge` is
        "none")."""
        if request.slides and not request.sources:
            return NO_GROUNDING
        if request.sources:
            if self._uploads is None:
                raise RuntimeError("this runtime has no uploads store")  # a wiring bug
            documents = await load_documents(request, self._uploads)
            if request.slides:
                return with_pictures(NO_GROUNDING, [d for d in documents if d.pictures])
            if any(document.sections for document in documents):
                return from_documents(documents)
            # Pictures only (uploaded images): the text comes from the topic, as without
            # sources, and the pictures go on its slides.
            found = await self._looked_up(request)
            return with_pictures(found, documents)
        return await self._looked_up(request)

    async def _looked_up(self, request: GenerationRequest) -> Grounding:
        """The user's notes as the material, else the topic looked up (unless `knowledge` is
        "none")."""
        if request.source_text and request.source_text.strip():
            # The user's notes are a text source like any other: the deck cites them.
            read = functools.partial(
                read_text_document,
                request.source_text,
                title=None,
                origin=NOTES_ORIGIN,
                license=USER_LICENSE,
            )
            try:
                notes = await trio.to_thread.run_sync(read)
            except DocumentError:  # markup and nothing else: the outline, as for no notes
                return Grounding(note="Your notes hold no text to write from")
            return from_documents([notes])
        if request.knowledge == "none":
            return Grounding(note="Knowledge sources are off for this request")
        if not self._sources:
            return Grounding(note="No knowledge source is configured")
        find = functools.partial(
            retrieve,
            request.topic,
            request.language,
            self._sources,
            related=max(0, request.num_slides - _FRAME_SLIDES),
        )
        # Abandoned on cancel: a search reads files and memory (online Wikipedia: within its
        # own timeout) and ends on its own; its answer is then dropped.
        return await trio.to_thread.run_sync(find, abandon_on_cancel=True)


def open_knowledge(config: RegistryConfig) -> Knowledge:
    """The knowledge `config` names: its ZIM files, online Wikipedia when `online`, and the
    data dir's uploads. Raises `KnowledgeError` naming a bad ZIM file."""
    return Knowledge.open(config.data_dir, config.zim_paths, online=online_sources(config.online))
