"""What a registry reads back for its callers: a generation's content, script, subtitles,
chapters, video and exports (`FinishedReads`, mixed into `Registry`).

Every read goes through `Registry.record`, so another user's generation is hidden alike; the
files of a generation (video, chapters, exports) are served only once it completed and its
video is in the artifact store (`_finished`; `adapters.object_store`, read there on every
replica), so every file 404s the same way the video does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from videogen.actors.adapters.exports import export_name
from videogen.actors.adapters.object_store import StoredFile
from videogen.actors.errors import (
    ArtifactNotFound,
    ExportNotFound,
    GenerationNotFound,
    VideoNotFound,
)
from videogen.actors.runtime.ownership import SYSTEM, Caller

if TYPE_CHECKING:
    from videogen.actors.adapters.exports import ExportCache
    from videogen.actors.adapters.object_store import ArtifactStore
    from videogen.actors.adapters.store import GenerationRecord
    from videogen.actors.errors import NotFound
    from videogen.actors.runtime.registry import RegistryConfig
    from videogen.media.exports import Bundle

__all__ = ["FinishedReads"]

# The only names `/api/video/` serves: `<generation id>.mp4`, no folder, no hidden file.
_VIDEO_NAME: Final = re.compile(r"^[^/\\]+\.mp4$")


class FinishedReads:
    """The read side of `Registry`: it provides `config`, `exports` and `record`."""

    config: RegistryConfig
    exports: ExportCache
    files: ArtifactStore

    async def record(
        self, key: str, *, alias: bool = True, caller: Caller = SYSTEM
    ) -> GenerationRecord:
        """Overridden by `Registry.record`."""
        raise NotImplementedError

    async def content(self, key: str, *, caller: Caller = SYSTEM) -> dict[str, Any]:
        """The slides' `content_data`, once written. Raises `ArtifactNotFound`."""
        record = await self._record_or(key, caller, "Content")
        if record.content is None:
            raise ArtifactNotFound("Content", key)
        return record.content

    async def script(self, key: str, *, caller: Caller = SYSTEM) -> dict[str, Any]:
        """The narration's `script_data`, once written. Raises `ArtifactNotFound`."""
        record = await self._record_or(key, caller, "Script")
        if record.script is None:
            raise ArtifactNotFound("Script", key)
        return record.script

    async def subtitles(self, key: str, *, srt: bool = False, caller: Caller = SYSTEM) -> str:
        """The WebVTT cues (with `srt`, the SubRip file beside the video). Raises
        `ArtifactNotFound` (also when the sidecar file has gone from the data dir)."""
        record = await self._record_or(key, caller, "Subtitles")
        if record.subtitles is None:
            raise ArtifactNotFound("Subtitles", key)
        if not srt:
            return record.subtitles
        files = self.config.artifacts(record.id)
        text = await self.files.read_text(files.key(files.srt))
        if text is None:
            raise ArtifactNotFound("Subtitles", key)
        return text

    async def chapters(self, key: str, *, youtube: bool = False, caller: Caller = SYSTEM) -> str:
        """A finished generation's WebVTT chapters (with `youtube`, its `0:00 Title` lines),
        the sidecar compose wrote beside the video. Raises `ArtifactNotFound` as the video
        route would 404: unknown, unfinished, another user's, or the sidecar gone."""
        record = await self._record_or(key, caller, "Chapters")
        if record.status != "completed":
            raise ArtifactNotFound("Chapters", key)
        artifacts = self.config.artifacts(record.id)
        path = artifacts.chapters_youtube if youtube else artifacts.chapters_vtt
        text = await self.files.read_text(artifacts.key(path))
        if text is None:
            raise ArtifactNotFound("Chapters", key)
        return text

    async def video(self, filename: str, *, caller: Caller = SYSTEM) -> StoredFile:
        """The finished file served as `filename` (`<generation id>.mp4`, exact id only).

        Raises `VideoNotFound` for any other name, an unfinished or another user's generation;
        `ArtifactStoreFailed` when the store does not answer.
        """
        if not _VIDEO_NAME.match(filename) or filename.startswith("."):
            raise VideoNotFound(filename)
        gid = filename.removesuffix(".mp4")
        record, video = await self._finished(gid, caller, VideoNotFound(filename))
        if record.video_filename != filename:
            raise VideoNotFound(filename)
        return video

    async def _finished(
        self, gid: str, caller: Caller, missing: NotFound
    ) -> tuple[GenerationRecord, StoredFile]:
        """The record of `gid` and its stored video if it completed, the video is in the
        artifact store and `caller` may see it; raises `missing` otherwise (so every file of a
        generation is hidden alike)."""
        try:
            record = await self.record(gid, alias=False, caller=caller)
        except GenerationNotFound:
            raise missing from None
        if record.status != "completed" or record.video_filename is None:
            raise missing
        files = self.config.artifacts(gid)
        key = files.key(files.video)
        info = await self.files.head(key)
        if info is None:
            raise missing
        return record, StoredFile(key, info)

    async def export(
        self, filename: str, *, handout: bool = False, caller: Caller = SYSTEM
    ) -> StoredFile | Bundle:
        """The export served as `filename` (`<generation id>.pptx|.pdf|.zip`): a stored file,
        or for `.zip` the bundle's plan. Made on the first request and kept in the artifact
        store beside the video (see `ExportCache`). `handout` adds narration pages to the PDF.

        Raises `ExportNotFound` exactly where `video` raises `VideoNotFound`.
        """
        named = export_name(filename)
        if named is None:
            raise ExportNotFound(filename)
        record, _ = await self._finished(named[0], caller, ExportNotFound(filename))
        if record.content is None or record.script is None:
            raise ExportNotFound(filename)
        files = self.config.artifacts(named[0])
        return await self.exports.make(named[1], record, files, handout=handout)

    async def _record_or(self, key: str, caller: Caller, artifact: str) -> GenerationRecord:
        try:
            return await self.record(key, caller=caller)
        except GenerationNotFound:
            raise ArtifactNotFound(artifact, key) from None
