"""Exports of finished generations: the actors' door to `media.exports`.

`ExportCache` is owned by the registry (one per run). A PPTX or PDF is drawn on its first
request, in a worker thread (at most `EXPORT_THREADS` at once, never on the event loop), from
what the store holds (content, script, request), and kept in the artifact store beside the
video (`Artifacts.export`, `adapters.object_store`): any replica serves it afterwards.
Concurrent first requests for the same file make it once: each file has its own `trio.Lock`,
and whoever gets it second finds the file stored. The ZIP is never written: `bundle` plans it
(CRCs read in a thread) and the route streams its segments from the files (fetched from a
shared store to this data dir first, where they are kept).

Raises what `media.exports` raises (OSError, ValueError, `FontMissingError`) and
`BundleTooLarge`; the caller has checked the generation is finished and visible.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Final, Literal

import trio

from videogen.actors.adapters.object_store import StoredFile
from videogen.actors.errors import ArtifactStoreFailed
from videogen.actors.limits import EXPORT_THREADS
from videogen.media.exports import CHAPTERS_MEMBER, Bundle, plan_bundle, write_pdf, write_pptx
from videogen.media.models import THEME_FILE_CONTEXT, Content, GenerationRequest, Script

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.adapters.object_store import ArtifactStore
    from videogen.actors.adapters.store import GenerationRecord
    from videogen.actors.runtime.artifacts import Artifacts

__all__ = ["DOCUMENTS", "Document", "ExportCache", "chapters_track", "export_name"]

Document = Literal["pptx", "pdf", "handout.pdf"]
DOCUMENTS: Final[tuple[Document, ...]] = ("pptx", "pdf", "handout.pdf")
# The names `/api/export/` serves: `<generation id>.pptx|.pdf|.zip`, no folder, no hidden file.
_EXPORT_NAME: Final = re.compile(r"^([^/\\.][^/\\]*)\.(pptx|pdf|zip)$")


def export_name(filename: str) -> tuple[str, str] | None:
    """(generation id, suffix) of an export's name, or None for any other name."""
    match = _EXPORT_NAME.match(filename)
    return None if match is None else (match[1], match[2])


async def chapters_track(files: Artifacts) -> Path | None:
    """The bundle's `chapters.vtt` member: the WebVTT chapters the compose stage wrote beside
    the video (`media.chapters`), or None for a generation finished before chapters existed."""
    return files.chapters_vtt if await trio.Path(files.chapters_vtt).is_file() else None


def _inputs(record: GenerationRecord) -> tuple[Content, Script, GenerationRequest]:
    """What the exports are drawn from. The request was validated once, on admission (its
    theme file included), so it is read back as trusted."""
    request = GenerationRequest.model_validate(record.request, context={THEME_FILE_CONTEXT: True})
    return (
        Content.model_validate(record.content),
        Script.model_validate(record.script),
        request,
    )


def _make(document: Document, record: GenerationRecord, path: Path) -> Path:
    content, script, request = _inputs(record)
    if document == "pptx":
        return write_pptx(content, script, request, path)
    return write_pdf(content, script, request, path, handout=document == "handout.pdf")


class ExportCache:
    """Draws each export once, in a bounded worker thread, and keeps it in the artifact store
    (`files`) beside the video; hands back its key."""

    def __init__(self, files: ArtifactStore) -> None:
        self._files = files
        self._limiter = trio.CapacityLimiter(EXPORT_THREADS)
        self._locks: dict[Path, trio.Lock] = {}

    async def document(
        self, document: Document, record: GenerationRecord, files: Artifacts
    ) -> StoredFile:
        """The stored `document` of a finished generation, drawn now if it is not yet.

        In a shared store it may have been drawn by another replica: then it is served from
        there. Two replicas drawing the same one at once both put whole objects of the same
        content; the last one stays."""
        path = files.export(document)
        key = files.key(path)
        lock = self._locks.setdefault(path, trio.Lock())
        try:
            async with lock:
                info = await self._files.head(key)
                if info is None:
                    job = functools.partial(_make, document, record, path)
                    await trio.Path(path.parent).mkdir(parents=True, exist_ok=True)
                    await trio.to_thread.run_sync(job, limiter=self._limiter)
                    await self._files.put(key, path)
                    if self._files.shared:
                        await trio.Path(path).unlink(missing_ok=True)  # the store has it
                    info = await self._files.head(key)
                    if info is None:
                        raise ArtifactStoreFailed("find", key, "not there after it was written")
        finally:
            # The last one out forgets the lock: the stored file answers every later request.
            if not lock.locked() and lock.statistics().tasks_waiting == 0:
                self._locks.pop(path, None)
        return StoredFile(key, info)

    async def make(
        self, suffix: str, record: GenerationRecord, files: Artifacts, *, handout: bool
    ) -> StoredFile | Bundle:
        """The export named by `suffix` (`pptx`, `pdf`, `zip`; `handout`: the PDF with
        narration pages): a document's stored file, or the bundle's plan."""
        if suffix == "zip":
            return await self.bundle(record, files)
        document: Document = "pptx" if suffix == "pptx" else "handout.pdf" if handout else "pdf"
        return await self.document(document, record, files)

    async def _local(self, files: Artifacts, path: Path) -> bool:
        """Whether `path` is on this machine's disk, fetched from a shared store if need be
        (the ZIP streams its members from local files; fetched ones stay as a cache)."""
        if await trio.Path(path).is_file():
            return True
        if not self._files.shared:
            return False
        return await self._files.fetch(files.key(path), path)

    async def bundle(self, record: GenerationRecord, files: Artifacts) -> Bundle:
        """The ZIP's plan: video, subtitles, content, script, PPTX, PDF and the chapters
        track (`chapters_track`), the documents drawn first if need be."""
        await self.document("pptx", record, files)
        await self.document("pdf", record, files)
        gid = files.generation_id
        pptx, pdf = files.export("pptx"), files.export("pdf")
        if not await self._local(files, files.video):
            raise ArtifactStoreFailed("find", files.key(files.video), "not in the store")
        members = [(files.video.name, files.video)]
        for sidecar in (files.vtt, files.srt):
            if await self._local(files, sidecar):
                members.append((sidecar.name, sidecar))
        if await self._local(files, files.chapters_vtt):
            members.append((CHAPTERS_MEMBER, files.chapters_vtt))
        for name, path in (
            ("content.json", files.content_json),
            ("script.json", files.script_json),
        ):
            if await self._local(files, path):
                members.append((name, path))
        for path in (pptx, pdf):
            if not await self._local(files, path):
                raise ArtifactStoreFailed("find", files.key(path), "not in the store")
        members += [(f"{gid}.pptx", pptx), (f"{gid}.pdf", pdf)]
        return await trio.to_thread.run_sync(plan_bundle, members, limiter=self._limiter)
