"""What a registry reads back for its callers: a generation's content, script, subtitles,
chapters, video and exports (`FinishedReads`, mixed into `Registry`).

Every read goes through `Registry.record`, so another user's generation is hidden alike; the
files of a generation (video, chapters, exports) are served only once it completed and its
video is on disk (`_finished`), so every file 404s the same way the video does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

import trio

from videogen.actors.adapters.exports import export_name
from videogen.actors.errors import (
    ArtifactNotFound,
    ExportNotFound,
    GenerationNotFound,
    VideoNotFound,
)
from videogen.actors.runtime.ownership import SYSTEM, Caller

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.adapters.exports import ExportCache
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
        try:
            return await trio.Path(self.config.artifacts(record.id).srt).read_text("utf-8")
        except FileNotFoundError:
            raise ArtifactNotFound("Subtitles", key) from None

    async def chapters(self, key: str, *, youtube: bool = False, caller: Caller = SYSTEM) -> str:
        """A finished generation's WebVTT chapters (with `youtube`, its `0:00 Title` lines),
        the sidecar compose wrote beside the video. Raises `ArtifactNotFound` as the video
        route would 404: unknown, unfinished, another user's, or the sidecar gone."""
        record = await self._record_or(key, caller, "Chapters")
        if record.status != "completed":
            raise ArtifactNotFound("Chapters", key)
        artifacts = self.config.artifacts(record.id)
        path = artifacts.chapters_youtube if youtube else artifacts.chapters_vtt
        try:
            return await trio.Path(path).read_text("utf-8")
        except FileNotFoundError:
            raise ArtifactNotFound("Chapters", key) from None

    async def video(self, filename: str, *, caller: Caller = SYSTEM) -> Path:
        """The finished file served as `filename` (`<generation id>.mp4`, exact id only).

        Raises `VideoNotFound` for any other name, an unfinished or another user's generation.
        """
        if not _VIDEO_NAME.match(filename) or filename.startswith("."):
            raise VideoNotFound(filename)
        gid = filename.removesuffix(".mp4")
        record = await self._finished(gid, caller, VideoNotFound(filename))
        if record.video_filename != filename:
            raise VideoNotFound(filename)
        return self.config.artifacts(gid).video

    async def _finished(self, gid: str, caller: Caller, missing: NotFound) -> GenerationRecord:
        """The record of `gid` if it completed, its video is on disk and `caller` may see it;
        raises `missing` otherwise (so every file of a generation is hidden alike)."""
        try:
            record = await self.record(gid, alias=False, caller=caller)
        except GenerationNotFound:
            raise missing from None
        if record.status != "completed" or record.video_filename is None:
            raise missing
        if not await trio.Path(self.config.artifacts(gid).video).is_file():
            raise missing
        return record

    async def export(
        self, filename: str, *, handout: bool = False, caller: Caller = SYSTEM
    ) -> Path | Bundle:
        """The export served as `filename` (`<generation id>.pptx|.pdf|.zip`): a file's path,
        or for `.zip` the bundle's plan. Made on the first request and cached beside the video
        (see `ExportCache`). `handout` adds narration pages to the PDF.

        Raises `ExportNotFound` exactly where `video` raises `VideoNotFound`.
        """
        named = export_name(filename)
        if named is None:
            raise ExportNotFound(filename)
        record = await self._finished(named[0], caller, ExportNotFound(filename))
        if record.content is None or record.script is None:
            raise ExportNotFound(filename)
        files = self.config.artifacts(named[0])
        return await self.exports.make(named[1], record, files, handout=handout)

    async def _record_or(self, key: str, caller: Caller, artifact: str) -> GenerationRecord:
        try:
            return await self.record(key, caller=caller)
        except GenerationNotFound:
            raise ArtifactNotFound(artifact, key) from None
